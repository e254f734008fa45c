// One badge for every status the console shows (events, deliveries, members, package
// versions), so the same word always has the same colour.
const TONE: Record<string, "ok" | "warn" | "bad" | "off" | "info"> = {
  active: "ok",
  processed: "ok",
  succeeded: "ok",
  approved: "ok",
  "prod-revalidated": "ok",
  "sandbox-validated": "info",
  invited: "info",
  queued: "info",
  pending: "info",
  duplicate: "off",
  unmatched: "warn",
  draft: "warn",
  failed: "bad",
  dead: "bad",
  deactivated: "off",
  // Stage, fixture, condition and finding outcomes.
  passed: "ok",
  pass: "ok",
  matches: "ok",
  fail: "bad",
  error: "bad",
  warning: "warn",
  skipped: "off",
};

export function StatusBadge({ status, label, testId }: { status: string; label?: string; testId?: string }) {
  const tone = TONE[status] ?? "off";
  return (
    // A status word is capitalised by the badge's style; a label is shown as written.
    <span className={label ? `badge badge-${tone} badge-text` : `badge badge-${tone}`} data-status={status} data-testid={testId}>
      {label ?? status}
    </span>
  );
}
