// POST /api/v1/providerflow/validate — a draft's findings (and graph), as `providerflow validate`
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { validateDraft } from "@/lib/flows/workbench";

export const dynamic = "force-dynamic";

export const POST = withApi(operations.validateFlowPackage, async ({ body }) => ({ status: 200, body: validateDraft(body.files) }));
