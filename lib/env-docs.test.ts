// The README's configuration table is the operator's reference: every variable the app
// reads must be in it, the ones lib/env.ts validates and the few the launcher scripts read
// straight from process.env before the app exists.
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ENV_VARIABLES } from "./env";

const ROOT = path.resolve(import.meta.dirname, "..");
/** Read by Next.js or by our build plumbing, not operator settings. */
const NOT_OPERATOR_SETTINGS = new Set(["NEXT_RUNTIME", "PRISMA_SCHEMA_ENGINE_BINARY"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (name === "node_modules" || name === "generated" || name === "dist" || name.startsWith(".")) return [];
    if (statSync(file).isDirectory()) return sourceFiles(file);
    return /\.(ts|tsx|mjs)$/.test(name) && !/\.test\.ts$/.test(name) ? [file] : [];
  });
}

describe("README configuration table", () => {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const table = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("## How it works"));

  it("documents every variable lib/env.ts reads", () => {
    expect(ENV_VARIABLES.length).toBeGreaterThan(20);
    expect(ENV_VARIABLES.filter((name) => !table.includes(`\`${name}\``))).toEqual([]);
  });

  it("documents every variable the app and its scripts read from process.env directly", () => {
    const read = new Set<string>();
    const dirs = ["app", "lib", "scripts", "bin", "sdk/typescript/src", "providerflow/cli"];
    for (const file of dirs.flatMap((dir) => sourceFiles(path.join(ROOT, dir)))) {
      for (const m of readFileSync(file, "utf8").matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)) read.add(m[1]!);
    }
    expect(read.has("PROVENANCE_HEAP_MB")).toBe(true);
    expect(read.has("PROVENANCE_URL")).toBe(true);
    expect([...read].filter((name) => !NOT_OPERATOR_SETTINGS.has(name) && !table.includes(`\`${name}\``))).toEqual([]);
  });
});
