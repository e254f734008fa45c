import { sign as githubSign } from "@octokit/webhooks-methods";
import { Webhook } from "standardwebhooks";
import { describe, expect, test } from "vitest";
import type { VerificationConfig } from "../lib/inbound/types";
import { verifySignature } from "../lib/inbound/verify-signature";
import { signatureHeaderOf, signFixtureRequest } from "./sign-fixture";
import { stripeSignature } from "./test-packages/scenarios";

const NOW = Date.parse("2025-01-01T00:00:00Z");
const BODY = '{"id":"evt_1","type":"x.y"}';
const bytes = new TextEncoder().encode(BODY);
const WHSEC = `whsec_${Buffer.alloc(24, 9).toString("base64")}`;

const configs: VerificationConfig[] = [
  { preset: "hmac", secret: "s3cret" },
  { preset: "hmac", secret: "s3cret", header: "X-Custom-Sig", prefix: "sha512=", algorithm: "sha512", encoding: "base64" },
  { preset: "stripe", secret: "s3cret" },
  { preset: "github", secret: "s3cret" },
  { preset: "shopify", secret: "s3cret" },
  { preset: "slack", secret: "s3cret" },
  { preset: "standard-webhooks", secret: WHSEC },
];

describe("signFixtureRequest", () => {
  test.each(configs.map((c) => [`${c.preset}${c.header ? ` (${c.header})` : ""}`, c] as const))(
    "%s: the live verifier accepts what the sandbox signs, and only with the same secret",
    (_, v) => {
      const headers = signFixtureRequest(v, bytes, NOW, "msg_fixture");
      expect(headers).not.toBeNull();
      expect(Object.keys(headers ?? {})).toContain(signatureHeaderOf(v));
      expect(verifySignature({ verification: v, headers: headers ?? {}, rawBody: bytes, nowMs: NOW })).toEqual({ ok: true });
      const other = v.preset === "standard-webhooks" ? `whsec_${Buffer.alloc(24, 1).toString("base64")}` : "other";
      expect(
        verifySignature({ verification: { ...v, secret: other }, headers: headers ?? {}, rawBody: bytes, nowMs: NOW }).ok,
      ).toBe(false);
    },
  );

  test("byte for byte what the providers' own libraries send", async () => {
    expect(signFixtureRequest({ preset: "stripe", secret: "s3cret" }, bytes, NOW, "")).toEqual({
      "stripe-signature": stripeSignature(BODY, "s3cret", NOW / 1000),
    });
    expect(signFixtureRequest({ preset: "github", secret: "s3cret" }, bytes, NOW, "")).toEqual({
      "x-hub-signature-256": await githubSign("s3cret", BODY),
    });
    expect(signFixtureRequest({ preset: "standard-webhooks", secret: WHSEC }, bytes, NOW, "msg_1")).toEqual({
      "webhook-id": "msg_1",
      "webhook-timestamp": String(NOW / 1000),
      "webhook-signature": new Webhook(WHSEC).sign("msg_1", new Date(NOW), BODY),
    });
  });

  test("a Standard Webhooks secret that is not base64 cannot sign", () => {
    expect(signFixtureRequest({ preset: "standard-webhooks", secret: "not base64!" }, bytes, NOW, "m")).toBeNull();
  });
});
