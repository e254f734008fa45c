// / — the console home: what the org has configured and what arrived lately.
import { StatusBadge } from "@/components/ui/status-badge";
import { ActiveBadge } from "@/components/ui/active-badge";
import { SourceCells } from "@/components/sources/source-cells";
import { PageHead } from "@/components/ui/page-head";
import Link from "next/link";
import { DataTable } from "@/components/ui/table";
import { requireSession } from "@/lib/auth/current-session";
import { env } from "@/lib/env";
import { orgOverview, OVERVIEW_SOURCE_LIMIT } from "@/lib/store/orgs";

const dateTime = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "medium",
  timeZone: "UTC",
});

export default async function HomePage() {
  const session = await requireSession();
  const { publicUrl } = env();
  const overview = await orgOverview(session.orgId);
  const stats = [
    { label: "Sources", value: overview.counts.sources },
    { label: "Mappings", value: overview.counts.mappings },
    { label: "Events", value: overview.counts.events },
    { label: "Interactions", value: overview.counts.interactions },
  ];

  return (
    <div className="stack">
      <PageHead title="Overview">
        <p className="muted">
          Organization <strong>{session.orgSlug}</strong>
        </p>
      </PageHead>

      <section aria-labelledby="stats-heading">
        <h2 id="stats-heading" className="visually-hidden">
          Totals
        </h2>
        <ul className="stats">
          {stats.map((s) => (
            <li key={s.label} className="card stat">
              <span className="stat-value">{s.value.toLocaleString("en-US")}</span>
              <span className="stat-label">{s.label}</span>
            </li>
          ))}
        </ul>
      </section>

      <section className="card" aria-labelledby="sources-heading">
        <div className="card-head">
          <h2 id="sources-heading">Sources</h2>
          <span className="muted small">Providers send webhooks to these URLs</span>
        </div>
        {overview.sources.length === 0 ? (
          <p className="empty">
            No sources yet. Create one with <code>POST /api/v1/inbound-sources</code> and its inbound URL appears here.
          </p>
        ) : (
          <DataTable columns={["Source", "Inbound URL", "State"]}>
            {overview.sources.map((s) => (
              <tr key={s.id}>
                <SourceCells source={s} publicUrl={publicUrl} orgSlug={session.orgSlug} />
                <td>
                  <ActiveBadge active={s.active} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
        {overview.counts.sources > overview.sources.length ? (
          <p className="muted small card-foot">
            Showing the first {OVERVIEW_SOURCE_LIMIT} of {overview.counts.sources} sources.
          </p>
        ) : null}
      </section>

      <section className="card" aria-labelledby="events-heading">
        <div className="card-head">
          <h2 id="events-heading">Recent events</h2>
          <span className="muted small">The 10 newest requests to your sources (times in UTC)</span>
        </div>
        {overview.recentEvents.length === 0 ? (
          <p className="empty">No events yet. They appear here as soon as a provider calls an inbound URL.</p>
        ) : (
          <DataTable columns={["Received", "Source", "Status", "Detail"]} className="table-events">
            {overview.recentEvents.map((e) => (
              <tr key={e.id}>
                <td className="nowrap">
                  <Link href={`/events/${e.id}`}>
                    <time dateTime={e.receivedAt.toISOString()}>{dateTime.format(e.receivedAt)}</time>
                  </Link>
                </td>
                <td>
                  <div className="cell-title">{e.source.title}</div>
                  <div className="muted small mono nowrap">{e.id}</div>
                </td>
                <td>
                  <StatusBadge status={e.status} />
                </td>
                <td className="muted small">{e.error ?? "—"}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>

      <section className="card" aria-labelledby="api-heading">
        <div className="card-head">
          <h2 id="api-heading">Management API</h2>
        </div>
        <p>
          Everything here is also available over HTTP with a bearer token. The{" "}
          <a href="/api/openapi.json">OpenAPI 3.1 document</a> describes the management API and the inbound URLs.
        </p>
        <ul className="link-list">
          <li>
            <a href="/api/openapi.json">
              <code>/api/openapi.json</code>
            </a>
          </li>
          <li>
            <code>{publicUrl}/api/v1/inbound-sources</code>
          </li>
        </ul>
      </section>
    </div>
  );
}
