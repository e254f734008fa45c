// /sources — the org's sources: where providers send webhooks, how each is verified, and
// how many mappings turn its events into interactions.
import { StatusBadge } from "@/components/ui/status-badge";
import { ActiveBadge } from "@/components/ui/active-badge";
import { SourceCells } from "@/components/sources/source-cells";
import { PageHead } from "@/components/ui/page-head";
import Link from "next/link";
import { DataTable } from "@/components/ui/table";
import { hasRole } from "@/lib/auth/principal";
import { requireSession } from "@/lib/auth/current-session";
import { env } from "@/lib/env";
import { listMappings } from "@/lib/store/mappings";
import { listSources } from "@/lib/store/sources";

import { managedObjects } from "@/lib/flows/managed";

export const dynamic = "force-dynamic";

export default async function SourcesPage() {
  const session = await requireSession();
  const [sources, mappings, managed] = await Promise.all([
    listSources(session.orgId),
    listMappings(session.orgId),
    managedObjects(session.orgId, "source"),
  ]);
  const mappingCount = new Map<string, number>();
  for (const m of mappings) mappingCount.set(m.sourceId, (mappingCount.get(m.sourceId) ?? 0) + 1);
  const { publicUrl } = env();

  return (
    <div className="stack">
      <PageHead title="Sources">
        <p className="muted">
          Where providers send webhooks. Create and change them with <code>/api/v1/inbound-sources</code> or a ProviderFlow
          package.
        </p>
      </PageHead>
      <section className="card" aria-labelledby="sources-heading">
        <div className="card-head">
          <h2 id="sources-heading">Sources of {session.orgSlug}</h2>
          {hasRole(session, "operator") ? (
            <Link href="/sources/new" className="button button-primary">
              New source
            </Link>
          ) : null}
        </div>
        {sources.length === 0 ? (
          <p className="empty">No sources yet.</p>
        ) : (
          <DataTable columns={["Source", "Inbound URL", "Verification", "Mappings", "State"]} testId="sources-table">
            {sources.map((s) => (
              <tr key={s.id}>
                <SourceCells source={s} publicUrl={publicUrl} orgSlug={session.orgSlug} managedBy={managed.get(s.id)} />
                <td className="small">
                  {s.verification ? (
                    <>
                      {s.verification.preset} <span className="muted">secret {s.verification.secretHint}</span>
                    </>
                  ) : (
                    <StatusBadge status="failed" label="none" />
                  )}
                </td>
                <td>{mappingCount.get(s.id) ?? 0}</td>
                <td>
                  <ActiveBadge active={s.active} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </div>
  );
}
