// Canonical JSON (providerflow.md §7): object keys sorted at every level, so equal values
// always give identical bytes. No Node API here, so the browser can use it too (the
// console's package editor draws graphs with the same labels as the CLI).
import { canonicalJson as canonicalJsonCompact } from "../lib/inbound/json-value";

function isPlainRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const MAX_DEPTH = 1000;

/** Indented form of the same canonical order (for files people read: evidence.json, goldens). */
function pretty(value: unknown, indent: string, level: number): string | undefined {
  if (level > MAX_DEPTH) throw new TypeError(`nested deeper than ${MAX_DEPTH} levels`);
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? JSON.stringify(value) : "null";
    case "object":
      break;
    case "bigint":
      throw new TypeError("BigInt is not JSON");
    default:
      return undefined;
  }
  const inner = indent.repeat(level + 1);
  const outer = indent.repeat(level);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const items = value.map((v) => `${inner}${pretty(v, indent, level + 1) ?? "null"}`);
    return `[\n${items.join(",\n")}\n${outer}]`;
  }
  if (!isPlainRecord(value)) return undefined;
  const parts: string[] = [];
  for (const key of Object.keys(value).sort()) {
    const v = pretty(value[key], indent, level + 1);
    if (v !== undefined) parts.push(`${inner}${JSON.stringify(key)}: ${v}`);
  }
  return parts.length === 0 ? "{}" : `{\n${parts.join(",\n")}\n${outer}}`;
}

/**
 * JSON with object keys sorted (UTF-16 code-unit order) at every level, so equal values
 * always give identical bytes. Compact by default (lib/inbound/json-value.ts, the same
 * form idempotency and cache keys use); `indent` > 0 gives the indented form with the
 * same order and a final newline. Follows JSON.stringify for non-JSON values. Values
 * here are built by ProviderFlow itself, so one that cannot be serialized (a cycle, a
 * BigInt, nesting beyond 1000 levels) is a programming error and throws a TypeError.
 */
export function canonicalJson(value: unknown, options: { indent?: number } = {}): string {
  const indent = options.indent ?? 0;
  if (indent <= 0) {
    const out = canonicalJsonCompact(value);
    if (out === null) throw new TypeError("value cannot be serialized as canonical JSON");
    return out;
  }
  const seen = new Set<unknown>();
  const check = (v: unknown, depth: number): void => {
    if (typeof v !== "object" || v === null) return;
    if (seen.has(v)) throw new TypeError("value cannot be serialized as canonical JSON (cycle)");
    if (depth > MAX_DEPTH) throw new TypeError(`nested deeper than ${MAX_DEPTH} levels`);
    seen.add(v);
    for (const child of Array.isArray(v) ? v : Object.values(v)) check(child, depth + 1);
    seen.delete(v);
  };
  check(value, 0);
  return `${pretty(value, " ".repeat(indent), 0) ?? "null"}\n`;
}
