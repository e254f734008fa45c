import { beforeAll, describe, expect, test } from "vitest";
import { checkPackage } from "./check";
import type { ProviderFlowContract } from "./contract";
import { packageGraph, renderGraph, toDot, toMermaid } from "./graph";
import { loadTestPackage, withContractEdits } from "./test-packages/packages";

let contract: ProviderFlowContract;

beforeAll(async () => {
  const check = checkPackage(await loadTestPackage("valid-stripe"));
  if (!check.ok) throw new Error("valid-stripe does not check");
  contract = check.package.contract;
});

describe("packageGraph", () => {
  test("endpoints → each flow's steps in order → its targets", () => {
    const g = packageGraph(contract);
    expect(g.nodes.map((n) => n.id)).toEqual([
      "endpoint:payment-webhook",
      "flow:payment-events:step:0",
      "flow:payment-events:step:1",
      "flow:payment-events:step:2",
      "flow:refunds:step:0",
      "flow:refunds:step:1",
      "flow:refunds:step:2",
      "target:data-warehouse",
      "target:billing-audit",
    ]);
    expect(g.edges.map((e) => `${e.from} -> ${e.to}`)).toEqual([
      "endpoint:payment-webhook -> flow:payment-events:step:0",
      "flow:payment-events:step:0 -> flow:payment-events:step:1",
      "flow:payment-events:step:1 -> flow:payment-events:step:2",
      "flow:payment-events:step:2 -> target:data-warehouse",
      "endpoint:payment-webhook -> flow:refunds:step:0",
      "flow:refunds:step:0 -> flow:refunds:step:1",
      "flow:refunds:step:1 -> flow:refunds:step:2",
      "flow:refunds:step:2 -> target:data-warehouse",
      "flow:refunds:step:2 -> target:billing-audit",
    ]);
    expect(g.flows).toEqual([
      { name: "payment-events", endpoint: "payment-webhook", targets: ["data-warehouse"], steps: g.flows[0]?.steps },
      { name: "refunds", endpoint: "payment-webhook", targets: ["data-warehouse", "billing-audit"], steps: g.flows[1]?.steps },
    ]);
    expect(g.nodes.map((n) => n.label)).toEqual([
      "payment-webhook",
      'filter: type startsWith "payment_intent."',
      "validate: schemas/payment-intent.json at data.object",
      "map: payment, action from type, id data.object.id",
      'filter: type eq "charge.refunded"',
      'filter: data.object.amount_refunded gt 0 and data.object.currency matches "^[a-z]{3}$"',
      "map: refund, action refunded, id data.object.id",
      "data-warehouse",
      "billing-audit",
    ]);
    expect(g.nodes.find((n) => n.id === "target:billing-audit")).toMatchObject({
      auth: "header",
      url: "https://audit.example.com/hooks/stripe",
    });
  });

  test("pure: the same contract gives an equal graph, and every edge joins known nodes", () => {
    const g = packageGraph(contract);
    expect(packageGraph(structuredClone(contract))).toEqual(g);
    const ids = new Set(g.nodes.map((n) => n.id));
    for (const e of g.edges) expect(ids.has(e.from) && ids.has(e.to)).toBe(true);
  });
});

describe("renderers", () => {
  test("Mermaid: quotes and angle brackets cannot break out of a label", async () => {
    const check = checkPackage(
      withContractEdits(await loadTestPackage("valid-stripe"), [['value: "payment_intent."', 'value: "a\\"]) --> x<b>"']]),
    );
    if (!check.ok) throw new Error(JSON.stringify(check.findings));
    const text = toMermaid(packageGraph(check.package.contract));
    expect(text).toContain('n1["filter: type startsWith #quot;a\\#quot;]) --#gt; x#lt;b#gt;#quot;"]');
    expect(text.startsWith("flowchart LR\n")).toBe(true);
    expect(text).toContain("  n3 --> n7\n");
  });

  test("DOT: escaped strings, one cluster per flow", () => {
    const text = toDot(packageGraph(contract));
    expect(text).toContain('digraph "stripe-payments" {');
    expect(text).toContain('subgraph "cluster_1" {\n    label="refunds";');
    expect(text).toContain('"flow:payment-events:step:0" [label="filter: type startsWith \\"payment_intent.\\""];');
    expect(text).toContain('"flow:refunds:step:2" -> "target:billing-audit";');
    expect(text.endsWith("}\n")).toBe(true);
  });

  test("JSON is canonical", () => {
    const text = renderGraph(packageGraph(contract), "json");
    expect(JSON.parse(text)).toEqual(packageGraph(contract));
    expect(text).toBe(renderGraph(packageGraph(contract), "json"));
    expect(text.indexOf('"edges"')).toBeLessThan(text.indexOf('"nodes"'));
  });
});
