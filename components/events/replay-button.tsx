"use client";
// Replays an event (POST /api/v1/events/:id/replay): a new event, replayOf the original,
// runs stages 4–7 again. Opens the new event when it is queued; says why otherwise.
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { useApiMutation } from "@/components/ui/use-api-mutation";
import { apiFetch } from "@/lib/ui/api-fetch";
import { queryKeys } from "@/lib/ui/query-keys";

export function ReplayButton({ eventId }: { eventId: string }) {
  const router = useRouter();
  const replay = useApiMutation({
    mutationFn: () => apiFetch<{ eventId: string }>("POST", `/api/v1/events/${encodeURIComponent(eventId)}/replay`),
    success: "Replay queued",
    // The events list holds the new event from now on.
    invalidates: [queryKeys.events.all],
    // The new event's page is server-rendered: opening it loads it fresh.
    onSuccess: (r) => router.push(`/events/${r.eventId}`),
  });
  const reason = replay.problem ? (replay.problem.details[0]?.message ?? replay.problem.error) : null;
  return (
    <span className="replay">
      <Button variant="primary" busy={replay.isPending || replay.isSuccess} busyLabel="Replaying…" onClick={() => replay.mutate(undefined)}>
        Replay
      </Button>
      {reason ? (
        <span className="form-error" role="alert">
          Replay refused: {reason}
        </span>
      ) : null}
    </span>
  );
}
