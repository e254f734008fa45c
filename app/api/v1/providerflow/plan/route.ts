// POST /api/v1/providerflow/plan — what applying these package files would change; changes nothing
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { planFiles } from "@/lib/flows/apply";

export const dynamic = "force-dynamic";

// Operator, like apply: the plan resolves the org's secrets to tell whether they changed.
export const POST = withApi(operations.planFlowPackage, async ({ principal, body }) => ({
  status: 200,
  body: await planFiles(principal.orgId, body.files),
}));
