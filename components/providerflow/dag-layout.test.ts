import { describe, expect, it } from "vitest";
import type { PackageGraph } from "@/providerflow/graph";
import { COLUMN_WIDTH, ROW_HEIGHT, layoutDag } from "./dag-layout";

const graph: PackageGraph = {
  package: "p",
  nodes: [
    { id: "endpoint:hook", kind: "endpoint", name: "hook", label: "hook", verification: "stripe" },
    { id: "endpoint:unused", kind: "endpoint", name: "unused", label: "unused", verification: null },
    { id: "flow:a:step:0", kind: "step", flow: "a", index: 0, step: "filter", label: 'filter: type eq "x"' },
    { id: "flow:a:step:1", kind: "step", flow: "a", index: 1, step: "map", label: "map: payment" },
    { id: "flow:b:step:0", kind: "step", flow: "b", index: 0, step: "map", label: "map: refund" },
    { id: "target:wh", kind: "target", name: "wh", label: "wh", url: "https://warehouse.example.com/hook", auth: "bearer" },
  ],
  edges: [
    { from: "endpoint:hook", to: "flow:a:step:0", flow: "a" },
    { from: "flow:a:step:0", to: "flow:a:step:1", flow: "a" },
    { from: "flow:a:step:1", to: "target:wh", flow: "a" },
    { from: "endpoint:hook", to: "flow:b:step:0", flow: "b" },
    { from: "flow:b:step:0", to: "target:wh", flow: "b" },
  ],
  flows: [
    { name: "a", endpoint: "hook", targets: ["wh"], steps: ["flow:a:step:0", "flow:a:step:1"] },
    { name: "b", endpoint: "hook", targets: ["wh"], steps: ["flow:b:step:0"] },
  ],
};

describe("layoutDag", () => {
  const layout = layoutDag(graph);
  const at = (id: string) => layout.nodes.find((n) => n.id === id)!;

  it("puts each flow on its row, left to right: endpoint, steps in order, targets after the longest flow", () => {
    expect([at("flow:a:step:0").x, at("flow:a:step:1").x]).toEqual([COLUMN_WIDTH, 2 * COLUMN_WIDTH]);
    expect([at("flow:a:step:0").y, at("flow:b:step:0").y]).toEqual([0, ROW_HEIGHT]);
    expect(at("endpoint:hook").x).toBe(0);
    expect(at("target:wh").x).toBe(3 * COLUMN_WIDTH);
  });

  it("centres a shared endpoint or target between its flows and puts unused ones below", () => {
    expect(at("endpoint:hook").y).toBe(ROW_HEIGHT / 2);
    expect(at("target:wh").y).toBe(ROW_HEIGHT / 2);
    expect(at("endpoint:unused").y).toBe(2 * ROW_HEIGHT);
    expect(layout.height).toBe(3 * ROW_HEIGHT);
  });

  it("describes nodes for a reader and keeps every edge", () => {
    expect(at("endpoint:hook")).toMatchObject({ title: "hook", subtitle: "endpoint · stripe" });
    expect(at("target:wh").subtitle).toBe("target · https://warehouse.example.com/hook");
    expect(at("flow:a:step:1").subtitle).toBe("a · step 2");
    expect(layout.edges.map((e) => [e.source, e.target])).toEqual(graph.edges.map((e) => [e.from, e.to]));
    expect(new Set(layout.edges.map((e) => e.id)).size).toBe(layout.edges.length);
  });

  it("is deterministic", () => {
    expect(layoutDag(graph)).toEqual(layout);
  });
});
