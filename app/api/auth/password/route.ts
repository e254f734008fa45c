// POST /api/auth/password — a signed-in member changes their own password; their other
// sessions end, this one stays
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { ApiError } from "@/lib/errors";
import { readCookie, SESSION_COOKIE } from "@/lib/auth/authenticate";
import { clientIp } from "@/lib/auth/client-ip";
import { changeOwnPassword } from "@/lib/auth/login";

export const POST = withApi(operations.changePassword, async ({ request, principal, body }) => {
  const token = readCookie(request.headers.get("cookie"), SESSION_COOKIE);
  // A person's password, not a program's: API tokens cannot change it.
  if (principal.kind !== "session" || !principal.userId || !principal.email || !token) throw new ApiError("forbidden");
  const result = await changeOwnPassword({
    userId: principal.userId,
    email: principal.email,
    currentPassword: body.currentPassword,
    newPassword: body.newPassword,
    keepSessionToken: token,
    ip: clientIp(request.headers),
  });
  const noStore = { "cache-control": "no-store" };
  if (!result.ok && result.reason === "invalid") {
    throw new ApiError("validation_failed", [{ path: "/currentPassword", message: "is not your current password" }]);
  }
  if (!result.ok) {
    const busy = result.reason === "busy";
    return {
      status: busy ? 503 : 429,
      body: { error: busy ? "Busy, try again shortly" : "Too many attempts", retryAfter: result.retryAfter },
      headers: { ...noStore, "retry-after": String(result.retryAfter) },
    };
  }
  return { status: 200, body: { ok: true }, headers: noStore };
});
