// Organizations: the tenant boundary. Also the org-wide summary the console home shows.
import { prisma } from "@/lib/db";
import type { EventStatus, Org, Prisma } from "@/lib/generated/prisma/client";

type Db = Prisma.TransactionClient;

export function findOrgBySlug(slug: string, db: Db = prisma()): Promise<Org | null> {
  return db.org.findUnique({ where: { slug } });
}

/** Creates the org when the slug is free; an existing org keeps its name. Safe when
 * several processes start at once (ON CONFLICT DO NOTHING, then read). */
export async function createOrgIfMissing(slug: string, name: string, db: Db = prisma()): Promise<{ org: Org; created: boolean }> {
  const { count } = await db.org.createMany({ data: [{ slug, name }], skipDuplicates: true });
  const org = await db.org.findUniqueOrThrow({ where: { slug } });
  return { org, created: count > 0 };
}

export type OrgOverview = {
  counts: { sources: number; mappings: number; events: number; interactions: number };
  sources: { id: string; title: string; mnemonic: string; active: boolean }[];
  recentEvents: {
    id: string;
    status: EventStatus;
    receivedAt: Date;
    error: string | null;
    source: { title: string; mnemonic: string };
  }[];
};

export const OVERVIEW_SOURCE_LIMIT = 100;
export const OVERVIEW_EVENT_LIMIT = 10;

export async function orgOverview(orgId: string, db: Db = prisma()): Promise<OrgOverview> {
  const where = { orgId };
  const [sources, mappings, events, interactions, sourceRows, eventRows] = await Promise.all([
    db.inboundSource.count({ where }),
    db.inboundMapping.count({ where }),
    db.inboundEvent.count({ where }),
    db.interaction.count({ where }),
    db.inboundSource.findMany({
      where,
      select: { id: true, title: true, mnemonic: true, active: true },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: OVERVIEW_SOURCE_LIMIT,
    }),
    db.inboundEvent.findMany({
      where,
      select: { id: true, status: true, receivedAt: true, error: true, source: { select: { title: true, mnemonic: true } } },
      orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
      take: OVERVIEW_EVENT_LIMIT,
    }),
  ]);
  return { counts: { sources, mappings, events, interactions }, sources: sourceRows, recentEvents: eventRows };
}
