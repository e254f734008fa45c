// Every HTTP route under app/api is described by the OpenAPI document, and every path the
// document describes is served (issue 12, "declare each operation once": the walk half).
// A new route with no operation fails here, whatever the hard-coded list in
// tests/api-openapi.integration.test.ts says. The routes left out of the public document
// are listed below, each with its reason.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi";

const ROOT = path.resolve(import.meta.dirname, "../..");
const API = path.join(ROOT, "app", "api");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Served, not in the public document, and why. */
const NOT_PUBLIC: Record<string, string> = {
  "POST /api/auth/login": "the console's sign-in (a browser form, not an API client's call)",
  "POST /api/auth/logout": "the console's sign-out",
  "GET /api/auth/me": "the console's own session",
  "POST /api/bench/empty": "benchmark only (PROVENANCE_BENCH_ROUTES=1)",
  "POST /api/bench/inbound/{slug}/by-mnemonic/{mnemonic}": "benchmark only (PROVENANCE_BENCH_ROUTES=1)",
  "POST /api/qstash/ingest": "QStash's callback, signed by QStash",
  "POST /api/qstash/deliver": "QStash's callback, signed by QStash",
};

/** "METHOD /path/{param}" for each exported handler of each route.ts under app/api. */
function servedRoutes(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const source = fs.readFileSync(full, "utf8");
        const urlPath = `/${path.relative(ROOT, dir).split(path.sep).slice(1).join("/")}`.replace(/\[([^\]]+)\]/g, "{$1}");
        for (const method of METHODS) {
          if (new RegExp(`export\\s+(const|async\\s+function|function)\\s+${method}\\b`).test(source)) out.push(`${method} ${urlPath}`);
        }
      }
    }
  };
  walk(API);
  return out.sort();
}

function documentedRoutes(): string[] {
  const paths = openApiDocument().paths as Record<string, Record<string, unknown>>;
  return Object.entries(paths)
    .flatMap(([p, ops]) => Object.keys(ops).filter((m) => METHODS.includes(m.toUpperCase() as (typeof METHODS)[number])).map((m) => `${m.toUpperCase()} ${p}`))
    .sort();
}

describe("the routes under app/api and the OpenAPI document", () => {
  const served = servedRoutes();
  const documented = documentedRoutes();

  it("finds the routes (the walk itself works)", () => {
    expect(served).toContain("GET /api/v1/inbound-sources");
    expect(served).toContain("POST /api/inbound/{slug}/by-mnemonic/{mnemonic}");
    expect(served.length).toBeGreaterThan(40);
  });

  it("describes every served route, except the listed ones", () => {
    const missing = served.filter((r) => !documented.includes(r) && !(r in NOT_PUBLIC));
    expect(missing, "routes with no operation in lib/api/openapi.ts").toEqual([]);
  });

  it("serves every documented route", () => {
    expect(documented.filter((r) => !served.includes(r)), "operations with no route.ts").toEqual([]);
  });

  it("lists as not public only routes that exist and are not documented", () => {
    for (const r of Object.keys(NOT_PUBLIC)) {
      expect(served, r).toContain(r);
      expect(documented, r).not.toContain(r);
    }
  });
});
