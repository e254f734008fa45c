"use client";
// Replaying deliveries from the console: one (POST /api/v1/deliveries/:id/retry) or every
// dead or failed one of a target (POST /api/v1/deliveries/retry). A retry gets a fresh
// attempt budget and keeps the history; the list reloads to show it queued.
import { useRouter } from "next/navigation";
import { useState } from "react";

function useRetry() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  async function post(url: string, body: unknown, done: (json: Record<string, unknown>) => string) {
    setBusy(true);
    setMessage(null);
    try {
      const res = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const json = ((await res.json().catch(() => null)) ?? {}) as Record<string, unknown>;
      if (!res.ok) throw new Error(typeof json.error === "string" ? json.error : `HTTP ${res.status}`);
      setMessage({ ok: true, text: done(json) });
      router.refresh();
    } catch (err) {
      setMessage({ ok: false, text: `Retry refused: ${err instanceof Error ? err.message : String(err)}` });
    } finally {
      setBusy(false);
    }
  }
  return { busy, message, post };
}

function Message({ message }: { message: { ok: boolean; text: string } | null }) {
  if (!message) return null;
  return message.ok ? (
    <span className="small muted" role="status">
      {message.text}
    </span>
  ) : (
    <span className="form-error" role="alert">
      {message.text}
    </span>
  );
}

export function RetryButton({ deliveryId }: { deliveryId: string }) {
  const { busy, message, post } = useRetry();
  return (
    <span className="replay">
      <button
        type="button"
        className="button"
        disabled={busy}
        aria-busy={busy}
        onClick={() => post(`/api/v1/deliveries/${encodeURIComponent(deliveryId)}/retry`, {}, () => "Queued again")}
      >
        Retry
      </button>
      <Message message={message} />
    </span>
  );
}

export function BulkRetryButton({ status, targetId, label }: { status: "dead" | "failed"; targetId?: string; label: string }) {
  const { busy, message, post } = useRetry();
  return (
    <span className="replay">
      <button
        type="button"
        className="button button-primary"
        disabled={busy}
        aria-busy={busy}
        onClick={() =>
          post(
            "/api/v1/deliveries/retry",
            targetId ? { status, targetId } : { status },
            (json) => `Queued ${String(json.queued)} again`,
          )
        }
      >
        {label}
      </button>
      <Message message={message} />
    </span>
  );
}
