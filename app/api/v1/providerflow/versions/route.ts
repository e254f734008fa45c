// GET|POST /api/v1/providerflow/versions — list package versions; upload one (validated and sandbox-run, never executed)
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { listVersions, uploadVersion } from "@/lib/flows/versions";

export const dynamic = "force-dynamic";

export const GET = withApi(operations.listFlowVersions, async ({ principal, query }) => ({
  status: 200,
  body: await listVersions(principal.orgId, query),
}));

// 201 for new content; 200 with the existing version when this digest was uploaded before.
export const POST = withApi(operations.uploadFlowVersion, async ({ principal, body }) => {
  const { created, version } = await uploadVersion(principal, body.files);
  return { status: created ? 201 : 200, body: version };
});
