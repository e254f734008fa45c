// /sources/:id — one source: its inbound URLs, verification settings (the secret only
// as its hint), payload schema, and its mappings in the order stage 4 tries them.
import { RetentionPolicy } from "@/components/events/retention-policy";
import { ActiveBadge } from "@/components/ui/active-badge";
import { PageHead } from "@/components/ui/page-head";
import Link from "next/link";
import { DataTable } from "@/components/ui/table";
import { hasRole } from "@/lib/auth/principal";
import { requireSession } from "@/lib/auth/current-session";
import { env } from "@/lib/env";
import { failedRequestSummary } from "@/lib/store/failed-request-counts";
import { listMappings } from "@/lib/store/mappings";
import { getSource } from "@/lib/store/sources";
import { ManagedMark } from "@/components/flows/managed-mark";
import { managingPackage } from "@/lib/flows/managed";
import { conditionText } from "@/lib/ui/conditions";
import { inboundUrls } from "@/lib/ui/inbound-url";
import { orNotFound } from "@/lib/ui/page-query";

export const dynamic = "force-dynamic";

export default async function SourcePage({ params }: { params: Promise<{ id: string }> }) {
  const session = await requireSession();
  const { id } = await params;
  const source = await orNotFound(getSource(session.orgId, id));
  const [mappings, failed] = await Promise.all([listMappings(session.orgId, { sourceId: source.id }), failedRequestSummary(session.orgId, source.id)]);
  const urls = inboundUrls(env().publicUrl, session.orgSlug, source);
  const v = source.verification;
  const mayWrite = hasRole(session, "operator");
  const pkg = await managingPackage(session.orgId, "source", source.id);

  return (
    <div className="stack">
      <PageHead
        back={{ href: "/sources", label: "Sources" }}
        title={
          <>
            {source.title} <ActiveBadge active={source.active} /> {pkg ? <ManagedMark pkg={pkg} /> : null}
          </>
        }
      >
        {source.description ? <p className="muted">{source.description}</p> : null}
        <p className="small">
          <Link href={`/events?sourceId=${source.id}`}>Its events</Link> ·{" "}
          <Link href={`/interactions?sourceId=${source.id}`}>Its interactions</Link>
          {mayWrite ? (
            <>
              {" "}
              · <Link href={`/sources/${source.id}/edit`}>Edit</Link> ·{" "}
              <Link href={`/sources/${source.id}/mappings/new`}>New mapping</Link>
            </>
          ) : null}
        </p>
      </PageHead>

      <section className="card" aria-labelledby="urls-heading">
        <div className="card-head">
          <h2 id="urls-heading">Inbound URLs</h2>
          <span className="muted small">give the provider either</span>
        </div>
        <ul className="link-list">
          <li>
            <code className="url" data-testid="url-by-mnemonic">
              {urls.byMnemonic}
            </code>
          </li>
          <li>
            <code className="url">{urls.byId}</code>
          </li>
        </ul>
      </section>

      <section className="card" aria-labelledby="verification-heading">
        <div className="card-head">
          <h2 id="verification-heading">Verification</h2>
        </div>
        {v ? (
          <DataTable columns={["Setting", "Value"]} className="table-compact" testId="verification-table">
            <tr>
              <td>Preset</td>
              <td className="mono">{v.preset}</td>
            </tr>
            <tr>
              <td>Signature header</td>
              <td className="mono">{v.header}</td>
            </tr>
            <tr>
              <td>Algorithm, encoding</td>
              <td className="mono">
                {v.algorithm}, {v.encoding}
                {v.prefix ? `, prefix "${v.prefix}"` : ""}
              </td>
            </tr>
            <tr>
              <td>Replay tolerance</td>
              <td className="mono">{v.replayTolerance ? `${v.replayTolerance} s` : "none"}</td>
            </tr>
            <tr>
              <td>Secret</td>
              <td className="mono">{v.secretHint} (write-only)</td>
            </tr>
          </DataTable>
        ) : (
          <p className="form-error">Not verified: anyone who knows the URL can send events to this source.</p>
        )}
      </section>

      <section className="card" aria-labelledby="mappings-heading">
        <div className="card-head">
          <h2 id="mappings-heading">Mappings</h2>
          <span className="muted small">tried highest priority first; the first whose conditions all pass is used</span>
        </div>
        {mappings.length === 0 ? (
          <p className="empty">No mappings: events to this source are recorded as unmatched.</p>
        ) : (
          <DataTable columns={["Mapping", "Makes", "Conditions", "Priority", "State"]} testId="mappings-table">
            {mappings.map((m) => (
              <tr key={m.id}>
                <td>
                  <Link href={`/mappings/${m.id}`} className="cell-title">
                    {m.title}
                  </Link>
                </td>
                <td className="small">
                  {m.resourceType} · {m.action ?? `action from ${m.actionPath}`}
                </td>
                <td className="mono small">
                  {m.conditions.length === 0 ? "(always)" : m.conditions.map(conditionText).join(" and ")}
                </td>
                <td>{m.priority}</td>
                <td>
                  <ActiveBadge active={m.active} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>

      <section className="card" aria-labelledby="failed-heading">
        <div className="card-head">
          <h2 id="failed-heading">Failed requests</h2>
          <span className="muted small">rejected before they were accepted: signature, timestamp, body, schema</span>
        </div>
        <DataTable columns={["Period", "Stored as events", "Counted only (over the budget)"]} className="table-compact" testId="failed-requests-table">
          <tr>
            <td>This hour (since {failed.hour.since.toISOString().slice(11, 16)} UTC)</td>
            <td>{failed.hour.stored}</td>
            <td>{failed.hour.counted}</td>
          </tr>
          <tr>
            <td>Last 24 hours</td>
            <td>{failed.day.stored}</td>
            <td>{failed.day.counted}</td>
          </tr>
        </DataTable>
        {failed.hour.counted > 0 ? (
          <p className="form-error" data-testid="failed-not-stored">
            {failed.hour.counted} failed {failed.hour.counted === 1 ? "request" : "requests"} not stored in this hour: the
            source&apos;s budget of failed events for the hour is used up (a misconfigured sender, or someone probing the URL).
          </p>
        ) : null}
        <RetentionPolicy />
      </section>

      {source.payloadSchema ? (
        <section className="card" aria-labelledby="schema-heading">
          <div className="card-head">
            <h2 id="schema-heading">Payload schema</h2>
            <span className="muted small">stage 3: every event is checked against it</span>
          </div>
          <pre className="trace-detail body-view">{JSON.stringify(source.payloadSchema, null, 2)}</pre>
        </section>
      ) : null}
    </div>
  );
}
