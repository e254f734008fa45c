// /packages/:id — one package version as a reviewer reads it (providerflow.md §6): the
// DAG, the digest, each fixture with its golden diff and trace, the scans, the approval
// history and, once applied, the production revalidation. Another org's version is a 404.
import { PageHead } from "@/components/ui/page-head";
import { DataTable } from "@/components/ui/table";
import { ApproveForm } from "@/components/providerflow/approve-form";
import { layoutDag } from "@/components/providerflow/dag-layout";
import { PackageDag } from "@/components/providerflow/package-dag";
import { STATUS_LABEL, VersionStatus } from "@/components/providerflow/status";
import { requireSession } from "@/lib/auth/current-session";
import { getVersionForReview } from "@/lib/store/flow-versions";
import { orNotFound } from "@/lib/ui/page-query";

export const dynamic = "force-dynamic";

const date = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });
const LIFECYCLE = ["draft", "sandbox-validated", "approved", "prod-revalidated"] as const;

type ScanFinding = { id?: string; severity?: string; message?: string; location?: string };
type Difference = { pointer: string; expected?: unknown; actual?: unknown; message?: string };
type TraceStep = { stage: string; outcome: string; detail?: unknown };
type Fixture = { name: string; passed: boolean; diff?: Difference[]; trace?: TraceStep[] };

const show = (v: unknown) => (v === undefined ? "(absent)" : JSON.stringify(v));

function DiffTable({ diff, testId }: { diff: Difference[]; testId?: string }) {
  return (
    <DataTable columns={["Where (JSON Pointer)", "Golden expects", "Run gave"]} className="table-compact" testId={testId}>
      {diff.map((d, i) => (
        <tr key={i}>
          <td className="mono small">{d.pointer || "/"}</td>
          <td className="mono small">{d.message ?? show(d.expected)}</td>
          <td className="mono small">{d.message ? "" : show(d.actual)}</td>
        </tr>
      ))}
    </DataTable>
  );
}

export default async function PackageVersionPage({ params }: { params: Promise<{ id: string }> }) {
  const session = await requireSession();
  const { id } = await params;
  const version = await orNotFound(getVersionForReview(session.orgId, id));
  const { evidence } = version;
  const fixtures = evidence.fixtures as Fixture[];
  const scans = evidence.scans as ScanFinding[];
  const contractErrors = evidence.contract.errors as ScanFinding[];
  const mayApprove = session.role === "reviewer" || session.role === "admin";
  const reached = LIFECYCLE.indexOf(version.status);
  const dag = layoutDag(version.graph);

  return (
    <div className="stack">
      <PageHead
        back={{ href: "/packages", label: "Packages" }}
        title={
          <>
            {version.package} <span className="muted">{version.version}</span>
          </>
        }
      >
        <VersionStatus version={version} />
        <p className="small muted">
          Digest{" "}
          <code className="mono" data-testid="version-digest">
            {version.digest}
          </code>
        </p>
        <p className="small muted">
          Uploaded {date.format(new Date(version.createdAt))} UTC by {version.uploadedBy ?? "—"}; evidence by {evidence.tool.name}{" "}
          {evidence.tool.version}.
        </p>
      </PageHead>

      <section className="card" aria-labelledby="lifecycle-heading">
        <div className="card-head">
          <h2 id="lifecycle-heading">Lifecycle</h2>
        </div>
        <ol className="lifecycle">
          {LIFECYCLE.map((s, i) => (
            <li key={s} className={i <= reached ? "done" : ""} aria-current={i === reached ? "step" : undefined}>
              {STATUS_LABEL[s]}
            </li>
          ))}
        </ol>
        {version.status === "draft" ? (
          <p className="small">
            A draft cannot be approved: its contract, scans or fixtures below say what failed. Fix the package and upload it
            again; the new content gets a new digest.
          </p>
        ) : null}
        {version.status === "sandbox-validated" && mayApprove ? (
          <ApproveForm versionId={version.id} digest={version.digest} />
        ) : null}
        {version.status === "sandbox-validated" && !mayApprove ? (
          <p className="small">
            Waiting for a reviewer or admin to approve it (operators write configuration; they do not sign it off).
          </p>
        ) : null}
        {version.status === "approved" ? (
          <p className="small">
            Approved. Apply it with <code>npx providerflow apply &lt;dir&gt; --org {session.orgSlug}</code>; every fixture is then
            re-run against the applied configuration.
          </p>
        ) : null}
      </section>

      <section className="card" aria-labelledby="dag-heading">
        <div className="card-head">
          <h2 id="dag-heading">Flows</h2>
          <span className="muted small">endpoint → steps → targets</span>
        </div>
        <PackageDag layout={dag} />
        <ul className="flow-list small" data-testid="flow-list">
          {version.graph.flows.map((f) => (
            <li key={f.name}>
              <strong>{f.name}</strong>: {f.endpoint} →{" "}
              {f.steps.map((s) => version.graph.nodes.find((n) => n.id === s)?.label ?? s).join(" → ")} →{" "}
              {f.targets.join(", ") || "no target"}
            </li>
          ))}
        </ul>
      </section>

      <section className="card" aria-labelledby="fixtures-heading">
        <div className="card-head">
          <h2 id="fixtures-heading">Fixtures</h2>
          <span className="muted small" data-testid="fixture-summary">
            {evidence.summary.passed}/{evidence.summary.fixtures} match their goldens
          </span>
        </div>
        <ul className="fixture-list">
          {fixtures.map((f) => (
            <li key={f.name}>
              <details data-testid={`fixture-${f.name}`} open={!f.passed}>
                <summary>
                  <span className={`badge ${f.passed ? "badge-ok" : "status-failed"}`}>{f.passed ? "passed" : "failed"}</span>{" "}
                  <span className="mono">{f.name}</span>
                </summary>
                {f.diff && f.diff.length > 0 ? (
                  <DiffTable diff={f.diff} testId={`diff-${f.name}`} />
                ) : (
                  <p className="small muted">Matches its golden.</p>
                )}
                {f.trace ? (
                  <ol className="trace">
                    {f.trace.map((t, i) => (
                      <li key={i}>
                        <span
                          className={`badge ${t.outcome === "pass" ? "badge-ok" : t.outcome === "fail" ? "status-failed" : "badge-off"}`}
                        >
                          {t.outcome}
                        </span>{" "}
                        <strong>{t.stage}</strong>
                        {t.detail !== undefined ? <pre className="trace-detail">{JSON.stringify(t.detail, null, 2)}</pre> : null}
                      </li>
                    ))}
                  </ol>
                ) : null}
              </details>
            </li>
          ))}
        </ul>
      </section>

      <section className="card" aria-labelledby="scans-heading">
        <div className="card-head">
          <h2 id="scans-heading">Contract and scans</h2>
          <span className="muted small">
            contract {evidence.contract.valid ? "valid" : "invalid"}; {evidence.summary.scanErrors} errors,{" "}
            {evidence.summary.scanWarnings} warnings
          </span>
        </div>
        {scans.length + contractErrors.length === 0 ? (
          <p className="empty">No findings: no secret shapes, private targets, unsafe patterns or unreached flows.</p>
        ) : (
          <DataTable columns={["Severity", "Rule", "Finding", "Where"]} className="table-compact" testId="scan-table">
            {[...contractErrors.map((f) => ({ ...f, severity: "error" })), ...scans].map((f, i) => (
              <tr key={i}>
                <td>
                  <span className={`badge ${f.severity === "error" ? "status-failed" : "status-unmatched"}`}>
                    {f.severity ?? "—"}
                  </span>
                </td>
                <td className="mono small">{f.id ?? "contract"}</td>
                <td>{f.message ?? ""}</td>
                <td className="mono small">{f.location ?? ""}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>

      <section className="card" aria-labelledby="approvals-heading">
        <div className="card-head">
          <h2 id="approvals-heading">Approval history</h2>
        </div>
        {version.approvals.length === 0 ? (
          <p className="empty">Not approved.</p>
        ) : (
          <DataTable columns={["Approved by", "When (UTC)", "Digest", "Note"]} testId="approvals-table">
            {version.approvals.map((a, i) => (
              <tr key={i}>
                <td>
                  {a.approvedBy} <span className="muted small">({a.role})</span>
                </td>
                <td className="nowrap">{date.format(new Date(a.createdAt))}</td>
                <td className="mono small">{a.digest.slice(0, 12)}</td>
                <td>{a.note ?? "—"}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>

      {version.revalidation ? (
        <section className="card" aria-labelledby="revalidation-heading">
          <div className="card-head">
            <h2 id="revalidation-heading">Production revalidation</h2>
            <span className="muted small">
              {version.revalidation.passed ? "every fixture matched" : "some fixtures differ"}
              {version.revalidatedAt ? `, ${date.format(new Date(version.revalidatedAt))} UTC` : ""}
            </span>
          </div>
          <ul className="fixture-list">
            {version.revalidation.fixtures.map((f) => (
              <li key={f.name}>
                <span className={`badge ${f.passed ? "badge-ok" : "status-failed"}`}>{f.passed ? "passed" : "failed"}</span>{" "}
                <span className="mono">{f.name}</span>
                {f.diff.length > 0 ? <DiffTable diff={f.diff} /> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
