// What a draft mapping would change on the source's recent events (the what-if replay):
// the summary, then each changed event with the mapping and outcome today and with the
// draft, and the fields that change. Nothing was written to produce it.
import Link from "next/link";
import { StatusBadge } from "@/components/ui/status-badge";
import { DataTable } from "@/components/ui/table";
import type { WhatIfResultDto } from "@/lib/schemas/what-if";

type Side = WhatIfResultDto["changed"][number]["today"];

const SHOWN = 100;
const show = (v: unknown) => (v === undefined ? "(none)" : typeof v === "string" ? v : JSON.stringify(v));

function SideCell({ side }: { side: Side }) {
  return (
    <>
      <StatusBadge status={side.outcome === "interaction" ? "processed" : side.outcome} label={side.outcome} />{" "}
      <span className="small">{side.mappingTitle ?? (side.outcome === "unmatched" ? "no mapping" : "")}</span>
      {side.error ? <div className="small muted">{side.error}</div> : null}
    </>
  );
}

export function WhatIfResult({ result }: { result: WhatIfResultDto }) {
  const { summary, changed } = result;
  return (
    <section className="card what-if" aria-label="What-if result" data-testid="what-if">
      <h3>On the last {summary.events} events</h3>
      <p data-testid="what-if-summary">
        <strong>{summary.text}</strong>
        {result.skipped > 0 ? <span className="muted small"> ({result.skipped} not run: never verified, or the body is gone)</span> : null}
      </p>
      {changed.length > 0 ? (
        <DataTable columns={["Event", "Today", "With the draft", "What changes"]} className="table-compact" testId="what-if-table">
          {changed.slice(0, SHOWN).map((row) => (
            <tr key={row.eventId}>
              <td className="nowrap">
                <Link href={`/events/${row.eventId}`} className="mono small">
                  {row.eventId.slice(0, 8)}
                </Link>
              </td>
              <td>
                <SideCell side={row.today} />
              </td>
              <td>
                <SideCell side={row.draft} />
              </td>
              <td>
                <ul className="change-list small">
                  {row.changes
                    .filter((c) => c.field !== "outcome" && c.field !== "mapping" && c.field !== "error")
                    .map((c) => (
                      <li key={c.field}>
                        <code className="mono">{c.field}</code> {show(c.today)} → {show(c.draft)}
                      </li>
                    ))}
                </ul>
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {changed.length > SHOWN ? <p className="muted small">The first {SHOWN} of {changed.length} changed events are shown.</p> : null}
    </section>
  );
}
