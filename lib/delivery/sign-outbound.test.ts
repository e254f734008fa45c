import { createHmac } from "node:crypto";
import fc from "fast-check";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { verifySignature } from "../inbound/verify-signature";
import { generateSigningSecret, secretHint, signOutbound } from "./sign-outbound";

const nowSeconds = () => Math.floor(Date.now() / 1000);
// Odd whitespace and non-ASCII: the signature must cover these exact bytes.
const BODY = '{ "id":"int_1",\n "amount": 1.50, "name":"café ☕" }';

describe("generateSigningSecret", () => {
  it("is whsec_ + base64 of 32 random bytes, different each time", () => {
    const a = generateSigningSecret();
    const b = generateSigningSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice("whsec_".length), "base64")).toHaveLength(32);
    expect(a).not.toBe(b);
  });
});

describe("signOutbound", () => {
  it("produces headers the standardwebhooks library verifies, as a real receiver would", () => {
    const secret = generateSigningSecret();
    const headers = signOutbound({ secret, msgId: "dlv_123", timestampSeconds: nowSeconds(), body: BODY });
    expect(headers["webhook-id"]).toBe("dlv_123");
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(BODY, headers)).toEqual(JSON.parse(BODY));
  });

  it("is the documented HMAC: base64 HMAC-SHA256 over id.timestamp.body with the decoded key", () => {
    const secret = generateSigningSecret();
    const key = Buffer.from(secret.slice("whsec_".length), "base64");
    const h = signOutbound({ secret, msgId: "m1", timestampSeconds: 1_700_000_000, body: BODY });
    const expected = createHmac("sha256", key).update(`m1.1700000000.${BODY}`).digest("base64");
    expect(h).toEqual({ "webhook-id": "m1", "webhook-timestamp": "1700000000", "webhook-signature": `v1,${expected}` });
    // The library's own signer agrees byte for byte.
    expect(new Webhook(secret).sign("m1", new Date(1_700_000_000_000), BODY)).toBe(`v1,${expected}`);
  });

  it("fails verification when the body, id or timestamp changes, or with another secret", () => {
    const secret = generateSigningSecret();
    const ts = nowSeconds();
    const headers = signOutbound({ secret, msgId: "dlv_1", timestampSeconds: ts, body: BODY });
    const wh = new Webhook(secret);
    expect(() => wh.verify(BODY.replace("1.50", "1.5"), headers)).toThrow(WebhookVerificationError);
    expect(() => wh.verify(JSON.stringify(JSON.parse(BODY)), headers)).toThrow(WebhookVerificationError);
    expect(() => wh.verify(BODY, { ...headers, "webhook-id": "dlv_2" })).toThrow(WebhookVerificationError);
    expect(() => wh.verify(BODY, { ...headers, "webhook-timestamp": String(ts - 1) })).toThrow(WebhookVerificationError);
    expect(() => new Webhook(generateSigningSecret()).verify(BODY, headers)).toThrow(WebhookVerificationError);
  });

  it("is accepted by our own inbound standard-webhooks verifier (a Provenance target receiving from Provenance)", () => {
    const secret = generateSigningSecret();
    const ts = nowSeconds();
    const headers = signOutbound({ secret, msgId: "dlv_9", timestampSeconds: ts, body: BODY });
    const input = { verification: { preset: "standard-webhooks" as const, secret }, headers, nowMs: ts * 1000 };
    expect(verifySignature({ ...input, rawBody: Buffer.from(BODY, "utf8") })).toEqual({ ok: true });
    expect(verifySignature({ ...input, rawBody: Buffer.from(`${BODY} `, "utf8") })).toEqual({ ok: false, reason: "signature" });
  });

  it("property: verifies for any body and id, and any single-character change to the body fails", () => {
    const secret = generateSigningSecret();
    const wh = new Webhook(secret);
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 200, unit: "grapheme" }),
        fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
        fc.nat(),
        (body, msgId, pos) => {
          const ts = nowSeconds();
          const headers = signOutbound({ secret, msgId, timestampSeconds: ts, body });
          expect(() => wh.verify(body, headers, { jsonParse: false })).not.toThrow();
          const i = pos % body.length;
          const changed = body.slice(0, i) + (body[i] === "x" ? "y" : "x") + body.slice(i + 1);
          expect(() => wh.verify(changed, headers, { jsonParse: false })).toThrow(WebhookVerificationError);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("refuses a malformed secret or timestamp instead of signing with a garbage key", () => {
    const base = { msgId: "m", timestampSeconds: 1, body: "{}" };
    expect(() => signOutbound({ ...base, secret: "whsec_" })).toThrow(/whsec_/);
    expect(() => signOutbound({ ...base, secret: "whsec_not base64!" })).toThrow(/whsec_/);
    const secret = generateSigningSecret();
    expect(() => signOutbound({ ...base, secret, timestampSeconds: 1.5 })).toThrow(/timestampSeconds/);
    expect(() => signOutbound({ ...base, secret, timestampSeconds: -1 })).toThrow(/timestampSeconds/);
  });
});

describe("secretHint", () => {
  it("shows only the last 4 characters", () => {
    const secret = generateSigningSecret();
    const hint = secretHint(secret);
    expect(hint).toBe(`…${secret.slice(-4)}`);
    expect(hint).not.toContain(secret.slice(6, 10));
    expect(secretHint("short")).toBe("…");
  });
});
