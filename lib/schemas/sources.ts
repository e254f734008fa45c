// Inbound sources: create, update and response shapes (spec §2 "Source").
//
// Verification is stored in two places: the settings (preset, header, …) in the
// `verification` JSON column, the secret alone in `verificationSecret`. Responses show
// the settings and a `secretHint`, never the secret.
import { z } from "zod";
import { PRESET_DEFAULTS } from "@/lib/inbound/verify-signature";
import { VERIFICATION_PRESETS, type HmacAlgorithm, type SignatureEncoding, type VerificationPreset } from "@/lib/inbound/types";
import { MNEMONIC_RE } from "@/lib/inbound/inbound-url-grammar";
import { JsonObject, BodyPathString, Timestamp, Uuid, listOf } from "./common";
import { PayloadSchema } from "./payload-schema";

/**
 * The signature header each preset reads, as providers document it (header names are
 * case-insensitive; verify-signature looks them up lower-cased). `hmac` defaults to
 * X-Signature when no header is given.
 */
export const PRESET_HEADERS: Record<VerificationPreset, string> = {
  hmac: "X-Signature",
  stripe: "Stripe-Signature",
  github: "X-Hub-Signature-256",
  shopify: "X-Shopify-Hmac-Sha256",
  slack: "X-Slack-Signature",
  "standard-webhooks": "webhook-signature",
};

/** Presets whose providers sign a timestamp themselves (checked with a 300 s default tolerance). */
const signsTimestamp = (preset: VerificationPreset): boolean => PRESET_DEFAULTS[preset].toleranceSeconds !== null;

export const MAX_REPLAY_TOLERANCE_S = 30 * 24 * 3600;

const HEADER_NAME_RE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/;

export const Mnemonic = z
  .string()
  .regex(MNEMONIC_RE, { error: "must be 1–64 characters of A–Z, a–z, 0–9, _ and -" })
  .meta({ description: "Unique per org, case-sensitive; used in inbound URLs", examples: ["stripe-live"] });

const Preset = z.enum(VERIFICATION_PRESETS as [VerificationPreset, ...VerificationPreset[]]);
const Algorithm = z.enum(["sha1", "sha256", "sha512"]);
const Encoding = z.enum(["hex", "base64"]);

const Secret = z
  .string()
  .min(1, { error: "must not be empty" })
  .max(1024)
  .meta({ description: "Write-only: never returned; responses show secretHint instead", writeOnly: true });

/** Standard Webhooks secrets are `whsec_` followed by the base64 of the key bytes. */
export function isStandardWebhooksSecret(secret: string): boolean {
  if (!secret.startsWith("whsec_")) return false;
  const b64 = secret.slice("whsec_".length).replace(/=+$/, "");
  if (!/^[A-Za-z0-9+/]+$/.test(b64)) return false;
  const bytes = Buffer.from(b64, "base64");
  return bytes.length > 0 && bytes.toString("base64").replace(/=+$/, "") === b64;
}

const verificationFields = {
  preset: Preset.default("hmac").meta({ description: 'Provider preset (default "hmac")' }),
  header: z
    .string()
    .regex(HEADER_NAME_RE, { error: "must be an HTTP header name" })
    .optional()
    .meta({ description: 'Signature header; presets fill it in, "hmac" defaults to X-Signature' }),
  prefix: z.string().max(64).nullish().meta({ description: 'Stripped before comparing, e.g. "sha256=" (hmac only)' }),
  algorithm: Algorithm.optional().meta({ description: 'Default "sha256"; presets other than hmac fix it' }),
  encoding: Encoding.optional().meta({ description: 'Default "hex"; presets other than hmac fix it' }),
  timestampField: BodyPathString.nullish(),
  replayTolerance: z
    .number()
    .int({ error: "must be an integer number of seconds" })
    .min(1, { error: "must be at least 1 second" })
    .max(MAX_REPLAY_TOLERANCE_S)
    .nullish()
    .meta({ description: "Seconds; signed-timestamp presets default to 300" }),
};

type VerificationShape = {
  preset: VerificationPreset;
  header?: string;
  prefix?: string | null;
  algorithm?: HmacAlgorithm;
  encoding?: SignatureEncoding;
  timestampField?: string | null;
  replayTolerance?: number | null;
  secret?: string;
};

/**
 * Cross-field rules. Presets other than hmac fix header, prefix, algorithm and encoding
 * (verify-signature ignores them there), so a different value is refused rather than
 * stored and silently ignored. The secret is checked only when known (PATCH may keep
 * the stored one; the store re-checks it then).
 */
export function checkVerification(v: VerificationShape, addIssue: (path: string, message: string) => void): void {
  if (v.preset !== "hmac") {
    const fixed = PRESET_DEFAULTS[v.preset];
    const same = (a: string | null | undefined, b: string | null) => (a ?? "").toLowerCase() === (b ?? "").toLowerCase();
    const say = (value: string | null) => `is fixed by the "${v.preset}" preset (${value === null ? "none" : `"${value}"`})`;
    if (v.header !== undefined && !same(v.header, fixed.header)) addIssue("header", say(PRESET_HEADERS[v.preset]));
    if (v.prefix !== undefined && v.prefix !== null && !same(v.prefix, fixed.prefix)) addIssue("prefix", say(fixed.prefix));
    if (v.algorithm !== undefined && v.algorithm !== fixed.algorithm) addIssue("algorithm", say(fixed.algorithm));
    if (v.encoding !== undefined && v.encoding !== fixed.encoding) addIssue("encoding", say(fixed.encoding));
  }
  if (v.secret !== undefined && v.preset === "standard-webhooks" && !isStandardWebhooksSecret(v.secret)) {
    addIssue("secret", 'must be "whsec_" followed by base64 for the standard-webhooks preset');
  }
  if (!signsTimestamp(v.preset)) {
    // Without a signed timestamp, replay protection needs both halves; one alone would be
    // a silent no-op.
    if (v.timestampField && !v.replayTolerance) addIssue("replayTolerance", "is required when timestampField is set");
    if (v.replayTolerance && !v.timestampField) addIssue("timestampField", `is required when replayTolerance is set (preset "${v.preset}")`);
  }
}

/** What the `verification` column holds: every setting filled in, never the secret. */
export type StoredVerification = {
  preset: VerificationPreset;
  header: string;
  prefix: string | null;
  algorithm: HmacAlgorithm;
  encoding: SignatureEncoding;
  timestampField: string | null;
  replayTolerance: number | null;
};

/** Fills in preset defaults so the stored (and shown) settings are the ones verification uses. */
export function toStoredVerification(v: VerificationShape): StoredVerification {
  const d = PRESET_DEFAULTS[v.preset];
  const hmac = v.preset === "hmac";
  return {
    preset: v.preset,
    header: hmac && v.header ? v.header : PRESET_HEADERS[v.preset],
    prefix: hmac ? v.prefix || null : d.prefix,
    algorithm: hmac ? (v.algorithm ?? d.algorithm) : d.algorithm,
    encoding: hmac ? (v.encoding ?? d.encoding) : d.encoding,
    timestampField: v.timestampField ?? null,
    replayTolerance: v.replayTolerance ?? d.toleranceSeconds,
  };
}

/** "…" and the last 4 characters; short secrets show only "…" (4 of 8 would be half of it). */
export function secretHint(secret: string): string {
  return secret.length >= 12 ? `…${secret.slice(-4)}` : "…";
}

function refineVerification(v: VerificationShape, ctx: z.RefinementCtx): void {
  checkVerification(v, (path, message) => ctx.addIssue({ code: "custom", path: [path], message }));
}

export const VerificationCreate = z
  .object({ ...verificationFields, secret: Secret })
  .superRefine(refineVerification)
  .meta({ id: "VerificationInput", description: "Signature verification settings; the secret is required on create" });

export const VerificationUpdate = z
  .object({ ...verificationFields, secret: Secret.optional().meta({ description: "Omit to keep the stored secret" }) })
  .superRefine(refineVerification)
  .meta({
    id: "VerificationUpdate",
    description: "Replaces the verification settings as a whole; an omitted secret keeps the stored one",
  });

export const Verification = z
  .object({
    preset: Preset,
    header: z.string(),
    prefix: z.string().nullable(),
    algorithm: Algorithm,
    encoding: Encoding,
    timestampField: z.string().nullable(),
    replayTolerance: z.number().int().nullable().meta({ description: "Seconds; the preset's default (300) is filled in for stripe, slack and standard-webhooks" }),
    secretHint: z.string().meta({ description: '"…" and the last 4 characters of the secret (only "…" when shorter than 12)' }),
  })
  .meta({ id: "Verification" });

export const SourceCreate = z
  .object({
    title: z.string().trim().min(1, { error: "must not be empty" }).max(200),
    mnemonic: Mnemonic,
    description: z.string().max(2000).nullish(),
    active: z.boolean().default(true),
    verification: VerificationCreate.nullish(),
    payloadSchema: PayloadSchema.nullish(),
  })
  .meta({ id: "SourceCreate" });

export const SourceUpdate = z
  .object({
    title: z.string().trim().min(1, { error: "must not be empty" }).max(200).optional(),
    mnemonic: Mnemonic.optional(),
    description: z.string().max(2000).nullish(),
    active: z.boolean().optional(),
    verification: VerificationUpdate.nullish(),
    payloadSchema: PayloadSchema.nullish(),
  })
  .meta({ id: "SourceUpdate", description: "Fields omitted are kept; null clears an optional field" });

export const Source = z
  .object({
    id: Uuid,
    title: z.string(),
    mnemonic: z.string(),
    description: z.string().nullable(),
    active: z.boolean(),
    originId: Uuid,
    verification: Verification.nullable(),
    payloadSchema: JsonObject.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: "Source" });

export const SourceList = listOf(Source, "SourceList");

export type SourceCreateInput = z.output<typeof SourceCreate>;
export type SourceUpdateInput = z.output<typeof SourceUpdate>;
export type VerificationCreateInput = z.output<typeof VerificationCreate>;
export type VerificationUpdateInput = z.output<typeof VerificationUpdate>;
export type SourceDto = z.output<typeof Source>;
export type VerificationDto = z.output<typeof Verification>;
