// Every HTTP route under app/api is built from an entry of the operation table, with that
// entry's method and path, and every entry is served by exactly one route (issue 12,
// "declare each operation once"). The test imports each route.ts and reads the operation
// `withApi` / `declareRoute` attached to each exported handler, so a route written
// without the table fails here, as does an entry whose route was moved or deleted.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi";
import { OPERATION_LIST, operations, type Operation } from "./operations";
import { OPERATION } from "./with-api";

const ROOT = path.resolve(import.meta.dirname, "../..");
const API = path.join(ROOT, "app", "api");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

type Served = { route: string; file: string; operation: Operation | undefined };

function routeFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") out.push(full);
    }
  };
  walk(API);
  return out.sort();
}

/** "METHOD /path/{param}" for each exported handler, with the operation it carries. */
async function servedRoutes(): Promise<Served[]> {
  const out: Served[] = [];
  for (const file of routeFiles()) {
    const urlPath = `/${path.relative(ROOT, path.dirname(file)).split(path.sep).slice(1).join("/")}`.replace(
      /\[([^\]]+)\]/g,
      "{$1}",
    );
    const mod = (await import(file)) as Record<string, unknown>;
    for (const method of METHODS) {
      const handler = mod[method] as { [OPERATION]?: Operation } | undefined;
      if (handler) out.push({ route: `${method} ${urlPath}`, file: path.relative(ROOT, file), operation: handler[OPERATION] });
    }
  }
  return out;
}

describe("the routes under app/api and the operation table", async () => {
  const served = await servedRoutes();

  it("finds the routes (the walk itself works)", () => {
    expect(served.map((s) => s.route)).toContain("GET /api/v1/inbound-sources");
    expect(served.map((s) => s.route)).toContain("POST /api/inbound/{slug}/by-mnemonic/{mnemonic}");
    expect(served.length).toBeGreaterThan(50);
  });

  it("builds every exported handler from an operation of the table", () => {
    const bare = served.filter((s) => !s.operation).map((s) => `${s.route} (${s.file})`);
    expect(bare, "handlers not built with withApi(operations.x, …) or declareRoute(operations.x, …)").toEqual([]);
  });

  it("serves each operation at its own method and path", () => {
    const wrong = served
      .filter((s) => s.operation && `${s.operation.method} ${s.operation.path}` !== s.route)
      .map((s) => `${s.route} carries ${s.operation!.id} (${s.operation!.method} ${s.operation!.path})`);
    expect(wrong).toEqual([]);
    // The handler carries the table's own entry, not a copy that could drift.
    for (const s of served) if (s.operation) expect(s.operation).toBe(operations[s.operation.id as keyof typeof operations]);
  });

  it("serves every operation exactly once", () => {
    const count = new Map<string, number>();
    for (const s of served) if (s.operation) count.set(s.operation.id, (count.get(s.operation.id) ?? 0) + 1);
    expect(
      OPERATION_LIST.filter((op) => count.get(op.id) !== 1).map((op) => `${op.id}: ${count.get(op.id) ?? 0} routes`),
    ).toEqual([]);
  });

  it("has one entry per method and path", () => {
    const keys = OPERATION_LIST.map((op) => `${op.method} ${op.path}`);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  it("publishes exactly the operations not marked internal, and nothing else", () => {
    const paths = openApiDocument().paths as Record<string, Record<string, { operationId: string }>>;
    const documented = Object.entries(paths).flatMap(([p, ops]) =>
      Object.entries(ops).map(([m, o]) => `${o.operationId} ${m.toUpperCase()} ${p}`),
    );
    const expected = OPERATION_LIST.filter((op) => !op.internal).map((op) => `${op.id} ${op.method} ${op.path}`);
    expect(documented.sort()).toEqual(expected.sort());
    for (const op of OPERATION_LIST.filter((o) => o.internal)) expect(op.internal!.length, op.id).toBeGreaterThan(10);
  });
});
