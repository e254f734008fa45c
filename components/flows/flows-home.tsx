"use client";
// The Flows list: stored packages (latest version, status), drafts only this browser
// has, New package (a provider preset's template, opened as a draft) and Import (a folder
// holding provider-flow.yaml, or a .zip/.tar.gz/.tar of one, read in this browser; its
// files become a draft, under the API's limits).
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
import { keptPackagePath, PACKAGE_LIMITS, packageNameOf, readPackageArchive } from "@/lib/flows/archive";
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

const MIB = 1024 * 1024;
/** An archive is read whole into memory: refuse one that could not hold a package within the limits. */
const MAX_ARCHIVE_BYTES = PACKAGE_LIMITS.maxPackageBytes + 4 * MIB;

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
  const [reading, setReading] = useState(false);

  /** The files become this browser's draft of the package their provider-flow.yaml names; the editor opens it. */
  function open(files: Record<string, string>, from: string) {
    const contract = files["provider-flow.yaml"];
    if (contract === undefined) return setProblem(`${from} has no provider-flow.yaml at its top.`);
    const name = packageNameOf(contract);
    if (!name) return setProblem("provider-flow.yaml has no valid name: (lowercase letters, digits and dashes).");
    saveDraft(org, name, { files, savedAt: new Date().toISOString() });
    router.push(`/flows/${name}`);
  }

  async function onFolder(list: FileList | null) {
    setProblem(null);
    if (!list || list.length === 0) return;
    const { maxFiles, maxFileBytes, maxPackageBytes } = PACKAGE_LIMITS;
    let total = 0;
    const files: Record<string, string> = {};
    for (const file of Array.from(list)) {
      // webkitRelativePath is "<folder>/<path inside it>".
      const relative = (file.webkitRelativePath || file.name).split("/").slice(1).join("/") || file.name;
      if (!keptPackagePath(relative)) continue;
      if (Object.keys(files).length >= maxFiles) return setProblem(`A package holds at most ${maxFiles} files; this folder has more.`);
      if (file.size > maxFileBytes) return setProblem(`${relative} is larger than ${maxFileBytes / MIB} MiB.`);
      total += file.size;
      if (total > maxPackageBytes) return setProblem(`The package is larger than ${maxPackageBytes / MIB} MiB.`);
      files[relative] = await file.text();
    }
    open(files, "The folder");
  }

  async function onArchive(list: FileList | null) {
    setProblem(null);
    const file = list?.[0];
    if (!file) return;
    if (file.size > MAX_ARCHIVE_BYTES) return setProblem(`${file.name} is larger than ${MAX_ARCHIVE_BYTES / MIB} MiB.`);
    setReading(true);
    try {
      const result = readPackageArchive(file.name, new Uint8Array(await file.arrayBuffer()));
      if (!result.ok) return setProblem(`${file.name}: ${result.error}`);
      open(result.files, file.name);
    } finally {
      setReading(false);
    }
  }

  return (
    <Card title="Import" description="A package folder (the one holding provider-flow.yaml), as `providerflow init` or a repository has it, or a .zip, .tar.gz or .tar of one.">
      <div className="import-choices">
        <label className="file-input">
          <span>Choose a package folder</span>
          <input
            type="file"
            // A folder picker: every file under it, with its relative path.
            {...({ webkitdirectory: "", directory: "" } as Record<string, string>)}
            multiple
            onChange={(e) => void onFolder(e.target.files)}
            data-testid="import-folder"
          />
        </label>
        <label className="file-input">
          <span>{reading ? "Reading the archive…" : "Choose an archive (.zip, .tar.gz, .tar)"}</span>
          <input
            type="file"
            accept=".zip,.tar.gz,.tgz,.tar,application/zip,application/gzip,application/x-tar"
            onChange={(e) => void onArchive(e.target.files)}
            disabled={reading}
            data-testid="import-archive"
          />
        </label>
      </div>
      {problem ? (
        <p className="form-error" role="alert">
          {problem}
        </p>
      ) : null}
    </Card>
  );
}
