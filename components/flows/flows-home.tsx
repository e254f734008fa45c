"use client";
// The Flows list: stored packages (latest version, status), drafts only this browser
// has, New package (a provider preset's template, opened as a draft) and Import (a folder
// holding provider-flow.yaml; its files become a draft, under the API's limits).
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useSyncExternalStore, type FormEvent } from "react";
import { ProblemBox } from "@/components/ui/api-call";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { StatusBadge } from "@/components/ui/status-badge";
import { DataTable } from "@/components/ui/table";
import { useApiMutation } from "@/components/ui/use-api-mutation";
import type { PackageSummary } from "@/lib/flows/workbench";
import { apiFetch } from "@/lib/ui/api-fetch";
import { base64ToText } from "@/lib/ui/base64";
import { formatDateTime } from "@/lib/ui/format";
import { draftNames, saveDraft } from "./drafts";

const PRESETS = [
  ["stripe", "Stripe"],
  ["github", "GitHub"],
  ["shopify", "Shopify"],
  ["slack", "Slack"],
  ["standard-webhooks", "Standard Webhooks"],
  ["generic", "Any JSON sender (no signature yet)"],
] as const;

function subscribeToStorage(onChange: () => void): () => void {
  window.addEventListener("storage", onChange);
  return () => window.removeEventListener("storage", onChange);
}

/** load-package.ts's limits, checked before anything is read. */
const MAX_FILE_BYTES = 5 * 1024 * 1024;
const MAX_PACKAGE_BYTES = 20 * 1024 * 1024;
const MAX_FILES = 1000;

export function FlowsHome({ org, packages, mayWrite }: { org: string; packages: PackageSummary[]; mayWrite: boolean }) {
  // This browser's drafts: read from localStorage after hydration (none on the server).
  const draftList = useSyncExternalStore(
    subscribeToStorage,
    () => draftNames(org).join("\n"),
    () => "",
  );
  const drafts = draftList === "" ? [] : draftList.split("\n");
  const stored = new Set(packages.map((p) => p.name));
  const onlyDrafts = drafts.filter((d) => !stored.has(d));
  return (
    <>
      {mayWrite ? (
        <div className="grid-2">
          <NewPackage org={org} />
          <ImportPackage org={org} />
        </div>
      ) : null}
      <Card title="Packages" testId="packages">
        {packages.length === 0 && onlyDrafts.length === 0 ? (
          <p className="empty">No packages yet.</p>
        ) : (
          <DataTable columns={["Package", "Latest version", "Status", "Uploaded (UTC)", ""]} testId="flows-table">
            {packages.map((p) => (
              <tr key={p.name}>
                <td className="cell-title">
                  <Link href={`/flows/${p.name}`}>{p.name}</Link>
                  {drafts.includes(p.name) ? <span className="muted small"> (draft in this browser)</span> : null}
                </td>
                <td>
                  {p.latest ? (
                    <Link href={`/packages/${p.latest.id}`}>
                      {p.latest.version} <span className="mono small muted">{p.latest.digest.slice(0, 12)}</span>
                    </Link>
                  ) : (
                    "—"
                  )}
                  <div className="muted small">{p.versions} versions</div>
                </td>
                <td>{p.latest ? <StatusBadge status={p.latest.status} /> : null}</td>
                <td className="nowrap small">
                  {p.latest ? formatDateTime(p.latest.createdAt) : ""}
                  <div className="muted">{p.latest?.uploadedBy ?? ""}</div>
                </td>
                <td>
                  <Link className="button" href={`/flows/${p.name}`}>
                    {mayWrite ? "Edit" : "Open"}
                  </Link>
                </td>
              </tr>
            ))}
            {onlyDrafts.map((d) => (
              <tr key={`draft-${d}`}>
                <td className="cell-title">
                  <Link href={`/flows/${d}`}>{d}</Link>
                </td>
                <td>not saved yet</td>
                <td>
                  <StatusBadge status="draft" label="draft in this browser" />
                </td>
                <td />
                <td>
                  <Link className="button" href={`/flows/${d}`}>
                    Edit
                  </Link>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </Card>
    </>
  );
}

function NewPackage({ org }: { org: string }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [preset, setPreset] = useState<string>("stripe");
  const create = useApiMutation({
    mutationFn: (body: { name: string; preset: string }) => apiFetch<{ files: Record<string, string> }>("POST", "/api/v1/providerflow/templates", body),
    onSuccess: (r, body) => {
      const files = Object.fromEntries(Object.entries(r.files).map(([p, b]) => [p, base64ToText(b)]));
      saveDraft(org, body.name, { files, savedAt: new Date().toISOString() });
      router.push(`/flows/${body.name}`);
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate({ name: name.trim(), preset });
  }
  return (
    <Card title="New package" description="From a template for the provider: signature verification, one flow, fixtures and goldens that pass.">
      <form className="form" onSubmit={submit} aria-label="New package">
        <Field label="Name" hint="Lowercase letters, digits and dashes." error={create.fieldErrors.name}>
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} required placeholder="stripe-payments" autoComplete="off" />}
        </Field>
        <Field label="Provider" error={create.fieldErrors.preset}>
          {(p) => (
            <select {...p} value={preset} onChange={(e) => setPreset(e.target.value)}>
              {PRESETS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <ProblemBox problem={create.problemBeyond(["name", "preset"])} />
        <div>
          <Button type="submit" variant="primary" busy={create.isPending || create.isSuccess} busyLabel="Creating…">
            Create and edit
          </Button>
        </div>
      </form>
    </Card>
  );
}

function ImportPackage({ org }: { org: string }) {
  const router = useRouter();
  const [problem, setProblem] = useState<string | null>(null);
  async function onFiles(list: FileList | null) {
    setProblem(null);
    if (!list || list.length === 0) return;
    if (list.length > MAX_FILES) return setProblem(`A package holds at most ${MAX_FILES} files; this folder has ${list.length}.`);
    let total = 0;
    const files: Record<string, string> = {};
    for (const file of Array.from(list)) {
      // webkitRelativePath is "<folder>/<path inside it>".
      const relative = (file.webkitRelativePath || file.name).split("/").slice(1).join("/") || file.name;
      if (relative.startsWith(".") || relative.includes("/.") || relative.startsWith("traces/") || relative === "scans.json" || relative === "evidence.json") continue;
      if (file.size > MAX_FILE_BYTES) return setProblem(`${relative} is larger than 5 MiB.`);
      total += file.size;
      if (total > MAX_PACKAGE_BYTES) return setProblem("The package is larger than 20 MiB.");
      files[relative] = await file.text();
    }
    const contract = files["provider-flow.yaml"];
    if (contract === undefined) return setProblem("The folder has no provider-flow.yaml at its top.");
    const name = /^name:\s*["']?([a-z0-9][a-z0-9-]{0,62})["']?\s*$/m.exec(contract)?.[1];
    if (!name) return setProblem("provider-flow.yaml has no valid name: (lowercase letters, digits and dashes).");
    saveDraft(org, name, { files, savedAt: new Date().toISOString() });
    router.push(`/flows/${name}`);
  }
  return (
    <Card title="Import" description="A package folder (the one holding provider-flow.yaml), as `providerflow init` or a repository has it.">
      <label className="file-input">
        <span>Choose a package folder</span>
        <input
          type="file"
          // A folder picker: every file under it, with its relative path.
          {...({ webkitdirectory: "", directory: "" } as Record<string, string>)}
          multiple
          onChange={(e) => void onFiles(e.target.files)}
          data-testid="import-folder"
        />
      </label>
      {problem ? (
        <p className="form-error" role="alert">
          {problem}
        </p>
      ) : null}
    </Card>
  );
}
