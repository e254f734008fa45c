// /events — every request that reached one of the org's sources, newest first, with
// the API's filters (status, source) and cursor paging. The rows are a client list that
// refreshes itself while any shown event is queued (components/events/events-results.tsx).
import { HydrationBoundary } from "@tanstack/react-query";
import { EventsResults } from "@/components/events/events-results";
import { RetentionPolicy } from "@/components/events/retention-policy";
import { PageHead } from "@/components/ui/page-head";
import { FilterSelect, PagedList, SourceSelect } from "@/components/ui/paged-list";
import { EVENT_STATUSES, EventListQuery } from "@/lib/schemas/events";
import { requireSession } from "@/lib/auth/current-session";
import { listEvents } from "@/lib/store/events";
import { listSources } from "@/lib/store/sources";
import { LIST_PAGE_SIZE } from "@/lib/ui/list-url";
import { parsePageQuery, type SearchParams } from "@/lib/ui/page-query";
import { prefetch } from "@/lib/ui/prefetch";
import { queryKeys } from "@/lib/ui/query-keys";

export const dynamic = "force-dynamic";

const KEYS = ["status", "sourceId", "cursor"] as const;

export default async function EventsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const session = await requireSession();
  const parsed = parsePageQuery(EventListQuery, await searchParams, KEYS);
  const sources = await listSources(session.orgId);
  const titles = new Map(sources.map((s) => [s.id, s.title]));
  const page = parsed.ok ? await listEvents(session.orgId, { ...parsed.query, limit: LIST_PAGE_SIZE }) : null;
  // The first page goes to the client list under the key it reads (it refreshes itself while events are queued).
  const state = await prefetch(page ? [{ queryKey: queryKeys.events.list(parsed.raw), load: async () => page }] : []);

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
        filters={
          <>
            <FilterSelect name="status" label="Status" options={EVENT_STATUSES} value={parsed.raw.status} />
            <SourceSelect sources={sources} value={parsed.raw.sourceId} />
          </>
        }
      >
        <HydrationBoundary state={state}>
          <EventsResults filters={parsed.raw} sourceTitles={Object.fromEntries(titles)} />
        </HydrationBoundary>
      </PagedList>
    </div>
  );
}
