"use client";
// What a console section shows while its server page loads (loading.tsx) and when it
// failed to render (error.tsx): the navigation stays, the message names the section, and
// a failure offers a retry. Every section's loading.tsx and error.tsx is one line of these.
import { Button } from "./button";

export function SectionLoading({ what }: { what: string }) {
  return (
    <div className="card loading-card" role="status" aria-live="polite">
      Loading {what}…
    </div>
  );
}

export function SectionError({ what, error, reset }: { what: string; error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="card form-error" role="alert">
      <p>
        <strong>{what[0]?.toUpperCase() + what.slice(1)} could not be shown.</strong>{" "}
        {error.digest ? <span className="mono small">(error {error.digest}: the server log has the details)</span> : null}
      </p>
      <Button onClick={reset}>Try again</Button>
    </div>
  );
}
