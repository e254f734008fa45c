import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeNextPath } from "./safe-next-path";

describe("safeNextPath", () => {
  it("keeps same-site paths with their query and fragment", () => {
    expect(safeNextPath("/")).toBe("/");
    expect(safeNextPath("/sources?tab=mappings#m1")).toBe("/sources?tab=mappings#m1");
    expect(safeNextPath(["/events", "/other"])).toBe("/events");
  });

  it("refuses anything that could leave the site", () => {
    for (const bad of [
      "https://evil.example/",
      "//evil.example/x",
      "/\\evil.example",
      "\\\\evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "javascript:alert(1)",
      "evil.example",
      "",
    ]) {
      expect(safeNextPath(bad), JSON.stringify(bad)).toBe("/");
    }
    expect(safeNextPath(undefined)).toBe("/");
    expect(safeNextPath(null)).toBe("/");
  });

  it("does not send a signed-in operator back to sign-in or into the API", () => {
    expect(safeNextPath("/login")).toBe("/");
    expect(safeNextPath("/login?next=/x")).toBe("/");
    expect(safeNextPath("/api/auth/logout")).toBe("/");
  });

  it("normalises dot segments instead of trusting them", () => {
    expect(safeNextPath("/a/../b")).toBe("/b");
    expect(safeNextPath("/x/../../login")).toBe("/");
  });

  it("refuses paths that only become protocol-relative once dot segments are resolved", () => {
    for (const bad of ["/.//evil.com", "/a/..//evil.com", "/%2e//evil.com", "/%2E%2e//evil.com", "/x/%2e%2E//evil.com", "/./\\evil.com"]) {
      expect(safeNextPath(bad), JSON.stringify(bad)).toBe("/");
    }
  });

  it("whatever it is given, a browser resolving the result stays on this site", () => {
    const site = "https://console.example.test";
    const piece = fc.constantFrom("/", "//", ".", "..", "%2e", "%2E", "%2f", "\\", "\t", "evil.com", "a", "?", "#", "@", ":", "%5c", "%00");
    const hostile = fc.array(piece, { maxLength: 12 }).map((parts) => `/${parts.join("")}`);
    fc.assert(
      fc.property(fc.oneof(hostile, fc.string(), fc.webUrl()), (raw) => {
        const out = safeNextPath(raw);
        expect(out.startsWith("/")).toBe(true);
        expect(/^\/[\/\\]/.test(out)).toBe(false);
        expect(new URL(out, site).origin).toBe(site);
      }),
      { numRuns: 5000 },
    );
  });
});

