// PATCH|DELETE /api/v1/members/:id — role, name, deactivate/reactivate; remove
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { removeMember, updateMember } from "@/lib/store/members";

export const dynamic = "force-dynamic";

export const PATCH = withApi(operations.updateMember, async ({ principal, params, body }) => ({
  status: 200,
  body: await updateMember(principal, params.id ?? "", body),
}));

export const DELETE = withApi(operations.removeMember, async ({ principal, params }) => {
  await removeMember(principal, params.id ?? "");
  return { status: 204 };
});
