// GET|POST /api/v1/targets — list the org's delivery targets; create one (its signing secret is shown once)
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { createTarget, listTargets } from "@/lib/store/targets";

export const dynamic = "force-dynamic";

export const GET = withApi(operations.listTargets, async ({ principal, query }) => ({
  status: 200,
  body: await listTargets(principal.orgId, query),
}));

export const POST = withApi(operations.createTarget, async ({ principal, body }) => ({
  status: 201,
  body: await createTarget(principal.orgId, body),
}));
