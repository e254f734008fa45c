// Interactions: read-only through the management API (the pipeline writes them).
// Newest first with keyset pagination on (createdAt desc, id desc), which the
// (orgId, createdAt desc, id desc) index serves directly.
import { prisma } from "@/lib/db";
import type { Interaction, Prisma } from "@/lib/generated/prisma/client";
import { notFound } from "@/lib/errors";
import type { InteractionDto, InteractionListQueryInput } from "@/lib/schemas/interactions";
import { toPage, type Page } from "@/lib/cursors";
import { isUuid } from "@/lib/uuid";

export function toInteraction(row: Interaction): InteractionDto {
  return {
    id: row.id,
    orgId: row.orgId,
    originId: row.originId,
    sourceId: row.sourceId,
    mappingId: row.mappingId,
    eventId: row.eventId,
    resourceTypeId: row.resourceTypeId,
    actionId: row.actionId,
    resourceType: row.resourceType,
    action: row.action,
    resourceId: row.resourceId,
    idempotencyKey: row.idempotencyKey,
    object: row.object as Record<string, unknown>,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function listInteractions(orgId: string, q: InteractionListQueryInput): Promise<Page<InteractionDto>> {
  const where: Prisma.InteractionWhereInput = {
    orgId,
    ...(q.sourceId ? { sourceId: q.sourceId } : {}),
    ...(q.resourceType ? { resourceType: q.resourceType } : {}),
    ...(q.action ? { action: q.action } : {}),
    ...(q.cursor
      ? { OR: [{ createdAt: { lt: q.cursor.at } }, { createdAt: q.cursor.at, id: { lt: q.cursor.id } }] }
      : {}),
  };
  const rows = await prisma().interaction.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
  });
  return toPage(rows, q.limit, (r) => r.createdAt, toInteraction);
}

export async function getInteraction(orgId: string, id: string): Promise<InteractionDto> {
  if (!isUuid(id)) throw notFound();
  const row = await prisma().interaction.findFirst({ where: { id, orgId } });
  if (!row) throw notFound();
  return toInteraction(row);
}

/** Read-only dedup check for the mapping tester: would this interaction be a duplicate? */
export async function interactionExists(
  orgId: string,
  // The action by name: a mapping with actionPath has no action id until first use.
  key: { resourceTypeId: string; action: string; idempotencyKey: string },
): Promise<boolean> {
  const row = await prisma().interaction.findFirst({ where: { orgId, ...key }, select: { id: true } });
  return row !== null;
}
