// GET /api/v1/providerflow/versions/:id — one version with its evidence, approvals and revalidation
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { getVersion } from "@/lib/flows/versions";

export const dynamic = "force-dynamic";

export const GET = withApi(operations.getFlowVersion, async ({ principal, params }) => ({
  status: 200,
  body: await getVersion(principal.orgId, params.id ?? ""),
}));
