"use client";
// One page of /events as a react-query query (prefetched by the page under the same
// key): the rows, the empty state and the "older" link. While any shown event is still
// queued, the list refreshes itself, so an operator watching a provider's retries (or a
// replay they just asked for) sees each event reach its verdict without reloading.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { ListEmpty, ListEnd } from "@/components/ui/paged-list";
import { StatusBadge } from "@/components/ui/status-badge";
import { DataTable } from "@/components/ui/table";
import type { EventDto } from "@/lib/schemas/events";
import { apiFetch } from "@/lib/ui/api-fetch";
import { formatDateTime } from "@/lib/ui/format";
import { LIST_PAGE_SIZE } from "@/lib/ui/list-url";
import { queryKeys } from "@/lib/ui/query-keys";

const LIVE_MS = 3000;

export function eventsQuery(filters: Record<string, string>) {
  return {
    queryKey: queryKeys.events.list(filters),
    queryFn: () =>
      apiFetch<{ data: EventDto[]; nextCursor: string | null }>(
        "GET",
        `/api/v1/events?${new URLSearchParams({ ...filters, limit: String(LIST_PAGE_SIZE) })}`,
      ),
  };
}

export function EventsResults({ filters, sourceTitles }: { filters: Record<string, string>; sourceTitles: Record<string, string> }) {
  const { data, isError, error } = useQuery({
    ...eventsQuery(filters),
    refetchInterval: (q) => (q.state.data?.data.some((e) => e.status === "queued") ? LIVE_MS : false),
  });
  if (isError) {
    return (
      <p className="form-error" role="alert">
        The events could not be loaded: {error.message}
      </p>
    );
  }
  if (!data) return null;
  if (data.data.length === 0) return <ListEmpty noun="events" />;
  return (
    <>
      <DataTable columns={["Received", "Source", "Status", "Detail"]} className="table-events" testId="events-table">
        {data.data.map((e) => (
          <tr key={e.id}>
            <td className="nowrap">
              <Link href={`/events/${e.id}`}>
                <time dateTime={e.receivedAt}>{formatDateTime(e.receivedAt)}</time>
              </Link>
            </td>
            <td>
              <div className="cell-title">{sourceTitles[e.sourceId] ?? "deleted source"}</div>
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
      <ListEnd noun="events" path="/events" raw={filters} nextCursor={data.nextCursor} />
    </>
  );
}
