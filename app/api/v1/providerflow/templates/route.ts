// POST /api/v1/providerflow/templates — a new package's files from a provider preset's template
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { templateFiles } from "@/lib/flows/workbench";

export const dynamic = "force-dynamic";

export const POST = withApi(operations.flowTemplate, async ({ body }) => ({ status: 200, body: await templateFiles(body.name, body.preset) }));
