// /deliveries — interactions on their way to targets: every attempt, what is due next,
// and, for operators, retrying one delivery or every dead (or failed) one at once.
import { PageHead } from "@/components/ui/page-head";
import Link from "next/link";
import { BulkRetryButton, RetryButton } from "@/components/deliveries/retry-buttons";
import { FilterSelect, PagedList } from "@/components/ui/paged-list";
import { DataTable } from "@/components/ui/table";
import { DELIVERY_STATUSES, DeliveryListQuery, RETRYABLE_STATUSES } from "@/lib/api/schemas/deliveries";
import { hasRole } from "@/lib/auth/principal";
import { requireSession } from "@/lib/auth/current-session";
import { listDeliveries } from "@/lib/store/deliveries";
import { listTargets } from "@/lib/store/targets";
import { formatDateTime } from "@/lib/ui/format";
import { parsePageQuery, type SearchParams } from "@/lib/ui/page-query";

export const dynamic = "force-dynamic";

const KEYS = ["status", "targetId", "cursor"] as const;
const PAGE_SIZE = 50;
const TARGETS_SHOWN = 100;

const retryable = (s: string): s is (typeof RETRYABLE_STATUSES)[number] => (RETRYABLE_STATUSES as readonly string[]).includes(s);

export default async function DeliveriesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const session = await requireSession();
  const parsed = parsePageQuery(DeliveryListQuery, await searchParams, KEYS);
  const targets = (await listTargets(session.orgId, { limit: TARGETS_SHOWN })).data;
  const names = new Map(targets.map((t) => [t.id, t.name]));
  const page = parsed.ok ? await listDeliveries(session.orgId, { ...parsed.query, limit: PAGE_SIZE }) : null;
  const mayRetry = hasRole(session, "operator");
  const status = parsed.raw.status;

  return (
    <div className="stack">
      <PageHead title="Deliveries">
        <p className="muted">
          Interactions sent to <Link href="/targets">targets</Link>, signed as Standard Webhooks, retried with backoff until they
          succeed or run out of attempts (times in UTC).
        </p>
        {mayRetry && status && retryable(status) && page && page.data.length > 0 ? (
          <BulkRetryButton
            status={status}
            targetId={parsed.raw.targetId}
            label={`Retry every ${status} delivery${parsed.raw.targetId ? ` to ${names.get(parsed.raw.targetId) ?? "this target"}` : ""}`}
          />
        ) : null}
      </PageHead>

      <PagedList
        noun="deliveries"
        path="/deliveries"
        query={parsed}
        count={page?.data.length ?? 0}
        nextCursor={page?.nextCursor ?? null}
        filters={
          <>
            <FilterSelect name="status" label="Status" options={DELIVERY_STATUSES} value={parsed.raw.status} />
            <FilterSelect
              name="targetId"
              label="Target"
              options={targets.map((t) => ({ value: t.id, label: t.name }))}
              value={parsed.raw.targetId}
            />
          </>
        }
      >
        {page ? (
          <DataTable columns={["Delivery", "Target", "Status", "Last attempt", "Next attempt", ""]} testId="deliveries-table">
            {page.data.map((d) => {
              const last = d.attempts.at(-1);
              return (
                <tr key={d.id}>
                  <td>
                    <Link href={`/interactions/${d.interactionId}`} className="mono small">
                      {d.id}
                    </Link>
                    <div className="muted small">{d.attempts.length === 1 ? "1 attempt" : `${d.attempts.length} attempts`}</div>
                  </td>
                  <td>{names.get(d.targetId) ?? "deleted target"}</td>
                  <td>
                    <span className={`badge delivery-${d.status}`}>{d.status}</span>
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
                  <td>{mayRetry && retryable(d.status) ? <RetryButton deliveryId={d.id} /> : null}</td>
                </tr>
              );
            })}
          </DataTable>
        ) : null}
      </PagedList>
    </div>
  );
}
