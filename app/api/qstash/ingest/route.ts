// POST /api/qstash/ingest — QStash callback: run stages 4–7 for a queued event (Receiver-verified)
import { operations } from "@/lib/api/operations";
import { declareRoute } from "@/lib/api/with-api";
import { ingestCallback } from "@/lib/http/qstash-callback";

export const dynamic = "force-dynamic";

export const POST = declareRoute(operations.qstashIngest, async (request: Request) => {
  return ingestCallback(request);
});
