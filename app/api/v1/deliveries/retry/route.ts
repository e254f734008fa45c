// POST /api/v1/deliveries/retry — bulk replay: every dead (or failed) delivery of the org, optionally to one target
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { wakeDeliveryWorker } from "@/lib/runtime";
import { retryDeliveries } from "@/lib/store/deliveries";

export const dynamic = "force-dynamic";

export const POST = withApi(operations.retryDeliveries, async ({ principal, body }) => {
  const queued = await retryDeliveries(principal.orgId, body);
  if (queued > 0) wakeDeliveryWorker();
  return { status: 202, body: { queued } };
});
