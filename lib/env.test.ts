import { describe, expect, it } from "vitest";
import { loadEnv } from "./env";

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
});
