// POST /api/v1/providerflow/versions/:id/apply — apply a stored version to the org, then revalidate it
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { applyVersion } from "@/lib/flows/apply";

export const dynamic = "force-dynamic";

export const POST = withApi(operations.applyFlowVersion, async ({ principal, params }) => ({
  status: 200,
  body: await applyVersion(principal, params.id ?? ""),
}));
