// Operator sign-in and sign-out. A session is a random token handed to the browser in
// an HttpOnly cookie; the database keeps only its SHA-256 (lib/auth/secrets.ts).
import { issueDeviceCookie, parseDeviceCookie, verifyDeviceCookie } from "@/lib/auth/device-cookie";
import { isHashGateBusy } from "@/lib/auth/hash-gate";
import { hashPassword, needsRehash, verifyPassword } from "@/lib/auth/password";
import { loginLimiter, type LoginClient, type LoginLimiter } from "@/lib/auth/rate-limit";
import { randomToken, sha256Hex } from "@/lib/auth/secrets";
import { endSession, findUserByEmail, replacePasswordKeepingSession, startSession, upgradePasswordHash } from "@/lib/store/users";

export const SESSION_TTL_SECONDS = 14 * 24 * 60 * 60;

export type LoginInput = {
  email: string;
  password: string;
  /** The client address (lib/auth/client-ip.ts). */
  ip: string;
  /** The device cookie the browser sent, if any (lib/auth/device-cookie.ts). */
  deviceCookie?: string | null;
};

export type LoginResult =
  | { ok: true; sessionToken: string; expiresAt: Date; userId: string; deviceCookie: string }
  // One outcome for "no such account" and "wrong password": the caller cannot tell which.
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate_limited"; retryAfter: number }
  // Too many password checks running and waiting in this process: try again shortly.
  | { ok: false; reason: "busy"; retryAfter: number };

export type LoginDeps = { limiter?: LoginLimiter; now?: () => Date };

// A real scrypt hash, at today's cost, of a password nobody knows, made once per process.
// Checking unknown emails against it costs the same time and memory as checking a real account.
let decoyHash: Promise<string> | undefined;
function decoy(): Promise<string> {
  decoyHash ??= hashPassword(randomToken("decoy-")).catch((err: unknown) => {
    decoyHash = undefined; // a busy gate now must not poison every later unknown-email check
    throw err;
  });
  return decoyHash;
}

export async function login(input: LoginInput, deps: LoginDeps = {}): Promise<LoginResult> {
  const limiter = deps.limiter ?? loginLimiter();
  const now = deps.now?.() ?? new Date();
  const claim = parseDeviceCookie(input.deviceCookie);
  // Only a browser that claims to know the account costs a lookup before the limits:
  // everyone else is refused on the counters alone once they are spent.
  let user = claim ? await findUserByEmail(input.email) : undefined;
  const trusted = claim !== null && user != null && verifyDeviceCookie(claim, user, now);
  const client: LoginClient = { ip: input.ip, device: trusted ? claim.deviceId : null };

  const attempt = limiter.begin(client, input.email);
  if (!attempt.allowed) return { ok: false, reason: "rate_limited", retryAfter: attempt.retryAfter };

  let valid: boolean;
  try {
    if (user === undefined) user = await findUserByEmail(input.email);
    valid = user
      ? await verifyPassword(input.password, user.passwordHash, { priority: trusted })
      : (await verifyPassword(input.password, await decoy()), false);
  } catch (err) {
    // Not a failed guess: nothing was checked, so nothing is counted.
    attempt.settle("void");
    if (isHashGateBusy(err)) return { ok: false, reason: "busy", retryAfter: err.retryAfter };
    throw err;
  }
  // A deactivated member gets the same answer as a wrong password: nothing to learn.
  if (!user || !valid || user.deactivatedAt) {
    attempt.settle("failed");
    return { ok: false, reason: "invalid" };
  }

  attempt.settle("succeeded");
  const passwordHash = await upgradeHash(user.id, user.passwordHash, input.password, trusted);
  const sessionToken = randomToken("", 32);
  const expiresAt = new Date(now.getTime() + SESSION_TTL_SECONDS * 1000);
  await startSession({ userId: user.id, tokenHash: sha256Hex(sessionToken), expiresAt, now });
  // Signed with the (possibly upgraded) hash the account has from now on.
  const deviceCookie = issueDeviceCookie({ id: user.id, passwordHash }, now);
  return { ok: true, sessionToken, expiresAt, userId: user.id, deviceCookie };
}

/**
 * A hash made with weaker parameters is replaced, now that the password is known to be
 * right. Best effort: with the hashing gate full, the sign-in goes ahead and the upgrade
 * waits for the next one. Returns the hash the account has afterwards.
 */
async function upgradeHash(userId: string, current: string, password: string, priority: boolean): Promise<string> {
  if (!needsRehash(current)) return current;
  let upgraded: string;
  try {
    upgraded = await hashPassword(password, { priority });
  } catch (err) {
    if (isHashGateBusy(err)) return current;
    throw err;
  }
  // Only if the password was not changed meanwhile (PROVENANCE_ADMIN_PASSWORD at a start).
  return (await upgradePasswordHash(userId, current, upgraded)) ? upgraded : current;
}

/** A session for a member who just proved who they are another way (accepting an invitation). */
export async function startSessionFor(userId: string, now = new Date()): Promise<{ sessionToken: string; expiresAt: Date }> {
  const sessionToken = randomToken("", 32);
  const expiresAt = new Date(now.getTime() + SESSION_TTL_SECONDS * 1000);
  await startSession({ userId, tokenHash: sha256Hex(sessionToken), expiresAt, now });
  return { sessionToken, expiresAt };
}

/** Ends the session the token belongs to; unknown or expired tokens are a no-op. */
export async function logout(sessionToken: string): Promise<void> {
  if (!sessionToken) return;
  await endSession(sha256Hex(sessionToken));
}

export type PasswordChangeResult =
  | { ok: true }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate_limited" | "busy"; retryAfter: number };

/**
 * A signed-in member's own password change: the current password must be right (counted
 * by the sign-in limits, so a stolen session cannot guess it quickly); every other session
 * of the member ends, the one making the change stays.
 */
export async function changeOwnPassword(
  input: { userId: string; email: string; currentPassword: string; newPassword: string; keepSessionToken: string; ip: string },
  deps: LoginDeps = {},
): Promise<PasswordChangeResult> {
  const limiter = deps.limiter ?? loginLimiter();
  const attempt = limiter.begin({ ip: input.ip, device: null }, input.email);
  if (!attempt.allowed) return { ok: false, reason: "rate_limited", retryAfter: attempt.retryAfter };
  const user = await findUserByEmail(input.email);
  let valid: boolean;
  try {
    valid = user !== null && user.id === input.userId && (await verifyPassword(input.currentPassword, user.passwordHash, { priority: true }));
  } catch (err) {
    attempt.settle("void");
    if (isHashGateBusy(err)) return { ok: false, reason: "busy", retryAfter: err.retryAfter };
    throw err;
  }
  if (!valid) {
    attempt.settle("failed");
    return { ok: false, reason: "invalid" };
  }
  attempt.settle("succeeded");
  let hash: string;
  try {
    hash = await hashPassword(input.newPassword, { priority: true });
  } catch (err) {
    if (isHashGateBusy(err)) return { ok: false, reason: "busy", retryAfter: err.retryAfter };
    throw err;
  }
  await replacePasswordKeepingSession(input.userId, hash, sha256Hex(input.keepSessionToken));
  return { ok: true };
}
