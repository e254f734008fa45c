// POST /api/v1/providerflow/apply — apply package files that match an uploaded version's digest (the CLI's apply)
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { applyFiles } from "@/lib/flows/apply";

export const dynamic = "force-dynamic";

export const POST = withApi(operations.applyFlowPackage, async ({ principal, body }) => ({
  status: 200,
  body: await applyFiles(principal, body.files),
}));
