// Positions for the org topology: three columns (sources, mappings, targets), rows
// grouped by the package that manages the objects (each package a box around its rows,
// packages by name, then what no package manages). Within a group, mappings follow
// their source's order so edges run mostly straight. Pure and deterministic.
import type { Topology, TopologyNode } from "@/lib/flows/topology";

export const TOPOLOGY_COLUMN = 320;
export const TOPOLOGY_ROW = 140;
const GROUP_HEAD = 34;
const GROUP_GAP = 28;
const COLUMN_OF: Record<TopologyNode["kind"], number> = { source: 0, mapping: 1, target: 2 };

export type PlacedTopologyNode = TopologyNode & { x: number; y: number };
export type TopologyGroup = { package: string; x: number; y: number; width: number; height: number };
export type TopologyLayout = { nodes: PlacedTopologyNode[]; groups: TopologyGroup[]; height: number };

export function layoutTopology(topology: Pick<Topology, "nodes" | "edges">): TopologyLayout {
  const names = [...new Set(topology.nodes.map((n) => n.package).filter((p): p is string => p !== null))].sort();
  const order: (string | null)[] = [...names, null];
  const sourceOfMapping = new Map(topology.edges.filter((e) => e.kind === "source-mapping").map((e) => [e.to, e.from]));
  const sourceRank = new Map(topology.nodes.filter((n) => n.kind === "source").map((n, i) => [n.id, i]));
  const placed: PlacedTopologyNode[] = [];
  const groups: TopologyGroup[] = [];
  let y = 0;
  for (const pkg of order) {
    const members = topology.nodes.filter((n) => n.package === pkg);
    if (members.length === 0) continue;
    const top = y + (pkg ? GROUP_HEAD : 0);
    const columns: PlacedTopologyNode[][] = [[], [], []];
    const rank = (n: TopologyNode) => (n.kind === "mapping" ? (sourceRank.get(sourceOfMapping.get(n.id) ?? "") ?? Infinity) : 0);
    const sorted = [...members].sort((a, b) => rank(a) - rank(b));
    for (const n of sorted) {
      const col = COLUMN_OF[n.kind];
      const column = columns[col]!;
      column.push({ ...n, x: col * TOPOLOGY_COLUMN, y: top + column.length * TOPOLOGY_ROW });
    }
    const rows = Math.max(...columns.map((c) => c.length));
    for (const c of columns) placed.push(...c);
    const height = (pkg ? GROUP_HEAD : 0) + rows * TOPOLOGY_ROW;
    if (pkg) groups.push({ package: pkg, x: -16, y: y - 8, width: 3 * TOPOLOGY_COLUMN - 40, height: height - 8 });
    y += height + GROUP_GAP;
  }
  return { nodes: placed, groups, height: Math.max(0, y - GROUP_GAP) };
}
