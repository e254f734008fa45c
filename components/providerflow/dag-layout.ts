// Positions for the package DAG view (providerflow/graph.ts gives nodes and edges, not
// layout): one row per flow, left to right endpoint → steps in order → targets. An
// endpoint or target shared by several flows sits at the middle of their rows. Pure and
// deterministic, so the same package always draws the same picture.
import type { GraphNode, PackageGraph } from "@/providerflow/graph";

export const COLUMN_WIDTH = 260;
export const ROW_HEIGHT = 110;

export type PlacedNode = { id: string; kind: GraphNode["kind"]; title: string; subtitle: string; x: number; y: number };
export type PlacedEdge = { id: string; source: string; target: string; flow: string };
export type DagLayout = { nodes: PlacedNode[]; edges: PlacedEdge[]; width: number; height: number };

function describe(node: GraphNode): { title: string; subtitle: string } {
  if (node.kind === "endpoint") return { title: node.label, subtitle: `endpoint · ${node.verification ?? "no verification"}` };
  if (node.kind === "target") return { title: node.label, subtitle: `target · ${node.url}` };
  return { title: node.label, subtitle: `${node.flow} · step ${node.index + 1}` };
}

export function layoutDag(graph: PackageGraph): DagLayout {
  const flowRow = new Map(graph.flows.map((f, i) => [f.name, i]));
  const longest = Math.max(0, ...graph.flows.map((f) => f.steps.length));
  const rowsOf = new Map<string, number[]>();
  const addRow = (id: string, row: number) => rowsOf.set(id, [...(rowsOf.get(id) ?? []), row]);
  for (const f of graph.flows) {
    const row = flowRow.get(f.name) ?? 0;
    addRow(`endpoint:${f.endpoint}`, row);
    for (const t of f.targets) addRow(`target:${t}`, row);
  }
  let spare = graph.flows.length; // endpoints or targets no flow uses go below
  const nodes = graph.nodes.map((node): PlacedNode => {
    let column: number;
    let row: number;
    if (node.kind === "step") {
      column = node.index + 1;
      row = flowRow.get(node.flow) ?? 0;
    } else {
      column = node.kind === "endpoint" ? 0 : longest + 1;
      const rows = rowsOf.get(node.id);
      row = rows ? rows.reduce((a, b) => a + b, 0) / rows.length : spare++;
    }
    return { id: node.id, kind: node.kind, ...describe(node), x: column * COLUMN_WIDTH, y: row * ROW_HEIGHT };
  });
  const edges = graph.edges.map((e, i) => ({ id: `e${i}:${e.from}->${e.to}`, source: e.from, target: e.to, flow: e.flow }));
  const rows = Math.max(1, spare);
  return { nodes, edges, width: (longest + 2) * COLUMN_WIDTH, height: rows * ROW_HEIGHT };
}
