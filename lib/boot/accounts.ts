// Start-up accounts: the bootstrap org, its automation token and the first admin.
// Every function here is idempotent and safe when several app processes start together.
import { prisma } from "@/lib/db";
import type { Org } from "@/lib/generated/prisma/client";
import { generatePassword, hashPassword, verifyPassword } from "@/lib/auth/password";
import { sha256Hex } from "@/lib/auth/secrets";
import { createOrgIfMissing } from "@/lib/store/orgs";
import { countUsers, createUser, findFirstAdmin, findUserByEmail, normalizeEmail, replacePassword } from "@/lib/store/users";

const ADMIN_LOCK_KEY = 72_616_764; // arbitrary, constant: "provenance first admin"
const BOOTSTRAP_LOCK_KEY = 72_616_765; // arbitrary, constant: "provenance bootstrap token"
export const BOOTSTRAP_TOKEN_NAME = "bootstrap";

/** The org with this slug, created with `name` if missing (an existing org keeps its name). */
export async function ensureOrg(slug: string, name: string): Promise<Org> {
  return (await createOrgIfMissing(slug, name)).org;
}

/**
 * Makes `token` (PROVENANCE_BOOTSTRAP_TOKEN) a valid admin API token of the org, and the
 * only bootstrap token: one configured before it (another value, or another org) is
 * revoked, so rotating the variable and restarting retires the old token. Tokens made
 * through the API are never touched. Only the SHA-256 is stored. A token already
 * registered to another org through the API is a configuration error.
 */
export async function ensureBootstrapToken(orgId: string, token: string): Promise<{ created: boolean; revoked: number }> {
  if (token.length < 16) throw new Error("The bootstrap token must be at least 16 characters");
  const tokenHash = sha256Hex(token);
  return prisma().$transaction(async (tx) => {
    // Processes starting together with different values (a rolling restart) take turns.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${BOOTSTRAP_LOCK_KEY})`;
    const { count: revoked } = await tx.apiToken.deleteMany({ where: { bootstrap: true, NOT: { orgId, tokenHash } } });
    const { count } = await tx.apiToken.createMany({
      data: [{ orgId, name: BOOTSTRAP_TOKEN_NAME, role: "admin", prefix: token.slice(0, 12), tokenHash, bootstrap: true }],
      skipDuplicates: true,
    });
    const row = await tx.apiToken.findUniqueOrThrow({ where: { tokenHash }, select: { id: true, orgId: true, bootstrap: true } });
    if (row.orgId !== orgId) throw new Error("PROVENANCE_BOOTSTRAP_TOKEN is already an API token of another org");
    // The configured value is an API-made token of this org: from now on it lives and
    // dies with the configuration.
    if (!row.bootstrap) await tx.apiToken.update({ where: { id: row.id }, data: { bootstrap: true } });
    return { created: count > 0, revoked };
  });
}

/** With no bootstrap token configured, none is valid: revokes any made by an earlier start. */
export async function revokeBootstrapTokens(): Promise<{ revoked: number }> {
  const { count } = await prisma().apiToken.deleteMany({ where: { bootstrap: true } });
  return { revoked: count };
}

export type EnsureAdminResult = {
  /** The admin account to sign in with; null only when nothing was created or reset and the org has no users. */
  email: string | null;
  /** Set when the password was generated here: shown once by the launcher, stored nowhere in clear. */
  generatedPassword?: string;
  created: boolean;
  /** An existing account's password was replaced by the configured one (its sessions ended). */
  passwordReset: boolean;
};

/**
 * The first operator account, and the operator's way back in.
 * - No users in the database: an admin of `orgId` is created, with the configured
 *   email/password (PROVENANCE_ADMIN_EMAIL/PASSWORD) or `admin@<org slug>.local` and a
 *   generated password that is returned (once) for the launcher to print.
 * - Users exist and an email/password is configured: that account is made to have that
 *   password (a changed password also signs it out everywhere), which is how a locked-out
 *   operator resets access; if no account has that email, it is created as an admin of
 *   `orgId`. The configured email therefore always signs in with the configured password.
 * - Users exist and nothing is configured: nothing changes.
 */
export async function ensureAdmin(orgId: string, config: { email?: string; password?: string } = {}): Promise<EnsureAdminResult> {
  if (Boolean(config.email) !== Boolean(config.password)) {
    throw new Error("The admin email and password are configured together");
  }
  const configured = config.email && config.password ? { email: normalizeEmail(config.email), password: config.password } : null;
  // Hash outside the transaction: scrypt is slow and the lock should be short.
  const generated = configured ? undefined : generatePassword();
  const wanted = configured ?? { email: "", password: generated! };
  const newHash = await hashPassword(wanted.password);

  return prisma().$transaction(async (tx) => {
    // Two processes starting on an empty database must not both create an admin.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ADMIN_LOCK_KEY})`;
    if ((await countUsers(tx)) === 0) {
      const org = await tx.org.findUniqueOrThrow({ where: { id: orgId }, select: { slug: true } });
      const email = configured?.email ?? `admin@${org.slug}.local`;
      await createUser({ orgId, email, role: "admin", passwordHash: newHash, name: "Administrator" }, tx);
      return { email, created: true, passwordReset: false, ...(generated ? { generatedPassword: generated } : {}) };
    }
    if (configured) {
      const existing = await findUserByEmail(configured.email, tx);
      if (!existing) {
        await createUser({ orgId, email: configured.email, role: "admin", passwordHash: newHash, name: "Administrator" }, tx);
        return { email: configured.email, created: true, passwordReset: false };
      }
      if (await verifyPassword(configured.password, existing.passwordHash)) {
        return { email: existing.email, created: false, passwordReset: false };
      }
      await replacePassword(existing.id, newHash, tx);
      return { email: existing.email, created: false, passwordReset: true };
    }
    const admin = await findFirstAdmin(orgId, tx);
    return { email: admin?.email ?? null, created: false, passwordReset: false };
  });
}
