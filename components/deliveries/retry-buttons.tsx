"use client";
// Replaying deliveries from the console: one (POST /api/v1/deliveries/:id/retry) or every
// dead or failed one of a target (POST /api/v1/deliveries/retry). A retry gets a fresh
// attempt budget and keeps the history; the list reloads to show it queued.
import { useRouter } from "next/navigation";
import { useState } from "react";

/** A button that POSTs `body` to `url`, then reloads the page and says what happened. */
function PostButton({
  url,
  body,
  label,
  primary,
  done,
}: {
  url: string;
  body: unknown;
  label: string;
  primary?: boolean;
  done: (json: Record<string, unknown>) => string;
}) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function post() {
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

  return (
    <span className="replay">
      <button
        type="button"
        className={primary ? "button button-primary" : "button"}
        disabled={busy}
        aria-busy={busy}
        onClick={post}
      >
        {label}
      </button>
      {message === null ? null : message.ok ? (
        <span className="small muted" role="status">
          {message.text}
        </span>
      ) : (
        <span className="form-error" role="alert">
          {message.text}
        </span>
      )}
    </span>
  );
}

export function RetryButton({ deliveryId }: { deliveryId: string }) {
  return (
    <PostButton
      url={`/api/v1/deliveries/${encodeURIComponent(deliveryId)}/retry`}
      body={{}}
      label="Retry"
      done={() => "Queued again"}
    />
  );
}

export function BulkRetryButton({ status, targetId, label }: { status: "dead" | "failed"; targetId?: string; label: string }) {
  return (
    <PostButton
      url="/api/v1/deliveries/retry"
      body={targetId ? { status, targetId } : { status }}
      label={label}
      primary
      done={(json) => `Queued ${String(json.queued)} again`}
    />
  );
}
