// The org's members: invitations (a one-time link; only the SHA-256 of its token is
// stored), roles, deactivation and removal, and the org's settings. Two rules hold under
// concurrency: the org always keeps an active admin (every change that could take the
// last one away locks the org's row first), and a deactivated or removed member's
// sessions end in the same transaction.
import { prisma } from "@/lib/db";
import type { Prisma, User } from "@/lib/generated/prisma/client";
import { conflict, notFound, validationFailed } from "@/lib/errors";
import type { MemberDto, MemberInviteInput, MemberInvitedDto, MemberUpdateInput, OrgSettingsDto } from "@/lib/schemas/members";
import type { Principal } from "@/lib/auth/principal";
import { randomToken, sha256Hex } from "@/lib/auth/secrets";
import { normalizeEmail } from "./users";
import { isUuid } from "@/lib/uuid";

type Db = Prisma.TransactionClient;

/** How long an invitation link works. */
export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export const INVITE_TOKEN_PREFIX = "inv_";

export function memberStatus(user: Pick<User, "deactivatedAt" | "inviteTokenHash" | "passwordHash">): MemberDto["status"] {
  if (user.deactivatedAt) return "deactivated";
  if (user.passwordHash === "") return "invited";
  return "active";
}

export function toMember(row: User): MemberDto {
  const status = memberStatus(row);
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    status,
    createdAt: row.createdAt.toISOString(),
    lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
    invitedAt: row.invitedAt?.toISOString() ?? null,
    invitedBy: row.invitedBy,
    inviteExpiresAt: status === "invited" && row.inviteExpiresAt ? row.inviteExpiresAt.toISOString() : null,
    deactivatedAt: row.deactivatedAt?.toISOString() ?? null,
  };
}

/** Admins first, then by email. */
export async function listMembers(orgId: string): Promise<MemberDto[]> {
  const rows = await prisma().user.findMany({ where: { orgId }, orderBy: [{ role: "asc" }, { email: "asc" }] });
  return rows.map(toMember);
}

/** The invitation link for a token, on the app's public URL. */
export function inviteUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/invite/${encodeURIComponent(token)}`;
}

/** A person's label for "invited by" and the like: their name and email, or a token's name. */
export async function principalLabel(principal: Principal, db: Db = prisma()): Promise<string> {
  if (principal.kind === "session" && principal.userId) {
    const user = await db.user.findUnique({ where: { id: principal.userId }, select: { name: true, email: true } });
    if (user) return personLabel(user);
  }
  if (principal.tokenId) {
    const token = await db.apiToken.findFirst({
      where: { id: principal.tokenId, orgId: principal.orgId },
      select: { name: true, createdBy: { select: { name: true, email: true } } },
    });
    if (token?.createdBy) return `${personLabel(token.createdBy)} via token "${token.name}"`;
    if (token) return `${token.name} (token ${principal.tokenId})`;
  }
  return principal.email ?? `token ${principal.tokenId ?? "unknown"}`;
}

export function personLabel(user: { name: string | null; email: string }): string {
  return user.name ? `${user.name} <${user.email}>` : user.email;
}

/**
 * Who is acting, as one key for separation of duties: "user:<id>" for a person (signed
 * in, or through a token they made), "token:<id>" for a token no person made.
 */
export async function actorKey(principal: Principal, db: Db = prisma()): Promise<string> {
  if (principal.kind === "session" && principal.userId) return `user:${principal.userId}`;
  if (principal.tokenId) {
    const maker = await tokenMaker(principal, db);
    return maker ? `user:${maker}` : `token:${principal.tokenId}`;
  }
  return "unknown";
}

/** The member who made the calling token, if a person did. */
export async function tokenMaker(principal: Principal, db: Db = prisma()): Promise<string | undefined> {
  if (!principal.tokenId) return undefined;
  const token = await db.apiToken.findFirst({ where: { id: principal.tokenId, orgId: principal.orgId }, select: { createdById: true } });
  return token?.createdById ?? undefined;
}

function freshInvite(now: Date): { token: string; hash: string; expiresAt: Date } {
  const token = randomToken(INVITE_TOKEN_PREFIX, 32);
  return { token, hash: sha256Hex(token), expiresAt: new Date(now.getTime() + INVITE_TTL_MS) };
}

/**
 * Invites a person: a member in "invited" state and a one-time link, returned once. An
 * email already in use (in this org or another: an account belongs to one org) is a 409.
 */
export async function inviteMember(
  principal: Principal,
  input: MemberInviteInput,
  publicUrl: string,
  now = new Date(),
): Promise<MemberInvitedDto> {
  const email = normalizeEmail(input.email);
  const invitedBy = await principalLabel(principal);
  const invite = freshInvite(now);
  const existing = await prisma().user.findUnique({ where: { email }, select: { orgId: true } });
  if (existing) {
    throw conflict([
      {
        path: "/email",
        message: existing.orgId === principal.orgId ? "is already a member of this org" : "already has an account in another org",
      },
    ]);
  }
  let row: User;
  try {
    row = await prisma().user.create({
      data: {
        orgId: principal.orgId,
        email,
        name: input.name ?? null,
        role: input.role,
        passwordHash: "",
        inviteTokenHash: invite.hash,
        inviteExpiresAt: invite.expiresAt,
        invitedAt: now,
        invitedBy,
      },
    });
  } catch (error) {
    // Two invitations of one email at once: the unique index decides.
    if ((error as { code?: string }).code === "P2002") throw conflict([{ path: "/email", message: "is already a member" }]);
    throw error;
  }
  return { member: toMember(row), inviteUrl: inviteUrl(publicUrl, invite.token), inviteToken: invite.token, expiresAt: invite.expiresAt.toISOString() };
}

/** A new link for a member who has not accepted yet (the old link stops working). */
export async function reissueInvite(principal: Principal, id: string, publicUrl: string, now = new Date()): Promise<MemberInvitedDto> {
  const user = await findMember(principal.orgId, id);
  if (memberStatus(user) !== "invited") {
    throw conflict([{ path: "", message: "This member has already set a password; only a pending invitation can be sent again." }]);
  }
  const invite = freshInvite(now);
  const row = await prisma().user.update({
    where: { id: user.id },
    data: { inviteTokenHash: invite.hash, inviteExpiresAt: invite.expiresAt, invitedAt: now, invitedBy: await principalLabel(principal) },
  });
  return { member: toMember(row), inviteUrl: inviteUrl(publicUrl, invite.token), inviteToken: invite.token, expiresAt: invite.expiresAt.toISOString() };
}

async function findMember(orgId: string, id: string, db: Db = prisma()): Promise<User> {
  if (!isUuid(id)) throw notFound();
  const user = await db.user.findFirst({ where: { id, orgId } });
  if (!user) throw notFound();
  return user;
}

/** Locks the org's row: changes that could remove its last active admin run one at a time. */
async function lockOrg(tx: Db, orgId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "Org" WHERE id = ${orgId}::uuid FOR UPDATE`;
}

async function otherActiveAdmins(tx: Db, orgId: string, exceptId: string): Promise<number> {
  return tx.user.count({ where: { orgId, role: "admin", deactivatedAt: null, passwordHash: { not: "" }, id: { not: exceptId } } });
}

const LAST_ADMIN = "The org must keep at least one active admin: make another member admin first.";

/** Role, name and active state. Never leaves the org without an active admin. */
export async function updateMember(principal: Principal, id: string, input: MemberUpdateInput, now = new Date()): Promise<MemberDto> {
  const row = await prisma().$transaction(async (tx) => {
    await lockOrg(tx, principal.orgId);
    const user = await findMember(principal.orgId, id, tx);
    const losesAdmin =
      user.role === "admin" &&
      memberStatus(user) === "active" &&
      ((input.role !== undefined && input.role !== "admin") || input.active === false);
    if (losesAdmin && (await otherActiveAdmins(tx, principal.orgId, user.id)) === 0) {
      throw conflict([{ path: input.active === false ? "/active" : "/role", message: LAST_ADMIN }]);
    }
    const data: Prisma.UserUpdateInput = {};
    if (input.role !== undefined) data.role = input.role;
    if (input.name !== undefined) data.name = input.name;
    if (input.active === false && !user.deactivatedAt) data.deactivatedAt = now;
    if (input.active === true) data.deactivatedAt = null;
    const updated = await tx.user.update({ where: { id: user.id }, data });
    // Deactivation ends every session at once (authentication also refuses the account).
    if (input.active === false) await tx.session.deleteMany({ where: { userId: user.id } });
    return updated;
  });
  return toMember(row);
}

/** Removes a member and their sessions; tokens they made stay, no longer attributed. */
export async function removeMember(principal: Principal, id: string): Promise<void> {
  await prisma().$transaction(async (tx) => {
    await lockOrg(tx, principal.orgId);
    const user = await findMember(principal.orgId, id, tx);
    if (user.role === "admin" && memberStatus(user) === "active" && (await otherActiveAdmins(tx, principal.orgId, user.id)) === 0) {
      throw conflict([{ path: "", message: LAST_ADMIN }]);
    }
    await tx.user.delete({ where: { id: user.id } });
  });
}

/** The invitation a link stands for, if it still works: for the invitation page. */
export async function findInvite(token: string, now = new Date()): Promise<{ email: string; name: string | null; role: User["role"]; orgName: string } | null> {
  if (token.length < 16 || token.length > 200) return null;
  const user = await prisma().user.findUnique({
    where: { inviteTokenHash: sha256Hex(token) },
    include: { org: { select: { name: true } } },
  });
  if (!user || !user.inviteExpiresAt || user.inviteExpiresAt <= now || user.deactivatedAt || user.passwordHash !== "") return null;
  return { email: user.email, name: user.name, role: user.role, orgName: user.org.name };
}

/**
 * Accepts an invitation: sets the password (and name), spends the link. Returns the
 * member's id, to start a session. An unknown, used or expired link is a 400 naming the token.
 */
export async function acceptInvite(token: string, passwordHash: string, name: string | undefined, now = new Date()): Promise<string> {
  const hash = sha256Hex(token);
  const refused = validationFailed([{ path: "/token", message: "This invitation link is not valid any more: ask an admin for a new one." }]);
  const user = await prisma().user.findUnique({ where: { inviteTokenHash: hash }, select: { id: true } });
  if (!user) throw refused;
  // Conditional: of two tabs accepting one link, one wins; an expired link sets nothing.
  const { count } = await prisma().user.updateMany({
    where: { id: user.id, inviteTokenHash: hash, inviteExpiresAt: { gt: now }, deactivatedAt: null, passwordHash: "" },
    data: { passwordHash, inviteTokenHash: null, inviteExpiresAt: null, ...(name ? { name } : {}) },
  });
  if (count === 0) throw refused;
  return user.id;
}

export async function getOrgSettings(orgId: string): Promise<OrgSettingsDto> {
  const org = await prisma().org.findUniqueOrThrow({ where: { id: orgId } });
  return {
    slug: org.slug,
    name: org.name,
    environment: org.environment === "sandbox" ? "sandbox" : "production",
    separationOfDuties: org.separationOfDuties,
  };
}

export async function updateOrgSettings(orgId: string, input: { separationOfDuties: boolean }): Promise<OrgSettingsDto> {
  await prisma().org.update({ where: { id: orgId }, data: { separationOfDuties: input.separationOfDuties } });
  return getOrgSettings(orgId);
}
