"use client";
// The package editor: the file tree, Monaco, the live DAG beside it, and the package's
// lifecycle as buttons: Validate, Run fixtures, Update goldens, Save version, Plan, Apply,
// and for reviewers and admins the version's approval (with a note) in place.
// The draft lives in this browser (localStorage, saved on every change), so a reload or
// a failed save loses nothing; "Discard draft" goes back to the stored version.
// Every call is the management API's own (lib/api/operations.ts), with the session.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useCallback, useMemo, useState } from "react";
import { ProblemBox } from "@/components/ui/api-call";
import { Button } from "@/components/ui/button";
import { useConfirm } from "@/components/ui/dialog";
import { StatusBadge } from "@/components/ui/status-badge";
import { useApiMutation } from "@/components/ui/use-api-mutation";
import { layoutDag } from "@/components/providerflow/dag-layout";
import { PackageDag } from "@/components/providerflow/package-dag";
import { ApproveForm, versionQuery } from "@/components/providerflow/version-approval";
import type { FlowTestRunDto, FlowValidationDto } from "@/lib/schemas/flow-workbench";
import type { ApplyResultDto, FlowVersionDetailDto, PlanDto } from "@/lib/schemas/providerflow";
import { apiFetch } from "@/lib/ui/api-fetch";
import { textToBase64 } from "@/lib/ui/base64";
import { queryKeys } from "@/lib/ui/query-keys";
import { CodeEditor, type EditorMarker } from "./code-editor";
import { draftGraph, nodeAtLine } from "./draft-graph";
import { clearDraft, loadDraft, saveDraft, type PackageDraft } from "./drafts";

type Finding = FlowValidationDto["errors"][number];
type Files = Record<string, string>;

const CONTRACT = "provider-flow.yaml";

function encode(files: Files): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([p, t]) => [p, textToBase64(t)]));
}

function sortedPaths(files: Files): string[] {
  const order = (p: string) => (p === CONTRACT ? 0 : p === "README.md" ? 1 : p.startsWith("schemas/") ? 2 : p.startsWith("fixtures/") ? 3 : 4);
  return Object.keys(files).sort((a, b) => order(a) - order(b) || a.localeCompare(b));
}

export function FlowEditor({
  org,
  name,
  stored,
  mayWrite,
  mayApprove,
}: {
  org: string;
  name: string;
  /** The latest stored version's files and id, when the package has one. */
  stored: { versionId: string; files: Files; status: string } | null;
  mayWrite: boolean;
  /** Reviewers and admins approve versions. */
  mayApprove: boolean;
}) {
  const confirm = useConfirm();
  const queryClient = useQueryClient();
  // The draft: this browser's copy if there is one, else the stored version. (This
  // component renders only in the browser: flow-editor-client.tsx loads it without SSR.)
  const [initial] = useState(() => {
    const local = loadDraft(org, name);
    if (local) return { draft: local, restored: Boolean(stored) && JSON.stringify(local.files) !== JSON.stringify(stored?.files) };
    return { draft: stored ? { files: stored.files, savedAt: null } : null, restored: false };
  });
  const [draft, setDraft] = useState<PackageDraft | null>(initial.draft);
  const [restored, setRestored] = useState(initial.restored);
  const [selectedPath, setSelectedPath] = useState(CONTRACT);
  const [validation, setValidation] = useState<FlowValidationDto | null>(null);
  const [run, setRun] = useState<FlowTestRunDto | null>(null);
  const [plan, setPlan] = useState<PlanDto | null>(null);
  // The version the lifecycle acts on: the one saved here, else the latest stored one.
  const [savedId, setSavedId] = useState<string | null>(null);
  const [applied, setApplied] = useState<ApplyResultDto | null>(null);
  const [selectedNode, setSelectedNode] = useState<string | null>(null);
  const [reveal, setReveal] = useState<{ startLine: number; endLine: number; key: number } | null>(null);

  const files = draft?.files ?? {};
  const updateFile = useCallback(
    (path: string, text: string) => {
      setDraft((d) => {
        if (!d || d.files[path] === text) return d;
        const next = { files: { ...d.files, [path]: text }, savedAt: new Date().toISOString() };
        saveDraft(org, name, next);
        return next;
      });
    },
    [org, name],
  );

  // The live DAG, from the YAML as typed.
  const contract = files[CONTRACT] ?? "";
  const live = useMemo(() => draftGraph(contract), [contract]);
  const layout = useMemo(() => (live.ok ? layoutDag(live.graph) : null), [live]);

  // Server findings as markers, per file.
  const findings: (Finding & { severity: "error" | "warning" })[] = useMemo(() => {
    const fromValidation = validation
      ? [...validation.errors.map((f) => ({ ...f, severity: "error" as const })), ...validation.warnings.map((f) => ({ ...f, severity: "warning" as const }))]
      : [];
    const fromRun = run ? run.errors.filter((f) => f.code !== "golden-mismatch").map((f) => ({ ...f, severity: "error" as const })) : [];
    const seen = new Set<string>();
    return [...fromValidation, ...fromRun].filter((f) => {
      const key = `${f.code}|${f.file}|${f.line}|${f.column}|${f.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }, [validation, run]);
  const markers: EditorMarker[] = findings
    .filter((f) => f.file === selectedPath && f.line !== undefined)
    .map((f) => ({ line: f.line!, column: f.column, message: `${f.message} (${f.code})`, severity: f.severity }));

  const validate = useApiMutation({
    mutationFn: () => apiFetch<FlowValidationDto>("POST", "/api/v1/providerflow/validate", { files: encode(files) }),
    onSuccess: (r) => setValidation(r),
  });
  const test = useApiMutation({
    mutationFn: (input: { files: Files; update: boolean }) =>
      apiFetch<FlowTestRunDto>("POST", "/api/v1/providerflow/test", { files: encode(input.files), update: input.update }),
    onSuccess: (r, input) => {
      if (input.update && r.goldens) {
        const merged = { ...input.files, ...r.goldens };
        const next = { files: merged, savedAt: new Date().toISOString() };
        saveDraft(org, name, next);
        setDraft(next);
        // Run again on the draft as it now is, so the outcome is about the new goldens.
        test.mutate({ files: merged, update: false });
        return;
      }
      setRun(r);
    },
  });
  const save = useApiMutation({
    mutationFn: () => apiFetch<FlowVersionDetailDto>("POST", "/api/v1/providerflow/versions", { files: encode(files) }),
    success: (r) => `Saved version ${r.version} (${r.status})`,
    onSuccess: (r) => {
      // The answer is the version as GET would give it: the version panel reads it from the cache.
      queryClient.setQueryData(queryKeys.flowVersions.detail(r.id), r);
      setSavedId(r.id);
    },
  });
  const planMutation = useApiMutation({
    mutationFn: () => apiFetch<PlanDto>("POST", "/api/v1/providerflow/plan", { files: encode(files) }),
    onSuccess: (r) => setPlan(r),
  });
  const apply = useApiMutation({
    mutationFn: (versionId: string) => apiFetch<ApplyResultDto>("POST", `/api/v1/providerflow/versions/${versionId}/apply`),
    invalidates: [queryKeys.flowVersions.all],
    success: "Applied",
    onSuccess: (r) => setApplied(r),
  });
  const versionId = savedId ?? stored?.versionId ?? null;
  const { data: version } = useQuery({ ...versionQuery(versionId ?? ""), enabled: versionId !== null });

  const selectNode = (id: string) => {
    setSelectedNode(id);
    const range = live.ok ? live.lines[id] : undefined;
    if (!range) return;
    setSelectedPath(CONTRACT);
    setReveal({ ...range, key: Date.now() });
  };
  const onCursorLine = (line: number) => {
    if (selectedPath !== CONTRACT || !live.ok) return;
    setSelectedNode(nodeAtLine(live.lines, line));
  };
  const goTo = (f: Finding) => {
    if (!f.file || !(f.file in files)) return;
    setSelectedPath(f.file);
    if (f.line) setReveal({ startLine: f.line, endLine: f.line, key: Date.now() });
  };

  if (draft === null) {
    return (
      <div className="card">
        <p>
          There is no draft of <strong>{name}</strong> in this browser and no stored version. <Link href="/flows">Create it from a template</Link>.
        </p>
      </div>
    );
  }

  const busy = validate.isPending || test.isPending || save.isPending || planMutation.isPending || apply.isPending;
  const problem = validate.problem ?? test.problem ?? save.problem ?? planMutation.problem ?? apply.problem;
  const versionToApply = version ?? null;

  return (
    <div className="flow-editor" data-testid="flow-editor">
      {restored ? (
        <div className="card notice" role="status">
          Restored your unsaved draft from this browser ({draft.savedAt ? new Date(draft.savedAt).toLocaleString() : "earlier"}).{" "}
          <Button
            variant="quiet"
            onClick={async () => {
              if (!(await confirm({ title: "Discard your draft?", body: "Your changes in this browser are lost; the stored version is shown again.", confirmLabel: "Discard", danger: true }))) return;
              clearDraft(org, name);
              setDraft(stored ? { files: stored.files, savedAt: null } : null);
              setRestored(false);
            }}
          >
            Discard draft
          </Button>
        </div>
      ) : null}
      <div className="flow-toolbar" role="toolbar" aria-label="Package actions">
        <Button onClick={() => validate.mutate(undefined)} busy={validate.isPending} busyLabel="Validating…">
          Validate
        </Button>
        {mayWrite ? (
          <>
            <Button onClick={() => test.mutate({ files, update: false })} busy={test.isPending} busyLabel="Running…">
              Run fixtures
            </Button>
            <Button
              onClick={async () => {
                const ok = await confirm({
                  title: "Update the goldens?",
                  body: "Every fixture's golden is replaced with what this run produces. Read the differences first: an update accepts them as correct.",
                  confirmLabel: "Update goldens",
                });
                if (ok) test.mutate({ files, update: true });
              }}
              disabled={busy}
            >
              Update goldens
            </Button>
            <Button variant="primary" onClick={() => save.mutate(undefined)} busy={save.isPending} busyLabel="Saving…">
              Save version
            </Button>
            <Button onClick={() => planMutation.mutate(undefined)} busy={planMutation.isPending} busyLabel="Planning…">
              Plan
            </Button>
            <Button
              onClick={async () => {
                if (!versionToApply) return;
                const ok = await confirm({
                  title: `Apply ${versionToApply.package} ${versionToApply.version}?`,
                  body: "Sources, mappings, targets and routes are created or updated to match this version; objects it no longer has are deleted.",
                  confirmLabel: "Apply",
                });
                if (ok) apply.mutate(versionToApply.id);
              }}
              disabled={!versionToApply || busy}
              title={versionToApply ? `Apply ${versionToApply.version} (${versionToApply.status})` : "Save a version first"}
            >
              Apply
            </Button>
          </>
        ) : null}
        {stored ? (
          <Link className="button button-quiet" href={`/packages/${versionId ?? stored.versionId}`}>
            Evidence
          </Link>
        ) : null}
      </div>
      <ProblemBox problem={problem} />

      <div className="flow-workspace">
        <nav className="file-tree" aria-label="Package files">
          <ul>
            {sortedPaths(files).map((p) => {
              const errors = findings.filter((f) => f.file === p && f.severity === "error").length;
              return (
                <li key={p}>
                  <button type="button" className="file-tree-item" aria-current={p === selectedPath ? "true" : undefined} onClick={() => setSelectedPath(p)}>
                    <span className="mono small">{p}</span>
                    {errors > 0 ? <span className="badge badge-bad">{errors}</span> : null}
                  </button>
                </li>
              );
            })}
          </ul>
        </nav>
        <div className="flow-code">
          <CodeEditor
            path={selectedPath}
            value={files[selectedPath] ?? ""}
            onChange={(text) => updateFile(selectedPath, text)}
            markers={markers}
            reveal={reveal}
            onCursorLine={onCursorLine}
            readOnly={!mayWrite}
            label={`${selectedPath} of ${name}`}
          />
        </div>
        <div className="flow-dag" aria-label="Live graph of provider-flow.yaml">
          {layout ? (
            <PackageDag layout={layout} selectedId={selectedNode} onSelect={selectNode} />
          ) : (
            <p className="form-error" data-testid="dag-error">
              {live.ok ? null : `${live.message}${live.line ? ` (line ${live.line})` : ""}`}
            </p>
          )}
          {live.ok ? (
            <ul className="flow-list small" data-testid="live-flows">
              {live.graph.flows.map((f) => (
                <li key={f.name}>
                  {f.name}: {f.endpoint} → {f.steps.length} steps → {f.targets.join(", ") || "(no target)"}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      </div>

      <Results
        validation={validation}
        run={run}
        plan={plan}
        version={version ?? null}
        mayApprove={mayApprove}
        applied={applied}
        findings={findings}
        goTo={goTo}
      />
    </div>
  );
}

function Results({
  validation,
  run,
  plan,
  version,
  mayApprove,
  applied,
  findings,
  goTo,
}: {
  validation: FlowValidationDto | null;
  run: FlowTestRunDto | null;
  plan: PlanDto | null;
  version: FlowVersionDetailDto | null;
  mayApprove: boolean;
  applied: ApplyResultDto | null;
  findings: (Finding & { severity: "error" | "warning" })[];
  goTo: (f: Finding) => void;
}) {
  return (
    <div className="flow-results">
      {validation || run ? (
        <section className="card" aria-label="Findings" data-testid="findings">
          <h2>Findings</h2>
          {findings.length === 0 ? (
            <p data-testid="findings-summary">No errors, no warnings.</p>
          ) : (
            <ul className="finding-list">
              {findings.map((f, i) => (
                <li key={i} className={`finding finding-${f.severity}`}>
                  <button type="button" className="link-button" onClick={() => goTo(f)}>
                    {f.file ?? "package"}
                    {f.line ? `:${f.line}${f.column ? `:${f.column}` : ""}` : ""}
                  </button>{" "}
                  <strong>{f.code}</strong> {f.message}
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
      {run ? (
        <section className="card" aria-label="Fixtures" data-testid="fixtures">
          <h2>
            Fixtures <StatusBadge status={run.status} />
          </h2>
          <p data-testid="fixtures-summary">
            {run.fixtures.filter((f) => f.passed).length}/{run.fixtures.length} match their goldens
          </p>
          <ul className="fixture-list">
            {run.fixtures.map((f) => (
              <li key={f.name} data-testid={`run-fixture-${f.name}`}>
                <details open={!f.passed}>
                  <summary>
                    {f.passed ? "✓" : "✗"} {f.name} {f.passed ? "" : `(${f.diff.length} differences)`}
                  </summary>
                  {f.diff.length > 0 ? (
                    <table className="table table-compact">
                      <thead>
                        <tr>
                          <th>Where (JSON Pointer)</th>
                          <th>Golden expects</th>
                          <th>Run gave</th>
                        </tr>
                      </thead>
                      <tbody>
                        {f.diff.map((d, i) => (
                          <tr key={i}>
                            <td className="mono small">{d.pointer || "/"}</td>
                            <td className="mono small">{"expected" in d ? JSON.stringify(d.expected) : "(absent)"}</td>
                            <td className="mono small">{"actual" in d ? JSON.stringify(d.actual) : "(absent)"}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  ) : null}
                  <pre className="trace small">{JSON.stringify(f.trace, null, 2)}</pre>
                </details>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {plan ? (
        <section className="card" aria-label="Plan" data-testid="plan">
          <h2>Plan</h2>
          {plan.changes.length === 0 ? (
            <p>Nothing would change.</p>
          ) : (
            <ul>
              {plan.changes.map((c, i) => (
                <li key={i}>
                  <strong>{c.action}</strong> {c.kind} <span className="mono">{c.name}</span>
                  {c.diff ? <span className="muted small"> ({c.diff.map((d) => d.path).join(", ")})</span> : null}
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
      {version ? (
        <section className="card" aria-label="Version" data-testid="version">
          <h2>Version</h2>
          <p>
            {version.package} {version.version} <StatusBadge status={version.status} /> digest{" "}
            <code className="mono small">{version.digest}</code> <Link href={`/packages/${version.id}`}>Evidence and approval</Link>
          </p>
          {version.approvals.map((a, i) => (
            <p key={i} className="small muted">
              Approved by {a.approvedBy}
              {a.note ? `: “${a.note}”` : ""}
            </p>
          ))}
          {version.status === "sandbox-validated" && mayApprove ? <ApproveForm version={version} /> : null}
          {version.status === "draft" ? <p className="small">A draft cannot be approved: run the fixtures, fix what fails, and save again.</p> : null}
        </section>
      ) : null}
      {applied ? (
        <section className="card" aria-label="Applied" data-testid="applied">
          <h2>Applied</h2>
          <ul>
            {Object.entries(applied.inboundUrls).map(([endpoint, url]) => (
              <li key={endpoint}>
                {endpoint}: <code className="url">{url}</code>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
