"use client";
// A reviewer's approval of the digest on screen (POST …/approve with the session), with
// an optional note for the approval history. The page reloads its data on success.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";

export function ApproveForm({ versionId, digest }: { versionId: string; digest: string }) {
  const router = useRouter();
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function approve(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await fetch(`/api/v1/providerflow/versions/${encodeURIComponent(versionId)}/approve`, {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(note.trim() ? { note: note.trim() } : {}),
      });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { error?: string } | null;
        throw new Error(body?.error ?? `HTTP ${res.status}`);
      }
      router.refresh();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form approve-form" onSubmit={approve} aria-labelledby="approve-heading">
      <p className="small muted">
        You approve digest <code className="mono">{digest.slice(0, 12)}</code>… exactly; any change to the package makes a new
        version that needs its own approval.
      </p>
      <div className="field">
        <label htmlFor="approve-note">Note for the approval history (optional)</label>
        <textarea
          id="approve-note"
          value={note}
          onChange={(e) => setNote(e.target.value)}
          maxLength={2000}
          rows={2}
          disabled={busy}
        />
      </div>
      {error ? (
        <p className="form-error" role="alert">
          Approval failed: {error}
        </p>
      ) : null}
      <div>
        <button type="submit" className="button button-primary" disabled={busy} aria-busy={busy}>
          {busy ? "Approving…" : "Approve this digest"}
        </button>
      </div>
    </form>
  );
}
