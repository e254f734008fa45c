// GET /api/v1/deliveries — newest first, filtered by status, targetId and interactionId; cursor-paginated
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { listDeliveries } from "@/lib/store/deliveries";

export const dynamic = "force-dynamic";

export const GET = withApi(operations.listDeliveries, async ({ principal, query }) => ({
  status: 200,
  body: await listDeliveries(principal.orgId, query),
}));
