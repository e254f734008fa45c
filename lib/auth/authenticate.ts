// Resolves the caller of a management request: `Authorization: Bearer <token>` first,
// else the operator's session cookie.
import { prisma } from "@/lib/db";
import type { Principal } from "@/lib/auth/principal";
import { sha256Hex } from "@/lib/auth/secrets";

export const SESSION_COOKIE = "provenance_session";
const LAST_USED_RESOLUTION_MS = 60_000;

export function bearerToken(authorization: string | null): string | null {
  if (!authorization) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return m ? m[1]! : null;
}

export async function principalFromToken(token: string): Promise<Principal | null> {
  if (token.length < 16 || token.length > 512) return null;
  const row = await prisma().apiToken.findUnique({
    where: { tokenHash: sha256Hex(token) },
    include: { org: { select: { slug: true } } },
  });
  if (!row) return null;
  const now = Date.now();
  // Coarse lastUsedAt keeps a hot token from writing on every request.
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await prisma().apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date(now) } }).catch(() => {});
  }
  return { kind: "token", orgId: row.orgId, orgSlug: row.org.slug, role: row.role, tokenId: row.id };
}

export async function principalFromSession(sessionToken: string): Promise<Principal | null> {
  if (sessionToken.length < 16 || sessionToken.length > 512) return null;
  const session = await prisma().session.findUnique({
    where: { tokenHash: sha256Hex(sessionToken) },
    include: { user: { include: { org: { select: { slug: true } } } } },
  });
  if (!session || session.expiresAt.getTime() <= Date.now()) return null;
  const u = session.user;
  // Deactivation ends sessions at once; this also covers one started in the same instant.
  if (u.deactivatedAt || u.passwordHash === "") return null;
  return { kind: "session", orgId: u.orgId, orgSlug: u.org.slug, role: u.role, userId: u.id, email: u.email };
}

export function readCookie(cookieHeader: string | null, name: string): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return null; // a malformed cookie is no session, not a server error
      }
    }
  }
  return null;
}

export async function authenticate(headers: Headers): Promise<Principal | null> {
  const token = bearerToken(headers.get("authorization"));
  if (token) return principalFromToken(token);
  const session = readCookie(headers.get("cookie"), SESSION_COOKIE);
  return session ? principalFromSession(session) : null;
}
