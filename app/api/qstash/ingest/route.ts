// POST /api/qstash/ingest — QStash callback: run stages 4–7 for a queued event (Receiver-verified)
import { ingestCallback } from "@/lib/http/qstash-callback";

export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  return ingestCallback(request);
}
