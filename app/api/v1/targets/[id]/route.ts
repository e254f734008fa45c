// GET|PATCH|DELETE /api/v1/targets/:id — read, update or delete one target (DELETE takes its routes and deliveries)
import { withApi } from "@/lib/api/with-api";
import { TargetUpdate } from "@/lib/api/schemas/targets";
import { deleteTarget, getTarget, updateTarget } from "@/lib/store/targets";

export const dynamic = "force-dynamic";

export const GET = withApi({ auth: "reviewer" }, async ({ principal, params }) => ({
  status: 200,
  body: await getTarget(principal.orgId, params.id ?? ""),
}));

export const PATCH = withApi({ auth: "operator", body: TargetUpdate }, async ({ principal, params, body }) => ({
  status: 200,
  body: await updateTarget(principal.orgId, params.id ?? "", body),
}));

export const DELETE = withApi({ auth: "operator" }, async ({ principal, params }) => {
  await deleteTarget(principal.orgId, params.id ?? "");
  return { status: 204 };
});
