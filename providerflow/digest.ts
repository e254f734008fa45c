// The package digest (providerflow.md §9) and canonical JSON for byte-identical outputs.
//
// digest = sha256 hex of the concatenation, in byte order of the lines, of one line per
// digested file:  <relative path> NUL <sha256 hex of the file's bytes> LF
// Digested: provider-flow.yaml, schemas/, fixtures/, goldens/ and README.md. Generated
// files (traces/, scans.json, evidence.json) are excluded, so writing evidence does
// not change the digest the evidence reports; ignored files were never loaded.
// Any byte change to a digested file changes its hash and so the digest; renaming or
// adding or removing a file changes the list.

import { createHash } from "node:crypto";
import { canonicalJson as canonicalJsonCompact } from "../lib/inbound/json-value";
import { classifyPath, type PackageFiles } from "./load-package";

const DIGESTED_KINDS: ReadonlySet<string> = new Set(["contract", "schema", "fixture", "golden", "readme"]);

export function isDigestedPath(relative: string): boolean {
  const kind = classifyPath(relative);
  return kind !== null && DIGESTED_KINDS.has(kind);
}

export type DigestEntry = { path: string; sha256: string };

function sha256Hex(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** The digested files with their hashes, in the order the digest uses (for evidence). */
export function digestManifest(files: PackageFiles): DigestEntry[] {
  return [...files]
    .filter(([p]) => isDigestedPath(p))
    .map(([p, bytes]) => ({ path: p, sha256: sha256Hex(bytes) }))
    .sort((a, b) => Buffer.compare(Buffer.from(`${a.path}\0${a.sha256}\n`), Buffer.from(`${b.path}\0${b.sha256}\n`)));
}

/** sha256 hex (64 lowercase characters) of the package's canonical content. */
export function packageDigest(files: PackageFiles): string {
  const hash = createHash("sha256");
  for (const entry of digestManifest(files)) hash.update(`${entry.path}\0${entry.sha256}\n`, "utf8");
  return hash.digest("hex");
}

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
