// POST /api/v1/deliveries/:id/retry — replay a failed or dead delivery with a fresh budget, keeping its attempts
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { wakeDeliveryWorker } from "@/lib/runtime";
import { retryDelivery } from "@/lib/store/deliveries";

export const dynamic = "force-dynamic";

export const POST = withApi(operations.retryDelivery, async ({ principal, params }) => {
  const deliveryId = await retryDelivery(principal.orgId, params.id ?? "");
  // The row is due now; waking the worker saves its poll interval.
  wakeDeliveryWorker();
  return { status: 202, body: { queued: true, deliveryId } };
});
