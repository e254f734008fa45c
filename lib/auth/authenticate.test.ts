import { describe, expect, it } from "vitest";
import { bearerToken, readCookie } from "./authenticate";

describe("readCookie", () => {
  it("finds the named cookie among others", () => {
    expect(readCookie("a=1; provenance_session=abc%20def; b=2", "provenance_session")).toBe("abc def");
    expect(readCookie("a=1", "provenance_session")).toBeNull();
    expect(readCookie(null, "provenance_session")).toBeNull();
  });
  it("treats a malformed value as no cookie instead of throwing", () => {
    expect(readCookie("provenance_session=%E0%A4", "provenance_session")).toBeNull();
  });
});

describe("bearerToken", () => {
  it("accepts the Bearer scheme only", () => {
    expect(bearerToken("Bearer prv_abc")).toBe("prv_abc");
    expect(bearerToken("bearer prv_abc ")).toBe("prv_abc");
    expect(bearerToken("Basic abc")).toBeNull();
    expect(bearerToken("Bearer a b")).toBeNull();
  });
});
