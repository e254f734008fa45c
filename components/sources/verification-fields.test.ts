import { describe, expect, it } from "vitest";
import type { VerificationDto } from "@/lib/schemas/sources";
import { verificationBody, verificationChanged, verificationFieldsOf, withPreset } from "./verification-fields";

const hmac: VerificationDto = {
  preset: "hmac",
  header: "X-Acme-Signature",
  prefix: "sha256=",
  algorithm: "sha512",
  encoding: "base64",
  timestampField: "meta.sent_at",
  replayTolerance: 120,
  secretHint: "…abcd",
};

describe("the source form's verification fields", () => {
  it("send back every stored setting unchanged, so rotating the secret keeps them", () => {
    const f = verificationFieldsOf(hmac);
    expect(verificationBody(f)).toEqual({
      preset: "hmac",
      header: "X-Acme-Signature",
      prefix: "sha256=",
      algorithm: "sha512",
      encoding: "base64",
      timestampField: "meta.sent_at",
      replayTolerance: 120,
    });
    expect(verificationChanged(hmac, f)).toBe(false);
    expect(verificationChanged(hmac, { ...f, replayTolerance: "60" })).toBe(true);
  });

  it("leave settings a preset fixes out, and keep a preset's own tolerance", () => {
    const stripe: VerificationDto = { ...hmac, preset: "stripe", header: "Stripe-Signature", prefix: null, algorithm: "sha256", encoding: "hex", timestampField: null, replayTolerance: 600 };
    expect(verificationBody(verificationFieldsOf(stripe))).toEqual({ preset: "stripe", timestampField: null, replayTolerance: 600 });
  });

  it("start another preset from its defaults, dropping a tolerance that no timestamp field backs", () => {
    const stripe = verificationFieldsOf({ ...hmac, preset: "stripe", timestampField: null, replayTolerance: 300 });
    expect(verificationBody(withPreset(stripe, "github"))).toEqual({ preset: "github", timestampField: null, replayTolerance: null });
    expect(verificationBody(withPreset(verificationFieldsOf(hmac), "github"))).toEqual({ preset: "github", timestampField: "meta.sent_at", replayTolerance: 120 });
    expect(verificationBody(withPreset(stripe, "hmac"))).toEqual({ preset: "hmac", prefix: null, algorithm: "sha256", encoding: "hex", timestampField: null, replayTolerance: null });
  });

  it("send a tolerance that is not a whole number as typed, for the API to name", () => {
    expect(verificationBody({ ...verificationFieldsOf(hmac), replayTolerance: "1.5" }).replayTolerance).toBe("1.5");
    expect(verificationBody({ ...verificationFieldsOf(hmac), replayTolerance: " " }).replayTolerance).toBeNull();
  });
});
