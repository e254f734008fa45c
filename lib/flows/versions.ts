// ProviderFlow package versions (spec providerflow.md §5, §6): upload (validated and
// sandbox-run here, never executed: a package is data), read, evidence, approval.
// The org id is in every where clause; another org's version is "not found" exactly
// like an unknown id, and its evidence with it.
import { prisma } from "@/lib/db";
import {
  Prisma,
  type FlowApproval,
  type FlowPackageVersion,
  type PackageStatus as DbStatus,
} from "@/lib/generated/prisma/client";
import { ApiError, conflict, notFound, validationFailed, type Detail } from "@/lib/errors";
import {
  Evidence,
  Revalidation,
  decodeBase64,
  type ApprovalDto,
  type EvidenceDto,
  type EvidenceSummaryDto,
  type FlowVersionDetailDto,
  type FlowVersionDto,
  type FlowVersionListQueryInput,
  type PackageStatusName,
  type RevalidationDto,
} from "@/lib/schemas/providerflow";
import type { Principal } from "@/lib/auth/principal";
import { escapePointerToken } from "@/lib/inbound/paths";
import { toStorableValue } from "@/lib/inbound/storable-text";
import { checkPackage, type CheckedPackage } from "@/providerflow/check";
import type { CompiledPackage } from "@/providerflow/compile";
import { isDigestedPath, packageDigest } from "@/providerflow/digest";
import { evaluatePackage } from "@/providerflow/evaluate";
import { formatLocation, type Finding } from "@/providerflow/findings";
import { packageGraph, type PackageGraph } from "@/providerflow/graph";
import { packageFromFiles, type PackageFiles } from "@/providerflow/load-package";
import { secretLookup } from "./secrets";
import { actorKey, principalLabel } from "@/lib/store/members";
import { toPage, type Page } from "@/lib/cursors";
import { isUniqueViolation } from "@/lib/store/sources";
import { isUuid } from "@/lib/uuid";

export const STATUS_TO_API: Record<DbStatus, PackageStatusName> = {
  draft: "draft",
  sandbox_validated: "sandbox-validated",
  approved: "approved",
  prod_revalidated: "prod-revalidated",
};

type VersionRow = Omit<FlowPackageVersion, "files" | "evidence" | "uploadedByActor"> & { package: { name: string }; approvals: FlowApproval[] };

/** Everything but the two large columns (files, evidence): lists and status changes never need them. */
const versionSelect = {
  id: true,
  orgId: true,
  packageId: true,
  version: true,
  digest: true,
  status: true,
  uploadedBy: true,
  createdAt: true,
  appliedAt: true,
  appliedBy: true,
  revalidation: true,
  revalidatedAt: true,
  package: { select: { name: true } },
  approvals: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
} as const satisfies Prisma.FlowPackageVersionSelect;

const EMPTY_SUMMARY: EvidenceSummaryDto = { fixtures: 0, passed: 0, failed: 0, scanErrors: 0, scanWarnings: 0 };

function toApproval(row: FlowApproval): ApprovalDto {
  return {
    approvedBy: row.approvedBy,
    role: row.role,
    digest: row.digest,
    note: row.note,
    createdAt: row.createdAt.toISOString(),
  };
}

function readRevalidation(value: Prisma.JsonValue | null): RevalidationDto | null {
  if (value === null) return null;
  const parsed = Revalidation.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/**
 * "passed" once a production apply revalidated the version; "failed" when the last
 * revalidation of an approved version did not pass; "pending" otherwise, which is
 * what every version before approval shows (spec §5).
 */
function prodRevalidation(status: DbStatus, revalidation: RevalidationDto | null): FlowVersionDto["prodRevalidation"] {
  if (status === "prod_revalidated") return "passed";
  if (status === "approved" && revalidation && !revalidation.passed) return "failed";
  return "pending";
}

export function toFlowVersion(row: VersionRow, summary: EvidenceSummaryDto): FlowVersionDto {
  const revalidation = readRevalidation(row.revalidation);
  return {
    id: row.id,
    package: row.package.name,
    version: row.version,
    digest: row.digest,
    status: STATUS_TO_API[row.status],
    prodRevalidation: prodRevalidation(row.status, revalidation),
    summary,
    createdAt: row.createdAt.toISOString(),
    uploadedBy: row.uploadedBy,
    approvals: row.approvals.map(toApproval),
    appliedAt: row.appliedAt?.toISOString() ?? null,
    appliedBy: row.appliedBy,
    revalidation,
    revalidatedAt: row.revalidatedAt?.toISOString() ?? null,
  };
}

/** Evidence as stored; a row that does not hold valid evidence is a server fault, not the caller's. */
function readEvidence(value: Prisma.JsonValue | null): EvidenceDto {
  const parsed = Evidence.safeParse(value);
  if (!parsed.success) throw new Error("stored evidence does not match the evidence schema");
  return parsed.data;
}

/** The summaries of a page of versions, read out of the evidence column without loading the rest of it. */
async function summariesOf(orgId: string, ids: string[]): Promise<Map<string, EvidenceSummaryDto>> {
  if (ids.length === 0) return new Map();
  const rows = await prisma().$queryRaw<{ id: string; summary: Prisma.JsonValue }[]>`
    SELECT "id"::text AS "id", "evidence"->'summary' AS "summary"
      FROM "FlowPackageVersion"
     WHERE "orgId" = ${orgId}::uuid AND "id" = ANY(${ids}::uuid[])`;
  const out = new Map<string, EvidenceSummaryDto>();
  for (const row of rows) {
    const parsed = Evidence.shape.summary.safeParse(row.summary);
    out.set(row.id, parsed.success ? parsed.data : EMPTY_SUMMARY);
  }
  return out;
}

async function withSummary(orgId: string, row: VersionRow): Promise<FlowVersionDto> {
  const summaries = await summariesOf(orgId, [row.id]);
  return toFlowVersion(row, summaries.get(row.id) ?? EMPTY_SUMMARY);
}

/**
 * Who did it, for uploadedBy, approvedBy and appliedBy: the person (name and email),
 * through a token they made ("Ada <ada@x.io> via token "ci""), or a token no person made
 * (its name and id: a name alone is not unique).
 */
export async function actorLabel(principal: Principal): Promise<string> {
  return principalLabel(principal);
}

// ---------------------------------------------------------------------------------
// Decoding and checking an uploaded package

/** A finding as an API detail: a JSON Pointer into the upload (/files/<file><pointer>) and a located message. */
export function findingToDetail(f: Finding): Detail {
  const where = formatLocation(f);
  const path = f.file === undefined ? "/files" : `/files/${escapePointerToken(f.file)}${f.pointer ?? ""}`;
  return { path, message: `${where ? `${where}: ` : ""}${f.message} (${f.code})` };
}

export type LoadedUpload = {
  files: PackageFiles;
  checked: { package: CheckedPackage; compiled: CompiledPackage };
  digest: string;
};

/**
 * Decodes the base64 map, loads it under load-package's limits and checks the contract.
 * Anything that fails is a 400 whose details point at the file and place: a package
 * that does not load or whose contract is invalid has no name, version or compiled
 * form to store, so it never becomes a version.
 */
export function loadUpload(encoded: Readonly<Record<string, string>>): LoadedUpload {
  const decoded = new Map<string, Buffer>();
  const details: Detail[] = [];
  for (const [path, value] of Object.entries(encoded)) {
    const bytes = decodeBase64(value);
    if (bytes) decoded.set(path, bytes);
    else details.push({ path: `/files/${escapePointerToken(path)}`, message: "is not valid base64 (RFC 4648, with padding)" });
  }
  if (details.length > 0) throw validationFailed(details);
  const loaded = packageFromFiles(decoded);
  if (!loaded.ok) throw validationFailed(loaded.findings.map(findingToDetail));
  const check = checkPackage(loaded.files);
  if (!check.ok) throw validationFailed(check.findings.map(findingToDetail));
  return {
    files: loaded.files,
    checked: { package: check.package, compiled: check.compiled },
    digest: packageDigest(loaded.files),
  };
}

/** Loads a stored version's files back (they passed loadUpload when stored). */
export function loadStoredFiles(files: Prisma.JsonValue): LoadedUpload {
  if (!files || typeof files !== "object" || Array.isArray(files)) throw new Error("stored package files are not a map");
  const encoded: Record<string, string> = {};
  for (const [path, value] of Object.entries(files)) {
    if (typeof value !== "string") throw new Error(`stored package file ${path} is not a string`);
    encoded[path] = value;
  }
  return loadUpload(encoded);
}

/** Only the package's own (digested) files are kept; generated ones are the server's to produce. */
function filesToStore(files: PackageFiles): Prisma.InputJsonObject {
  const out: Record<string, string> = {};
  for (const [path, bytes] of files) if (isDigestedPath(path)) out[path] = bytes.toString("base64");
  return out;
}

// ---------------------------------------------------------------------------------
// Upload

type SandboxRun = { status: DbStatus; evidence: EvidenceDto };

/**
 * The sandbox run with the org's own secrets (never the server's environment). The
 * package is data: evaluatePackage runs the fixtures through the pipeline's stage
 * functions against the compiled configuration, with a fixed clock and id generator.
 */
async function sandboxRun(orgId: string, upload: LoadedUpload): Promise<SandboxRun> {
  // The org's secrets are not the test values rejection cases were pinned with, so those
  // are compared by the stage that refused them (evaluate.ts, pinnedRejections).
  const result = await evaluatePackage(upload.files, { secrets: await secretLookup(orgId), pinnedRejections: "by-stage" });
  if (result.digest !== upload.digest) throw new Error("the sandbox computed another digest than the server");
  const evidence = Evidence.safeParse(result.evidence);
  if (!evidence.success) throw new Error("the sandbox produced evidence that does not match the evidence schema");
  // Evidence quotes fixtures, which are a provider's data and may hold U+0000 or a lone
  // surrogate: stored as U+FFFD (lib/inbound/storable-text.ts), as the pipeline stores them.
  return { status: evidence.data.status === "sandbox-validated" ? "sandbox_validated" : "draft", evidence: evidence.data };
}

export type UploadResult = { created: boolean; version: FlowVersionDetailDto };

/**
 * Stores a new version, or returns the existing one for the same package and digest.
 * A stored draft is run again first: the usual reason to re-upload identical content
 * is a secret set in the meantime. A version past draft is never re-run, so the
 * evidence a reviewer approved stays the evidence on record.
 */
export async function uploadVersion(principal: Principal, encoded: Readonly<Record<string, string>>): Promise<UploadResult> {
  const { orgId } = principal;
  const upload = loadUpload(encoded);
  const name = upload.checked.compiled.package.name;
  const existing = await prisma().flowPackageVersion.findFirst({
    where: { orgId, digest: upload.digest, package: { orgId, name } },
    select: { id: true, status: true },
  });
  if (existing) {
    if (existing.status === "draft") {
      const run = await sandboxRun(orgId, upload);
      await prisma().flowPackageVersion.updateMany({
        where: { id: existing.id, orgId, status: "draft" },
        data: { status: run.status, evidence: toStorableValue(run.evidence) as Prisma.InputJsonObject },
      });
    }
    return { created: false, version: await getVersion(orgId, existing.id) };
  }

  const run = await sandboxRun(orgId, upload);
  const uploadedBy = await actorLabel(principal);
  const uploadedByActor = await actorKey(principal);
  try {
    const id = await prisma().$transaction(async (tx) => {
      // Insert-if-missing that holds under concurrency, as for resource types.
      await tx.flowPackage.createMany({ data: [{ orgId, name }], skipDuplicates: true });
      const pkg = await tx.flowPackage.findUniqueOrThrow({ where: { orgId_name: { orgId, name } }, select: { id: true } });
      const row = await tx.flowPackageVersion.create({
        data: {
          orgId,
          packageId: pkg.id,
          version: upload.checked.compiled.package.version,
          digest: upload.digest,
          status: run.status,
          files: filesToStore(upload.files),
          evidence: toStorableValue(run.evidence) as Prisma.InputJsonObject,
          uploadedBy,
          uploadedByActor,
        },
        select: { id: true },
      });
      return row.id;
    });
    return { created: true, version: await getVersion(orgId, id) };
  } catch (error) {
    // The same content uploaded twice at once: the second finds the first's row.
    if (!isUniqueViolation(error)) throw error;
    const winner = await prisma().flowPackageVersion.findFirst({
      where: { orgId, digest: upload.digest, package: { orgId, name } },
      select: { id: true },
    });
    if (!winner) throw error;
    return { created: false, version: await getVersion(orgId, winner.id) };
  }
}

// ---------------------------------------------------------------------------------
// Reads

/** Newest first on (createdAt desc, id desc), the order of the (orgId, createdAt, id) index. */
export async function listVersions(orgId: string, q: FlowVersionListQueryInput): Promise<Page<FlowVersionDto>> {
  const rows = await prisma().flowPackageVersion.findMany({
    where: {
      orgId,
      ...(q.package !== undefined ? { package: { orgId, name: q.package } } : {}),
      ...(q.cursor ? { OR: [{ createdAt: { lt: q.cursor.at } }, { createdAt: q.cursor.at, id: { lt: q.cursor.id } }] } : {}),
    },
    select: versionSelect,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
  });
  const summaries = await summariesOf(
    orgId,
    rows.slice(0, q.limit).map((r) => r.id),
  );
  return toPage(
    rows,
    q.limit,
    (r) => r.createdAt,
    (r) => toFlowVersion(r, summaries.get(r.id) ?? EMPTY_SUMMARY),
  );
}

export async function findVersionRow(orgId: string, id: string): Promise<VersionRow> {
  if (!isUuid(id)) throw notFound();
  const row = await prisma().flowPackageVersion.findFirst({ where: { id, orgId }, select: versionSelect });
  if (!row) throw notFound();
  return row;
}

export async function getVersionSummary(orgId: string, id: string): Promise<FlowVersionDto> {
  return withSummary(orgId, await findVersionRow(orgId, id));
}

export async function getEvidence(orgId: string, id: string): Promise<EvidenceDto> {
  if (!isUuid(id)) throw notFound();
  const row = await prisma().flowPackageVersion.findFirst({ where: { id, orgId }, select: { evidence: true } });
  if (!row) throw notFound();
  return readEvidence(row.evidence);
}

export async function getVersion(orgId: string, id: string): Promise<FlowVersionDetailDto> {
  if (!isUuid(id)) throw notFound();
  const row = await prisma().flowPackageVersion.findFirst({ where: { id, orgId }, select: { ...versionSelect, evidence: true } });
  if (!row) throw notFound();
  const evidence = readEvidence(row.evidence);
  return { ...toFlowVersion(row, evidence.summary), evidence };
}

/**
 * A version with its evidence and its DAG (providerflow/graph.ts), for the reviewers'
 * page. The graph is rebuilt from the stored files, which passed the contract check when
 * uploaded; it names steps, targets' URLs and auth types, never a secret.
 */
export async function getVersionForReview(orgId: string, id: string): Promise<FlowVersionDetailDto & { graph: PackageGraph }> {
  if (!isUuid(id)) throw notFound();
  const row = await prisma().flowPackageVersion.findFirst({ where: { id, orgId }, select: { ...versionSelect, evidence: true, files: true } });
  if (!row) throw notFound();
  const evidence = readEvidence(row.evidence);
  const graph = packageGraph(loadStoredFiles(row.files).checked.package.contract);
  return { ...toFlowVersion(row, evidence.summary), evidence, graph };
}

// ---------------------------------------------------------------------------------
// Approval

/**
 * Approval is a reviewer's act: reviewers and admins may approve, operators may not,
 * although operators outrank reviewers everywhere else. Whoever writes configuration
 * should not also be the one who signs it off.
 */
export function assertMayApprove(principal: Principal): void {
  if (principal.role !== "reviewer" && principal.role !== "admin") throw new ApiError("forbidden");
}

/**
 * sandbox-validated → approved, recording who, in which role, which digest and when.
 * Anything else is a 409: a draft has not passed its sandbox run, and a version already
 * approved keeps its first approval (a second call is refused rather than recorded
 * twice, so the history shows one decision per digest).
 */
export async function approveVersion(principal: Principal, id: string, note: string | undefined): Promise<FlowVersionDto> {
  assertMayApprove(principal);
  const { orgId } = principal;
  const approvedBy = await actorLabel(principal);
  const approverActor = await actorKey(principal);
  await prisma().$transaction(async (tx) => {
    if (!isUuid(id)) throw notFound();
    const current = await tx.flowPackageVersion.findFirst({
      where: { id, orgId },
      select: {
        digest: true,
        status: true,
        uploadedBy: true,
        uploadedByActor: true,
        org: { select: { environment: true, separationOfDuties: true } },
        approvals: { orderBy: { createdAt: "asc" }, take: 1 },
      },
    });
    if (!current) throw notFound();
    const refuse = (message: string) => conflict([{ path: "", message }]);
    // Separation of duties: in a production org nobody signs off their own upload.
    if (
      current.status === "sandbox_validated" &&
      current.org.environment !== "sandbox" &&
      current.org.separationOfDuties &&
      current.uploadedByActor !== null &&
      current.uploadedByActor === approverActor
    ) {
      throw refuse(
        `Separation of duties: this version was uploaded by ${current.uploadedBy ?? "you"}, who cannot also approve it. ` +
          "Another reviewer or admin must approve it (an admin can turn this rule off for a one-person team in Settings).",
      );
    }
    if (current.status === "draft") {
      throw refuse(
        "This version is draft: its sandbox run did not pass (see its evidence). Only a sandbox-validated version can be approved.",
      );
    }
    if (current.status !== "sandbox_validated") {
      const first = current.approvals[0];
      throw refuse(
        first
          ? `This version is already approved (by ${first.approvedBy} at ${first.createdAt.toISOString()}).`
          : `This version is ${STATUS_TO_API[current.status]}; only a sandbox-validated version can be approved.`,
      );
    }
    // Conditional on the status, so two concurrent approvals record one decision.
    const { count } = await tx.flowPackageVersion.updateMany({
      where: { id, orgId, status: "sandbox_validated" },
      data: { status: "approved" },
    });
    if (count === 0) throw refuse("This version was approved concurrently.");
    await tx.flowApproval.create({
      data: { orgId, versionId: id, digest: current.digest, approvedBy, approverActor, role: principal.role, note: note ?? null },
    });
  });
  return getVersionSummary(orgId, id);
}
