// The provider's half of each verification preset: signing a fixture's request the way
// Stripe, GitHub, Shopify, Slack, a Standard Webhooks sender or a plain HMAC sender
// would, at the fixture's clock. lib/inbound/verify-signature.ts is the receiving half
// and stays the only judge of whether a request verifies.
//
// Why the sandbox signs: a package never holds secrets (providerflow.md), and the
// sandbox runs wherever the package goes (a laptop with test secrets, the server with
// the org's). A signature written into a fixture verifies under one secret only, so a
// fixture without a signature header means "this request, correctly signed" and is
// signed with whatever secret the run resolves; §9: "an object body is signed and sent
// as JSON.stringify(body)". A fixture that brings its own signature header is sent as
// it is: that is how a package states a rejection case (with expectSignature: invalid)
// or pins a provider's real request.

import { createHmac } from "node:crypto";
import type { HmacAlgorithm, SignatureEncoding, VerificationConfig } from "../lib/inbound/types";
import { PRESET_DEFAULTS } from "../lib/inbound/verify-signature";

/** The header a preset reads its signature from (lower-case). */
export function signatureHeaderOf(v: Pick<VerificationConfig, "preset" | "header">): string {
  if (v.preset === "hmac" && typeof v.header === "string" && v.header.trim() !== "") return v.header.trim().toLowerCase();
  return PRESET_DEFAULTS[v.preset].header;
}

function digest(algorithm: HmacAlgorithm, key: string | Uint8Array, parts: readonly (string | Uint8Array)[]): Buffer {
  const h = createHmac(algorithm, key);
  for (const part of parts) h.update(part);
  return h.digest();
}

function encode(bytes: Buffer, encoding: SignatureEncoding): string {
  return bytes.toString(encoding === "hex" ? "hex" : "base64");
}

/** `whsec_<base64>` (or bare base64) → the HMAC key; null when it does not decode. */
function standardWebhooksKey(secret: string): Buffer | null {
  const b64 = secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret;
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(b64)) return null;
  const key = Buffer.from(b64, "base64");
  return key.length > 0 ? key : null;
}

export type SignedHeaders = Record<string, string>;

/**
 * The headers a sender of `v.preset` adds to sign `body` at `nowMs`, or null when the
 * secret cannot sign (a Standard Webhooks secret that is not base64). `messageId` is
 * the webhook-id a Standard Webhooks sender would choose (kept when the fixture gives
 * one).
 */
export function signFixtureRequest(
  v: VerificationConfig,
  body: Uint8Array,
  nowMs: number,
  messageId: string,
): SignedHeaders | null {
  const ts = String(Math.floor(nowMs / 1000));
  switch (v.preset) {
    case "hmac": {
      const d = PRESET_DEFAULTS.hmac;
      const signature = encode(digest(v.algorithm ?? d.algorithm, v.secret, [body]), v.encoding ?? d.encoding);
      return { [signatureHeaderOf(v)]: `${v.prefix ?? ""}${signature}` };
    }
    case "stripe":
      return { "stripe-signature": `t=${ts},v1=${encode(digest("sha256", v.secret, [`${ts}.`, body]), "hex")}` };
    case "github":
      return { "x-hub-signature-256": `sha256=${encode(digest("sha256", v.secret, [body]), "hex")}` };
    case "shopify":
      return { "x-shopify-hmac-sha256": encode(digest("sha256", v.secret, [body]), "base64") };
    case "slack":
      return {
        "x-slack-request-timestamp": ts,
        "x-slack-signature": `v0=${encode(digest("sha256", v.secret, [`v0:${ts}:`, body]), "hex")}`,
      };
    case "standard-webhooks": {
      const key = standardWebhooksKey(v.secret);
      if (!key) return null;
      return {
        "webhook-id": messageId,
        "webhook-timestamp": ts,
        "webhook-signature": `v1,${encode(digest("sha256", key, [`${messageId}.${ts}.`, body]), "base64")}`,
      };
    }
  }
}

export type FixtureRequest = {
  headers: Record<string, string>;
  /** Who signed the request: the fixture itself (pinned), the run, or nobody. */
  signedBy: "fixture" | "sandbox" | null;
};

/**
 * The headers a fixture is sent with under `verification` (null: the endpoint verifies
 * nothing). A fixture carrying the endpoint's signature header is sent as written; one
 * without it is signed with the resolved secret at its own clock, unless it is a
 * rejection case (expectSignature: invalid). The sandbox and prod revalidation both
 * send fixtures through this, so a package verifies under whichever secret the run
 * resolves: the test values on a laptop, the org's own on the server.
 */
export function fixtureRequestHeaders(
  verification: VerificationConfig | null,
  fixture: { name: string; headers: Readonly<Record<string, string>>; body: Uint8Array; receivedAtMs: number; expectSignature?: "valid" | "invalid" },
): FixtureRequest {
  const headers: Record<string, string> = { ...fixture.headers };
  if (!verification) return { headers, signedBy: null };
  if (Object.hasOwn(headers, signatureHeaderOf(verification))) return { headers, signedBy: "fixture" };
  if (fixture.expectSignature === "invalid") return { headers, signedBy: null };
  const messageId = headers["webhook-id"] ?? `msg_${fixture.name}`;
  const signed = signFixtureRequest(verification, fixture.body, fixture.receivedAtMs, messageId);
  return signed ? { headers: { ...headers, ...signed }, signedBy: "sandbox" } : { headers, signedBy: null };
}
