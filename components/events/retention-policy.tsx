// The event retention policy and failed-event budget as configured (README,
// "Configuration"), stated where operators look at events.
import { env } from "@/lib/env";

const days = (n: number) => (n === 1 ? "1 day" : `${n} days`);

export function RetentionPolicy() {
  const e = env();
  const bodies = e.PROVENANCE_RETAIN_BODY_DAYS > 0 ? `bodies are deleted after ${days(e.PROVENANCE_RETAIN_BODY_DAYS)}` : "bodies are kept forever";
  const failed = e.PROVENANCE_RETAIN_FAILED_DAYS > 0 ? `failed events are deleted after ${days(e.PROVENANCE_RETAIN_FAILED_DAYS)}` : "failed events are kept forever";
  return (
    <p className="small muted" data-testid="retention-policy">
      Retention: {bodies} (an event without its body cannot be replayed); {failed}. Of the requests that fail before they are
      accepted (signature, body, schema), at most {e.PROVENANCE_FAILED_EVENTS_PER_HOUR} per source per hour are stored as
      events; the rest are only counted (each source&apos;s page shows how many).
    </p>
  );
}
