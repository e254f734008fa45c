// The import graph of this repository's own TypeScript, for the tests that keep each
// folder's dependencies pointing one way (lib/*/dependencies.test.ts,
// providerflow/architecture.test.ts). Static imports and exports, `import type`
// included, and dynamic `import("…")`; test files are not part of what a folder ships.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "..");

/** The non-test .ts/.tsx files under a folder (or the file itself), relative to the root. */
export function sourcesOf(target: string): string[] {
  const full = path.join(ROOT, target);
  if (statSync(full).isFile()) return [target];
  return readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(target, entry.name);
    if (entry.isDirectory()) return entry.name === "test-packages" || entry.name === "node_modules" ? [] : sourcesOf(rel);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [rel] : [];
  });
}

export function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), "utf8");
  const specifiers: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?["']([^"']+)["']/g))
    specifiers.push(m[1] as string);
  for (const m of text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) specifiers.push(m[1] as string);
  return specifiers;
}

/** A local specifier as a file relative to the root; null for a package (or an asset). */
export function resolveLocal(from: string, specifier: string): string | null {
  if (!specifier.startsWith(".") && !specifier.startsWith("@/")) return null;
  const base = specifier.startsWith("@/") ? specifier.slice(2) : path.join(path.dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")]) {
    if (/\.tsx?$/.test(candidate) && existsSync(path.join(ROOT, candidate))) return path.normalize(candidate);
  }
  return null;
}

export type Edge = { from: string; to: string };

/** Every import of the given files: local ones as files (to), packages as their specifier. */
export function directEdges(files: string[]): Edge[] {
  return files.flatMap((from) => importsOf(from).map((spec) => ({ from, to: resolveLocal(from, spec) ?? `package:${spec}` })));
}

/** Every edge reachable from the given files, following local imports. */
export function transitiveEdges(files: string[]): Edge[] {
  const seen = new Set<string>();
  const queue = [...files];
  const edges: Edge[] = [];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const edge of directEdges([file])) {
      edges.push(edge);
      if (!edge.to.startsWith("package:")) queue.push(edge.to);
    }
  }
  return edges;
}

/** The edges whose target matches one of the forbidden prefixes ("lib/api/", "package:next"). */
export function offending(edges: Edge[], forbidden: string[]): string[] {
  return edges
    .filter((e) =>
      forbidden.some(
        (f) => e.to === f || e.to.startsWith(f.endsWith("/") || f.startsWith("package:") ? f : `${f}/`) || e.to === `${f}.ts`,
      ),
    )
    .map((e) => `${e.from} → ${e.to}`);
}
