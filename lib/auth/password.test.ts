// Real scrypt at the real cost: each hash here takes a few hundred milliseconds.
import { scryptSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashPassword, needsRehash, SCRYPT_COST, verifyPassword } from "./password";

/** A hash as the app stored them before the cost was raised (N=2^14). */
function legacyHash(password: string): string {
  const salt = Buffer.from("legacy-salt-1234");
  const key = scryptSync(password, salt, 64, { N: 16384, r: 8, p: 1 });
  return `scrypt$16384$8$1$${salt.toString("base64")}$${key.toString("base64")}`;
}

describe("password hashing", () => {
  it("uses OWASP's scrypt cost (N=2^17, r=8, p=1) and verifies", async () => {
    expect(SCRYPT_COST).toEqual({ N: 131072, r: 8, p: 1 });
    const stored = await hashPassword("correct horse");
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]{86}==$/);
    expect(stored).not.toContain("correct horse");
    expect(await verifyPassword("correct horse", stored)).toBe(true);
    expect(await verifyPassword("correct horse!", stored)).toBe(false);
    expect(needsRehash(stored)).toBe(false);
  }, 20_000);

  it("still verifies hashes made at the old cost, and says they need upgrading", async () => {
    const stored = legacyHash("old password");
    expect(await verifyPassword("old password", stored)).toBe(true);
    expect(await verifyPassword("other", stored)).toBe(false);
    expect(needsRehash(stored)).toBe(true);
  });

  it("treats malformed hashes, and ones asking for more memory than allowed, as not matching", async () => {
    const good = legacyHash("pw");
    const parts = good.split("$");
    for (const bad of [
      "",
      "bcrypt$whatever",
      [parts[0], "1048576", ...parts.slice(2)].join("$"), // 1 GiB of scrypt memory
      [parts[0], "1000", ...parts.slice(2)].join("$"), // not a power of two
      [parts[0], parts[1], "1024", ...parts.slice(3)].join("$"), // 2 GiB through r
      [...parts.slice(0, 5), ""].join("$"),
    ]) {
      expect(await verifyPassword("pw", bad), bad).toBe(false);
      expect(needsRehash(bad)).toBe(false);
    }
  });
});
