"use client";
// Replays an event (POST /api/v1/events/:id/replay): a new event, replayOf the original,
// runs stages 4–7 again. Opens the new event when it is queued; says why otherwise.
import { useRouter } from "next/navigation";
import { useState } from "react";

export function ReplayButton({ eventId }: { eventId: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function replay() {
    setBusy(true);
    setError(null);
    try {
      const res = await fetch(`/api/v1/events/${encodeURIComponent(eventId)}/replay`, {
        method: "POST",
        credentials: "same-origin",
      });
      const body = (await res.json().catch(() => null)) as {
        eventId?: string;
        error?: string;
        details?: { message: string }[];
      } | null;
      if (res.status === 202 && body?.eventId) {
        router.push(`/events/${body.eventId}`);
        return;
      }
      throw new Error(body?.details?.[0]?.message ?? body?.error ?? `HTTP ${res.status}`);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  }

  return (
    <span className="replay">
      <button type="button" className="button button-primary" onClick={replay} disabled={busy} aria-busy={busy}>
        {busy ? "Replaying…" : "Replay"}
      </button>
      {error ? (
        <span className="form-error" role="alert">
          Replay refused: {error}
        </span>
      ) : null}
    </span>
  );
}
