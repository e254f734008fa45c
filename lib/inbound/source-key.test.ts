import { describe, expect, it } from "vitest";
import { isWellFormedSourceKey } from "./source-key";

describe("isWellFormedSourceKey", () => {
  it("accepts what the management API creates", () => {
    expect(isWellFormedSourceKey("demo", { mnemonic: "stripe" })).toBe(true);
    expect(isWellFormedSourceKey("acme-2", { mnemonic: "Stripe_live-1" })).toBe(true);
    expect(isWellFormedSourceKey("a", { id: "6F1C0000-0000-4000-8000-000000000000" })).toBe(true);
    expect(isWellFormedSourceKey(`a${"b".repeat(62)}`, { mnemonic: "m".repeat(64) })).toBe(true);
  });

  it("refuses anything else before a lookup", () => {
    const uuid = "00000000-0000-4000-8000-000000000000";
    for (const slug of ["", "Demo", "-demo", "de mo", "démo", `a${"b".repeat(63)}`, "a".repeat(15_000), "demo\u0000"]) {
      expect(isWellFormedSourceKey(slug, { id: uuid })).toBe(false);
    }
    for (const mnemonic of ["", "m".repeat(65), "a.b", "a/b", "ж", "a\u0000"]) {
      expect(isWellFormedSourceKey("demo", { mnemonic })).toBe(false);
    }
    for (const id of ["not-a-uuid", `${uuid}0`, uuid.replace(/-/g, ""), `${uuid.slice(0, -1)}g`]) {
      expect(isWellFormedSourceKey("demo", { id })).toBe(false);
    }
  });
});
