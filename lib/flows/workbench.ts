// The server side of the browser's package editor: a draft's files (base64, as uploads
// carry them) validated, or run through the sandbox with the org's own secrets, without
// storing anything; a stored version's files read back for editing; a new package from a
// preset's template. Drafts are checked under the same limits as uploads
// (load-package.ts), and findings carry file, line and column for the editor's markers.
import { validationFailed, type Detail } from "@/lib/errors";
import { decodeBase64 } from "@/lib/schemas/providerflow";
import type { FlowTestRunDto, FlowValidationDto } from "@/lib/schemas/flow-workbench";
import { escapePointerToken } from "@/lib/inbound/paths";
import { secretLookup } from "@/lib/flows/secrets";
import { findVersionRow } from "@/lib/flows/versions";
import { prisma } from "@/lib/db";
import { packageDigest } from "@/providerflow/digest";
import { evaluatePackage } from "@/providerflow/evaluate";
import { renderGolden } from "@/providerflow/golden";
import { packageGraph } from "@/providerflow/graph";
import { packageFromFiles, type PackageFiles } from "@/providerflow/load-package";
import { templatePackage, type TemplatePreset } from "@/providerflow/templates";
import { validatePackage } from "@/providerflow/validate-package";
import type { Finding } from "@/providerflow/findings";

/** Decodes the base64 map; a value that is not strict base64 is a 400 naming its file. */
function decode(encoded: Readonly<Record<string, string>>): Map<string, Buffer> {
  const decoded = new Map<string, Buffer>();
  const details: Detail[] = [];
  for (const [path, value] of Object.entries(encoded)) {
    const bytes = decodeBase64(value);
    if (bytes) decoded.set(path, bytes);
    else details.push({ path: `/files/${escapePointerToken(path)}`, message: "is not valid base64 (RFC 4648, with padding)" });
  }
  if (details.length > 0) throw validationFailed(details);
  return decoded;
}

type Loaded = { ok: true; files: PackageFiles } | { ok: false; findings: Finding[] };

function load(encoded: Readonly<Record<string, string>>): Loaded {
  const loaded = packageFromFiles(decode(encoded));
  return loaded.ok ? { ok: true, files: loaded.files } : { ok: false, findings: loaded.findings };
}

/** `providerflow validate` of a draft: contract checks and scans, plus the graph when valid. */
export function validateDraft(encoded: Readonly<Record<string, string>>): FlowValidationDto {
  const loaded = load(encoded);
  if (!loaded.ok) return { ok: false, errors: loaded.findings, warnings: [], digest: null, graph: null };
  const report = validatePackage(loaded.files);
  return {
    ok: report.ok,
    errors: report.errors,
    warnings: report.warnings,
    digest: packageDigest(loaded.files),
    graph: report.checked ? packageGraph(report.checked.package.contract) : null,
  };
}

/**
 * `providerflow test [--update]` of a draft in the org's sandbox: each fixture's outcome,
 * golden diff and trace (secrets redacted, as in evidence). With `update`, the goldens
 * this run would write come back for the editor to put in the draft; nothing is stored.
 */
export async function testDraft(orgId: string, encoded: Readonly<Record<string, string>>, update: boolean): Promise<FlowTestRunDto> {
  const loaded = load(encoded);
  if (!loaded.ok) throw validationFailed(loaded.findings.map((f) => ({ path: `/files/${escapePointerToken(f.file ?? "")}`, message: f.message })));
  const run = await evaluatePackage(loaded.files, { secrets: await secretLookup(orgId), pinnedRejections: "by-stage" });
  let goldens: Record<string, string> | null = null;
  if (update && run.evidence.contract.valid) {
    goldens = {};
    for (const name of Object.keys(run.results).sort()) goldens[`goldens/${name}.json`] = renderGolden(run.results[name]);
  }
  return {
    ok: run.evidence.status === "sandbox-validated",
    status: run.evidence.status,
    digest: run.digest,
    fixtures: run.evidence.fixtures.map((f) => ({ name: f.name, passed: f.passed, diff: f.diff, trace: f.trace })),
    errors: run.errors,
    warnings: run.warnings,
    goldens,
  };
}

/** A stored version's own files (base64), to open it in the editor. */
export async function versionFiles(orgId: string, id: string): Promise<{ files: Record<string, string> }> {
  const row = await findVersionRow(orgId, id);
  const stored = await prisma().flowPackageVersion.findUniqueOrThrow({ where: { id: row.id }, select: { files: true } });
  const files = stored.files;
  if (!files || typeof files !== "object" || Array.isArray(files)) throw new Error("stored package files are not a map");
  const out: Record<string, string> = {};
  for (const [path, value] of Object.entries(files)) if (typeof value === "string") out[path] = value;
  return { files: out };
}

/** A new package's files from a preset's template (base64). */
export async function templateFiles(name: string, preset: TemplatePreset): Promise<{ files: Record<string, string> }> {
  const made = await templatePackage({ name, preset });
  if (!made.ok) throw validationFailed([{ path: "/name", message: made.message }]);
  const files: Record<string, string> = {};
  for (const [path, text] of made.files) files[path] = Buffer.from(text, "utf8").toString("base64");
  return { files };
}

export type PackageSummary = {
  name: string;
  latest: { id: string; version: string; status: string; digest: string; createdAt: string; uploadedBy: string | null } | null;
  versions: number;
};

const STATUS_NAME: Record<string, string> = {
  draft: "draft",
  sandbox_validated: "sandbox-validated",
  approved: "approved",
  prod_revalidated: "prod-revalidated",
};

/** The org's packages by name, each with its latest version and how many it has. */
export async function listPackages(orgId: string): Promise<PackageSummary[]> {
  const rows = await prisma().flowPackage.findMany({
    where: { orgId },
    orderBy: { name: "asc" },
    select: {
      name: true,
      _count: { select: { versions: true } },
      versions: {
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: 1,
        select: { id: true, version: true, status: true, digest: true, createdAt: true, uploadedBy: true },
      },
    },
  });
  return rows.map((r) => {
    const v = r.versions[0];
    return {
      name: r.name,
      versions: r._count.versions,
      latest: v
        ? { id: v.id, version: v.version, status: STATUS_NAME[v.status] ?? v.status, digest: v.digest, createdAt: v.createdAt.toISOString(), uploadedBy: v.uploadedBy }
        : null,
    };
  });
}

/** The latest version of a package, with its files as text, to open in the editor. */
export async function latestForEditor(orgId: string, name: string): Promise<{ versionId: string; files: Record<string, string>; status: string } | null> {
  const pkg = (await listPackages(orgId)).find((p) => p.name === name);
  if (!pkg?.latest) return null;
  const { files } = await versionFiles(orgId, pkg.latest.id);
  return {
    versionId: pkg.latest.id,
    status: pkg.latest.status,
    files: Object.fromEntries(Object.entries(files).map(([p, b]) => [p, Buffer.from(b, "base64").toString("utf8")])),
  };
}
