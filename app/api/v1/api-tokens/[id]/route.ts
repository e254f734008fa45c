// DELETE /api/v1/api-tokens/:id — revoke a token at once
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { deleteApiToken } from "@/lib/store/api-tokens";

export const dynamic = "force-dynamic";

export const DELETE = withApi(operations.deleteApiToken, async ({ principal, params }) => {
  await deleteApiToken(principal.orgId, params.id ?? "");
  return { status: 204 };
});
