// /packages — ProviderFlow package versions of the org, newest first, for reviewers.
import { PageHead } from "@/components/ui/page-head";
import { DataTable } from "@/components/ui/table";
import Link from "next/link";
import { VersionStatus } from "@/components/providerflow/status";
import { requireSession } from "@/lib/auth/current-session";
import { listVersions } from "@/lib/flows/versions";

export const dynamic = "force-dynamic";

const PAGE_SIZE = 100;
const date = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export default async function PackagesPage() {
  const session = await requireSession();
  const page = await listVersions(session.orgId, { limit: PAGE_SIZE });

  return (
    <div className="stack">
      <PageHead title="Packages">
        <p className="muted">
          ProviderFlow versions uploaded to <strong>{session.orgSlug}</strong>. Each is run in the sandbox on upload; a reviewer
          approves a sandbox-validated digest before it can be applied to production.
        </p>
      </PageHead>

      <section className="card" aria-labelledby="versions-heading">
        <div className="card-head">
          <h2 id="versions-heading">Versions</h2>
          <span className="muted small">Newest first{page.nextCursor ? ` (the latest ${PAGE_SIZE})` : ""}</span>
        </div>
        {page.data.length === 0 ? (
          <p className="empty">
            No package uploaded yet. Upload one with <code>npx providerflow apply &lt;dir&gt; --org {session.orgSlug}</code> or{" "}
            <code>POST /api/v1/providerflow/versions</code>.
          </p>
        ) : (
          <DataTable columns={["Package", "Digest", "Status", "Fixtures", "Scans", "Uploaded (UTC)"]} testId="versions-table">
            {page.data.map((v) => (
              <tr key={v.id}>
                <td>
                  <Link href={`/packages/${v.id}`} className="cell-title">
                    {v.package}
                  </Link>
                  <div className="muted small">version {v.version}</div>
                </td>
                <td>
                  <code className="mono small" title={v.digest}>
                    {v.digest.slice(0, 12)}
                  </code>
                </td>
                <td>
                  <VersionStatus version={v} />
                </td>
                <td className="nowrap">
                  {v.summary.passed}/{v.summary.fixtures} passed
                </td>
                <td className="nowrap">
                  {v.summary.scanErrors} errors, {v.summary.scanWarnings} warnings
                </td>
                <td className="cell-wrap">
                  <span className="nowrap">{date.format(new Date(v.createdAt))}</span>
                  <div className="muted small">{v.uploadedBy ?? "—"}</div>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </div>
  );
}
