import { createHmac, randomBytes } from "node:crypto";
import { sign as githubSign } from "@octokit/webhooks-methods";
import { Webhook } from "standardwebhooks";
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import type { VerificationConfig } from "./types";
import {
  constantTimeEqual,
  isPayloadTimestampFresh,
  PRESET_DEFAULTS,
  signatureHeaderNames,
  verifySignature,
  type VerifySignatureInput,
} from "./verify-signature";

const NOW_S = 1_700_000_000;
const NOW = NOW_S * 1000;
const SECRET = "s3cr3t-key";
const enc = (s: string) => new Uint8Array(Buffer.from(s, "utf8"));

// Odd whitespace, unusual key order and a non-ASCII escape: re-serializing changes the bytes.
const RAW = '{ "type":"evt.created" ,\n\t"id" : "evt_1",  "amount":1.50, "name":"caf\\u00e9" }';

function run(
  verification: VerificationConfig,
  headers: Record<string, string>,
  body: string | Uint8Array,
  extra: Partial<VerifySignatureInput> = {},
) {
  return verifySignature({ verification, headers, rawBody: typeof body === "string" ? enc(body) : body, nowMs: NOW, ...extra });
}

const hmacHex = (alg: string, secret: string | Buffer, data: string) => createHmac(alg, secret).update(data).digest("hex");
const hmacB64 = (alg: string, secret: string | Buffer, data: string) => createHmac(alg, secret).update(data).digest("base64");

const SIG_FAIL = { ok: false, reason: "signature" };
const TOO_OLD = { ok: false, reason: "too_old" };

describe("constantTimeEqual", () => {
  it("never treats empty buffers as equal, and handles length mismatch", () => {
    expect(constantTimeEqual(new Uint8Array(0), new Uint8Array(0))).toBe(false);
    expect(constantTimeEqual(new Uint8Array([1]), new Uint8Array(0))).toBe(false);
    expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1]))).toBe(false);
    expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false);
  });
});

describe("hmac preset", () => {
  const v: VerificationConfig = { preset: "hmac", secret: SECRET };

  it("verifies sha256 hex in x-signature by default, case-insensitively", () => {
    const sig = hmacHex("sha256", SECRET, RAW);
    expect(run(v, { "x-signature": sig }, RAW)).toEqual({ ok: true });
    expect(run(v, { "x-signature": sig.toUpperCase() }, RAW)).toEqual({ ok: true });
    expect(run(v, { "x-signature": `  ${sig} ` }, RAW)).toEqual({ ok: true });
  });

  it("signs the raw bytes: the same JSON re-serialized does not verify", () => {
    const sig = hmacHex("sha256", SECRET, RAW);
    const reserialized = JSON.stringify(JSON.parse(RAW));
    expect(reserialized).not.toBe(RAW);
    expect(run(v, { "x-signature": sig }, reserialized)).toEqual(SIG_FAIL);
    // A signature over the re-serialized form does not verify the original bytes either.
    expect(run(v, { "x-signature": hmacHex("sha256", SECRET, reserialized) }, RAW)).toEqual(SIG_FAIL);
  });

  it("honours header, prefix, algorithm and encoding", () => {
    const custom: VerificationConfig = {
      ...v,
      header: "X-Acme-Signature",
      prefix: "sha512=",
      algorithm: "sha512",
      encoding: "base64",
    };
    const sig = `sha512=${hmacB64("sha512", SECRET, RAW)}`;
    expect(run(custom, { "x-acme-signature": sig }, RAW)).toEqual({ ok: true });
    expect(run(custom, { "x-signature": sig }, RAW)).toEqual(SIG_FAIL);
    // Prefix is optional on the wire: stripped when present.
    expect(run(custom, { "x-acme-signature": hmacB64("sha512", SECRET, RAW) }, RAW)).toEqual({ ok: true });
    // URL-safe base64 without padding decodes to the same bytes.
    const urlSafe = hmacB64("sha512", SECRET, RAW).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    expect(run(custom, { "x-acme-signature": urlSafe }, RAW)).toEqual({ ok: true });
    const sha1: VerificationConfig = { ...v, algorithm: "sha1" };
    expect(run(sha1, { "x-signature": hmacHex("sha1", SECRET, RAW) }, RAW)).toEqual({ ok: true });
    expect(run(sha1, { "x-signature": hmacHex("sha256", SECRET, RAW) }, RAW)).toEqual(SIG_FAIL);
  });

  it("finds a header given with other casing", () => {
    expect(run(v, { "X-Signature": hmacHex("sha256", SECRET, RAW) }, RAW)).toEqual({ ok: true });
  });

  it("fails on wrong secret, tampered body, missing, empty or malformed signatures", () => {
    const sig = hmacHex("sha256", SECRET, RAW);
    expect(run(v, { "x-signature": hmacHex("sha256", "other", RAW) }, RAW)).toEqual(SIG_FAIL);
    expect(run(v, { "x-signature": sig }, RAW.replace("1.50", "1.51"))).toEqual(SIG_FAIL);
    expect(run(v, {}, RAW)).toEqual(SIG_FAIL);
    expect(run(v, { "x-signature": "" }, RAW)).toEqual(SIG_FAIL);
    expect(run(v, { "x-signature": "   " }, RAW)).toEqual(SIG_FAIL);
    expect(run({ ...v, prefix: "sha256=" }, { "x-signature": "sha256=" }, RAW)).toEqual(SIG_FAIL);
    expect(run(v, { "x-signature": sig.slice(0, 32) }, RAW)).toEqual(SIG_FAIL); // truncated
    expect(run(v, { "x-signature": `${sig}0` }, RAW)).toEqual(SIG_FAIL); // odd length
    expect(run(v, { "x-signature": sig.replace(/^../, "zz") }, RAW)).toEqual(SIG_FAIL);
  });

  it("fails closed on an empty secret or a bad configuration", () => {
    const emptyKeySig = hmacHex("sha256", "", RAW);
    expect(run({ ...v, secret: "" }, { "x-signature": emptyKeySig }, RAW)).toEqual(SIG_FAIL);
    const badAlg = { ...v, algorithm: "md5" } as unknown as VerificationConfig;
    expect(run(badAlg, { "x-signature": hmacHex("md5", SECRET, RAW) }, RAW)).toEqual(SIG_FAIL);
    const badPreset = { ...v, preset: "unknown" } as unknown as VerificationConfig;
    expect(run(badPreset, { "x-signature": hmacHex("sha256", SECRET, RAW) }, RAW)).toEqual(SIG_FAIL);
    const notBytes = RAW as unknown as Uint8Array;
    expect(
      verifySignature({
        verification: v,
        headers: { "x-signature": hmacHex("sha256", SECRET, RAW) },
        rawBody: notBytes,
        nowMs: NOW,
      }),
    ).toEqual(SIG_FAIL);
  });

  it("verifies an empty body", () => {
    expect(run(v, { "x-signature": hmacHex("sha256", SECRET, "") }, "")).toEqual({ ok: true });
  });
});

describe("stripe preset", () => {
  const stripe = new Stripe("sk_test_x");
  const secret = "whsec_test_secret";
  const v: VerificationConfig = { preset: "stripe", secret };
  const header = (payload: string, timestamp: number, s = secret) =>
    stripe.webhooks.generateTestHeaderString({ payload, secret: s, timestamp });

  it("verifies a header generated by the Stripe SDK", () => {
    expect(run(v, { "stripe-signature": header(RAW, NOW_S) }, RAW)).toEqual({ ok: true });
  });

  it("ignores explicit header/prefix/encoding settings (hmac only)", () => {
    const withNoise: VerificationConfig = { ...v, header: "x-other", prefix: "zzz", encoding: "base64", algorithm: "sha1" };
    expect(run(withNoise, { "stripe-signature": header(RAW, NOW_S) }, RAW)).toEqual({ ok: true });
  });

  it("accepts any of several v1 signatures (secret rotation) and ignores v0", () => {
    const oldSig = /v1=([0-9a-f]+)/.exec(header(RAW, NOW_S, "whsec_old"))?.[1];
    const newSig = /v1=([0-9a-f]+)/.exec(header(RAW, NOW_S, secret))?.[1];
    const rotated = `t=${NOW_S},v1=${oldSig},v1=${newSig},v0=deadbeef`;
    expect(run(v, { "stripe-signature": rotated }, RAW)).toEqual({ ok: true });
    expect(run({ ...v, secret: "whsec_old" }, { "stripe-signature": rotated }, RAW)).toEqual({ ok: true });
    expect(run({ ...v, secret: "whsec_other" }, { "stripe-signature": rotated }, RAW)).toEqual(SIG_FAIL);
    // A correct signature under the v0 scheme does not count.
    expect(run(v, { "stripe-signature": `t=${NOW_S},v0=${newSig}` }, RAW)).toEqual(SIG_FAIL);
  });

  it("rejects wrong secret, tampered body, re-serialized body, missing or malformed header", () => {
    const h = header(RAW, NOW_S);
    expect(run({ ...v, secret: "whsec_wrong" }, { "stripe-signature": h }, RAW)).toEqual(SIG_FAIL);
    expect(run(v, { "stripe-signature": h }, RAW.replace("evt_1", "evt_2"))).toEqual(SIG_FAIL);
    expect(run(v, { "stripe-signature": h }, JSON.stringify(JSON.parse(RAW)))).toEqual(SIG_FAIL);
    expect(run(v, {}, RAW)).toEqual(SIG_FAIL);
    expect(run(v, { "stripe-signature": "" }, RAW)).toEqual(SIG_FAIL);
    expect(run(v, { "stripe-signature": h.replace(/t=\d+,/, "") }, RAW)).toEqual(SIG_FAIL);
    expect(run(v, { "stripe-signature": `t=${NOW_S},v1=` }, RAW)).toEqual(SIG_FAIL);
    // Moving the timestamp breaks the signature: t is signed.
    expect(run(v, { "stripe-signature": h.replace(`t=${NOW_S}`, `t=${NOW_S + 1}`) }, RAW)).toEqual(SIG_FAIL);
  });

  it("enforces a 300 s tolerance in both directions", () => {
    expect(run(v, { "stripe-signature": header(RAW, NOW_S - 300) }, RAW)).toEqual({ ok: true });
    expect(run(v, { "stripe-signature": header(RAW, NOW_S - 301) }, RAW)).toEqual(TOO_OLD);
    expect(run(v, { "stripe-signature": header(RAW, NOW_S + 300) }, RAW)).toEqual({ ok: true });
    expect(run(v, { "stripe-signature": header(RAW, NOW_S + 301) }, RAW)).toEqual(TOO_OLD);
  });

  it("lets replayTolerance override the default, but never disable it", () => {
    expect(run({ ...v, replayTolerance: 600 }, { "stripe-signature": header(RAW, NOW_S - 500) }, RAW)).toEqual({ ok: true });
    expect(run({ ...v, replayTolerance: 60 }, { "stripe-signature": header(RAW, NOW_S - 61) }, RAW)).toEqual(TOO_OLD);
    expect(run({ ...v, replayTolerance: 0 }, { "stripe-signature": header(RAW, NOW_S - 301) }, RAW)).toEqual(TOO_OLD);
    expect(run({ ...v, replayTolerance: -5 }, { "stripe-signature": header(RAW, NOW_S - 200) }, RAW)).toEqual({ ok: true });
    expect(run({ ...v, replayTolerance: null }, { "stripe-signature": header(RAW, NOW_S - 301) }, RAW)).toEqual(TOO_OLD);
  });

  it("checks the signature before the timestamp", () => {
    expect(run({ ...v, secret: "whsec_wrong" }, { "stripe-signature": header(RAW, NOW_S - 10_000) }, RAW)).toEqual(SIG_FAIL);
  });

  it("treats a signed but non-numeric t as too old", () => {
    const sig = hmacHex("sha256", secret, `soon.${RAW}`);
    expect(run(v, { "stripe-signature": `t=soon,v1=${sig}` }, RAW)).toEqual(TOO_OLD);
  });
});

describe("github preset", () => {
  const v: VerificationConfig = { preset: "github", secret: SECRET };

  it("verifies X-Hub-Signature-256 from @octokit/webhooks-methods", async () => {
    const sig = await githubSign(SECRET, RAW);
    expect(sig.startsWith("sha256=")).toBe(true);
    expect(run(v, { "x-hub-signature-256": sig }, RAW)).toEqual({ ok: true });
  });

  it("rejects wrong secret, tampered body, missing prefix and the legacy sha1 header alone", async () => {
    const sig = await githubSign(SECRET, RAW);
    expect(run(v, { "x-hub-signature-256": await githubSign("nope", RAW) }, RAW)).toEqual(SIG_FAIL);
    expect(run(v, { "x-hub-signature-256": sig }, `${RAW} `)).toEqual(SIG_FAIL);
    expect(run(v, { "x-hub-signature-256": sig.slice("sha256=".length) }, RAW)).toEqual(SIG_FAIL);
    expect(run(v, { "x-hub-signature": `sha1=${hmacHex("sha1", SECRET, RAW)}` }, RAW)).toEqual(SIG_FAIL);
    expect(run(v, { "x-hub-signature-256": "sha256=" }, RAW)).toEqual(SIG_FAIL);
  });
});

describe("shopify preset", () => {
  const v: VerificationConfig = { preset: "shopify", secret: SECRET };

  it("verifies the base64 HMAC-SHA256 of the body (Shopify's documented algorithm)", () => {
    expect(run(v, { "x-shopify-hmac-sha256": hmacB64("sha256", SECRET, RAW) }, RAW)).toEqual({ ok: true });
  });

  it("rejects a hex digest, wrong secret, tampered body and an empty header", () => {
    expect(run(v, { "x-shopify-hmac-sha256": hmacHex("sha256", SECRET, RAW) }, RAW)).toEqual(SIG_FAIL);
    expect(run(v, { "x-shopify-hmac-sha256": hmacB64("sha256", "x", RAW) }, RAW)).toEqual(SIG_FAIL);
    expect(run(v, { "x-shopify-hmac-sha256": hmacB64("sha256", SECRET, RAW) }, RAW.replace("evt", "EVT"))).toEqual(SIG_FAIL);
    expect(run(v, { "x-shopify-hmac-sha256": "" }, RAW)).toEqual(SIG_FAIL);
    expect(run(v, { "x-shopify-hmac-sha256": "!!!!" }, RAW)).toEqual(SIG_FAIL);
  });
});

describe("slack preset", () => {
  const v: VerificationConfig = { preset: "slack", secret: SECRET };
  // https://api.slack.com/authentication/verifying-requests-from-slack
  const slackHeaders = (ts: number, body: string, secret = SECRET) => ({
    "x-slack-request-timestamp": String(ts),
    "x-slack-signature": `v0=${hmacHex("sha256", secret, `v0:${ts}:${body}`)}`,
  });

  it("verifies v0 signatures over v0:timestamp:body", () => {
    expect(run(v, slackHeaders(NOW_S, RAW), RAW)).toEqual({ ok: true });
  });

  it("rejects wrong secret, tampered body, missing timestamp, swapped timestamp", () => {
    expect(run(v, slackHeaders(NOW_S, RAW, "wrong"), RAW)).toEqual(SIG_FAIL);
    expect(run(v, slackHeaders(NOW_S, RAW), `${RAW}\n`)).toEqual(SIG_FAIL);
    const { "x-slack-signature": sig } = slackHeaders(NOW_S, RAW);
    expect(run(v, { "x-slack-signature": sig }, RAW)).toEqual(SIG_FAIL);
    expect(run(v, { "x-slack-signature": sig, "x-slack-request-timestamp": String(NOW_S + 1) }, RAW)).toEqual(SIG_FAIL);
    expect(run(v, { ...slackHeaders(NOW_S, RAW), "x-slack-signature": sig.slice(3) }, RAW)).toEqual(SIG_FAIL);
  });

  it("enforces the 300 s tolerance after the signature", () => {
    expect(run(v, slackHeaders(NOW_S - 301, RAW), RAW)).toEqual(TOO_OLD);
    expect(run(v, slackHeaders(NOW_S + 301, RAW), RAW)).toEqual(TOO_OLD);
    expect(run(v, slackHeaders(NOW_S - 299, RAW), RAW)).toEqual({ ok: true });
    expect(run(v, slackHeaders(NOW_S - 1000, RAW, "wrong"), RAW)).toEqual(SIG_FAIL);
  });
});

describe("standard-webhooks preset", () => {
  const secret = `whsec_${randomBytes(24).toString("base64")}`;
  const v: VerificationConfig = { preset: "standard-webhooks", secret };
  const msgId = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
  const headersFor = (tsS: number, body: string, s = secret) => ({
    "webhook-id": msgId,
    "webhook-timestamp": String(tsS),
    "webhook-signature": new Webhook(s).sign(msgId, new Date(tsS * 1000), body),
  });

  it("verifies a signature made by the standardwebhooks library", () => {
    expect(run(v, headersFor(NOW_S, RAW), RAW)).toEqual({ ok: true });
  });

  it("accepts a secret without the whsec_ prefix as base64", () => {
    expect(run({ ...v, secret: secret.slice("whsec_".length) }, headersFor(NOW_S, RAW), RAW)).toEqual({ ok: true });
  });

  it("accepts any of several space-separated signatures and ignores other versions", () => {
    const other = `whsec_${randomBytes(24).toString("base64")}`;
    const mine = headersFor(NOW_S, RAW)["webhook-signature"];
    const theirs = headersFor(NOW_S, RAW, other)["webhook-signature"];
    const list = `v1a,garbage ${theirs} v2,${mine.slice(3)} ${mine}`;
    expect(run(v, { ...headersFor(NOW_S, RAW), "webhook-signature": list }, RAW)).toEqual({ ok: true });
    // The same bytes under a non-v1 version alone do not count.
    expect(run(v, { ...headersFor(NOW_S, RAW), "webhook-signature": `v2,${mine.slice(3)}` }, RAW)).toEqual(SIG_FAIL);
  });

  it("rejects wrong secret, tampered body, changed id, missing headers, empty signature", () => {
    const h = headersFor(NOW_S, RAW);
    expect(run({ ...v, secret: `whsec_${randomBytes(24).toString("base64")}` }, h, RAW)).toEqual(SIG_FAIL);
    expect(run(v, h, RAW.replace("evt_1", "evt_9"))).toEqual(SIG_FAIL);
    expect(run(v, { ...h, "webhook-id": "msg_other" }, RAW)).toEqual(SIG_FAIL);
    for (const k of ["webhook-id", "webhook-timestamp", "webhook-signature"] as const) {
      const partial: Record<string, string> = { ...h };
      delete partial[k];
      expect(run(v, partial, RAW)).toEqual(SIG_FAIL);
    }
    expect(run(v, { ...h, "webhook-signature": "" }, RAW)).toEqual(SIG_FAIL);
    expect(run(v, { ...h, "webhook-signature": "v1," }, RAW)).toEqual(SIG_FAIL);
    expect(run({ ...v, secret: "whsec_" }, h, RAW)).toEqual(SIG_FAIL);
    expect(run({ ...v, secret: "whsec_!!!" }, h, RAW)).toEqual(SIG_FAIL);
  });

  it("enforces a 300 s tolerance, overridable by replayTolerance", () => {
    expect(run(v, headersFor(NOW_S - 301, RAW), RAW)).toEqual(TOO_OLD);
    expect(run(v, headersFor(NOW_S + 301, RAW), RAW)).toEqual(TOO_OLD);
    expect(run({ ...v, replayTolerance: 3600 }, headersFor(NOW_S - 3000, RAW), RAW)).toEqual({ ok: true });
    expect(run({ ...v, secret: `whsec_${randomBytes(8).toString("base64")}` }, headersFor(NOW_S - 3000, RAW), RAW)).toEqual(
      SIG_FAIL,
    );
  });
});

describe("timestampField replay protection", () => {
  const base: VerificationConfig = { preset: "hmac", secret: SECRET, timestampField: "meta.sentAt", replayTolerance: 300 };
  const signed = (body: string) => ({ "x-signature": hmacHex("sha256", SECRET, body) });
  const bodyWith = (sentAt: unknown) => JSON.stringify({ id: "evt_1", meta: { sentAt } });

  it.each<[string, unknown]>([
    ["Unix seconds", NOW_S - 100],
    ["Unix seconds as a string", String(NOW_S - 100)],
    ["Unix milliseconds", NOW - 100_000],
    ["ISO 8601", new Date(NOW - 100_000).toISOString()],
    ["ISO 8601 with an offset", "2023-11-15T00:11:40+02:00"],
  ])("accepts a fresh timestamp in %s", (_, sentAt) => {
    const body = bodyWith(sentAt);
    expect(run(base, signed(body), body)).toEqual({ ok: true });
  });

  it.each<[string, unknown]>([
    ["seconds, too old", NOW_S - 301],
    ["milliseconds, too old", NOW - 301_000],
    ["ISO 8601, too old", new Date(NOW - 301_000).toISOString()],
    ["seconds, too far in the future", NOW_S + 301],
    ["ISO 8601, too far in the future", new Date(NOW + 301_000).toISOString()],
    ["missing", undefined],
    ["null", null],
    ["unparseable", "yesterday"],
    ["an object", { s: NOW_S }],
  ])("rejects a timestamp that is %s as too_old", (_, sentAt) => {
    const body = bodyWith(sentAt);
    expect(run(base, signed(body), body)).toEqual(TOO_OLD);
  });

  it("uses the payload passed in when given, else parses the verified body", () => {
    const body = bodyWith(NOW_S);
    expect(run(base, signed(body), body, { payload: { meta: { sentAt: NOW_S - 1000 } } })).toEqual(TOO_OLD);
    expect(run(base, signed(body), body, { payload: { meta: { sentAt: NOW_S } } })).toEqual({ ok: true });
    expect(run(base, signed("not json"), "not json")).toEqual(TOO_OLD);
  });

  it("wrong signature with an old timestamp is a signature failure", () => {
    const body = bodyWith(NOW_S - 10_000);
    expect(run(base, { "x-signature": hmacHex("sha256", "wrong", body) }, body)).toEqual(SIG_FAIL);
  });

  it("is off unless both timestampField and a positive replayTolerance are set", () => {
    const body = bodyWith(NOW_S - 10_000);
    expect(run({ ...base, replayTolerance: null }, signed(body), body)).toEqual({ ok: true });
    expect(run({ ...base, replayTolerance: 0 }, signed(body), body)).toEqual({ ok: true });
    expect(run({ ...base, timestampField: null }, signed(body), body)).toEqual({ ok: true });
  });

  it("applies on top of a preset's own timestamp", () => {
    const stripe = new Stripe("sk_test_x");
    const secret = "whsec_abc";
    const body = bodyWith(NOW_S - 200);
    const header = stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: NOW_S });
    const v: VerificationConfig = { preset: "stripe", secret, timestampField: "meta.sentAt" };
    expect(run({ ...v, replayTolerance: 300 }, { "stripe-signature": header }, body)).toEqual({ ok: true });
    expect(run({ ...v, replayTolerance: 100 }, { "stripe-signature": header }, body)).toEqual(TOO_OLD);
  });

  it("isPayloadTimestampFresh exposes the same rule", () => {
    expect(isPayloadTimestampFresh(base, { meta: { sentAt: NOW_S } }, NOW)).toBe(true);
    expect(isPayloadTimestampFresh(base, { meta: {} }, NOW)).toBe(false);
    expect(isPayloadTimestampFresh({ ...base, timestampField: undefined }, {}, NOW)).toBe(true);
  });
});

describe("PRESET_DEFAULTS and signatureHeaderNames", () => {
  it("fills in each provider's header", () => {
    expect(PRESET_DEFAULTS.stripe.header).toBe("stripe-signature");
    expect(PRESET_DEFAULTS.github.header).toBe("x-hub-signature-256");
    expect(PRESET_DEFAULTS.shopify).toMatchObject({ header: "x-shopify-hmac-sha256", encoding: "base64" });
    expect(PRESET_DEFAULTS.slack).toMatchObject({
      header: "x-slack-signature",
      timestampHeader: "x-slack-request-timestamp",
      toleranceSeconds: 300,
    });
    expect(PRESET_DEFAULTS["standard-webhooks"]).toMatchObject({
      header: "webhook-signature",
      idHeader: "webhook-id",
      timestampHeader: "webhook-timestamp",
    });
    expect(PRESET_DEFAULTS.hmac.header).toBe("x-signature");
  });

  it("lists every signature-bearing header plus the configured one, lower-cased", () => {
    const names = signatureHeaderNames({ preset: "hmac", secret: "x", header: "X-Acme-Sig" });
    for (const h of [
      "x-acme-sig",
      "stripe-signature",
      "x-hub-signature-256",
      "x-hub-signature",
      "x-shopify-hmac-sha256",
      "x-slack-signature",
      "webhook-signature",
      "x-signature",
    ]) {
      expect(names).toContain(h);
    }
    expect(new Set(names).size).toBe(names.length);
    expect(names.every((n) => n === n.toLowerCase())).toBe(true);
    expect(signatureHeaderNames({ preset: "github", secret: "x" })[0]).toBe("x-hub-signature-256");
  });
});
