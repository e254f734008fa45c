// POST /api/v1/events/:id/replay — queue a new event (replayOf the original) through stages 4–7 again
import { ApiError, notFound } from "@/lib/errors";
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { replayEvent } from "@/lib/queue/replay-event";

export const dynamic = "force-dynamic";

export const POST = withApi(operations.replayEvent, async ({ principal, params }) => {
  const result = await replayEvent(principal.orgId, params.id ?? "");
  if (result.ok) return { status: 202, body: { queued: true, eventId: result.eventId } };
  if (result.reason === "not_found") throw notFound();
  // The event exists but never passed verification (or was a handshake): replaying it
  // would skip the signature check, so the request conflicts with the event's state.
  throw new ApiError("conflict", [{ path: "", message: result.message }]);
});
