import { describe, expect, it } from "vitest";
import type { SourceDto } from "@/lib/api/schemas/sources";
import { sourceRequestBody, type SourceFormValues } from "./source-request";

const source = {
  id: "6f1c0000-0000-4000-8000-000000000001",
  title: "Shop",
  mnemonic: "shop",
  description: null,
  active: true,
  originId: "6f1c0000-0000-4000-8000-000000000002",
  verification: {
    preset: "hmac",
    header: "X-Shop-Signature",
    prefix: "sha256=",
    algorithm: "sha256",
    encoding: "hex",
    timestampField: "sent_at",
    replayTolerance: 120,
    secretHint: "…9f3a",
  },
  payloadSchema: null,
  createdAt: "2026-12-04T00:00:00.000Z",
  updatedAt: "2026-12-04T00:00:00.000Z",
} as unknown as SourceDto;

const form = (over: Partial<SourceFormValues> = {}): SourceFormValues => ({
  title: "Shop",
  mnemonic: "shop",
  description: "",
  active: true,
  preset: "hmac",
  secret: "",
  payloadSchema: null,
  ...over,
});

describe("sourceRequestBody", () => {
  it("rotating the secret keeps every stored setting (timestamp field, tolerance, custom header)", () => {
    expect(sourceRequestBody(source, form({ secret: "new-secret-value-1234" })).verification).toEqual({
      preset: "hmac",
      header: "X-Shop-Signature",
      prefix: "sha256=",
      algorithm: "sha256",
      encoding: "hex",
      timestampField: "sent_at",
      replayTolerance: 120,
      secret: "new-secret-value-1234",
    });
  });

  it("an edit that leaves the secret empty does not touch verification at all", () => {
    expect(sourceRequestBody(source, form({ title: "Renamed" }))).not.toHaveProperty("verification");
  });

  it("a new preset starts from that preset's defaults; none removes verification", () => {
    expect(sourceRequestBody(source, form({ preset: "stripe", secret: "whsec_x" })).verification).toEqual({ preset: "stripe", secret: "whsec_x" });
    expect(sourceRequestBody(source, form({ preset: "none" })).verification).toBeNull();
  });

  it("creating sends the preset and secret, or null for none", () => {
    expect(sourceRequestBody(undefined, form({ preset: "stripe", secret: "whsec_y" }))).toEqual({
      title: "Shop",
      mnemonic: "shop",
      description: null,
      payloadSchema: null,
      verification: { preset: "stripe", secret: "whsec_y" },
    });
    expect(sourceRequestBody(undefined, form({ preset: "none" })).verification).toBeNull();
  });
});
