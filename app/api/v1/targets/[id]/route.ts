// GET|PATCH|DELETE /api/v1/targets/:id — read, update or delete one target (DELETE takes its routes and deliveries)
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { deleteTarget, getTarget, updateTarget } from "@/lib/store/targets";

export const dynamic = "force-dynamic";

export const GET = withApi(operations.getTarget, async ({ principal, params }) => ({
  status: 200,
  body: await getTarget(principal.orgId, params.id ?? ""),
}));

export const PATCH = withApi(operations.updateTarget, async ({ principal, params, body }) => ({
  status: 200,
  body: await updateTarget(principal.orgId, params.id ?? "", body),
}));

export const DELETE = withApi(operations.deleteTarget, async ({ principal, params }) => {
  await deleteTarget(principal.orgId, params.id ?? "");
  return { status: 204 };
});
