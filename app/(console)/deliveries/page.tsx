// /deliveries — interactions on their way to targets: every attempt, what is due next,
// and, for operators, retrying one delivery or every dead (or failed) one at once.
import { PageHead } from "@/components/ui/page-head";
import Link from "next/link";
import { HydrationBoundary } from "@tanstack/react-query";
import { BulkRetryButton, DeliveriesResults } from "@/components/deliveries/deliveries-results";
import { FilterSelect, PagedList } from "@/components/ui/paged-list";
import { DELIVERY_STATUSES, DeliveryListQuery, RETRYABLE_STATUSES } from "@/lib/schemas/deliveries";
import { hasRole } from "@/lib/auth/principal";
import { requireSession } from "@/lib/auth/current-session";
import { listDeliveries } from "@/lib/store/deliveries";
import { listTargets } from "@/lib/store/targets";
import { LIST_PAGE_SIZE } from "@/lib/ui/list-url";
import { parsePageQuery, type SearchParams } from "@/lib/ui/page-query";
import { prefetch } from "@/lib/ui/prefetch";
import { queryKeys } from "@/lib/ui/query-keys";

export const dynamic = "force-dynamic";

const KEYS = ["status", "targetId", "cursor"] as const;
const TARGETS_SHOWN = 100;

const retryable = (s: string): s is (typeof RETRYABLE_STATUSES)[number] => (RETRYABLE_STATUSES as readonly string[]).includes(s);

export default async function DeliveriesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const session = await requireSession();
  const parsed = parsePageQuery(DeliveryListQuery, await searchParams, KEYS);
  const targets = (await listTargets(session.orgId, { limit: TARGETS_SHOWN })).data;
  const names = new Map(targets.map((t) => [t.id, t.name]));
  const page = parsed.ok ? await listDeliveries(session.orgId, { ...parsed.query, limit: LIST_PAGE_SIZE }) : null;
  // The first page goes to the client list under the key it reads (it refetches from the API after a retry).
  const state = await prefetch(page ? [{ queryKey: queryKeys.deliveries.list(parsed.raw), load: async () => page }] : []);
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
        <HydrationBoundary state={state}>
          <DeliveriesResults filters={parsed.raw} targetNames={Object.fromEntries(names)} mayRetry={mayRetry} />
        </HydrationBoundary>
      </PagedList>
    </div>
  );
}
