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
};

export function StatusBadge({ status, label }: { status: string; label?: string }) {
  const tone = TONE[status] ?? "off";
  return (
    <span className={`badge badge-${tone}`} data-status={status}>
      {label ?? status}
    </span>
  );
}
