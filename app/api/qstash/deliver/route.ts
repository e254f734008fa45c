// POST /api/qstash/deliver — QStash callback: one delivery attempt to a target (Receiver-verified)
import { deliverCallback } from "@/lib/http/qstash-callback";

export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  return deliverCallback(request);
}
