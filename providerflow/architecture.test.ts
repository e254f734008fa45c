// House rules for this package, checked rather than hoped for: providerflow/ (and
// everything it imports, transitively) stays free of next/*, Prisma and QStash, so the
// CLI and the sandbox run without a server or a database; and its own code never
// evaluates code.

import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { offending, sourcesOf as packageSources, transitiveEdges } from "../tests/import-graph";

const ROOT = path.resolve(import.meta.dirname, "..");
const HERE = import.meta.dirname;
const FORBIDDEN = [/^next($|\/)/, /^@prisma\//, /^@upstash\//, /^pg$/, /generated\/prisma/];

function sourcesOf(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "test-packages" ? [] : sourcesOf(full);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specifiers: string[] = [];
  for (const m of text.matchAll(/(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\sfrom\s+)?["']([^"']+)["']/g)) {
    specifiers.push(m[1] as string);
  }
  return specifiers;
}

function resolveLocal(from: string, specifier: string): string | null {
  const base = specifier.startsWith("@/") ? path.join(ROOT, specifier.slice(2)) : path.resolve(path.dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, path.join(base, "index.ts")]) {
    if (candidate.endsWith(".ts") && existsSync(candidate)) return candidate;
  }
  return null;
}

test("providerflow imports neither next/*, Prisma nor QStash, even transitively", () => {
  const seen = new Set<string>();
  const queue = sourcesOf(HERE);
  const bare = new Map<string, string>();
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of importsOf(file)) {
      if (specifier.startsWith(".") || specifier.startsWith("@/")) {
        const local = resolveLocal(file, specifier);
        if (local) queue.push(local);
      } else {
        bare.set(specifier, path.relative(ROOT, file));
      }
    }
  }
  expect(seen.size).toBeGreaterThan(15);
  const offending = [...bare].filter(([specifier]) => FORBIDDEN.some((re) => re.test(specifier)));
  expect(offending).toEqual([]);
});

test("providerflow's own code evaluates no code", () => {
  for (const file of sourcesOf(HERE)) {
    const text = readFileSync(file, "utf8");
    expect(text, file).not.toMatch(/\beval\s*\(|new\s+Function\s*\(|node:vm|from\s+["']vm["']/);
  }
});

test("providerflow imports none of the server: no store, API, flows module, queue, auth or database, even transitively", () => {
  const files = packageSources("providerflow").filter((f) => !f.includes("/test-packages/"));
  expect(files.length).toBeGreaterThan(15);
  expect(offending(transitiveEdges(files), ["lib/store/", "lib/api/", "lib/flows/", "lib/queue/", "lib/auth/", "lib/mcp/", "lib/db", "app/"])).toEqual([]);
});
