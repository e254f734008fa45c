// Whether a source, mapping or target is switched on.
export function ActiveBadge({ active }: { active: boolean }) {
  return <span className={`badge ${active ? "badge-ok" : "badge-off"}`}>{active ? "Active" : "Inactive"}</span>;
}
