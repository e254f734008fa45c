// POST /api/auth/invite — the invitation page's form: sets the password, spends the link,
// and signs the new member in
import { operations } from "@/lib/api/operations";
import { withApi } from "@/lib/api/with-api";
import { ApiError } from "@/lib/errors";
import { startSessionFor, SESSION_TTL_SECONDS } from "@/lib/auth/login";
import { hashPassword } from "@/lib/auth/password";
import { isSameOrigin } from "@/lib/auth/same-origin";
import { isSecureUrl, sessionCookie } from "@/lib/auth/session-cookie";
import { env } from "@/lib/env";
import { acceptInvite, findInvite } from "@/lib/store/members";

export const POST = withApi(operations.acceptInvite, async ({ request, body }) => {
  const { publicUrl } = env();
  if (!isSameOrigin(request.headers, request.url, publicUrl)) throw new ApiError("forbidden");
  // Check the link before spending a password hash on it.
  if (!(await findInvite(body.token))) {
    throw new ApiError("validation_failed", [{ path: "/token", message: "This invitation link is not valid any more: ask an admin for a new one." }]);
  }
  const userId = await acceptInvite(body.token, await hashPassword(body.password), body.name);
  const session = await startSessionFor(userId);
  return {
    status: 200,
    body: { ok: true },
    headers: {
      "cache-control": "no-store",
      "set-cookie": sessionCookie(session.sessionToken, SESSION_TTL_SECONDS, isSecureUrl(publicUrl)),
    },
  };
});
