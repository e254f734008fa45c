// Stage 2: signature verification over the raw body bytes, before any JSON parsing.
//
// Rules that hold for every preset:
// - The HMAC is computed over the bytes exactly as received. Re-serialized JSON would
//   differ in whitespace, key order and escapes, and would not verify.
// - Signatures are decoded to bytes and compared with crypto.timingSafeEqual on
//   equal-length buffers; an empty buffer never compares equal (see constantTimeEqual).
// - An empty secret fails: an HMAC keyed with "" is forgeable by anyone.
// - The signature is checked first. Only a valid signature lets timestamps be looked
//   at, so a wrong signature with a stale timestamp is "signature", never "too_old".
// - Presets with a signed timestamp (stripe `t=`, slack, standard-webhooks) reject
//   events outside their tolerance in both directions (default 300 s; `replayTolerance`
//   overrides it). A signed timestamp that is not a Unix-seconds integer is "too_old".
// - `timestampField` + `replayTolerance`: after the signature (and any preset
//   timestamp) passed, the timestamp at that payload path is parsed (Unix s, Unix ms or
//   ISO 8601) and must be within the tolerance. A missing or unparseable timestamp is
//   "too_old": the event cannot be proven fresh. The caller may pass the parsed
//   payload; without it the raw body is parsed here, only after the signature passed.
// - `replayTolerance` counts as set only when it is a finite number > 0; anything else
//   (null, 0, negative) leaves the preset default in force, so a bad value can never
//   switch replay protection off.
// - `header`, `prefix`, `algorithm` and `encoding` only apply to the hmac preset; the
//   other presets fix them (PRESET_DEFAULTS).
// - Header names are expected lower-cased; a case-insensitive lookup is the fallback.

import { createHmac, timingSafeEqual } from "node:crypto";
import { getPath } from "./paths";
import { isWithinTolerance, parseTimestamp } from "./timestamps";
import type { HmacAlgorithm, SignatureEncoding, VerificationConfig, VerificationPreset } from "./types";

export type VerifySignatureInput = {
  verification: VerificationConfig;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  rawBody: Uint8Array;
  nowMs: number;
  /** Parsed JSON body; only read for `timestampField`, after the signature passed. */
  payload?: unknown;
};

export type VerifySignatureResult = { ok: true } | { ok: false; reason: "signature" | "too_old" };

export type PresetDefaults = {
  /** Header carrying the signature (lower-case). */
  header: string;
  /** Header carrying the signed timestamp, for presets that sign one. */
  timestampHeader: string | null;
  /** Header carrying the message id (standard-webhooks). */
  idHeader: string | null;
  prefix: string | null;
  algorithm: HmacAlgorithm;
  encoding: SignatureEncoding;
  /** Tolerance on the signed timestamp in seconds; null when the preset signs none. */
  toleranceSeconds: number | null;
};

export const DEFAULT_TOLERANCE_SECONDS = 300;

export const PRESET_DEFAULTS: Readonly<Record<VerificationPreset, Readonly<PresetDefaults>>> = Object.freeze({
  hmac: {
    header: "x-signature",
    timestampHeader: null,
    idHeader: null,
    prefix: null,
    algorithm: "sha256",
    encoding: "hex",
    toleranceSeconds: null,
  },
  stripe: {
    header: "stripe-signature",
    timestampHeader: null, // `t=` inside stripe-signature
    idHeader: null,
    prefix: null,
    algorithm: "sha256",
    encoding: "hex",
    toleranceSeconds: DEFAULT_TOLERANCE_SECONDS,
  },
  github: {
    header: "x-hub-signature-256",
    timestampHeader: null,
    idHeader: null,
    prefix: "sha256=",
    algorithm: "sha256",
    encoding: "hex",
    toleranceSeconds: null,
  },
  shopify: {
    header: "x-shopify-hmac-sha256",
    timestampHeader: null,
    idHeader: null,
    prefix: null,
    algorithm: "sha256",
    encoding: "base64",
    toleranceSeconds: null,
  },
  slack: {
    header: "x-slack-signature",
    timestampHeader: "x-slack-request-timestamp",
    idHeader: null,
    prefix: "v0=",
    algorithm: "sha256",
    encoding: "hex",
    toleranceSeconds: DEFAULT_TOLERANCE_SECONDS,
  },
  "standard-webhooks": {
    header: "webhook-signature",
    timestampHeader: "webhook-timestamp",
    idHeader: "webhook-id",
    prefix: "v1,",
    algorithm: "sha256",
    encoding: "base64",
    toleranceSeconds: DEFAULT_TOLERANCE_SECONDS,
  },
});

/** Every header that carries signature material in any preset. */
const KNOWN_SIGNATURE_HEADERS: readonly string[] = [
  "stripe-signature",
  "x-hub-signature-256",
  "x-hub-signature",
  "x-shopify-hmac-sha256",
  "x-slack-signature",
  "webhook-signature",
  "x-signature",
];

/** Bounds the work a header stuffed with signatures can cause. */
const MAX_SIGNATURES = 20;

const ALGORITHMS: ReadonlySet<string> = new Set<HmacAlgorithm>(["sha1", "sha256", "sha512"]);
const ENCODINGS: ReadonlySet<string> = new Set<SignatureEncoding>(["hex", "base64"]);

const HEX = /^[0-9a-fA-F]+$/;
// Standard or URL-safe alphabet, padding optional.
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

const SIGNATURE_FAILED: VerifySignatureResult = { ok: false, reason: "signature" };
const TOO_OLD: VerifySignatureResult = { ok: false, reason: "too_old" };

/**
 * Constant-time equality of two byte strings. timingSafeEqual throws on different
 * lengths and returns true for two empty buffers; an empty or missing signature must
 * never verify, so both cases are false here.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length === 0 || b.length === 0 || a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

/** Header names (lower-case) whose values carry signature material, to redact before storing headers. */
export function signatureHeaderNames(v: VerificationConfig): string[] {
  const names = new Set<string>();
  const preset = PRESET_DEFAULTS[v.preset as VerificationPreset];
  if (preset) names.add(preset.header);
  if (typeof v.header === "string" && v.header.trim() !== "") names.add(v.header.trim().toLowerCase());
  for (const h of KNOWN_SIGNATURE_HEADERS) names.add(h);
  return [...names];
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  if (typeof headers !== "object" || headers === null) return undefined;
  let raw: unknown = Object.hasOwn(headers, name) ? headers[name] : undefined;
  if (raw === undefined) {
    for (const key of Object.keys(headers)) {
      if (key.toLowerCase() === name) {
        raw = headers[key];
        break;
      }
    }
  }
  if (typeof raw !== "string") return undefined;
  const trimmed = raw.trim();
  return trimmed === "" ? undefined : trimmed;
}

function decodeSignature(text: string, encoding: SignatureEncoding): Uint8Array | null {
  if (encoding === "hex") {
    // Case-insensitive by construction: both cases decode to the same bytes.
    if (text.length % 2 !== 0 || !HEX.test(text)) return null;
    return Buffer.from(text, "hex");
  }
  if (!BASE64.test(text)) return null;
  return Buffer.from(text, "base64"); // Node also decodes the URL-safe alphabet
}

function hmac(algorithm: HmacAlgorithm, key: string | Uint8Array, parts: readonly (string | Uint8Array)[]): Buffer {
  const h = createHmac(algorithm, key);
  for (const part of parts) h.update(part);
  return h.digest();
}

function matchesAny(candidates: readonly string[], encoding: SignatureEncoding, expected: Uint8Array): boolean {
  let matched = false;
  // Every candidate is compared (no early exit), so timing does not reveal which one matched.
  for (const candidate of candidates.slice(0, MAX_SIGNATURES)) {
    const decoded = decodeSignature(candidate, encoding);
    if (decoded && constantTimeEqual(decoded, expected)) matched = true;
  }
  return matched;
}

function stripPrefix(value: string, prefix: string | null | undefined): string {
  if (!prefix) return value;
  return value.slice(0, prefix.length).toLowerCase() === prefix.toLowerCase() ? value.slice(prefix.length) : value;
}

function unixSecondsToMs(text: string | undefined): number | null {
  if (text === undefined || !/^\d{1,12}$/.test(text)) return null;
  return Number(text) * 1000;
}

/** A signature check's outcome: the signed timestamp (ms) when the preset signs one. */
type SignatureOutcome = { valid: false } | { valid: true; signedAtMs: number | null; hasSignedTimestamp: boolean };

const INVALID: SignatureOutcome = { valid: false };

function verifyHmac(v: VerificationConfig, headers: Record<string, string>, body: Uint8Array): SignatureOutcome {
  const d = PRESET_DEFAULTS.hmac;
  const algorithm = v.algorithm ?? d.algorithm;
  const encoding = v.encoding ?? d.encoding;
  if (!ALGORITHMS.has(algorithm) || !ENCODINGS.has(encoding)) return INVALID;
  const name = typeof v.header === "string" && v.header.trim() !== "" ? v.header.trim().toLowerCase() : d.header;
  const value = headerValue(headers, name);
  if (value === undefined) return INVALID;
  const expected = hmac(algorithm, v.secret, [body]);
  const ok = matchesAny([stripPrefix(value, v.prefix).trim()], encoding, expected);
  return ok ? { valid: true, signedAtMs: null, hasSignedTimestamp: false } : INVALID;
}

function verifyStripe(v: VerificationConfig, headers: Record<string, string>, body: Uint8Array): SignatureOutcome {
  const value = headerValue(headers, PRESET_DEFAULTS.stripe.header);
  if (value === undefined) return INVALID;
  let t: string | undefined;
  const v1: string[] = [];
  for (const item of value.split(",")) {
    const eq = item.indexOf("=");
    if (eq === -1) continue;
    const key = item.slice(0, eq).trim();
    const val = item.slice(eq + 1).trim();
    if (key === "t" && t === undefined) t = val;
    else if (key === "v1") v1.push(val); // v0 and other schemes are ignored
  }
  if (t === undefined || t === "" || v1.length === 0) return INVALID;
  const expected = hmac("sha256", v.secret, [`${t}.`, body]);
  if (!matchesAny(v1, "hex", expected)) return INVALID;
  return { valid: true, signedAtMs: unixSecondsToMs(t), hasSignedTimestamp: true };
}

function verifyGithub(v: VerificationConfig, headers: Record<string, string>, body: Uint8Array): SignatureOutcome {
  const value = headerValue(headers, PRESET_DEFAULTS.github.header);
  if (value === undefined || !value.toLowerCase().startsWith("sha256=")) return INVALID;
  const expected = hmac("sha256", v.secret, [body]);
  return matchesAny([value.slice("sha256=".length)], "hex", expected)
    ? { valid: true, signedAtMs: null, hasSignedTimestamp: false }
    : INVALID;
}

function verifyShopify(v: VerificationConfig, headers: Record<string, string>, body: Uint8Array): SignatureOutcome {
  const value = headerValue(headers, PRESET_DEFAULTS.shopify.header);
  if (value === undefined) return INVALID;
  const expected = hmac("sha256", v.secret, [body]);
  return matchesAny([value], "base64", expected) ? { valid: true, signedAtMs: null, hasSignedTimestamp: false } : INVALID;
}

function verifySlack(v: VerificationConfig, headers: Record<string, string>, body: Uint8Array): SignatureOutcome {
  const d = PRESET_DEFAULTS.slack;
  const value = headerValue(headers, d.header);
  const ts = headerValue(headers, d.timestampHeader as string);
  if (value === undefined || ts === undefined || !value.startsWith("v0=")) return INVALID;
  const expected = hmac("sha256", v.secret, [`v0:${ts}:`, body]);
  if (!matchesAny([value.slice(3)], "hex", expected)) return INVALID;
  return { valid: true, signedAtMs: unixSecondsToMs(ts), hasSignedTimestamp: true };
}

/** `whsec_<base64>`; a secret without the prefix is base64 too. Empty when undecodable. */
function standardWebhooksKey(secret: string): Uint8Array {
  const b64 = secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret;
  if (!BASE64.test(b64)) return new Uint8Array(0);
  return Buffer.from(b64, "base64");
}

function verifyStandardWebhooks(v: VerificationConfig, headers: Record<string, string>, body: Uint8Array): SignatureOutcome {
  const d = PRESET_DEFAULTS["standard-webhooks"];
  const id = headerValue(headers, d.idHeader as string);
  const ts = headerValue(headers, d.timestampHeader as string);
  const value = headerValue(headers, d.header);
  if (id === undefined || ts === undefined || value === undefined) return INVALID;
  const key = standardWebhooksKey(v.secret);
  if (key.length === 0) return INVALID;
  const candidates: string[] = [];
  for (const entry of value.split(" ")) {
    const comma = entry.indexOf(",");
    if (comma === -1) continue;
    if (entry.slice(0, comma) === "v1") candidates.push(entry.slice(comma + 1)); // other versions ignored
  }
  const expected = hmac("sha256", key, [`${id}.${ts}.`, body]);
  if (!matchesAny(candidates, "base64", expected)) return INVALID;
  return { valid: true, signedAtMs: unixSecondsToMs(ts), hasSignedTimestamp: true };
}

const VERIFIERS: Record<
  VerificationPreset,
  (v: VerificationConfig, headers: Record<string, string>, body: Uint8Array) => SignatureOutcome
> = {
  hmac: verifyHmac,
  stripe: verifyStripe,
  github: verifyGithub,
  shopify: verifyShopify,
  slack: verifySlack,
  "standard-webhooks": verifyStandardWebhooks,
};

/** `replayTolerance` when it is a usable positive number, else null. */
function configuredTolerance(v: VerificationConfig): number | null {
  const t = v.replayTolerance;
  return typeof t === "number" && Number.isFinite(t) && t > 0 ? t : null;
}

function parseBodyJson(rawBody: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(rawBody)) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Replay check on the payload's own timestamp (`timestampField` + `replayTolerance`).
 * True when not configured. Exported for callers that verify in two steps.
 */
export function isPayloadTimestampFresh(v: VerificationConfig, payload: unknown, nowMs: number): boolean {
  const tolerance = configuredTolerance(v);
  if (typeof v.timestampField !== "string" || v.timestampField === "" || tolerance === null) return true;
  const ts = parseTimestamp(getPath(payload, v.timestampField));
  return ts !== null && isWithinTolerance(ts, nowMs, tolerance);
}

export function verifySignature(input: VerifySignatureInput): VerifySignatureResult {
  const { verification: v, headers, rawBody, nowMs } = input;
  if (typeof v !== "object" || v === null) return SIGNATURE_FAILED;
  const verifier = Object.hasOwn(VERIFIERS, v.preset) ? VERIFIERS[v.preset] : undefined;
  if (!verifier || typeof v.secret !== "string" || v.secret === "" || !ArrayBuffer.isView(rawBody)) {
    return SIGNATURE_FAILED;
  }

  let outcome: SignatureOutcome;
  try {
    outcome = verifier(v, headers, rawBody);
  } catch {
    return SIGNATURE_FAILED; // e.g. a key the crypto module refuses: fail closed
  }
  if (!outcome.valid) return SIGNATURE_FAILED;

  if (outcome.hasSignedTimestamp) {
    const tolerance = configuredTolerance(v) ?? PRESET_DEFAULTS[v.preset].toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
    if (outcome.signedAtMs === null || !isWithinTolerance(outcome.signedAtMs, nowMs, tolerance)) return TOO_OLD;
  }

  if (typeof v.timestampField === "string" && v.timestampField !== "" && configuredTolerance(v) !== null) {
    const payload = input.payload !== undefined ? input.payload : parseBodyJson(rawBody);
    if (!isPayloadTimestampFresh(v, payload, nowMs)) return TOO_OLD;
  }
  return { ok: true };
}
