// DELETE /api/v1/routes/:id — stop routing a mapping to a target (existing deliveries stay)
import { withApi } from "@/lib/api/with-api";
import { deleteRoute } from "@/lib/store/routes";

export const dynamic = "force-dynamic";

export const DELETE = withApi({ auth: "operator" }, async ({ principal, params }) => {
  await deleteRoute(principal.orgId, params.id ?? "");
  return { status: 204 };
});
