import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { loadEnv } from "./env";
import { missingKeyMessage } from "./store/secret-values";

describe("loadEnv", () => {
  it("applies defaults and derives the public URL", () => {
    const e = loadEnv({ PORT: "4000" });
    expect(e.publicUrl).toBe("http://localhost:4000");
    expect(e.PROVENANCE_MAX_BODY_BYTES).toBe(1024 * 1024);
    expect(e.PROVENANCE_DATA_DIR).toBe(".data");
    expect(e.syncAllowed).toBe(true);
  });

  it("refuses ?sync=true in production unless explicitly allowed", () => {
    expect(loadEnv({ NODE_ENV: "production" }).syncAllowed).toBe(false);
    expect(loadEnv({ NODE_ENV: "production", PROVENANCE_ALLOW_SYNC: "1" }).syncAllowed).toBe(true);
  });

  it("seeds the demo by default only on the embedded database", () => {
    expect(loadEnv({ PROVENANCE_EMBEDDED_DB: "1" }).demo).toBe(true);
    expect(loadEnv({ DATABASE_URL: "postgresql://localhost/x" }).demo).toBe(false);
    expect(loadEnv({ DATABASE_URL: "postgresql://localhost/x", PROVENANCE_DEMO: "1" }).demo).toBe(true);
  });

  it("fails fast with a message naming each bad variable", () => {
    expect(() => loadEnv({ PORT: "seventy" })).toThrow(/PORT/);
    expect(() => loadEnv({ PROVENANCE_BOOTSTRAP_ORG: "Bad Slug", PROVENANCE_BOOTSTRAP_TOKEN: "x".repeat(20) })).toThrow(/PROVENANCE_BOOTSTRAP_ORG/);
    expect(() => loadEnv({ PROVENANCE_BOOTSTRAP_ORG: "acme" })).toThrow(/go together/);
    expect(() => loadEnv({ PROVENANCE_ADMIN_EMAIL: "a@b.co" })).toThrow(/go together/);
    expect(() => loadEnv({ DATABASE_URL: "not a url" })).toThrow(/DATABASE_URL/);
  });

  it("reads the secret keys (hex or base64) and refuses a bad one without echoing it", () => {
    const key = randomBytes(32);
    const old = randomBytes(32);
    const e = loadEnv({ PROVENANCE_SECRET_KEY: key.toString("base64"), PROVENANCE_SECRET_KEY_PREVIOUS: `${old.toString("hex")}` });
    expect(e.secretKeys?.current.equals(key)).toBe(true);
    expect(e.secretKeys?.previous.map((k) => k.toString("hex"))).toEqual([old.toString("hex")]);
    expect(loadEnv({}).secretKeys).toBeNull();
    expect(loadEnv({ PROVENANCE_SECRET_KEY: "  " }).secretKeys).toBeNull();

    const short = randomBytes(16).toString("base64");
    let message = "";
    try {
      loadEnv({ PROVENANCE_SECRET_KEY: short });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/PROVENANCE_SECRET_KEY: must be 32 random bytes .* \(got 16 bytes\)/);
    expect(message).not.toContain(short);
    expect(() => loadEnv({ PROVENANCE_SECRET_KEY: key.toString("hex"), PROVENANCE_SECRET_KEY_PREVIOUS: "nope" })).toThrow(
      /PROVENANCE_SECRET_KEY_PREVIOUS: \(entry 1\) must be 32 random bytes/,
    );
    expect(() => loadEnv({ PROVENANCE_SECRET_KEY_PREVIOUS: key.toString("hex") })).toThrow(/PROVENANCE_SECRET_KEY_PREVIOUS needs PROVENANCE_SECRET_KEY/);
  });

  it("explains a missing key for production, and where development keeps its generated one", () => {
    const prod = missingKeyMessage({ NODE_ENV: "production", PROVENANCE_DATA_DIR: ".data" });
    expect(prod).toMatch(/^PROVENANCE_SECRET_KEY is not set\./);
    expect(prod).toContain("npm run secrets:generate-key");
    expect(prod).not.toContain("secret-key");
    expect(missingKeyMessage({ NODE_ENV: "development", PROVENANCE_DATA_DIR: "/var/lib/prov" })).toContain("/var/lib/prov/secret-key");
  });
});
