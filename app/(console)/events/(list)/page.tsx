// /events — every request that reached one of the org's sources, newest first, with
// the API's filters (status, source) and cursor paging.
import { StatusBadge } from "@/components/ui/status-badge";
import { RetentionPolicy } from "@/components/events/retention-policy";
import { PageHead } from "@/components/ui/page-head";
import Link from "next/link";
import { FilterSelect, PagedList, SourceSelect } from "@/components/ui/paged-list";
import { DataTable } from "@/components/ui/table";
import { EVENT_STATUSES, EventListQuery } from "@/lib/schemas/events";
import { requireSession } from "@/lib/auth/current-session";
import { listEvents } from "@/lib/store/events";
import { listSources } from "@/lib/store/sources";
import { formatDateTime } from "@/lib/ui/format";
import { LIST_PAGE_SIZE } from "@/lib/ui/list-url";
import { parsePageQuery, type SearchParams } from "@/lib/ui/page-query";

export const dynamic = "force-dynamic";

const KEYS = ["status", "sourceId", "cursor"] as const;

export default async function EventsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const session = await requireSession();
  const parsed = parsePageQuery(EventListQuery, await searchParams, KEYS);
  const sources = await listSources(session.orgId);
  const titles = new Map(sources.map((s) => [s.id, s.title]));
  const page = parsed.ok ? await listEvents(session.orgId, { ...parsed.query, limit: LIST_PAGE_SIZE }) : null;

  return (
    <div className="stack">
      <PageHead title="Events">
        <p className="muted">
          Every request to a source of {session.orgSlug}, with how far it got through the pipeline (times in UTC).
        </p>
        <RetentionPolicy />
      </PageHead>

      <PagedList
        noun="events"
        path="/events"
        query={parsed}
        count={page?.data.length ?? 0}
        nextCursor={page?.nextCursor ?? null}
        filters={
          <>
            <FilterSelect name="status" label="Status" options={EVENT_STATUSES} value={parsed.raw.status} />
            <SourceSelect sources={sources} value={parsed.raw.sourceId} />
          </>
        }
      >
        {page ? (
          <DataTable columns={["Received", "Source", "Status", "Detail"]} className="table-events" testId="events-table">
            {page.data.map((e) => (
              <tr key={e.id}>
                <td className="nowrap">
                  <Link href={`/events/${e.id}`}>
                    <time dateTime={e.receivedAt}>{formatDateTime(e.receivedAt)}</time>
                  </Link>
                </td>
                <td>
                  <div className="cell-title">{titles.get(e.sourceId) ?? "deleted source"}</div>
                  <div className="muted small mono nowrap">{e.id}</div>
                </td>
                <td>
                  <StatusBadge status={e.status} />
                  {e.replayOf ? <div className="muted small">replay</div> : null}
                </td>
                <td className="muted small">{e.error ?? "—"}</td>
              </tr>
            ))}
          </DataTable>
        ) : null}
      </PagedList>
    </div>
  );
}
