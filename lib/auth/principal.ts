import type { Role } from "@/lib/generated/prisma/enums";

export type { Role };

/** Who is calling: an API token or a signed-in operator, always within one org. */
export type Principal = {
  kind: "token" | "session";
  orgId: string;
  orgSlug: string;
  role: Role;
  userId?: string;
  tokenId?: string;
  email?: string;
};

const RANK: Record<Role, number> = { reviewer: 0, operator: 1, admin: 2 };

/** reviewer reads; operator also writes configuration; admin also manages tokens. */
export function hasRole(principal: Principal, needed: Role): boolean {
  return RANK[principal.role] >= RANK[needed];
}
