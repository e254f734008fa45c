import { describe, expect, it } from "vitest";
import { DEVICE_COOKIE_TTL_SECONDS, deviceCookieHeader, issueDeviceCookie, parseDeviceCookie, verifyDeviceCookie } from "./device-cookie";

const account = { id: "6f1c1d2e-8a7b-4c3d-9e0f-112233445566", passwordHash: "scrypt$131072$8$1$c2FsdA==$aGFzaA==" };
const NOW = new Date("2026-03-01T12:00:00.000Z");

describe("device cookies", () => {
  it("a cookie issued for an account verifies for that account", () => {
    const value = issueDeviceCookie(account, NOW);
    const claim = parseDeviceCookie(value);
    expect(claim).toMatchObject({ userId: account.id });
    expect(verifyDeviceCookie(claim!, account, NOW)).toBe(true);
    // Each sign-in gets its own device id.
    expect(parseDeviceCookie(issueDeviceCookie(account, NOW))!.deviceId).not.toBe(claim!.deviceId);
  });

  it("is not valid for another account, after a password change, or once expired", () => {
    const claim = parseDeviceCookie(issueDeviceCookie(account, NOW))!;
    expect(verifyDeviceCookie(claim, { ...account, id: "00000000-0000-4000-8000-000000000000" }, NOW)).toBe(false);
    expect(verifyDeviceCookie(claim, { ...account, passwordHash: "scrypt$131072$8$1$b3RoZXI=$aGFzaA==" }, NOW)).toBe(false);
    const later = new Date(NOW.getTime() + (DEVICE_COOKIE_TTL_SECONDS + 1) * 1000);
    expect(verifyDeviceCookie(claim, account, later)).toBe(false);
  });

  it("a forged or altered cookie does not verify", () => {
    const value = issueDeviceCookie(account, NOW);
    const parts = value.split(".");
    const tampered = [
      [parts[0], parts[1], "A".repeat(22), parts[3], parts[4]].join("."),
      [parts[0], parts[1], parts[2], String(Number(parts[3]) + 1), parts[4]].join("."),
      [parts[0], parts[1], parts[2], parts[3], "A".repeat(43)].join("."),
    ];
    for (const t of tampered) {
      const claim = parseDeviceCookie(t);
      expect(claim === null || !verifyDeviceCookie(claim, account, NOW), t).toBe(true);
    }
  });

  it("parses only well-formed values", () => {
    for (const bad of [null, undefined, "", "d1", "d2.x.y.1.z", `d1.not-a-uuid.${"A".repeat(22)}.1.${"A".repeat(43)}`, "x".repeat(500)]) {
      expect(parseDeviceCookie(bad as string | null | undefined)).toBeNull();
    }
  });

  it("the cookie is HttpOnly, SameSite=Strict, sent only to the sign-in route, Secure over https", () => {
    expect(deviceCookieHeader("v", false)).toBe(`provenance_device=v; HttpOnly; SameSite=Strict; Path=/api/auth/login; Max-Age=${DEVICE_COOKIE_TTL_SECONDS}`);
    expect(deviceCookieHeader("v", true)).toMatch(/; Secure$/);
  });
});
