// The editor's live DAG: provider-flow.yaml as it is being typed → the package graph
// (the same node ids, kinds and labels as providerflow/graph.ts, so layoutDag draws it)
// and, for each node, the lines of the YAML it comes from, so that selecting a node can
// reveal its lines and moving the cursor can select its node. Lenient on purpose: a
// half-typed document still draws what is complete (an endpoint without verification, a
// flow whose target is not declared yet); only YAML that does not parse gives no graph.
// Pure (no DOM, no Node API), so it runs in the browser and in unit tests alike.
import { LineCounter, parseDocument, isMap, isSeq, type Node as YamlNode } from "yaml";
import type { GraphEdge, GraphFlow, GraphNode, PackageGraph } from "@/providerflow/graph";
import { stepLabel } from "@/providerflow/graph";
import type { Step } from "@/providerflow/contract";

export type LineRange = { startLine: number; endLine: number };

export type DraftGraph =
  | { ok: true; graph: PackageGraph; lines: Record<string, LineRange> }
  | { ok: false; message: string; line?: number };

/** Upper bounds that keep a pasted monster document from freezing the tab. */
const MAX_NODES = 500;

function record(v: unknown): Record<string, unknown> | null {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function text(v: unknown): string | null {
  return typeof v === "string" && v.trim() !== "" ? v : null;
}

function stepKindOf(step: Record<string, unknown>): "filter" | "validate" | "map" | null {
  if ("filter" in step) return "filter";
  if ("validate" in step) return "validate";
  if ("map" in step) return "map";
  return null;
}

function safeLabel(step: Record<string, unknown>, kind: string): string {
  try {
    return stepLabel(step as unknown as Step);
  } catch {
    return `${kind}: (incomplete)`;
  }
}

export function draftGraph(source: string): DraftGraph {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: true, uniqueKeys: false });
  const firstError = doc.errors[0];
  if (firstError) {
    const line = firstError.linePos?.[0]?.line;
    return { ok: false, message: firstError.message.split("\n")[0] ?? "YAML syntax error", ...(line ? { line } : {}) };
  }
  const linesOf = (node: unknown): LineRange | null => {
    const range = (node as YamlNode | undefined)?.range;
    if (!range) return null;
    const start = lineCounter.linePos(range[0]).line;
    // range[1] is the end of the value; a trailing newline belongs to the next line.
    const endOffset = Math.max(range[0], range[1] - 1);
    return { startLine: start, endLine: Math.max(start, lineCounter.linePos(endOffset).line) };
  };
  const value = record(doc.toJS({ maxAliasCount: 100 }));
  if (!value) return { ok: false, message: "provider-flow.yaml must be a mapping" };
  const root = doc.contents;
  const seqItems = (key: string): unknown[] => {
    const seq = isMap(root) ? root.get(key, true) : undefined;
    return isSeq(seq) ? seq.items : [];
  };

  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const flows: GraphFlow[] = [];
  const lines: Record<string, LineRange> = {};
  const seen = new Set<string>();
  const add = (node: GraphNode, yamlNode: unknown) => {
    if (seen.has(node.id) || nodes.length >= MAX_NODES) return false;
    seen.add(node.id);
    nodes.push(node);
    const range = linesOf(yamlNode);
    if (range) lines[node.id] = range;
    return true;
  };

  const endpoints = Array.isArray(value.endpoints) ? value.endpoints : [];
  const endpointNodes = seqItems("endpoints");
  endpoints.forEach((raw, i) => {
    const e = record(raw);
    const name = text(e?.name);
    if (!e || !name) return;
    const verification = record(e.verification);
    add({ id: `endpoint:${name}`, kind: "endpoint", name, label: name, verification: text(verification?.preset) }, endpointNodes[i]);
  });

  const targetsRaw = Array.isArray(value.targets) ? value.targets : [];
  const targetNodes = seqItems("targets");
  const pendingTargets: [GraphNode, unknown][] = [];
  targetsRaw.forEach((raw, i) => {
    const t = record(raw);
    const name = text(t?.name);
    if (!t || !name) return;
    const auth = record(t.auth);
    pendingTargets.push([
      { id: `target:${name}`, kind: "target", name, label: name, url: text(t.url) ?? "(no url)", auth: text(auth?.type) ?? "none" },
      targetNodes[i],
    ]);
  });

  const flowsRaw = Array.isArray(value.flows) ? value.flows : [];
  const flowNodes = seqItems("flows");
  flowsRaw.forEach((raw, f) => {
    const flow = record(raw);
    const name = text(flow?.name);
    if (!flow || !name) return;
    const flowYaml = flowNodes[f];
    const stepsYaml = isMap(flowYaml) ? flowYaml.get("steps", true) : undefined;
    const stepItems = isSeq(stepsYaml) ? stepsYaml.items : [];
    const steps = Array.isArray(flow.steps) ? flow.steps : [];
    const stepIds: string[] = [];
    steps.forEach((rawStep, index) => {
      const step = record(rawStep);
      const kind = step ? stepKindOf(step) : null;
      if (!step || !kind) return;
      const id = `flow:${name}:step:${index}`;
      if (add({ id, kind: "step", flow: name, index, step: kind, label: safeLabel(step, kind) }, stepItems[index])) stepIds.push(id);
    });
    const endpoint = text(flow.endpoint);
    const targets = text(flow.target) ? [flow.target as string] : Array.isArray(flow.targets) ? flow.targets.filter((t): t is string => text(t) !== null) : [];
    const chain = [...(endpoint && seen.has(`endpoint:${endpoint}`) ? [`endpoint:${endpoint}`] : []), ...stepIds];
    for (let i = 0; i + 1 < chain.length; i += 1) edges.push({ from: chain[i]!, to: chain[i + 1]!, flow: name });
    const last = chain[chain.length - 1];
    const declared = new Set(pendingTargets.map(([n]) => n.id));
    if (last) for (const t of targets) if (declared.has(`target:${t}`)) edges.push({ from: last, to: `target:${t}`, flow: name });
    // The whole flow's lines select its first step (or its endpoint) in the editor.
    const flowRange = linesOf(flowYaml);
    if (flowRange) lines[`flow:${name}`] = flowRange;
    flows.push({ name, endpoint: endpoint ?? "", targets, steps: stepIds });
  });
  for (const [node, yamlNode] of pendingTargets) add(node, yamlNode);

  return { ok: true, graph: { package: text(value.name) ?? "", nodes, edges, flows }, lines };
}

/** The innermost node whose lines hold `line` (a step before its flow, etc.), or null. */
export function nodeAtLine(lines: Record<string, LineRange>, line: number): string | null {
  let best: string | null = null;
  let bestSize = Infinity;
  for (const [id, r] of Object.entries(lines)) {
    if (id.startsWith("flow:") && !id.includes(":step:")) continue;
    if (line >= r.startLine && line <= r.endLine && r.endLine - r.startLine < bestSize) {
      best = id;
      bestSize = r.endLine - r.startLine;
    }
  }
  return best;
}
