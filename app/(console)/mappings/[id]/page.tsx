// /mappings/:id — one mapping as stage 4–7 read it (conditions, schema, the paths that
// build the interaction) and its tester, prefilled with the newest event its source
// received that passed verification.
import { ActiveBadge } from "@/components/ui/active-badge";
import Link from "next/link";
import { MappingTester } from "@/components/mappings/mapping-tester";
import { PageHead } from "@/components/ui/page-head";
import { DataTable } from "@/components/ui/table";
import { hasRole } from "@/lib/auth/principal";
import { requireSession } from "@/lib/auth/current-session";
import { replayRefusal } from "@/lib/queue/replay-event";
import { REDACTED } from "@/lib/inbound/redact-headers";
import { getEvent, listEvents } from "@/lib/store/events";
import { getMapping } from "@/lib/store/mappings";
import { ManagedMark } from "@/components/flows/managed-mark";
import { managingPackage } from "@/lib/flows/managed";
import { getSource } from "@/lib/store/sources";
import { conditionText } from "@/lib/ui/conditions";
import { prettyBody } from "@/lib/ui/format";
import { orNotFound } from "@/lib/ui/page-query";

export const dynamic = "force-dynamic";

const RECENT_EVENTS_LOOKED_AT = 20;
const EXAMPLE_PAYLOAD = '{\n  "type": "example.event",\n  "data": {}\n}';

/** Headers of a stored request that say nothing about the event (transport), left out of the tester's sample. */
const TRANSPORT_HEADERS = new Set(["host", "content-length", "connection", "accept", "accept-encoding", "user-agent", "content-type", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-real-ip"]);

type Sample = { text: string; headers: string; query: string; eventId: string | null };

const asJson = (record: Record<string, string>) => (Object.keys(record).length === 0 ? "" : JSON.stringify(record, null, 2));

/** The newest verified event of the source (its body formatted, its headers and query), as the tester's first request. */
async function sampleRequest(orgId: string, sourceId: string): Promise<Sample> {
  const example: Sample = { text: EXAMPLE_PAYLOAD, headers: "", query: "", eventId: null };
  const recent = await listEvents(orgId, { sourceId, limit: RECENT_EVENTS_LOOKED_AT });
  const verified = recent.data.find((e) => replayRefusal(e.stages, false) === null);
  if (!verified) return example;
  const event = await getEvent(orgId, verified.id);
  const body = prettyBody(event.body);
  if (!body.json) return example;
  // Redacted values (signatures, credentials) are not readable by a mapping: left out.
  const headers = Object.fromEntries(Object.entries(event.headers).filter(([name, value]) => !TRANSPORT_HEADERS.has(name) && value !== REDACTED));
  return { text: body.text, headers: asJson(headers), query: asJson(event.query), eventId: verified.id };
}

export default async function MappingPage({ params }: { params: Promise<{ id: string }> }) {
  const session = await requireSession();
  const { id } = await params;
  const mapping = await orNotFound(getMapping(session.orgId, id));
  const pkg = await managingPackage(session.orgId, "mapping", mapping.id);
  const [source, sample] = await Promise.all([
    getSource(session.orgId, mapping.sourceId).catch(() => null),
    sampleRequest(session.orgId, mapping.sourceId),
  ]);
  const paths: [string, string | null][] = [
    ["Resource id", mapping.resourceIdPath],
    ["Idempotency key", mapping.idempotencyPath],
    ["Schema root", mapping.schemaRootPath],
    ["Action", mapping.action ? `"${mapping.action}" (fixed)` : mapping.actionPath],
    ...Object.entries(mapping.fieldMappings ?? {}).map(([k, v]): [string, string] => [`field ${k}`, v]),
    ...Object.entries(mapping.metadataPaths ?? {}).map(([k, v]): [string, string] => [`metadata _${k}`, v]),
  ];

  return (
    <div className="stack">
      <PageHead
        back={source ? { href: `/sources/${source.id}`, label: source.title } : { href: "/sources", label: "Sources" }}
        title={
          <>
            {mapping.title} <ActiveBadge active={mapping.active} /> {pkg ? <ManagedMark pkg={pkg} /> : null}
          </>
        }
      >
        {hasRole(session, "operator") ? (
          <p className="small">
            <Link href={`/mappings/${mapping.id}/edit`}>Edit</Link>
          </p>
        ) : null}
        <p className="muted">
          Makes <strong>{mapping.resourceType}</strong> · {mapping.action ?? `the action at ${mapping.actionPath}`}; priority{" "}
          {mapping.priority}.
        </p>
      </PageHead>

      <section className="card" aria-labelledby="conditions-heading">
        <div className="card-head">
          <h2 id="conditions-heading">Conditions</h2>
          <span className="muted small">all must pass</span>
        </div>
        {mapping.conditions.length === 0 ? (
          <p className="empty">None: this mapping matches every event of its source.</p>
        ) : (
          <ul className="flow-list mono small" data-testid="mapping-conditions">
            {mapping.conditions.map((c, i) => (
              <li key={i}>{conditionText(c)}</li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="paths-heading">
        <div className="card-head">
          <h2 id="paths-heading">Building the interaction</h2>
          <span className="muted small">paths into the payload, or $headers.… and $query.… into the request</span>
        </div>
        <DataTable columns={["What", "From"]} className="table-compact">
          {paths.map(([what, from]) => (
            <tr key={what}>
              <td>{what}</td>
              <td className="mono small">{from ?? "—"}</td>
            </tr>
          ))}
        </DataTable>
        {mapping.payloadSchema ? (
          <details>
            <summary className="small">Payload schema (checked at {mapping.schemaRootPath ?? "the root"})</summary>
            <pre className="trace-detail">{JSON.stringify(mapping.payloadSchema, null, 2)}</pre>
          </details>
        ) : null}
      </section>

      <section className="card" aria-labelledby="tester-heading">
        <div className="card-head">
          <h2 id="tester-heading">Test a payload</h2>
          <span className="muted small">
            a dry run: nothing is written
            {sample.eventId ? (
              <>
                ; prefilled from event <Link href={`/events/${sample.eventId}`}>{sample.eventId.slice(0, 8)}</Link>
              </>
            ) : null}
          </span>
        </div>
        <MappingTester mappingId={mapping.id} initialPayload={sample.text} initialHeaders={sample.headers} initialQuery={sample.query} />
        {hasRole(session, "operator") ? (
          <p className="small muted">
            To see what a change would do to this source&apos;s recent events before saving it, use{" "}
            <strong>Preview on recent events</strong> while editing the mapping.
          </p>
        ) : null}
      </section>
    </div>
  );
}
