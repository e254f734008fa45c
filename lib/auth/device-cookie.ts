// Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): a
// browser that has signed in to an account gets a signed cookie naming that account.
// Sign-ins that present a valid one are counted on their own, so strangers failing on
// purpose (or a flood of them) cannot lock the owner out of an account from a browser
// they have used before.
//
// The signing key is derived from the account's stored password hash: it is secret (it
// never leaves the server), differs per account, survives restarts without another
// setting, and changes with the password, which withdraws every device's trust at once.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const DEVICE_COOKIE = "provenance_device";
export const DEVICE_COOKIE_TTL_SECONDS = 180 * 24 * 60 * 60;
/** Sent only with sign-in requests: no page or API call ever needs it. */
export const DEVICE_COOKIE_PATH = "/api/auth/login";
const VERSION = "d1";
const ID_RE = /^[A-Za-z0-9_-]{22}$/;
const MAC_RE = /^[A-Za-z0-9_-]{43}$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type DeviceClaim = { userId: string; deviceId: string; issuedAt: number; mac: string };
type Account = { id: string; passwordHash: string };

function sign(account: Account, deviceId: string, issuedAt: number): string {
  const key = createHmac("sha256", account.passwordHash).update("provenance device cookie v1").digest();
  return createHmac("sha256", key).update(`${VERSION}.${account.id}.${deviceId}.${issuedAt}`).digest("base64url");
}

/** A fresh cookie value for a browser that has just signed in to `account`. */
export function issueDeviceCookie(account: Account, now: Date): string {
  const deviceId = randomBytes(16).toString("base64url");
  const issuedAt = Math.floor(now.getTime() / 1000);
  return `${VERSION}.${account.id}.${deviceId}.${issuedAt}.${sign(account, deviceId, issuedAt)}`;
}

/** The cookie's claim if it is well-formed; whether it is genuine is verifyDeviceCookie's call. */
export function parseDeviceCookie(value: string | null | undefined): DeviceClaim | null {
  if (!value || value.length > 200) return null;
  const parts = value.split(".");
  if (parts.length !== 5 || parts[0] !== VERSION) return null;
  const [, userId, deviceId, issued, mac] = parts as [string, string, string, string, string];
  if (!UUID_RE.test(userId) || !ID_RE.test(deviceId) || !/^\d{1,12}$/.test(issued) || !MAC_RE.test(mac)) return null;
  return { userId, deviceId, issuedAt: Number(issued), mac };
}

/** Whether the claim was issued by this server for this account, with its current password, and has not expired. */
export function verifyDeviceCookie(claim: DeviceClaim, account: Account, now: Date): boolean {
  if (claim.userId !== account.id) return false;
  const age = now.getTime() / 1000 - claim.issuedAt;
  if (age < -300 || age > DEVICE_COOKIE_TTL_SECONDS) return false;
  const expected = Buffer.from(sign(account, claim.deviceId, claim.issuedAt));
  const given = Buffer.from(claim.mac);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Set-Cookie for the device cookie: HttpOnly, SameSite=Strict, only on the sign-in path. */
export function deviceCookieHeader(value: string, secure: boolean): string {
  const parts = [`${DEVICE_COOKIE}=${value}`, "HttpOnly", "SameSite=Strict", `Path=${DEVICE_COOKIE_PATH}`, `Max-Age=${DEVICE_COOKIE_TTL_SECONDS}`];
  if (secure) parts.push("Secure");
  return parts.join("; ");
}
