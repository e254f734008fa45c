// POST /api/auth/login — operator sign-in: checks the password, sets the session cookie
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { ApiError } from "@/lib/errors";
import { readCookie } from "@/lib/auth/authenticate";
import { clientIp } from "@/lib/auth/client-ip";
import { DEVICE_COOKIE, deviceCookieHeader } from "@/lib/auth/device-cookie";
import { login, SESSION_TTL_SECONDS } from "@/lib/auth/login";
import { isSameOrigin } from "@/lib/auth/same-origin";
import { isSecureUrl, sessionCookie } from "@/lib/auth/session-cookie";
import { env } from "@/lib/env";

export const POST = withApi(operations.login, async ({ request, body }) => {
  const { publicUrl } = env();
  // A sign-in from another site would plant that site's chosen account in this browser.
  if (!isSameOrigin(request.headers, request.url, publicUrl)) throw new ApiError("forbidden");
  const result = await login({
    email: body.email,
    password: body.password,
    ip: clientIp(request.headers),
    deviceCookie: readCookie(request.headers.get("cookie"), DEVICE_COOKIE),
  });
  const noStore = { "cache-control": "no-store" };
  if (!result.ok && result.reason !== "invalid") {
    const busy = result.reason === "busy";
    return {
      status: busy ? 503 : 429,
      body: { error: busy ? "Sign-in is busy, try again shortly" : "Too many attempts", retryAfter: result.retryAfter },
      headers: { ...noStore, "retry-after": String(result.retryAfter) },
    };
  }
  if (!result.ok) return { status: 401, body: { error: "Invalid email or password" }, headers: noStore };
  const secure = isSecureUrl(publicUrl);
  const headers = new Headers(noStore);
  headers.append("set-cookie", sessionCookie(result.sessionToken, SESSION_TTL_SECONDS, secure));
  headers.append("set-cookie", deviceCookieHeader(result.deviceCookie, secure));
  return { status: 200, body: { ok: true }, headers };
});
