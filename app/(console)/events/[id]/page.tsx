// /events/:id — one event as received (headers with signatures and credentials
// redacted, the body as stored) and as processed (each stage's outcome, the error, the
// interaction), with Replay for operators.
import { StatusBadge } from "@/components/ui/status-badge";
import { PageHead } from "@/components/ui/page-head";
import Link from "next/link";
import { ReplayButton } from "@/components/events/replay-button";
import { DataTable } from "@/components/ui/table";
import { hasRole } from "@/lib/auth/principal";
import { requireSession } from "@/lib/auth/current-session";
import { replayRefusal } from "@/lib/queue/replay-event";
import { getEvent } from "@/lib/store/events";
import { getSource } from "@/lib/store/sources";
import { formatDateTime, prettyBody } from "@/lib/ui/format";
import { orNotFound } from "@/lib/ui/page-query";

export const dynamic = "force-dynamic";

export default async function EventPage({ params }: { params: Promise<{ id: string }> }) {
  const session = await requireSession();
  const { id } = await params;
  const event = await orNotFound(getEvent(session.orgId, id));
  const source = await getSource(session.orgId, event.sourceId).catch(() => null);
  const body = prettyBody(event.body);
  // Replay re-runs stages 4–7 of a verified event: the API's own rule says which may.
  const refusal = replayRefusal(event.stages, event.bodyTruncated, event.bodyPurgedAt);
  const mayReplay = hasRole(session, "operator") && event.status !== "queued" && refusal === null;

  return (
    <div className="stack">
      <PageHead
        back={{ href: "/events", label: "Events" }}
        title={
          <>
            Event <span className="mono small">{event.id}</span>
          </>
        }
      >
        <p>
          <StatusBadge status={event.status} testId="event-status" />{" "}
          {event.error ? <span data-testid="event-error">{event.error}</span> : null}
        </p>
        <p className="small muted">
          {source ? (
            <>
              Source <strong>{source.title}</strong> ({source.mnemonic}),{" "}
            </>
          ) : null}
          received {formatDateTime(event.receivedAt)} UTC
          {event.processedAt ? `, processed ${formatDateTime(event.processedAt)} UTC` : ""}.
          {event.replayOf ? (
            <>
              {" "}
              A replay of <Link href={`/events/${event.replayOf}`}>{event.replayOf}</Link>.
            </>
          ) : null}
        </p>
        {event.interactionId ? (
          <p>
            Interaction: <Link href={`/interactions/${event.interactionId}`}>{event.interactionId}</Link>
          </p>
        ) : null}
        {mayReplay ? <ReplayButton eventId={event.id} /> : null}
        {refusal ? <p className="small muted">Not replayable: {refusal}.</p> : null}
      </PageHead>

      <section className="card" aria-labelledby="stages-heading">
        <div className="card-head">
          <h2 id="stages-heading">Pipeline</h2>
        </div>
        <ol className="trace" data-testid="event-stages">
          {event.stages.map((s, i) => (
            <li key={i}>
              <StatusBadge status={s.outcome} />{" "}
              <strong>{s.stage}</strong>
              {s.detail ? <span className="muted"> — {s.detail}</span> : null}
            </li>
          ))}
        </ol>
        {event.errorDetails && event.errorDetails.length > 0 ? (
          <DataTable columns={["Where", "Why"]} className="table-compact" testId="event-error-details">
            {event.errorDetails.map((d, i) => (
              <tr key={i}>
                <td className="mono small">{d.path || "/"}</td>
                <td>{d.message}</td>
              </tr>
            ))}
          </DataTable>
        ) : null}
      </section>

      <section className="card" aria-labelledby="headers-heading">
        <div className="card-head">
          <h2 id="headers-heading">Headers</h2>
          <span className="muted small">signatures and credentials redacted when stored</span>
        </div>
        <DataTable columns={["Name", "Value"]} className="table-compact" testId="event-headers">
          {Object.entries(event.headers)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([name, value]) => (
              <tr key={name}>
                <td className="mono small">{name}</td>
                <td className="mono small">{value}</td>
              </tr>
            ))}
        </DataTable>
      </section>

      <section className="card" aria-labelledby="body-heading">
        <div className="card-head">
          <h2 id="body-heading">Body</h2>
          <span className="muted small">
            {event.bodyPurgedAt ? "deleted" : body.json ? "JSON, formatted" : "as received"}
            {event.bodyTruncated ? "; only its first 64 KiB were kept" : ""}
          </span>
        </div>
        <pre className="trace-detail body-view" data-testid="event-body">
          {event.bodyPurgedAt ? `(deleted by the retention policy on ${formatDateTime(event.bodyPurgedAt)} UTC)` : body.text || "(empty)"}
        </pre>
      </section>
    </div>
  );
}
