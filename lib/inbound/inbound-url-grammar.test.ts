import { describe, expect, it } from "vitest";
import { isWellFormedSourceRef } from "./inbound-url-grammar";

const ID = "5f0c6a8e-1c39-4b8e-9d0e-0a4a3c1f2b77";

describe("isWellFormedSourceRef: what an inbound URL may name", () => {
  it("accepts the slugs, ids and mnemonics the app creates", () => {
    expect(isWellFormedSourceRef("acme", { id: ID })).toBe(true);
    expect(isWellFormedSourceRef("acme", { id: ID.toUpperCase() })).toBe(true);
    expect(isWellFormedSourceRef("sys-flood-2", { mnemonic: "stripe_live-1" })).toBe(true);
    expect(isWellFormedSourceRef("a".repeat(63), { mnemonic: "M".repeat(64) })).toBe(true);
  });

  it("refuses slugs outside the org grammar: long, upper-case, non-ASCII, leading dash, empty", () => {
    for (const slug of ["", "a".repeat(64), "Acme", "acmé", "-acme", "ac me", "ac/me", `${"a".repeat(15_000)}\u4e00`]) {
      expect(isWellFormedSourceRef(slug, { id: ID }), JSON.stringify(slug.slice(0, 20))).toBe(false);
    }
  });

  it("refuses ids that are not UUIDs and mnemonics outside [A-Za-z0-9_-]{1,64}", () => {
    for (const id of ["", "not-a-uuid", `${ID}0`, ID.replace(/-/g, ""), `${ID.slice(0, -1)}g`]) {
      expect(isWellFormedSourceRef("acme", { id }), id).toBe(false);
    }
    for (const mnemonic of ["", "M".repeat(65), "st ripe", "st/ripe", "strïpe", "a.b"]) {
      expect(isWellFormedSourceRef("acme", { mnemonic }), mnemonic).toBe(false);
    }
  });
});
