// POST /api/auth/logout — ends the operator's session and clears its cookie
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { ApiError } from "@/lib/errors";
import { readCookie, SESSION_COOKIE } from "@/lib/auth/authenticate";
import { logout } from "@/lib/auth/login";
import { isSameOrigin } from "@/lib/auth/same-origin";
import { clearedSessionCookie, isSecureUrl } from "@/lib/auth/session-cookie";
import { env } from "@/lib/env";

// Public on purpose: an expired or unknown session must still be able to clear its cookie.
export const POST = withApi(operations.logout, async ({ request }) => {
  const { publicUrl } = env();
  if (!isSameOrigin(request.headers, request.url, publicUrl)) throw new ApiError("forbidden");
  const token = readCookie(request.headers.get("cookie"), SESSION_COOKIE);
  if (token) await logout(token);
  return {
    status: 200,
    body: { ok: true },
    headers: { "cache-control": "no-store", "set-cookie": clearedSessionCookie(isSecureUrl(publicUrl)) },
  };
});
