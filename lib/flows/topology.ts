// The org as one graph (/topology): sources → mappings → targets, with the routes, each
// object marked with the ProviderFlow package that manages it (managedBy is
// "<package>/<object>"), and live counts for the last hour: events per source and per
// source → mapping edge, deliveries per mapping → target edge, each with its failures.
import { prisma } from "@/lib/db";

export type TopologyKind = "source" | "mapping" | "target";

export type TopologyNode = {
  id: string;
  kind: TopologyKind;
  label: string;
  detail: string;
  href: string;
  active: boolean;
  /** The managing package's name, or null for an object made in the console or the API. */
  package: string | null;
  /** Source nodes: events received in the last hour, and how many failed. */
  counts?: { events: number; failed: number };
};

export type TopologyEdge = {
  id: string;
  from: string;
  to: string;
  kind: "source-mapping" | "route";
  /** Events handled by the mapping (source → mapping), or deliveries made (route), in the last hour. */
  count: number;
  failed: number;
};

export type Topology = { nodes: TopologyNode[]; edges: TopologyEdge[]; since: string };

export const TOPOLOGY_WINDOW_MS = 60 * 60 * 1000;
/** A very large org is drawn in part: beyond this many objects of a kind the rest are left out (and said so). */
export const MAX_OBJECTS_PER_KIND = 300;

export function packageOf(managedBy: string | null): string | null {
  if (!managedBy) return null;
  const i = managedBy.indexOf("/");
  return i > 0 ? managedBy.slice(0, i) : managedBy;
}

export async function orgTopology(orgId: string, now = new Date()): Promise<Topology & { truncated: boolean }> {
  const since = new Date(now.getTime() - TOPOLOGY_WINDOW_MS);
  const db = prisma();
  const [sources, mappings, targets, routes, eventCounts, deliveryCounts] = await Promise.all([
    db.inboundSource.findMany({
      where: { orgId },
      orderBy: { title: "asc" },
      take: MAX_OBJECTS_PER_KIND + 1,
      select: { id: true, title: true, mnemonic: true, active: true, managedBy: true, verification: true },
    }),
    db.inboundMapping.findMany({
      where: { orgId },
      orderBy: [{ priority: "desc" }, { title: "asc" }],
      take: MAX_OBJECTS_PER_KIND + 1,
      select: { id: true, title: true, sourceId: true, active: true, managedBy: true, resourceType: { select: { name: true } } },
    }),
    db.target.findMany({
      where: { orgId },
      orderBy: { name: "asc" },
      take: MAX_OBJECTS_PER_KIND + 1,
      select: { id: true, name: true, url: true, active: true, managedBy: true },
    }),
    db.route.findMany({ where: { orgId }, select: { id: true, mappingId: true, targetId: true, active: true } }),
    db.$queryRaw<{ sourceId: string; mappingId: string | null; status: string; n: bigint }[]>`
      SELECT "sourceId", "mappingId", "status"::text AS status, count(*) AS n
      FROM "InboundEvent" WHERE "orgId" = ${orgId}::uuid AND "receivedAt" >= ${since}
      GROUP BY 1, 2, 3`,
    db.$queryRaw<{ mappingId: string; targetId: string; status: string; n: bigint }[]>`
      SELECT i."mappingId", d."targetId", d."status"::text AS status, count(*) AS n
      FROM "Delivery" d JOIN "Interaction" i ON i.id = d."interactionId"
      WHERE d."orgId" = ${orgId}::uuid AND d."createdAt" >= ${since}
      GROUP BY 1, 2, 3`,
  ]);
  const truncated = [sources, mappings, targets].some((list) => list.length > MAX_OBJECTS_PER_KIND);
  const shownSources = sources.slice(0, MAX_OBJECTS_PER_KIND);
  const shownMappings = mappings.slice(0, MAX_OBJECTS_PER_KIND);
  const shownTargets = targets.slice(0, MAX_OBJECTS_PER_KIND);

  const perSource = new Map<string, { events: number; failed: number }>();
  const perMapping = new Map<string, { count: number; failed: number }>();
  for (const row of eventCounts) {
    const n = Number(row.n);
    const failed = row.status === "failed" ? n : 0;
    const s = perSource.get(row.sourceId) ?? { events: 0, failed: 0 };
    perSource.set(row.sourceId, { events: s.events + n, failed: s.failed + failed });
    if (row.mappingId) {
      const key = `${row.sourceId}>${row.mappingId}`;
      const m = perMapping.get(key) ?? { count: 0, failed: 0 };
      perMapping.set(key, { count: m.count + n, failed: m.failed + failed });
    }
  }
  const perRoute = new Map<string, { count: number; failed: number }>();
  for (const row of deliveryCounts) {
    const n = Number(row.n);
    const key = `${row.mappingId}>${row.targetId}`;
    const r = perRoute.get(key) ?? { count: 0, failed: 0 };
    perRoute.set(key, { count: r.count + n, failed: r.failed + (row.status === "failed" || row.status === "dead" ? n : 0) });
  }

  const nodes: TopologyNode[] = [
    ...shownSources.map((s): TopologyNode => {
      const preset = (s.verification as { preset?: unknown } | null)?.preset;
      return {
        id: `source:${s.id}`,
        kind: "source",
        label: s.title,
        detail: `${s.mnemonic} · ${typeof preset === "string" ? preset : "unverified"}`,
        href: `/sources/${s.id}`,
        active: s.active,
        package: packageOf(s.managedBy),
        counts: perSource.get(s.id) ?? { events: 0, failed: 0 },
      };
    }),
    ...shownMappings.map(
      (m): TopologyNode => ({
        id: `mapping:${m.id}`,
        kind: "mapping",
        label: m.title,
        detail: m.resourceType.name,
        href: `/mappings/${m.id}`,
        active: m.active,
        package: packageOf(m.managedBy),
      }),
    ),
    ...shownTargets.map(
      (t): TopologyNode => ({
        id: `target:${t.id}`,
        kind: "target",
        label: t.name,
        detail: t.url,
        href: `/targets#target-${t.id}`,
        active: t.active,
        package: packageOf(t.managedBy),
      }),
    ),
  ];
  const shown = new Set(nodes.map((n) => n.id));
  const edges: TopologyEdge[] = [];
  for (const m of shownMappings) {
    if (!shown.has(`source:${m.sourceId}`)) continue;
    const c = perMapping.get(`${m.sourceId}>${m.id}`) ?? { count: 0, failed: 0 };
    edges.push({ id: `sm:${m.id}`, from: `source:${m.sourceId}`, to: `mapping:${m.id}`, kind: "source-mapping", ...c });
  }
  for (const r of routes) {
    if (!shown.has(`mapping:${r.mappingId}`) || !shown.has(`target:${r.targetId}`)) continue;
    const c = perRoute.get(`${r.mappingId}>${r.targetId}`) ?? { count: 0, failed: 0 };
    edges.push({ id: `route:${r.id}`, from: `mapping:${r.mappingId}`, to: `target:${r.targetId}`, kind: "route", ...c });
  }
  return { nodes, edges, since: since.toISOString(), truncated };
}
