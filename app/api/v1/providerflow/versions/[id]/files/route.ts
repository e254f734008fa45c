// GET /api/v1/providerflow/versions/:id/files — a version's own files, to edit them
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { versionFiles } from "@/lib/flows/workbench";

export const dynamic = "force-dynamic";

export const GET = withApi(operations.getFlowVersionFiles, async ({ principal, params }) => ({
  status: 200,
  body: await versionFiles(principal.orgId, params.id ?? ""),
}));
