import { describe, expect, it } from "vitest";
import { clearedSessionCookie, isSecureUrl, sessionCookie } from "./session-cookie";

describe("session cookie", () => {
  it("is HttpOnly, SameSite=Lax, site-wide, with a lifetime", () => {
    expect(sessionCookie("abc", 1209600, false)).toBe("provenance_session=abc; HttpOnly; SameSite=Lax; Path=/; Max-Age=1209600");
  });

  it("adds Secure when the app is served over https", () => {
    expect(isSecureUrl("https://hooks.example.com")).toBe(true);
    expect(isSecureUrl("http://localhost:3000")).toBe(false);
    expect(sessionCookie("abc", 60, true)).toMatch(/; Secure$/);
  });

  it("clears with an empty value and Max-Age=0", () => {
    expect(clearedSessionCookie(false)).toBe("provenance_session=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0");
  });
});
