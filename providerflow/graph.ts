// The package as a graph (providerflow.md §2): endpoint → flow steps → target(s). One
// pure function builds nodes and edges from a checked contract; renderers turn them
// into Mermaid or Graphviz DOT, and the app's DAG view lays out the same JSON. Nothing
// here knows about layout.
//
// Node ids are stable and readable: "endpoint:<name>", "target:<name>",
// "flow:<flow>:step:<index>". Nodes are listed endpoints first, then each flow's steps
// in declaration order, then targets; edges flow by flow, in step order, so the same
// contract always gives the same graph. A node or edge never holds a secret: targets
// show their URL and auth type, never a secretRef's value (the contract has none).

import { canonicalJson } from "./canonical-json";
import { flowTargets, stepKind, type ProviderFlowContract, type Step, type StepKind } from "./contract";

export type GraphNode =
  | { id: string; kind: "endpoint"; name: string; label: string; verification: string | null }
  | { id: string; kind: "step"; flow: string; index: number; step: StepKind; label: string }
  | { id: string; kind: "target"; name: string; label: string; url: string; auth: string };

export type GraphEdge = { from: string; to: string; flow: string };

export type GraphFlow = { name: string; endpoint: string; targets: string[]; steps: string[] };

export type PackageGraph = { package: string; nodes: GraphNode[]; edges: GraphEdge[]; flows: GraphFlow[] };

export type GraphFormat = "mermaid" | "dot" | "json";
export const GRAPH_FORMATS: readonly GraphFormat[] = ["mermaid", "dot", "json"];

const MAX_VALUE_IN_LABEL = 40;

function shortValue(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : canonicalJson(value);
  return text.length > MAX_VALUE_IN_LABEL ? `${text.slice(0, MAX_VALUE_IN_LABEL - 1)}…` : text;
}

/** One line describing a step, as a reviewer reads it. */
export function stepLabel(step: Step): string {
  if ("filter" in step) {
    const parts = step.filter.all.map((c) =>
      c.value === undefined ? `${c.path} ${c.op}` : `${c.path} ${c.op} ${shortValue(c.value)}`,
    );
    return `filter: ${parts.length === 0 ? "(always)" : parts.join(" and ")}`;
  }
  if ("validate" in step) {
    const schema = typeof step.validate.schema === "string" ? step.validate.schema : "inline schema";
    return `validate: ${schema}${step.validate.root ? ` at ${step.validate.root}` : ""}`;
  }
  const m = step.map;
  const action = typeof m.action === "string" ? m.action : `from ${m.action.path}`;
  return `map: ${m.resourceType}, action ${action}, id ${m.resourceIdPath}`;
}

/** The graph of a checked contract. Pure and deterministic. */
export function packageGraph(contract: ProviderFlowContract): PackageGraph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const flows: GraphFlow[] = [];
  for (const e of contract.endpoints) {
    nodes.push({
      id: `endpoint:${e.name}`,
      kind: "endpoint",
      name: e.name,
      label: e.name,
      verification: e.verification?.preset ?? null,
    });
  }
  for (const flow of contract.flows) {
    const stepIds = flow.steps.map((_, i) => `flow:${flow.name}:step:${i}`);
    flow.steps.forEach((step, index) => {
      nodes.push({
        id: stepIds[index] as string,
        kind: "step",
        flow: flow.name,
        index,
        step: stepKind(step),
        label: stepLabel(step),
      });
    });
    const targets = flowTargets(flow);
    const chain = [`endpoint:${flow.endpoint}`, ...stepIds];
    for (let i = 0; i + 1 < chain.length; i += 1)
      edges.push({ from: chain[i] as string, to: chain[i + 1] as string, flow: flow.name });
    const last = chain[chain.length - 1] as string;
    for (const t of targets) edges.push({ from: last, to: `target:${t}`, flow: flow.name });
    flows.push({ name: flow.name, endpoint: flow.endpoint, targets, steps: stepIds });
  }
  for (const t of contract.targets) {
    nodes.push({ id: `target:${t.name}`, kind: "target", name: t.name, label: t.name, url: t.url, auth: t.auth?.type ?? "none" });
  }
  return { package: contract.name, nodes, edges, flows };
}

/** Mermaid label text: quotes and angle brackets as Mermaid entities, one line. */
function mermaidText(text: string): string {
  return text
    .replace(/[\r\n]+/g, " ")
    .replace(/"/g, "#quot;")
    .replace(/</g, "#lt;")
    .replace(/>/g, "#gt;");
}

/** `flowchart LR`: endpoints as stadiums, each flow's steps in a subgraph, targets as cylinders. */
export function toMermaid(graph: PackageGraph): string {
  const ids = new Map(graph.nodes.map((n, i) => [n.id, `n${i}`]));
  const id = (nodeId: string) => ids.get(nodeId) as string;
  const lines = ["flowchart LR"];
  const nodeLine = (n: GraphNode): string => {
    if (n.kind === "endpoint") {
      const label = n.verification ? `${n.label} (${n.verification})` : `${n.label} (unverified)`;
      return `${id(n.id)}(["${mermaidText(label)}"])`;
    }
    if (n.kind === "target") return `${id(n.id)}[("${mermaidText(`${n.label}: ${n.url}`)}")]`;
    return `${id(n.id)}["${mermaidText(n.label)}"]`;
  };
  for (const n of graph.nodes) if (n.kind === "endpoint") lines.push(`  ${nodeLine(n)}`);
  graph.flows.forEach((flow, f) => {
    lines.push(`  subgraph f${f}["${mermaidText(flow.name)}"]`);
    for (const stepId of flow.steps) {
      const node = graph.nodes.find((n) => n.id === stepId) as GraphNode;
      lines.push(`    ${nodeLine(node)}`);
    }
    lines.push("  end");
  });
  for (const n of graph.nodes) if (n.kind === "target") lines.push(`  ${nodeLine(n)}`);
  for (const e of graph.edges) lines.push(`  ${id(e.from)} --> ${id(e.to)}`);
  return `${lines.join("\n")}\n`;
}

/** A DOT quoted string. */
function dotString(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n/g, "\\n")}"`;
}

/** Graphviz DOT: left to right, one cluster per flow. */
export function toDot(graph: PackageGraph): string {
  const lines = [`digraph ${dotString(graph.package)} {`, "  rankdir=LR;", '  node [shape=box, fontname="Helvetica"];'];
  for (const n of graph.nodes) {
    if (n.kind === "endpoint") {
      const label = n.verification ? `${n.label}\n(${n.verification})` : `${n.label}\n(unverified)`;
      lines.push(`  ${dotString(n.id)} [label=${dotString(label)}, shape=oval];`);
    }
  }
  graph.flows.forEach((flow, f) => {
    lines.push(`  subgraph ${dotString(`cluster_${f}`)} {`, `    label=${dotString(flow.name)};`);
    for (const stepId of flow.steps) {
      const node = graph.nodes.find((n) => n.id === stepId) as GraphNode;
      lines.push(`    ${dotString(node.id)} [label=${dotString(node.label)}];`);
    }
    lines.push("  }");
  });
  for (const n of graph.nodes) {
    if (n.kind === "target") lines.push(`  ${dotString(n.id)} [label=${dotString(`${n.label}\n${n.url}`)}, shape=cylinder];`);
  }
  for (const e of graph.edges) lines.push(`  ${dotString(e.from)} -> ${dotString(e.to)};`);
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

/** The graph in one of GRAPH_FORMATS (json: canonical, 2-space indent). */
export function renderGraph(graph: PackageGraph, format: GraphFormat): string {
  if (format === "mermaid") return toMermaid(graph);
  if (format === "dot") return toDot(graph);
  return canonicalJson(graph, { indent: 2 });
}
