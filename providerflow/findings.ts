// Findings: the one shape every ProviderFlow stage reports problems in (providerflow.md
// §9 `--json`): `{ code, message, file?, line?, column?, pointer? }`, lines and columns
// 1-based at the offending key or value. Stages return findings; none throws for a
// user's mistake.

import { escapePointerToken } from "../lib/inbound/paths";

export type Finding = {
  /** Stable, kebab-case identifier of the rule (e.g. "unknown-key"); tools switch on it. */
  code: string;
  /** One line for a human. Never contains a secret value. */
  message: string;
  /** Package-relative path of the file ("provider-flow.yaml", "schemas/event.json"). */
  file?: string;
  line?: number;
  column?: number;
  /** JSON Pointer into the file's data ("/flows/0/steps/1"). */
  pointer?: string;
};

/** Findings beyond this many are summarized in one "findings-truncated" finding: a 1 MiB file of garbage must not yield a 1 MiB report. */
export const MAX_FINDINGS = 200;

/** Splits a JSON Pointer into unescaped tokens ("" → []). */
export function pointerTokens(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .split("/")
    .slice(1)
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

export function pointerFrom(tokens: readonly (string | number)[]): string {
  return tokens.map((t) => `/${escapePointerToken(t)}`).join("");
}

/** "/flows/0/steps/1/map" → "flows[0].steps[1].map", the way a YAML author reads the document. */
export function describePointer(pointer: string): string {
  const tokens = pointerTokens(pointer);
  if (tokens.length === 0) return "the document";
  let out = "";
  for (const token of tokens) {
    if (/^(0|[1-9][0-9]*)$/.test(token)) out += `[${token}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(token)) out += out === "" ? token : `.${token}`;
    else out += `[${JSON.stringify(token)}]`;
  }
  return out;
}

function compareOptional<T extends string | number>(a: T | undefined, b: T | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
}

/** Total order used everywhere findings are listed: file, line, column, code, message, pointer. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareOptional(a.file, b.file) ||
    compareOptional(a.line, b.line) ||
    compareOptional(a.column, b.column) ||
    compareOptional(a.code, b.code) ||
    compareOptional(a.message, b.message) ||
    compareOptional(a.pointer, b.pointer)
  );
}

/** Sorted, exact duplicates removed, at most `max` (then a "findings-truncated" finding says how many were left out). */
export function normalizeFindings(findings: readonly Finding[], max = MAX_FINDINGS): Finding[] {
  const sorted = [...findings].sort(compareFindings);
  const out: Finding[] = [];
  let previous: Finding | undefined;
  for (const f of sorted) {
    if (previous && compareFindings(previous, f) === 0) continue;
    out.push(f);
    previous = f;
  }
  if (out.length <= max) return out;
  const left = out.length - max;
  return [
    ...out.slice(0, max),
    { code: "findings-truncated", message: `${left} more finding${left === 1 ? "" : "s"} not shown; fix the ones above first` },
  ];
}

/** "provider-flow.yaml:12:7" (or less when line or column is unknown). */
export function formatLocation(f: Pick<Finding, "file" | "line" | "column">): string {
  if (f.file === undefined) return "";
  if (f.line === undefined) return f.file;
  return f.column === undefined ? `${f.file}:${f.line}` : `${f.file}:${f.line}:${f.column}`;
}
