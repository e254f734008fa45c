// The Set-Cookie values for the operator session. HttpOnly keeps the token away from
// page scripts; SameSite=Lax keeps it off cross-site POSTs; Secure whenever the app is
// served over https (judged from the public URL, since TLS usually ends at a proxy).
import { SESSION_COOKIE } from "@/lib/auth/authenticate";

export function isSecureUrl(publicUrl: string): boolean {
  return new URL(publicUrl).protocol === "https:";
}

function serialize(value: string, maxAgeSeconds: number, secure: boolean): string {
  const parts = [`${SESSION_COOKIE}=${encodeURIComponent(value)}`, "HttpOnly", "SameSite=Lax", "Path=/", `Max-Age=${maxAgeSeconds}`];
  if (secure) parts.push("Secure");
  return parts.join("; ");
}

export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return serialize(token, Math.max(0, Math.floor(maxAgeSeconds)), secure);
}

export function clearedSessionCookie(secure: boolean): string {
  return serialize("", 0, secure);
}
