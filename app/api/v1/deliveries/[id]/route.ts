// GET /api/v1/deliveries/:id — one delivery with its attempt history
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { getDelivery } from "@/lib/store/deliveries";

export const dynamic = "force-dynamic";

export const GET = withApi(operations.getDelivery, async ({ principal, params }) => ({
  status: 200,
  body: await getDelivery(principal.orgId, params.id ?? ""),
}));
