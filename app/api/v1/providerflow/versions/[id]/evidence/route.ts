// GET /api/v1/providerflow/versions/:id/evidence — the sandbox run's evidence.json, exactly
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { getEvidence } from "@/lib/flows/versions";

export const dynamic = "force-dynamic";

export const GET = withApi(operations.getFlowVersionEvidence, async ({ principal, params }) => ({
  status: 200,
  body: await getEvidence(principal.orgId, params.id ?? ""),
}));
