// Operator sign-in and sign-out. A session is a random token handed to the browser in
// an HttpOnly cookie; the database keeps only its SHA-256 (lib/auth/secrets.ts).
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { loginLimiter, type LoginLimiter } from "@/lib/auth/rate-limit";
import { randomToken, sha256Hex } from "@/lib/auth/secrets";
import { endSession, findUserByEmail, startSession } from "@/lib/store/users";

export const SESSION_TTL_SECONDS = 14 * 24 * 60 * 60;

export type LoginInput = { email: string; password: string; ip: string };

export type LoginResult =
  | { ok: true; sessionToken: string; expiresAt: Date; userId: string }
  // One outcome for "no such account" and "wrong password": the caller cannot tell which.
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate_limited"; retryAfter: number };

export type LoginDeps = { limiter?: LoginLimiter; now?: () => Date };

// A real scrypt hash of a password nobody knows, made once per process. Checking unknown
// emails against it costs the same time as checking a real account.
let decoyHash: Promise<string> | undefined;
function decoy(): Promise<string> {
  decoyHash ??= hashPassword(randomToken("decoy-"));
  return decoyHash;
}

export async function login(input: LoginInput, deps: LoginDeps = {}): Promise<LoginResult> {
  const limiter = deps.limiter ?? loginLimiter();
  const gate = limiter.check(input.ip, input.email);
  if (!gate.allowed) return { ok: false, reason: "rate_limited", retryAfter: gate.retryAfter };

  const user = await findUserByEmail(input.email);
  const valid = user
    ? await verifyPassword(input.password, user.passwordHash)
    : (await verifyPassword(input.password, await decoy()), false);
  if (!user || !valid) {
    limiter.recordFailure(input.ip, input.email);
    return { ok: false, reason: "invalid" };
  }

  limiter.recordSuccess(input.email);
  const now = deps.now?.() ?? new Date();
  const sessionToken = randomToken("", 32);
  const expiresAt = new Date(now.getTime() + SESSION_TTL_SECONDS * 1000);
  await startSession({ userId: user.id, tokenHash: sha256Hex(sessionToken), expiresAt, now });
  return { ok: true, sessionToken, expiresAt, userId: user.id };
}

/** Ends the session the token belongs to; unknown or expired tokens are a no-op. */
export async function logout(sessionToken: string): Promise<void> {
  if (!sessionToken) return;
  await endSession(sha256Hex(sessionToken));
}
