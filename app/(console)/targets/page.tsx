// /targets — where interactions are delivered: URL, how requests authenticate and are
// signed (secrets only as hints), the retry budget and timeout.
import { ActiveBadge } from "@/components/ui/active-badge";
import { PageHead } from "@/components/ui/page-head";
import Link from "next/link";
import { DataTable } from "@/components/ui/table";
import { requireSession } from "@/lib/auth/current-session";
import { listTargets } from "@/lib/store/targets";

import { ManagedMark } from "@/components/flows/managed-mark";
import { managedObjects } from "@/lib/flows/managed";

export const dynamic = "force-dynamic";

const TARGETS_SHOWN = 100;

export default async function TargetsPage() {
  const session = await requireSession();
  const [page, managed] = await Promise.all([listTargets(session.orgId, { limit: TARGETS_SHOWN }), managedObjects(session.orgId, "target")]);

  return (
    <div className="stack">
      <PageHead title="Targets">
        <p className="muted">
          Where routes send interactions. Create and change them with <code>/api/v1/targets</code> and <code>/api/v1/routes</code>
          , or a ProviderFlow package.
        </p>
      </PageHead>
      <section className="card" aria-labelledby="targets-heading">
        <div className="card-head">
          <h2 id="targets-heading">Targets of {session.orgSlug}</h2>
          {page.nextCursor ? <span className="muted small">the first {TARGETS_SHOWN}</span> : null}
        </div>
        {page.data.length === 0 ? (
          <p className="empty">No targets yet.</p>
        ) : (
          <DataTable columns={["Target", "Auth", "Signing", "Retries", "State"]} testId="targets-table">
            {page.data.map((t) => (
              <tr key={t.id} id={`target-${t.id}`}>
                <td>
                  <Link href={`/deliveries?targetId=${t.id}`} className="cell-title">
                    {t.name}
                  </Link>
                  <div className="muted small mono">{t.url}</div>
                  {managed.get(t.id) ? <ManagedMark pkg={managed.get(t.id)!} /> : null}
                </td>
                <td className="small">
                  {t.auth.type}
                  {t.auth.headerName ? ` (${t.auth.headerName})` : ""}
                  {t.auth.secretHint ? <span className="muted"> {t.auth.secretHint}</span> : null}
                </td>
                <td className="small">
                  {t.signing.enabled ? t.signing.type : "off"}
                  {t.signing.enabled && t.signing.signingSecretHint ? (
                    <span className="muted"> {t.signing.signingSecretHint}</span>
                  ) : null}
                </td>
                <td className="small">
                  {t.retry.maxAttempts} × {t.retry.backoff} from {t.retry.initialDelaySeconds} s; timeout {t.timeoutSeconds} s
                </td>
                <td>
                  <ActiveBadge active={t.active} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </div>
  );
}
