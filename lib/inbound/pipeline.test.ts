// Stages 4–7 as every caller runs them (runMappingStages), the answers a sync request
// gets for each outcome (responseFor, by kind), and the in-memory store the sandbox and
// revalidation use, driven through handleInbound itself.
import { describe, expect, it } from "vitest";
import { handleInbound } from "./handle-inbound";
import { MemoryPipelineStore } from "./memory-store";
import { responseFor, runMappingStages, settleStages, statusFor } from "./pipeline";
import type { MappingRecord, SourceRecord } from "./ports";
import { validateInProcess } from "./validate-schema";

let n = 0;
function mapping(over: Partial<MappingRecord>): MappingRecord {
  n += 1;
  return {
    id: `m${n}`,
    title: `mapping ${n}`,
    priority: 0,
    createdAt: new Date(0),
    resourceTypeId: "rt-pr",
    actionId: null,
    resourceType: "pull-request",
    action: null,
    actionPath: "action",
    conditions: [],
    payloadSchema: null,
    schemaRootPath: null,
    idempotencyPath: "$headers.x-github-delivery",
    resourceIdPath: "pull_request.id",
    fieldMappings: null,
    metadataPaths: null,
    ...over,
  };
}

const ids = () => {
  let i = 0;
  return () => `id-${++i}`;
};
const opts = (headers: Record<string, string> = {}) => ({
  newId: ids(),
  validate: validateInProcess,
  request: { headers, query: {} },
});

const reviews = mapping({
  title: "reviews",
  priority: 2,
  resourceType: "review",
  resourceTypeId: "rt-review",
  conditions: [{ path: "$headers.x-github-event", op: "eq", value: "pull_request_review" }],
  resourceIdPath: "review.id",
});
const pulls = mapping({
  title: "pulls",
  priority: 1,
  conditions: [
    { path: "$headers.x-github-event", op: "eq", value: "pull_request" },
    { path: "action", op: "in", value: ["opened", "closed"] },
  ],
  payloadSchema: { type: "object", required: ["number"] },
  schemaRootPath: "pull_request",
});
const opened = { action: "opened", pull_request: { id: 7, number: 42 } };

describe("runMappingStages: the trace says what each stage saw", () => {
  it("lists every mapping tried, in order, with each condition's value, up to the first match", async () => {
    const out = await runMappingStages(
      [reviews, pulls],
      opened,
      opts({ "x-github-event": "pull_request", "x-github-delivery": "d-1" }),
    );
    expect(out.kind).toBe("ready");
    expect(out.trace.tried.map((t) => [t.mapping.title, t.matched])).toEqual([
      ["reviews", false],
      ["pulls", true],
    ]);
    expect(out.trace.tried[0]?.conditions).toEqual([
      { path: "$headers.x-github-event", op: "eq", value: "pull_request_review", actual: "pull_request", pass: false },
    ]);
    expect(out.trace.tried[1]?.conditions.map((c) => [c.actual, c.pass])).toEqual([
      ["pull_request", true],
      ["opened", true],
    ]);
    expect(out.trace.schema).toEqual({ outcome: "passed", errors: [] });
    expect(out.trace.build).toEqual({ ok: true });
    if (out.kind !== "ready") return;
    expect(out.interaction).toMatchObject({ action: "opened", resourceId: "7", idempotencyKey: "d-1" });
    expect(out.stages).toEqual([
      { stage: "mappingSelection", outcome: "passed", detail: `pulls (${pulls.id})` },
      { stage: "mappingSchema", outcome: "passed" },
    ]);
  });

  it("stops at the first match: later mappings are not tried", async () => {
    const out = await runMappingStages([pulls, reviews], opened, opts({ "x-github-event": "pull_request" }));
    expect(out.trace.tried.map((t) => t.mapping.title)).toEqual(["pulls"]);
  });

  it("unmatched: every mapping tried and failed, no schema run unless asked", async () => {
    const out = await runMappingStages([reviews, pulls], opened, opts({ "x-github-event": "issues" }));
    expect(out.kind).toBe("unmatched");
    expect(out.trace.tried.every((t) => !t.matched)).toBe(true);
    expect(out.trace.schema).toBeNull();
    expect(out.stages).toEqual([{ stage: "mappingSelection", outcome: "failed", detail: "No matching mapping found" }]);
    expect(statusFor(out)).toBe(200);
    expect(responseFor(out, { status: "unmatched" }, "e1")).toEqual({
      status: 200,
      body: { message: "No matching mapping found", eventId: "e1" },
    });
  });

  it("explainUnmatched runs the only mapping's schema anyway (the tester), still unmatched", async () => {
    const out = await runMappingStages(
      [pulls],
      { action: "labeled", pull_request: { id: 7 } },
      { ...opts({}), explainUnmatched: true },
    );
    expect(out.kind).toBe("unmatched");
    expect(out.trace.schema).toEqual({
      outcome: "failed",
      errors: [{ path: "/pull_request/number", message: "must have required property 'number'" }],
    });
  });

  it("a schema failure is the mappingSchema kind: 400 with the errors", async () => {
    const out = await runMappingStages(
      [pulls],
      { action: "opened", pull_request: { id: 7 } },
      opts({ "x-github-event": "pull_request" }),
    );
    expect(out).toMatchObject({
      kind: "failed",
      failure: "mappingSchema",
      error: "Mapping schema validation failed",
      mappingId: pulls.id,
    });
    expect(out.trace.build).toBeNull();
    expect(responseFor(out, { status: "failed" }, "e1")).toEqual({
      status: 400,
      body: {
        error: "Mapping schema validation failed",
        details: [{ path: "/pull_request/number", message: "must have required property 'number'" }],
        eventId: "e1",
      },
    });
  });

  it("a build failure is its own kind, never a schema error: action first, then resource id", async () => {
    const m = mapping({});
    const noAction = await runMappingStages([m], { pull_request: { id: 7 } }, opts());
    expect(noAction).toMatchObject({ kind: "failed", failure: "actionNotFound", error: "Action not found" });
    expect(noAction.trace.schema).toEqual({ outcome: "skipped", errors: [] });
    expect(noAction.trace.build).toMatchObject({ ok: false, kind: "actionNotFound" });
    expect(statusFor(noAction)).toBe(422);
    const noId = await runMappingStages([m], { action: "opened" }, opts());
    expect(noId).toMatchObject({ kind: "failed", failure: "resourceIdNotFound", error: "Resource id not found" });
    expect(responseFor(noId, { status: "failed" }, "e2").status).toBe(422);
    expect(noId.stages.at(-1)).toEqual({ stage: "interaction", outcome: "failed", detail: "Resource id not found" });
  });

  it("answers a duplicate and a created interaction from the outcome table", async () => {
    const out = await runMappingStages([mapping({})], opened, opts());
    expect(responseFor(out, { status: "duplicate" }, "e")).toEqual({ status: 200, body: { duplicate: true, eventId: "e" } });
    expect(responseFor(out, { status: "processed", interactionId: "i" }, "e")).toEqual({
      status: 200,
      body: { interactionId: "i", eventId: "e" },
    });
  });
});

describe("settleStages: stages 6 and 7 as every store records them", () => {
  it("new with a key, new without a key, duplicate", () => {
    expect(settleStages({ id: "i1", idempotencyKey: "k" }, { duplicate: false, deliveries: 2 })).toEqual([
      { stage: "dedup", outcome: "passed" },
      { stage: "interaction", outcome: "passed", detail: "i1 (2 deliveries)" },
    ]);
    expect(settleStages({ id: "i1", idempotencyKey: null }, { duplicate: false, deliveries: 0, note: "changed" })).toEqual([
      { stage: "dedup", outcome: "skipped", detail: "No idempotency key" },
      { stage: "interaction", outcome: "passed", detail: "i1; changed" },
    ]);
    expect(settleStages({ id: "i1", idempotencyKey: "k" }, { duplicate: true })).toEqual([
      { stage: "dedup", outcome: "failed", detail: "Duplicate of an existing interaction (key k)" },
    ]);
  });
});

describe("MemoryPipelineStore under handleInbound (the sandbox's and revalidation's store)", () => {
  const source: SourceRecord = {
    id: "11111111-1111-4111-8111-111111111111",
    orgId: "org",
    orgSlug: "acme",
    originId: "origin",
    active: true,
    verification: null,
    payloadSchema: null,
  };
  const send = (store: MemoryPipelineStore, headers: Record<string, string>, body: unknown) => {
    const bytes = new TextEncoder().encode(JSON.stringify(body));
    return handleInbound(
      { slug: "acme", key: { id: source.id }, sync: true, headers, readBody: async () => ({ ok: true, bytes }) },
      {
        sources: { findSource: async () => source },
        store,
        queue: { notify: async () => {} },
        clock: { now: () => 0 },
        ids: { uuid: ids() },
        maxBodyBytes: 1 << 20,
        syncAllowed: true,
      },
    );
  };

  it("deduplicates as the unique index does: same key is a duplicate, a null key never is", async () => {
    const store = new MemoryPipelineStore(
      new Map([[source.id, [pulls, mapping({ idempotencyPath: null, priority: -1 })]]]),
      () => 1,
    );
    const first = await send(store, { "x-github-event": "pull_request", "x-github-delivery": "d-1" }, opened);
    expect(first.status).toBe(200);
    expect(first.body.interactionId).toBeDefined();
    expect(store.stages.slice(-2)).toEqual([
      { stage: "dedup", outcome: "passed" },
      { stage: "interaction", outcome: "passed", detail: `${String(first.body.interactionId)} (1 deliveries)` },
    ]);
    const again = await send(store, { "x-github-event": "pull_request", "x-github-delivery": "d-1" }, opened);
    expect(again.body).toMatchObject({ duplicate: true });
    expect(store.commit).toEqual({ status: "duplicate" });
    // The second mapping has no idempotency path: its interactions never conflict.
    for (let i = 0; i < 2; i++) {
      const res = await send(store, { "x-github-event": "push" }, opened);
      expect(res.body.interactionId).toBeDefined();
      expect(store.stages.at(-2)).toEqual({ stage: "dedup", outcome: "skipped", detail: "No idempotency key" });
    }
  });

  it("records a failure with its kind's answer, and the trace of what was tried", async () => {
    const store = new MemoryPipelineStore(new Map([[source.id, [pulls]]]));
    const res = await send(store, { "x-github-event": "pull_request" }, { action: "closed", pull_request: { id: 1 } });
    expect(res.status).toBe(400);
    expect(store.status).toBe("failed");
    expect(store.outcome?.trace.tried.map((t) => t.matched)).toEqual([true]);
    expect(store.error?.message).toBe("Mapping schema validation failed");
  });
});
