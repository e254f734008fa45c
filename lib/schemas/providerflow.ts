// ProviderFlow on the server (spec providerflow.md §5, §6): the org's secret store,
// package versions with their evidence and approvals, and plan/apply.
//
// A package travels as `{ files: { "<relative path>": "<base64 bytes>" } }`: bytes, not
// text, so the digest computed here is the digest the CLI computed over the same files.
import { z } from "zod";
import { CursorParam, Limit, Timestamp, Uuid, listOf, pageOf } from "./common";
import { Role } from "./api-tokens";

// ---------------------------------------------------------------------------------
// Org secrets

/** The secretRef grammar of providerflow.md §9; a secret's name is the ref it answers. */
export const SECRET_NAME_RE = /^[A-Z][A-Z0-9_]{0,127}$/;
export const MAX_SECRET_BYTES = 8192;

export const SecretName = z
  .string()
  .regex(SECRET_NAME_RE, { error: "must match ^[A-Z][A-Z0-9_]{0,127}$ (upper case, digits, _)" })
  .meta({ description: "The secretRef a package names", examples: ["STRIPE_WEBHOOK_SECRET"] });

export const OrgSecretPut = z
  .object({
    value: z
      .string()
      .min(1, { error: "must not be empty" })
      .max(MAX_SECRET_BYTES, { error: `must be at most ${MAX_SECRET_BYTES} characters` })
      .meta({ description: "Write-only: never returned; responses show a hint", writeOnly: true }),
  })
  .meta({ id: "OrgSecretPut" });

export const OrgSecret = z
  .object({
    name: z.string(),
    hint: z.string().meta({ description: '"…" and the last 4 characters of the value (only "…" when shorter than 12)' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: "OrgSecret", description: "A secret's name and hint; the value is never returned" });

export const OrgSecretList = listOf(OrgSecret, "OrgSecretList");

// ---------------------------------------------------------------------------------
// Package uploads

/**
 * A package may hold 20 MiB (load-package.ts); base64 makes that 26.7 MiB, plus JSON and
 * up to 1000 paths. Only the routes that carry a package take this cap.
 */
export const MAX_PACKAGE_BODY_BYTES = 28 * 1024 * 1024;

/** Base64 of a package file; decoded strictly (see decodeBase64). */
const Base64File = z.string().meta({ description: "The file's bytes, base64 (RFC 4648, with padding)" });

export const PackageFilesBody = z
  .object({
    files: z
      .record(z.string(), Base64File)
      .refine((files) => Object.keys(files).length > 0, { message: "must hold at least provider-flow.yaml" })
      .meta({
        description:
          'Package-relative path ("provider-flow.yaml", "schemas/event.json", "fixtures/x.json", "goldens/x.json", "README.md") → base64 bytes. ' +
          "Generated files (traces/, scans.json, evidence.json) and other paths are ignored. " +
          "Limits: provider-flow.yaml ≤ 1 MiB, any file ≤ 5 MiB, the package ≤ 20 MiB, ≤ 1000 files.",
      }),
  })
  .meta({ id: "PackageFiles" });

/** Strict base64: the canonical encoding of its own decoding (Buffer.from alone skips bad characters). */
export function decodeBase64(value: string): Buffer | null {
  if (value.length % 4 !== 0) return null;
  const bytes = Buffer.from(value, "base64");
  return bytes.toString("base64") === value ? bytes : null;
}

// ---------------------------------------------------------------------------------
// Versions, evidence, approvals

export const PACKAGE_STATUSES = ["draft", "sandbox-validated", "approved", "prod-revalidated"] as const;
export type PackageStatusName = (typeof PACKAGE_STATUSES)[number];

export const PackageStatus = z.enum(PACKAGE_STATUSES).meta({
  id: "PackageStatus",
  description:
    "draft → sandbox-validated (contract valid, no scan error, every fixture matches its golden) → approved (by a reviewer or admin) → prod-revalidated (applied to a production org and every fixture re-run as a dry run against the applied configuration)",
});

export const ProdRevalidation = z.enum(["pending", "passed", "failed"]).meta({
  id: "ProdRevalidation",
  description: '"pending" until the version is approved and applied with its revalidation run; then the result of the last run',
});

export const EvidenceSummary = z
  .object({
    fixtures: z.number().int(),
    passed: z.number().int(),
    failed: z.number().int(),
    scanErrors: z.number().int(),
    scanWarnings: z.number().int(),
  })
  .meta({ id: "EvidenceSummary" });

export const Evidence = z
  .looseObject({
    package: z.looseObject({ name: z.string(), version: z.string(), provider: z.string(), digest: z.string() }),
    tool: z.looseObject({ name: z.string(), version: z.string() }),
    contract: z.looseObject({ valid: z.boolean(), errors: z.array(z.unknown()) }),
    scans: z.array(z.unknown()),
    fixtures: z.array(z.looseObject({ name: z.string(), passed: z.boolean() })),
    summary: EvidenceSummary,
    status: z.enum(["sandbox-validated", "draft"]),
  })
  .meta({
    id: "Evidence",
    description:
      'The sandbox run\'s evidence.json exactly as the CLI writes it (providerflow.md §6); secrets appear only as "[redacted]"',
  });

export const Approval = z
  .object({
    approvedBy: z.string().meta({ description: "The reviewer's email, or the API token's name and id" }),
    role: Role,
    digest: z.string().meta({ description: "The digest approved; approvals never carry over to another digest" }),
    note: z.string().nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: "Approval" });

export const RevalidationDifference = z
  .object({
    pointer: z.string().meta({ description: 'JSON Pointer into the golden\'s expectation ("/interaction/object/amount")' }),
    expected: z.unknown().optional(),
    actual: z.unknown().optional(),
    message: z.string().optional().meta({ description: "Why, when the difference is not a value (no golden, unknown endpoint)" }),
  })
  .meta({ id: "RevalidationDifference" });

export const Revalidation = z
  .object({
    fixtures: z.array(
      z.object({
        name: z.string(),
        passed: z.boolean(),
        diff: z.array(RevalidationDifference).meta({ description: "Empty when passed" }),
      }),
    ),
    passed: z.boolean(),
  })
  .meta({
    id: "Revalidation",
    description:
      "Every fixture re-run as a dry run (the mapping test: no event, no interaction written) against the configuration the apply left, compared with its golden",
  });

const versionFields = {
  id: Uuid,
  package: z.string(),
  version: z.string().meta({ description: "The contract's semver; the digest, not this, identifies the content" }),
  digest: z.string().meta({ description: "sha256 of the package's canonical content (providerflow.md §9)" }),
  status: PackageStatus,
  prodRevalidation: ProdRevalidation,
  summary: EvidenceSummary,
  createdAt: Timestamp,
  uploadedBy: z.string().nullable(),
  approvals: z.array(Approval),
  appliedAt: Timestamp.nullable(),
  appliedBy: z.string().nullable(),
  revalidation: Revalidation.nullable(),
  revalidatedAt: Timestamp.nullable(),
};

export const FlowVersion = z.object(versionFields).meta({ id: "FlowVersion" });

export const FlowVersionDetail = z.object({ ...versionFields, evidence: Evidence }).meta({ id: "FlowVersionDetail" });

export const FlowVersionListQuery = z.object({
  package: z.string().max(63).optional().meta({ description: "Only this package's versions" }),
  cursor: CursorParam,
  limit: Limit,
});

export const FlowVersionPage = pageOf(FlowVersion, "FlowVersionPage");

export const ApproveBody = z
  .object({ note: z.string().trim().max(2000).optional().meta({ description: "Why, for the approval history" }) })
  .meta({ id: "FlowApprove" });

// ---------------------------------------------------------------------------------
// Plan and apply

export const CHANGE_ACTIONS = ["create", "update", "delete", "unchanged"] as const;
export const CHANGE_KINDS = ["source", "mapping", "target", "route"] as const;

export const FieldChange = z
  .object({
    path: z
      .string()
      .meta({ description: 'JSON Pointer into the object\'s management API shape ("/url", "/verification/secret")' }),
    from: z.unknown().optional(),
    to: z.unknown().optional(),
  })
  .meta({ id: "FieldChange", description: 'One changed field; secret values are shown as "[redacted]"' });

export const Change = z
  .object({
    action: z.enum(CHANGE_ACTIONS),
    kind: z.enum(CHANGE_KINDS),
    name: z.string().meta({ description: 'Endpoint, flow or target name; "<flow>-><target>" for a route' }),
    diff: z.array(FieldChange).optional().meta({ description: "Present on update: what changes" }),
  })
  .meta({ id: "Change" });

export const Plan = z
  .object({ changes: z.array(Change) })
  .meta({ id: "FlowPlan", description: "What apply would do; nothing was changed" });

export const ApplyResult = z
  .object({
    applied: z.array(Change),
    inboundUrls: z
      .record(z.string(), z.string())
      .meta({ description: "Endpoint name → the public inbound URL (by mnemonic) to give the provider" }),
    version: FlowVersion.meta({ description: "The version applied, with the revalidation run after the apply" }),
  })
  .meta({ id: "FlowApplyResult" });

export type OrgSecretDto = z.output<typeof OrgSecret>;
export type PackageFilesInput = z.output<typeof PackageFilesBody>;
export type EvidenceDto = z.output<typeof Evidence>;
export type EvidenceSummaryDto = z.output<typeof EvidenceSummary>;
export type ApprovalDto = z.output<typeof Approval>;
export type RevalidationDto = z.output<typeof Revalidation>;
export type RevalidationDifferenceDto = z.output<typeof RevalidationDifference>;
export type FlowVersionDto = z.output<typeof FlowVersion>;
export type FlowVersionDetailDto = z.output<typeof FlowVersionDetail>;
export type FlowVersionListQueryInput = z.output<typeof FlowVersionListQuery>;
export type ApproveInput = z.output<typeof ApproveBody>;
export type ChangeDto = z.output<typeof Change>;
export type FieldChangeDto = z.output<typeof FieldChange>;
export type PlanDto = z.output<typeof Plan>;
export type ApplyResultDto = z.output<typeof ApplyResult>;
