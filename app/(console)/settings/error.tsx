"use client";
// A settings page that failed to render: say so, keep the navigation, offer a retry.
import { Button } from "@/components/ui/button";

export default function SettingsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="card form-error" role="alert">
      <p>
        <strong>Settings could not be shown.</strong> {error.digest ? <span className="mono small">({error.digest})</span> : null}
      </p>
      <Button onClick={reset}>Try again</Button>
    </div>
  );
}
