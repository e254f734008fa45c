// Payloads that make JSON Schema validation expensive, against the built app (issue 11,
// item 2), sent to sources without verification (anyone may post to them):
// - a 1 MiB array of 500,000 numbers against `items: {type: "string"}` (AJV builds every
//   error before any cap: ~90 MB and most of a second);
// - 60,000 objects against `uniqueItems: true` (AJV compares every pair: minutes);
// - a string against a schema whose `$ref`s double forty times (2^40 steps).
// The app validates in worker threads under a time and memory budget (PROVENANCE_SCHEMA_*),
// so while these run a bystander posting valid events to another source whose schema also
// needs the schema thread is answered within BYSTANDER_LIMIT_MS, so is the health check, nobody gets a 5xx other
// than a 503 "Server busy" with nothing stored, the RSS stays bounded and the server
// process is never replaced. The mapping tester (a reviewer's input) gets the same budget.
import http from "node:http";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BYSTANDER_LIMIT_MS, healthRequest, underAbuse } from "./abuse";
import { runBounded, send, startSystem, type Answer, type System } from "./harness";

/**
 * The budget, below the default (1 s): a bystander whose payloads need the schema thread
 * waits for the validation already running (at most the budget), a thread replacement
 * and its own, so its answer time follows the budget. On a loaded two-core machine it
 * measured up to 1.9 s at the default and 1.3–1.85 s at 500 ms (in the full CI run); 300 ms
 * keeps it clear of BYSTANDER_LIMIT_MS.
 */
const TIMEOUT_MS = 300;
/**
 * Idle the app holds about 250–300 MB. Under this abuse the main heap (capped at 256 MB)
 * holds the payloads waiting for validation (at most 8 MiB of bodies), the schema thread
 * up to its 128 MB heap cap, and a spare thread is kept loaded: measured 585–616 MB.
 */
const RSS_LIMIT_MB = 800;

const doubling = (() => {
  const $defs: Record<string, object> = { d0: { type: "integer" } };
  for (let i = 1; i <= 40; i += 1) $defs[`d${i}`] = { anyOf: [{ $ref: `#/$defs/d${i - 1}` }, { $ref: `#/$defs/d${i - 1}` }] };
  return { $ref: "#/$defs/d40", $defs };
})();

let sys: System;
let serverPids: number[];
const ids: Record<string, string> = {};

beforeAll(async () => {
  sys = await startSystem("hostile_schema", { PROVENANCE_SCHEMA_TIMEOUT_MS: String(TIMEOUT_MS) });
  const sources: [string, object][] = [
    ["strings", { type: "array", items: { type: "string" } }],
    ["unique", { type: "array", uniqueItems: true }],
    ["doubling", doubling],
    // With a $ref, so the bystander's own payloads are validated in the schema thread too
    // (a small ref-free schema would be answered on the main thread and never wait).
    ["orders", { $ref: "#/$defs/order", $defs: { order: { type: "object", required: ["id"], properties: { id: { type: "string" } } } } }],
  ];
  for (const [mnemonic, payloadSchema] of sources) {
    ids[mnemonic] = (await sys.api<{ id: string }>("POST", "/api/v1/inbound-sources", { title: mnemonic, mnemonic, payloadSchema })).id;
  }
  serverPids = sys.app.groupPids().sort();
});

afterAll(async () => {
  await sys?.close();
});

const url = (mnemonic: string) => `/api/inbound/${sys.orgSlug}/by-mnemonic/${mnemonic}`;

function post(urlPath: string, body: string, agent?: http.Agent): Promise<Answer> {
  return send(sys.app.baseUrl, urlPath, body, { agent, timeoutMs: 60_000 }).catch((err: Error) => ({ status: 0, body: null, text: `transport error: ${err.message}` }));
}

function withstood(label: string, run: { bystander: { count: number; maxMs: number; failures: string[] }; peakRssMb: number }) {
  console.log(`[hostile-schema] ${label}: peak RSS ${run.peakRssMb.toFixed(0)} MB, bystander max ${run.bystander.maxMs.toFixed(0)} ms over ${run.bystander.count} requests`);
  expect(run.bystander.failures, `${label}: bystander failures`).toEqual([]);
  expect(run.bystander.count).toBeGreaterThan(0);
  expect(run.bystander.maxMs, `${label}: slowest bystander answer (ms)`).toBeLessThan(BYSTANDER_LIMIT_MS);
  expect(run.peakRssMb, `${label}: peak RSS (MB)`).toBeLessThan(RSS_LIMIT_MB);
  expect(sys.app.groupPids().sort(), `${label}: the app's processes (a change means a crash and restart)`).toEqual(serverPids);
  expect(sys.app.output()).not.toMatch(/heap out of memory|FATAL ERROR/i);
}

describe("expensive payloads for source schemas", () => {
  it("validates them off the main thread within a budget: bystanders on another schema'd source and the health check are served", async () => {
    const strings = JSON.stringify(Array.from({ length: 500_000 }, () => 0)); // ~1 MB
    const unique = JSON.stringify(Array.from({ length: 60_000 }, (_, i) => ({ n: i })));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 12 });
    const attacks = [
      () => post(url("strings"), strings, agent),
      () => post(url("unique"), unique, agent),
      () => post(url("doubling"), '"not an integer"', agent),
    ];
    const bystander = async () => {
      const res = await send(sys.app.baseUrl, url("orders"), JSON.stringify({ id: randomUUID() }), { timeoutMs: BYSTANDER_LIMIT_MS * 5 });
      return res.status;
    };
    const run = await underAbuse(sys, () => runBounded(36, 12, (i) => attacks[i % 3]!()), { bystander, okStatuses: [202] });
    const health = await underAbuse(sys, () => runBounded(12, 12, (i) => attacks[i % 3]!()), { bystander: healthRequest(sys) });
    agent.destroy();

    const answers = [...run.result, ...health.result];
    // Only the contract's answers, and a 503 "busy" (nothing stored; providers retry).
    for (const a of answers) expect([202, 400, 503], a.text.slice(0, 200)).toContain(a.status);
    for (const a of answers.filter((x) => x.status === 503)) expect(a.body).toEqual({ error: "Server busy, retry later" });
    const byKind = (k: number) => answers.filter((_, i) => i % 3 === k && answers[i]!.status !== 503);
    // 500,000 errors: at most 100 reported, the first one pointing at /0 (collecting all of
    // them may run past the budget, which then says so after the first).
    for (const a of byKind(0)) {
      expect(a.status).toBe(400);
      const details = a.body?.details as { path: string; message: string }[];
      expect(details.length).toBeLessThanOrEqual(100);
      expect(details[0]).toEqual({ path: "/0", message: "must be string" });
    }
    // 60,000 distinct objects are unique, and accepted.
    for (const a of byKind(1)) expect(a.status).toBe(202);
    // 2^40 steps: stopped at the budget, the event stored as failed with that reason.
    for (const a of byKind(2)) {
      expect(a.status).toBe(400);
      expect(a.body?.details).toEqual([{ path: "", message: `validation stopped after ${TIMEOUT_MS} ms (PROVENANCE_SCHEMA_TIMEOUT_MS)` }]);
    }
    expect(byKind(0).length + byKind(1).length + byKind(2).length, "answers other than 503").toBeGreaterThan(answers.length / 2);
    withstood("schemas, bystander on another source", run);
    withstood("schemas, health bystander", health);
    expect(sys.app.output()).toContain("schema validation ran past its budget");
  });

  it("a stopped validation leaves its event stored as failed, with the reason, for replay", async () => {
    const res = await post(url("doubling"), '"x"');
    expect(res.status).toBe(400);
    const eventId = res.body?.eventId as string;
    const row = await sys.db.query<{ status: string; error: string; details: string }>(
      `SELECT "status", "error", "errorDetails"::text AS "details" FROM "InboundEvent" WHERE "id" = $1`,
      [eventId],
    );
    expect(row.rows[0]?.status).toBe("failed");
    expect(row.rows[0]?.error).toBe("Source schema validation failed");
    expect(row.rows[0]?.details).toContain("validation stopped after");
  });
});

describe("the mapping tester", () => {
  it("validates a reviewer's sample under the same budget", async () => {
    const mapping = await sys.api<{ id: string }>("POST", "/api/v1/inbound-mappings", {
      sourceId: ids.orders,
      resourceType: "order",
      action: "created",
      resourceIdPath: "id",
      // The first error (/a) is found at once; all of them take 2^40 steps (n).
      payloadSchema: { type: "object", properties: { a: { type: "string" }, n: { $ref: "#/$defs/d40" } }, $defs: doubling.$defs },
    });
    const started = performance.now();
    const result = await sys.api<{ schemaErrors: { path: string; message: string }[] }>("POST", `/api/v1/inbound-mappings/${mapping.id}/test`, {
      payload: { id: "order_1", a: 1, n: "x" },
    });
    const ms = performance.now() - started;
    expect(result.schemaErrors).toEqual([
      { path: "/a", message: "must be string" },
      { path: "", message: `validation stopped after ${TIMEOUT_MS} ms (PROVENANCE_SCHEMA_TIMEOUT_MS); further errors were not collected` },
    ]);
    console.log(`[hostile-schema] mapping tester answered in ${ms.toFixed(0)} ms`);
  });
});
