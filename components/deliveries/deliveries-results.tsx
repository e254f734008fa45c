"use client";
// One page of /deliveries as a react-query query (prefetched by the page under the same
// key): the rows, the empty state and the "older" link. Retrying one delivery
// (POST /api/v1/deliveries/:id/retry) or every dead or failed one of a target
// (POST /api/v1/deliveries/retry) invalidates the list instead of reloading the page, and
// while any shown delivery is pending the list refreshes itself, so a retry is seen
// going through its attempt.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { ListEmpty, ListEnd } from "@/components/ui/paged-list";
import { StatusBadge } from "@/components/ui/status-badge";
import { DataTable } from "@/components/ui/table";
import { useApiMutation } from "@/components/ui/use-api-mutation";
import type { DeliveryDto } from "@/lib/schemas/deliveries";
import { apiFetch } from "@/lib/ui/api-fetch";
import { formatDateTime } from "@/lib/ui/format";
import { LIST_PAGE_SIZE } from "@/lib/ui/list-url";
import { queryKeys } from "@/lib/ui/query-keys";

const LIVE_MS = 3000;
const RETRYABLE = new Set(["dead", "failed"]);

export function deliveriesQuery(filters: Record<string, string>) {
  return {
    queryKey: queryKeys.deliveries.list(filters),
    queryFn: () =>
      apiFetch<{ data: DeliveryDto[]; nextCursor: string | null }>(
        "GET",
        `/api/v1/deliveries?${new URLSearchParams({ ...filters, limit: String(LIST_PAGE_SIZE) })}`,
      ),
  };
}

export function DeliveriesResults({
  filters,
  targetNames,
  mayRetry,
}: {
  filters: Record<string, string>;
  targetNames: Record<string, string>;
  mayRetry: boolean;
}) {
  const { data, isError, error } = useQuery({
    ...deliveriesQuery(filters),
    refetchInterval: (q) => (q.state.data?.data.some((d) => d.status === "pending") ? LIVE_MS : false),
  });
  if (isError) {
    return (
      <p className="form-error" role="alert">
        The deliveries could not be loaded: {error.message}
      </p>
    );
  }
  if (!data) return null;
  if (data.data.length === 0) return <ListEmpty noun="deliveries" />;
  return (
    <>
      <DataTable columns={["Delivery", "Target", "Status", "Last attempt", "Next attempt", ""]} testId="deliveries-table">
        {data.data.map((d) => {
          const last = d.attempts.at(-1);
          return (
            <tr key={d.id}>
              <td>
                <Link href={`/interactions/${d.interactionId}`} className="mono small">
                  {d.id}
                </Link>
                <div className="muted small">{d.attempts.length === 1 ? "1 attempt" : `${d.attempts.length} attempts`}</div>
              </td>
              <td>{targetNames[d.targetId] ?? "deleted target"}</td>
              <td>
                <StatusBadge status={d.status} />
              </td>
              <td className="small">
                {last ? (
                  <>
                    {formatDateTime(last.at)}: {last.status !== undefined ? `HTTP ${last.status}` : "no response"}
                    {last.error ? <div className="muted">{last.error}</div> : null}
                  </>
                ) : (
                  "none yet"
                )}
              </td>
              <td className="nowrap small">{d.nextAttemptAt ? formatDateTime(d.nextAttemptAt) : "—"}</td>
              <td>{mayRetry && RETRYABLE.has(d.status) ? <RetryButton deliveryId={d.id} /> : null}</td>
            </tr>
          );
        })}
      </DataTable>
      <ListEnd noun="deliveries" path="/deliveries" raw={filters} nextCursor={data.nextCursor} />
    </>
  );
}

function RetryButton({ deliveryId }: { deliveryId: string }) {
  const retry = useApiMutation({
    mutationFn: () => apiFetch<unknown>("POST", `/api/v1/deliveries/${encodeURIComponent(deliveryId)}/retry`, {}),
    invalidates: [queryKeys.deliveries.all],
    success: "Queued again",
  });
  return (
    <span className="replay">
      <Button busy={retry.isPending} onClick={() => retry.mutate(undefined)}>
        Retry
      </Button>
      {retry.problem ? (
        <span className="form-error" role="alert">
          Retry refused: {retry.problem.error}
        </span>
      ) : null}
    </span>
  );
}

export function BulkRetryButton({ status, targetId, label }: { status: "dead" | "failed"; targetId?: string; label: string }) {
  const retry = useApiMutation({
    mutationFn: () => apiFetch<{ queued: number }>("POST", "/api/v1/deliveries/retry", targetId ? { status, targetId } : { status }),
    invalidates: [queryKeys.deliveries.all],
    success: (r) => `Queued ${r.queued} again`,
  });
  return (
    <span className="replay">
      <Button variant="primary" busy={retry.isPending} onClick={() => retry.mutate(undefined)}>
        {label}
      </Button>
      {retry.problem ? (
        <span className="form-error" role="alert">
          Retry refused: {retry.problem.error}
        </span>
      ) : null}
    </span>
  );
}
