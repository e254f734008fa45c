// The topology layout: columns by kind, packages boxed around their own rows, mappings
// beside their sources.
import { describe, expect, it } from "vitest";
import type { TopologyEdge, TopologyNode } from "@/lib/flows/topology";
import { layoutTopology, TOPOLOGY_COLUMN } from "./topology-layout";

const node = (id: string, kind: TopologyNode["kind"], pkg: string | null = null): TopologyNode => ({
  id,
  kind,
  label: id,
  detail: "",
  href: "/",
  active: true,
  package: pkg,
});
const edge = (from: string, to: string, kind: TopologyEdge["kind"]): TopologyEdge => ({ id: `${from}>${to}`, from, to, kind, count: 0, failed: 0 });

describe("layoutTopology", () => {
  it("puts sources, mappings and targets in three columns, each package's objects in its own box", () => {
    const nodes = [
      node("source:a", "source", "stripe"),
      node("mapping:a1", "mapping", "stripe"),
      node("target:t", "target", "stripe"),
      node("source:b", "source"),
      node("mapping:b1", "mapping"),
    ];
    const layout = layoutTopology({ nodes, edges: [edge("source:a", "mapping:a1", "source-mapping"), edge("source:b", "mapping:b1", "source-mapping")] });
    const at = (id: string) => layout.nodes.find((n) => n.id === id)!;
    expect([at("source:a").x, at("mapping:a1").x, at("target:t").x]).toEqual([0, TOPOLOGY_COLUMN, 2 * TOPOLOGY_COLUMN]);
    expect(layout.groups).toEqual([expect.objectContaining({ package: "stripe" })]);
    const box = layout.groups[0]!;
    for (const id of ["source:a", "mapping:a1", "target:t"]) {
      expect(at(id).y).toBeGreaterThanOrEqual(box.y);
      expect(at(id).y).toBeLessThan(box.y + box.height);
    }
    // The unmanaged objects come after the box.
    expect(at("source:b").y).toBeGreaterThan(box.y + box.height);
    expect(layout.nodes).toHaveLength(5);
  });

  it("orders mappings by their source, so each sits level with it", () => {
    const nodes = [node("source:1", "source"), node("source:2", "source"), node("mapping:late", "mapping"), node("mapping:early", "mapping")];
    const layout = layoutTopology({
      nodes,
      edges: [edge("source:2", "mapping:late", "source-mapping"), edge("source:1", "mapping:early", "source-mapping")],
    });
    const y = (id: string) => layout.nodes.find((n) => n.id === id)!.y;
    expect(y("mapping:early")).toBe(y("source:1"));
    expect(y("mapping:late")).toBe(y("source:2"));
  });

  it("an empty org has no nodes", () => {
    expect(layoutTopology({ nodes: [], edges: [] })).toEqual({ nodes: [], groups: [], height: 0 });
  });
});
