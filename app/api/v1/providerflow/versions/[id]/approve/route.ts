// POST /api/v1/providerflow/versions/:id/approve — a reviewer's (or admin's) approval of one digest
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { approveVersion } from "@/lib/flows/versions";

export const dynamic = "force-dynamic";

// "reviewer" lets every role through the wrapper; approveVersion then refuses operators
// (403), who outrank reviewers everywhere else.
export const POST = withApi(operations.approveFlowVersion, async ({ principal, params, body }) => ({
  status: 200,
  body: await approveVersion(principal, params.id ?? "", body.note),
}));
