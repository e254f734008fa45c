// POST /api/auth/login — operator sign-in: checks the password, sets the session cookie
import { z } from "zod";
import { withApi } from "@/lib/api/with-api";
import { ApiError } from "@/lib/api/errors";
import { clientIp } from "@/lib/auth/client-ip";
import { login, SESSION_TTL_SECONDS } from "@/lib/auth/login";
import { isSameOrigin } from "@/lib/auth/same-origin";
import { isSecureUrl, sessionCookie } from "@/lib/auth/session-cookie";
import { env } from "@/lib/env";

const LoginBody = z.object({
  email: z.string().trim().max(254).pipe(z.email("Enter a valid email address")),
  password: z.string().min(1, "Enter your password").max(1024),
});

export const POST = withApi({ auth: "public", body: LoginBody }, async ({ request, body }) => {
  const { publicUrl } = env();
  // A sign-in from another site would plant that site's chosen account in this browser.
  if (!isSameOrigin(request.headers, request.url, publicUrl)) throw new ApiError("forbidden");
  const result = await login({ email: body.email, password: body.password, ip: clientIp(request.headers) });
  const noStore = { "cache-control": "no-store" };
  if (!result.ok && result.reason === "rate_limited") {
    return {
      status: 429,
      body: { error: "Too many attempts", retryAfter: result.retryAfter },
      headers: { ...noStore, "retry-after": String(result.retryAfter) },
    };
  }
  if (!result.ok) return { status: 401, body: { error: "Invalid email or password" }, headers: noStore };
  return {
    status: 200,
    body: { ok: true },
    headers: { ...noStore, "set-cookie": sessionCookie(result.sessionToken, SESSION_TTL_SECONDS, isSecureUrl(publicUrl)) },
  };
});
