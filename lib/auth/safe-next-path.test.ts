import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeNextPath } from "./safe-next-path";

const SITE = "https://console.example";

/** Where a browser on the sign-in page goes when sent to `next` (Location or router.replace). */
function browserTarget(next: string): URL {
  return new URL(next, `${SITE}/login?next=x`);
}

/** Whether `next` stays on the site for a browser, and for anything that percent-decodes it first. */
function staysOnSite(next: string): boolean {
  let current = next;
  for (let layer = 0; layer < 4; layer++) {
    if (/^[/\\]{2}/.test(current)) return false;
    let target: URL;
    try {
      target = browserTarget(current);
    } catch {
      return false;
    }
    if (target.origin !== SITE) return false;
    let decoded: string;
    try {
      decoded = decodeURIComponent(current);
    } catch {
      return true;
    }
    if (decoded === current) return true;
    current = decoded;
  }
  return true;
}

describe("safeNextPath", () => {
  it("keeps same-site paths with their query and fragment", () => {
    expect(safeNextPath("/")).toBe("/");
    expect(safeNextPath("/sources?tab=mappings#m1")).toBe("/sources?tab=mappings#m1");
    expect(safeNextPath(["/events", "/other"])).toBe("/events");
    expect(safeNextPath("/events?q=a//b")).toBe("/events?q=a//b");
    expect(safeNextPath("/sources/%C3%A9t%C3%A9")).toBe("/sources/%C3%A9t%C3%A9");
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

  it("refuses the issue's dot-segment and percent-encoded cases (issue 11, item 3)", () => {
    expect(safeNextPath("/.//evil.com")).toBe("/");
    expect(safeNextPath("/a/..//evil.com")).toBe("/");
    expect(safeNextPath("/%2e//evil.com")).toBe("/");
  });

  it("refuses their variants: double dots, encoded slashes and backslashes, double encoding", () => {
    for (const bad of [
      "/%2e%2e//evil.com",
      "/%2E//evil.com",
      "/a/b/../..//evil.com",
      "/././/evil.com",
      "/%2F/evil.com",
      "/%2f%2fevil.com",
      "/%5C/evil.com",
      "/.%5c/evil.com",
      "/%252e//evil.com",
      "/%252F%252Fevil.com",
      "/%09/evil.com",
      "/%25252525252e",
    ]) {
      expect(safeNextPath(bad), JSON.stringify(bad)).toBe("/");
    }
  });

  it("does not send a signed-in operator back to sign-in or into the API", () => {
    expect(safeNextPath("/login")).toBe("/");
    expect(safeNextPath("/login?next=/x")).toBe("/");
    expect(safeNextPath("/api/auth/logout")).toBe("/");
    expect(safeNextPath("/%6Cogin")).toBe("/");
  });

  it("normalises dot segments instead of trusting them", () => {
    expect(safeNextPath("/a/../b")).toBe("/b");
    expect(safeNextPath("/x/../../login")).toBe("/");
  });

  it("whatever the input, the result is a path that keeps a browser (and any decoder) on this site", () => {
    // Built from the pieces open-redirect payloads are made of, so the interesting
    // combinations come up often; plus arbitrary unicode strings.
    const piece = fc.constantFrom(
      "/", "//", "\\", ".", "..", "%2e", "%2E", "%2f", "%2F", "%5c", "%5C", "%25", "%252e", "%252f",
      "%09", "%0a", "\t", "\n", " ", "@", ":", "?", "#", ";", "evil.com", "a", "login", "api", "http:", "javascript:",
      "\u3002", "\uff0f", "%E3%80%82",
    );
    const hostile = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(""));
    const input = fc.oneof(hostile, hostile.map((s) => `/${s}`), fc.string({ unit: "binary", maxLength: 40 }));
    fc.assert(
      fc.property(input, (raw) => {
        const next = safeNextPath(raw);
        expect(next.startsWith("/")).toBe(true);
        expect(/^[/\\]{2}/.test(next), next).toBe(false);
        expect(staysOnSite(next), `${JSON.stringify(raw)} -> ${JSON.stringify(next)}`).toBe(true);
        // Stable: feeding the answer back gives the same answer.
        expect(safeNextPath(next)).toBe(next);
      }),
      { numRuns: 5_000 },
    );
  });
});
