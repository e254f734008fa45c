// The live DAG follows the YAML: the same graph the server draws for a valid package, the
// lines each node comes from, and what a half-typed document still shows.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkPackage } from "@/providerflow/check";
import { packageGraph } from "@/providerflow/graph";
import { loadPackage } from "@/providerflow/load-package";
import { draftGraph, nodeAtLine } from "./draft-graph";

const PACKAGES = path.resolve(import.meta.dirname, "../../providerflow/packages");

describe("draftGraph", () => {
  it.each(["stripe-payments", "github-pushes", "shopify-orders", "slack-events", "standard-webhooks-sender"])(
    "%s: the same graph as the server's for a valid package",
    async (name) => {
      const loaded = await loadPackage(path.join(PACKAGES, name));
      if (!loaded.ok) throw new Error("does not load");
      const checked = checkPackage(loaded.files);
      if (!checked.ok) throw new Error("invalid");
      const draft = draftGraph(readFileSync(path.join(PACKAGES, name, "provider-flow.yaml"), "utf8"));
      if (!draft.ok) throw new Error(draft.message);
      const server = packageGraph(checked.package.contract);
      expect(draft.graph.nodes).toEqual(server.nodes);
      expect(draft.graph.edges).toEqual(server.edges);
      expect(draft.graph.flows).toEqual(server.flows);
    },
  );

  const yaml = [
    "name: demo", //                         1
    "endpoints:", //                         2
    "  - name: hook", //                     3
    "    verification: { preset: stripe }", // 4
    "targets:", //                           5
    "  - name: dest", //                     6
    "    url: https://example.com/x", //     7
    "flows:", //                             8
    "  - name: events", //                   9
    "    endpoint: hook", //                 10
    "    target: dest", //                   11
    "    steps:", //                         12
    "      - filter: { all: [ { path: type, op: exists } ] }", // 13
    "      - map:", //                       14
    "          resourceType: event", //      15
    "          action: { path: type }", //   16
    "          resourceIdPath: id", //       17
    "",
  ].join("\n");

  it("gives each node its lines, and the innermost node at a line", () => {
    const draft = draftGraph(yaml);
    if (!draft.ok) throw new Error(draft.message);
    expect(draft.lines["endpoint:hook"]).toEqual({ startLine: 3, endLine: 4 });
    expect(draft.lines["target:dest"]).toEqual({ startLine: 6, endLine: 7 });
    expect(draft.lines["flow:events:step:0"]).toEqual({ startLine: 13, endLine: 13 });
    expect(draft.lines["flow:events:step:1"]).toEqual({ startLine: 14, endLine: 17 });
    expect(nodeAtLine(draft.lines, 16)).toBe("flow:events:step:1");
    expect(nodeAtLine(draft.lines, 4)).toBe("endpoint:hook");
    expect(nodeAtLine(draft.lines, 1)).toBeNull();
    expect(draft.graph.edges.map((e) => `${e.from}>${e.to}`)).toEqual([
      "endpoint:hook>flow:events:step:0",
      "flow:events:step:0>flow:events:step:1",
      "flow:events:step:1>target:dest",
    ]);
  });

  it("follows an edit: a new step appears, an undeclared target is not drawn", () => {
    const more = yaml.replace("      - map:", "      - filter: { all: [ { path: livemode, op: eq, value: true } ] }\n      - map:");
    const draft = draftGraph(more.replace("target: dest", "target: elsewhere"));
    if (!draft.ok) throw new Error(draft.message);
    expect(draft.graph.nodes.filter((n) => n.kind === "step").map((n) => n.label)).toEqual([
      "filter: type exists",
      "filter: livemode eq true",
      "map: event, action from type, id id",
    ]);
    expect(draft.graph.edges.some((e) => e.to.startsWith("target:"))).toBe(false);
  });

  it("a YAML syntax error gives no graph, with its line; a non-mapping says so", () => {
    const broken = draftGraph("name: demo\nflows: [\n");
    expect(broken).toMatchObject({ ok: false, line: expect.any(Number) });
    expect(draftGraph("- a\n- b\n")).toEqual({ ok: false, message: "provider-flow.yaml must be a mapping" });
    expect(draftGraph("")).toEqual({ ok: false, message: "provider-flow.yaml must be a mapping" });
  });

  it("a half-typed step draws as incomplete instead of failing", () => {
    const draft = draftGraph(yaml.replace("          resourceIdPath: id\n", "").replace("          action: { path: type }\n", ""));
    if (!draft.ok) throw new Error(draft.message);
    expect(draft.graph.nodes.find((n) => n.id === "flow:events:step:1")).toMatchObject({ kind: "step", step: "map" });
  });
});
