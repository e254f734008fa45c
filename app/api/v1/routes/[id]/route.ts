// DELETE /api/v1/routes/:id — stop routing a mapping to a target (existing deliveries stay)
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { deleteRoute } from "@/lib/store/routes";

export const dynamic = "force-dynamic";

export const DELETE = withApi(operations.deleteRoute, async ({ principal, params }) => {
  await deleteRoute(principal.orgId, params.id ?? "");
  return { status: 204 };
});
