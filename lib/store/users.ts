// Operators (User) and their sign-in sessions. Sessions live here because a session
// is nothing but a user's proof of sign-in; only the SHA-256 of its token is stored.
import { prisma } from "@/lib/db";
import type { Prisma, Role, User } from "@/lib/generated/prisma/client";

type Db = Prisma.TransactionClient;

/** Emails are stored and looked up in one form, so `Ada@X.io` and `ada@x.io` are one account. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function findUserByEmail(email: string, db: Db = prisma()): Promise<User | null> {
  return db.user.findUnique({ where: { email: normalizeEmail(email) } });
}

export function countUsers(db: Db = prisma()): Promise<number> {
  return db.user.count();
}

/** The org's first admin, else its first user: who to name when no account was created. */
export function findFirstAdmin(orgId: string, db: Db = prisma()): Promise<User | null> {
  return db.user.findFirst({ where: { orgId }, orderBy: [{ role: "asc" }, { createdAt: "asc" }] });
}

export function createUser(
  input: { orgId: string; email: string; role: Role; passwordHash: string; name?: string },
  db: Db = prisma(),
): Promise<User> {
  return db.user.create({
    data: { orgId: input.orgId, email: normalizeEmail(input.email), role: input.role, passwordHash: input.passwordHash, name: input.name ?? null },
  });
}

/** Sets a new password hash and signs the user out everywhere. */
export async function replacePassword(userId: string, passwordHash: string, db: Db = prisma()): Promise<void> {
  await db.user.update({ where: { id: userId }, data: { passwordHash } });
  await db.session.deleteMany({ where: { userId } });
}

/** Sets a new password hash and ends every session of the user but the one given (by token hash). */
export async function replacePasswordKeepingSession(userId: string, passwordHash: string, keepTokenHash: string, db: Db = prisma()): Promise<void> {
  await db.user.update({ where: { id: userId }, data: { passwordHash } });
  await db.session.deleteMany({ where: { userId, tokenHash: { not: keepTokenHash } } });
}

/**
 * Swaps a hash for a stronger one of the same password (sessions stay), only while the
 * stored hash is still `current`; false when it changed meanwhile.
 */
export async function upgradePasswordHash(userId: string, current: string, upgraded: string, db: Db = prisma()): Promise<boolean> {
  const { count } = await db.user.updateMany({ where: { id: userId, passwordHash: current }, data: { passwordHash: upgraded } });
  return count === 1;
}

export async function startSession(
  input: { userId: string; tokenHash: string; expiresAt: Date; now: Date },
  db: Db = prisma(),
): Promise<void> {
  await db.session.create({ data: { userId: input.userId, tokenHash: input.tokenHash, expiresAt: input.expiresAt, createdAt: input.now } });
  await db.user.update({ where: { id: input.userId }, data: { lastLoginAt: input.now } });
  // Housekeeping: a sign-in clears the user's own expired sessions.
  await db.session.deleteMany({ where: { userId: input.userId, expiresAt: { lte: input.now } } });
}

export async function endSession(tokenHash: string, db: Db = prisma()): Promise<boolean> {
  const { count } = await db.session.deleteMany({ where: { tokenHash } });
  return count > 0;
}
