// GET|POST /api/v1/inbound-sources — list the org's sources; create one (with its origin)
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { createSource, listSources } from "@/lib/store/sources";

export const dynamic = "force-dynamic";

export const GET = withApi(operations.listInboundSources, async ({ principal }) => ({
  status: 200,
  body: { data: await listSources(principal.orgId) },
}));

export const POST = withApi(operations.createInboundSource, async ({ principal, body }) => ({
  status: 201,
  body: await createSource(principal.orgId, body),
}));
