// /interactions — the business records the pipeline created, newest first, with the
// API's filters (resource type, action, source) and cursor paging.
import { PageHead } from "@/components/ui/page-head";
import Link from "next/link";
import { PagedList, SourceSelect } from "@/components/ui/paged-list";
import { DataTable } from "@/components/ui/table";
import { InteractionListQuery } from "@/lib/schemas/interactions";
import { requireSession } from "@/lib/auth/current-session";
import { listInteractions } from "@/lib/store/interactions";
import { listSources } from "@/lib/store/sources";
import { formatDateTime } from "@/lib/ui/format";
import { LIST_PAGE_SIZE } from "@/lib/ui/list-url";
import { parsePageQuery, type SearchParams } from "@/lib/ui/page-query";

export const dynamic = "force-dynamic";

const KEYS = ["resourceType", "action", "sourceId", "cursor"] as const;

export default async function InteractionsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const session = await requireSession();
  const parsed = parsePageQuery(InteractionListQuery, await searchParams, KEYS);
  const sources = await listSources(session.orgId);
  const titles = new Map(sources.map((s) => [s.id, s.title]));
  const page = parsed.ok ? await listInteractions(session.orgId, { ...parsed.query, limit: LIST_PAGE_SIZE }) : null;

  return (
    <div className="stack">
      <PageHead title="Interactions">
        <p className="muted">What the mappings of {session.orgSlug} made of the events they matched (times in UTC).</p>
      </PageHead>

      <PagedList
        noun="interactions"
        path="/interactions"
        query={parsed}
        count={page?.data.length ?? 0}
        nextCursor={page?.nextCursor ?? null}
        filters={
          <>
            <label>
              Resource type
              <input name="resourceType" defaultValue={parsed.raw.resourceType ?? ""} placeholder="payment" />
            </label>
            <label>
              Action
              <input name="action" defaultValue={parsed.raw.action ?? ""} placeholder="succeeded" />
            </label>
            <SourceSelect sources={sources} value={parsed.raw.sourceId} />
          </>
        }
      >
        {page ? (
          <DataTable columns={["Created", "Resource", "Action", "Source"]} testId="interactions-table">
            {page.data.map((i) => (
              <tr key={i.id}>
                <td className="nowrap">
                  <Link href={`/interactions/${i.id}`}>
                    <time dateTime={i.createdAt}>{formatDateTime(i.createdAt)}</time>
                  </Link>
                </td>
                <td>
                  <div className="cell-title">{i.resourceType}</div>
                  <div className="muted small mono">{i.resourceId}</div>
                </td>
                <td>{i.action}</td>
                <td className="muted small">{titles.get(i.sourceId) ?? "deleted source"}</td>
              </tr>
            ))}
          </DataTable>
        ) : null}
      </PagedList>
    </div>
  );
}
