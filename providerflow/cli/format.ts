// Human output of the CLI (stderr): findings with their locations, golden diffs, traces
// and plans, coloured only when the caller says stderr is a terminal. Machine output is
// the --json document; nothing here is parsed by anyone.

import { createColors } from "picocolors";
import { canonicalJson } from "../digest";
import { formatLocation, type Finding } from "../findings";
import { describeDifference, type GoldenDifference } from "../golden";
import type { TraceStage } from "../sandbox";
import type { Change } from "./api-client";

export type Colors = ReturnType<typeof createColors>;

export function colorsFor(enabled: boolean): Colors {
  return createColors(enabled);
}

export function findingLine(c: Colors, severity: "error" | "warning", f: Finding): string {
  const label = severity === "error" ? c.red("error") : c.yellow("warning");
  const location = formatLocation(f);
  return `${label} ${location ? `${c.dim(location)} ` : ""}${c.bold(f.code)}: ${f.message}`;
}

export function findingLines(c: Colors, errors: readonly Finding[], warnings: readonly Finding[]): string[] {
  return [...errors.map((f) => findingLine(c, "error", f)), ...warnings.map((f) => findingLine(c, "warning", f))];
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function summaryLine(c: Colors, errors: number, warnings: number): string {
  if (errors === 0 && warnings === 0) return c.green("no errors, no warnings");
  const e = errors > 0 ? c.red(plural(errors, "error")) : "0 errors";
  const w = warnings > 0 ? c.yellow(plural(warnings, "warning")) : "0 warnings";
  return `${e}, ${w}`;
}

export function diffLines(c: Colors, diff: readonly GoldenDifference[], indent = "    ", max = 20): string[] {
  const lines = diff.slice(0, max).map((d) => `${indent}${c.dim("·")} ${describeDifference(d)}`);
  if (diff.length > max) lines.push(`${indent}${c.dim(`… and ${diff.length - max} more (see --json)`)}`);
  return lines;
}

function short(value: unknown, max = 80): string {
  const text = canonicalJson(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** One line summarizing a stage's detail. */
function stageSummary(stage: TraceStage): string {
  const d = stage.detail;
  switch (stage.stage) {
    case "request":
      if (typeof d.error === "string") return `${d.error}${typeof d.secretRef === "string" ? ` (${d.secretRef})` : ""}`;
      if (typeof d.reason === "string") return d.reason;
      return `endpoint ${String(d.endpoint)}, ${String(d.bodyBytes)} bytes, received ${String(d.receivedAt)}`;
    case "source":
      return String(d.sourceId ?? "");
    case "signature":
      if (typeof d.preset !== "string") return String(d.reason ?? "");
      return `${d.preset} (${String(d.header)}, ${d.signedBy === "sandbox" ? "signed by the sandbox" : d.signedBy === "fixture" ? "as the fixture sent it" : "not sent"})${typeof d.reason === "string" ? `: ${d.reason}` : ""}`;
    case "sourceSchema":
    case "mappingSchema": {
      const errors = Array.isArray(d.errors) ? `${plural(d.errors.length, "error")}` : "";
      const schema = typeof d.schema === "string" ? d.schema : "";
      return [schema, errors, typeof d.reason === "string" ? d.reason : "", typeof d.error === "string" ? d.error : ""]
        .filter(Boolean)
        .join(", ");
    }
    case "mappingSelection":
      return d.selected ? `selected ${String(d.selected)}` : "no flow matched";
    case "dedup":
      return d.idempotencyKey === null ? String(d.reason ?? "no idempotency key") : `key ${short(d.idempotencyKey)}`;
    case "interaction":
      if (typeof d.error === "string") return d.error;
      return `${String(d.interactionId)}: ${String(d.resourceType)} ${String(d.action)} ${String(d.resourceId)}`;
    case "delivery":
      return Array.isArray(d.deliveries)
        ? d.deliveries.map((x) => (isRecord(x) ? String(x.target) : "")).join(", ")
        : String(d.reason ?? "");
    case "response":
      return `${String(d.status)} ${short(d.body)}`;
    default:
      return short(d);
  }
}

export function traceLines(c: Colors, trace: readonly TraceStage[]): string[] {
  const mark = (o: TraceStage["outcome"]) => (o === "pass" ? c.green("✓") : o === "fail" ? c.red("✗") : c.dim("-"));
  const lines: string[] = [];
  for (const stage of trace) {
    lines.push(`  ${mark(stage.outcome)} ${stage.stage.padEnd(16)} ${stageSummary(stage)}`);
    const d = stage.detail;
    if (stage.stage === "mappingSelection" && Array.isArray(d.mappings)) {
      for (const m of d.mappings) {
        if (!isRecord(m)) continue;
        lines.push(
          `      ${String(m.flow)} (priority ${String(m.priority)}): ${m.matched ? c.green("matched") : c.red("did not match")}`,
        );
        for (const cond of Array.isArray(m.conditions) ? m.conditions : []) {
          if (!isRecord(cond)) continue;
          const actual = cond.missing ? "missing" : short(cond.actual, 60);
          const value = cond.value === undefined ? "" : ` ${short(cond.value, 40)}`;
          lines.push(
            `        ${cond.pass ? c.green("✓") : c.red("✗")} ${String(cond.path)} ${String(cond.op)}${value} ${c.dim(`(actual ${actual}) ${String(cond.location)}`)}`,
          );
        }
      }
    }
    if (Array.isArray(d.errors)) {
      for (const e of d.errors.slice(0, 20))
        if (isRecord(e)) lines.push(`      ${c.red("·")} ${String(e.path) || "/"}: ${String(e.message)}`);
    }
    if (stage.stage === "interaction" && Array.isArray(d.details)) {
      for (const e of d.details.slice(0, 20))
        if (isRecord(e)) lines.push(`      ${c.red("·")} ${String(e.path) || "/"}: ${String(e.message)}`);
    }
  }
  return lines;
}

const ACTION_MARK: Readonly<Record<Change["action"], string>> = { create: "+", update: "~", delete: "-", unchanged: "=" };

export function changeLines(c: Colors, changes: readonly Change[]): string[] {
  const color = (a: Change["action"], s: string) =>
    a === "create" ? c.green(s) : a === "update" ? c.yellow(s) : a === "delete" ? c.red(s) : c.dim(s);
  const lines: string[] = [];
  for (const change of changes) {
    lines.push(
      `  ${color(change.action, `${ACTION_MARK[change.action]} ${change.action.padEnd(9)}`)} ${change.kind.padEnd(8)} ${change.name}`,
    );
    for (const d of change.diff ?? []) {
      const from = "from" in d ? short(d.from, 60) : "(none)";
      const to = "to" in d ? short(d.to, 60) : "(none)";
      lines.push(`      ${c.dim(d.path)}: ${from} → ${to}`);
    }
  }
  const count = (a: Change["action"]) => changes.filter((x) => x.action === a).length;
  lines.push(
    `${count("create")} to create, ${count("update")} to update, ${count("delete")} to delete, ${count("unchanged")} unchanged`,
  );
  return lines;
}
