// The three SDKs against the OpenAPI document (../shared/spec/clients.md: "a test in the
// project fails when the SDK and the OpenAPI document disagree on a path or method").
// Each SDK sends every call through one operation table; here each table must hold every
// management operation of the document (everything under /api/v1), with its method and
// path, and nothing else.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { OPERATIONS as TYPESCRIPT } from "@/sdk/typescript/src/operations";
import { openApiDocument } from "./openapi";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** "operationId METHOD /path" for each management operation of the document. */
function documented(): string[] {
  const paths = openApiDocument().paths as Record<string, Record<string, { operationId: string }>>;
  return Object.entries(paths)
    .filter(([p]) => p.startsWith("/api/v1/"))
    .flatMap(([p, ops]) => Object.entries(ops).map(([m, op]) => `${op.operationId} ${m.toUpperCase()} ${p}`))
    .sort();
}

const lines = (table: Record<string, readonly [string, string] | readonly string[]>) =>
  Object.entries(table)
    .map(([id, [method, p]]) => `${id} ${method} ${p}`)
    .sort();

describe("each SDK's operation table and the OpenAPI document", () => {
  const expected = documented();

  it("the document has the management operations (the comparison is not empty)", () => {
    expect(expected.length).toBeGreaterThan(40);
    expect(expected).toContain("testInboundMapping POST /api/v1/inbound-mappings/{id}/test");
  });

  it("TypeScript: sdk/typescript/src/operations.ts", () => {
    expect(lines(TYPESCRIPT)).toEqual(expected);
  });

  it("Python: sdk/python/provenance/_operations.py", () => {
    const out = execFileSync(
      "python3",
      [
        "-c",
        "import json, sys; sys.path.insert(0, 'sdk/python'); from provenance._operations import OPERATIONS; print(json.dumps(OPERATIONS))",
      ],
      { cwd: ROOT, encoding: "utf8" },
    );
    expect(lines(JSON.parse(out) as Record<string, string[]>)).toEqual(expected);
  });

  it("Java: sdk/java/src/main/java/dev/provenance/Operations.java", () => {
    const source = fs.readFileSync(path.join(ROOT, "sdk/java/src/main/java/dev/provenance/Operations.java"), "utf8");
    const table: Record<string, string[]> = {};
    for (const m of source.matchAll(/entry\("([^"]+)", "([A-Z]+)", "([^"]+)"\)/g)) {
      expect(table[m[1]!], `${m[1]} twice`).toBeUndefined();
      table[m[1]!] = [m[2]!, m[3]!];
    }
    expect(lines(table)).toEqual(expected);
  });
});
