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
});
