// GET /api/v1/secrets — the org's secret store: names and hints only, never values
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { listOrgSecrets } from "@/lib/flows/secrets";

export const dynamic = "force-dynamic";

export const GET = withApi(operations.listSecrets, async ({ principal }) => ({
  status: 200,
  body: { data: await listOrgSecrets(principal.orgId) },
}));
