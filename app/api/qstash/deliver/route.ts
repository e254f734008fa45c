// POST /api/qstash/deliver — QStash callback: one delivery attempt to a target (Receiver-verified)
import { operations } from "@/lib/api/operations";
import { declareRoute } from "@/lib/api/with-api";
import { deliverCallback } from "@/lib/http/qstash-callback";

export const dynamic = "force-dynamic";

export const POST = declareRoute(operations.qstashDeliver, async (request: Request) => {
  return deliverCallback(request);
});
