// /packages/:id — one package version as a reviewer reads it (providerflow.md §6): the
// DAG, the digest, each fixture with its golden diff and trace, the scans, the approval
// history and, once applied, the production revalidation. Another org's version is a 404.
import { StatusBadge } from "@/components/ui/status-badge";
import { PageHead } from "@/components/ui/page-head";
import { DataTable } from "@/components/ui/table";
import { HydrationBoundary } from "@tanstack/react-query";
import { ApprovalHistory, LiveVersionStatus, VersionLifecycle } from "@/components/providerflow/version-approval";
import { layoutDag } from "@/components/providerflow/dag-layout";
import { PackageDag } from "@/components/providerflow/package-dag";
import { requireSession } from "@/lib/auth/current-session";
import { getVersionForReview } from "@/lib/flows/versions";
import { orNotFound } from "@/lib/ui/page-query";
import { prefetch } from "@/lib/ui/prefetch";
import { queryKeys } from "@/lib/ui/query-keys";

export const dynamic = "force-dynamic";

const date = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

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
  const dag = layoutDag(version.graph);
  // The parts an approval changes are client components reading the version's query.
  // (As the API sends it: without the graph, which JSON drops as undefined.)
  const state = await prefetch([{ queryKey: queryKeys.flowVersions.detail(version.id), load: async () => ({ ...version, graph: undefined }) }]);

  return (
    <HydrationBoundary state={state}>
      <div className="stack">
        <PageHead
          back={{ href: "/packages", label: "Packages" }}
          title={
            <>
              {version.package} <span className="muted">{version.version}</span>
            </>
          }
        >
          <LiveVersionStatus id={version.id} />
          <p className="small muted">
            Digest{" "}
            <code className="mono" data-testid="version-digest">
              {version.digest}
            </code>
          </p>
          <p className="small muted">
            Uploaded {date.format(new Date(version.createdAt))} UTC by {version.uploadedBy ?? "—"}; evidence by{" "}
            {evidence.tool.name} {evidence.tool.version}.
          </p>
        </PageHead>

        <section className="card" aria-labelledby="lifecycle-heading">
          <div className="card-head">
            <h2 id="lifecycle-heading">Lifecycle</h2>
          </div>
          <VersionLifecycle id={version.id} mayApprove={mayApprove} orgSlug={session.orgSlug} />
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
                    <StatusBadge status={f.passed ? "passed" : "failed"} />{" "}
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
                          <StatusBadge status={t.outcome} />{" "}
                          <strong>{t.stage}</strong>
                          {t.detail !== undefined ? (
                            <pre className="trace-detail">{JSON.stringify(t.detail, null, 2)}</pre>
                          ) : null}
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
                    <StatusBadge status={f.severity ?? "warning"} label={f.severity ?? "—"} />
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
          <ApprovalHistory id={version.id} />
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
                  <StatusBadge status={f.passed ? "passed" : "failed"} />{" "}
                  <span className="mono">{f.name}</span>
                  {f.diff.length > 0 ? <DiffTable diff={f.diff} /> : null}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </div>
    </HydrationBoundary>
  );
}
