// POST /api/v1/targets/:id/rotate-secret — replace the signing secret; the new one is shown once
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { rotateSigningSecret } from "@/lib/store/targets";

export const dynamic = "force-dynamic";

export const POST = withApi(operations.rotateTargetSigningSecret, async ({ principal, params }) => ({
  status: 200,
  body: await rotateSigningSecret(principal.orgId, params.id ?? ""),
}));
