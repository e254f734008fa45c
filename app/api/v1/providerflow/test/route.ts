// POST /api/v1/providerflow/test — a draft's fixtures in the org's sandbox, as `providerflow test [--update]`
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { testDraft } from "@/lib/flows/workbench";

export const dynamic = "force-dynamic";

// Operator: the run resolves the org's secrets (to sign and verify fixtures), as upload does.
export const POST = withApi(operations.testFlowPackage, async ({ principal, body }) => ({
  status: 200,
  body: await testDraft(principal.orgId, body.files, body.update ?? false),
}));
