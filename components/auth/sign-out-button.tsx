"use client";
// Ends the session, then reloads into /login so no signed-in state survives in memory.
import { useState } from "react";

export function SignOutButton() {
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);

  async function signOut() {
    setBusy(true);
    setFailed(false);
    try {
      const res = await fetch("/api/auth/logout", { method: "POST", credentials: "same-origin" });
      if (!res.ok) throw new Error(String(res.status));
      window.location.replace("/login");
    } catch {
      setBusy(false);
      setFailed(true);
    }
  }

  return (
    <span className="sign-out">
      {failed ? (
        <span className="sign-out-error" role="alert">
          Sign-out failed
        </span>
      ) : null}
      <button type="button" className="button button-quiet" onClick={signOut} disabled={busy} aria-busy={busy}>
        {busy ? "Signing out…" : "Sign out"}
      </button>
    </span>
  );
}
