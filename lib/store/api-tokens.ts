// API tokens: `prv_` + 32 random bytes (base64url). Only the SHA-256 is stored, plus the
// first 12 characters so operators can tell tokens apart; the token itself is returned
// once, by createApiToken.
import { prisma } from "@/lib/db";
import type { ApiToken } from "@/lib/generated/prisma/client";
import { notFound } from "@/lib/errors";
import type { ApiTokenCreateInput, ApiTokenCreatedDto, ApiTokenDto } from "@/lib/schemas/api-tokens";
import { randomToken, sha256Hex } from "@/lib/auth/secrets";
import { isUuid } from "@/lib/uuid";

export const API_TOKEN_PREFIX = "prv_";
export const TOKEN_PREFIX_LENGTH = 12;

export function toApiToken(row: ApiToken): ApiTokenDto {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt ? row.lastUsedAt.toISOString() : null,
  };
}

/** Newest first. */
export async function listApiTokens(orgId: string): Promise<ApiTokenDto[]> {
  const rows = await prisma().apiToken.findMany({ where: { orgId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  return rows.map(toApiToken);
}

/** `createdById`: the member making it (what the token does is attributed to them), if a person. */
export async function createApiToken(orgId: string, input: ApiTokenCreateInput, createdById?: string): Promise<ApiTokenCreatedDto> {
  const token = randomToken(API_TOKEN_PREFIX, 32);
  const row = await prisma().apiToken.create({
    data: {
      orgId,
      name: input.name,
      role: input.role,
      prefix: token.slice(0, TOKEN_PREFIX_LENGTH),
      tokenHash: sha256Hex(token),
      createdById: createdById ?? null,
    },
  });
  return { ...toApiToken(row), token };
}

/** Revokes at once: authentication looks the hash up on every request. */
export async function deleteApiToken(orgId: string, id: string): Promise<void> {
  if (!isUuid(id)) throw notFound();
  const { count } = await prisma().apiToken.deleteMany({ where: { id, orgId } });
  if (count === 0) throw notFound();
}
