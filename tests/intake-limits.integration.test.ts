// Issue 11, intake, against a real PostgreSQL: source changes reach every process
// (LISTEN/NOTIFY from a trigger, with reconnects), the failed-event budget (shared by
// replicas, counting the rest), retention of bodies and failed events (batched, one
// replica at a time), replay of a purged event refused, and the inbound answers when the
// server is at a bound (503 with Retry-After).
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as replay from "@/app/api/v1/events/[id]/replay/route";
import * as eventRoute from "@/app/api/v1/events/[id]/route";
import { db, prisma } from "@/lib/db";
import { env } from "@/lib/env";
import { BodySlots } from "@/lib/http/body-slots";
import { matchInboundUrl, serveInbound } from "@/lib/http/node-inbound";
import { handleInbound } from "@/lib/inbound/handle-inbound";
import { OverloadedError } from "@/lib/inbound/overloaded";
import { runtime } from "@/lib/runtime";
import { createFailedEventBudget } from "@/lib/store/failed-event-budget";
import { RETENTION_LOCK_KEY, runRetention } from "@/lib/store/retention";
import { startSourceChangeListener, type SourceChangeListener } from "@/lib/store/source-change-listener";
import { call, insertEvent, obj, tokenFor } from "./helpers/fixtures";
import { createOrg, createSource } from "./helpers/pipeline-fixtures";

const DAY_MS = 86_400_000;

let org: { id: string; slug: string };
let operator: string;

beforeAll(async () => {
  org = await createOrg("intake");
  operator = await tokenFor(org.id, "operator");
});

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 5_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("source changes reach every process (LISTEN/NOTIFY)", () => {
  const listeners: SourceChangeListener[] = [];
  afterAll(async () => {
    await Promise.all(listeners.map((l) => l.stop()));
  });

  /** A listener as one app process runs it, recording what it hears. */
  async function listen() {
    const heard: (string | null)[] = [];
    const states: boolean[] = [];
    const l = startSourceChangeListener({
      connectionString: env().databaseUrl!,
      onChange: (id) => heard.push(id),
      onState: (s) => states.push(s),
      minBackoffMs: 50,
    });
    listeners.push(l);
    expect(await l.firstAttempt).toBe(true);
    heard.length = 0; // the flush on connecting
    return { l, heard, states };
  }

  it("tells every listener which source changed, whoever wrote it, once the write commits", async () => {
    const [a, b] = [await listen(), await listen()];
    const src = await createSource(org.id);
    await waitFor("both to hear the insert", () => (a.heard.includes(src.id) && b.heard.includes(src.id) ? true : undefined));

    // Not before the commit, and not at all after a rollback.
    a.heard.length = 0;
    const client = await db().pool.connect();
    try {
      await client.query("BEGIN");
      await client.query(`UPDATE "InboundSource" SET "verificationSecret" = 'rotated-in-a-transaction' WHERE "id" = $1`, [src.id]);
      await new Promise((r) => setTimeout(r, 200));
      expect(a.heard).toEqual([]);
      await client.query("ROLLBACK");
      await new Promise((r) => setTimeout(r, 200));
      expect(a.heard).toEqual([]);
    } finally {
      client.release();
    }

    // An update straight in SQL (no app code involved), then a delete.
    await db().pool.query(`UPDATE "InboundSource" SET "active" = false WHERE "id" = $1`, [src.id]);
    await waitFor("the update", () => (a.heard.includes(src.id) && b.heard.includes(src.id) ? true : undefined));
    a.heard.length = 0;
    b.heard.length = 0;
    await prisma().inboundSource.delete({ where: { id: src.id } });
    await waitFor("the delete", () => (a.heard.includes(src.id) && b.heard.includes(src.id) ? true : undefined));

    // An org's slug names every source of it: everything is dropped.
    const other = await createOrg("renamed");
    a.heard.length = 0;
    await prisma().org.update({ where: { id: other.id }, data: { slug: `${other.slug}-x` } });
    await waitFor("the slug change", () => (a.heard.includes(null) ? true : undefined));
  });

  it("reconnects after losing its connection, dropping everything it may have missed", async () => {
    const a = await listen();
    const pids = await db().pool.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE application_name = 'provenance-source-listener' AND datname = current_database()`,
    );
    expect(pids.rows.length).toBeGreaterThan(0);
    await db().pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'provenance-source-listener' AND datname = current_database()`);
    await waitFor("the drop and the reconnect", () => (a.states.join(",").endsWith("false,true") ? true : undefined));
    expect(a.heard).toContain(null);
    expect(a.l.listening()).toBe(true);
    const src = await createSource(org.id);
    await waitFor("a change after the reconnect", () => (a.heard.includes(src.id) ? true : undefined));
  });
});

describe("the failed-event budget", () => {
  const failedRows = async (sourceId: string) => prisma().inboundEvent.count({ where: { sourceId, status: "failed" } });
  const counts = (sourceId: string) => prisma().failedRequestCount.findMany({ where: { sourceId } });

  it("stores failed requests up to the budget per source and hour, shared by replicas, and counts the rest", async () => {
    const src = await createSource(org.id);
    const record = (await runtime().deps.sources.findSource(org.slug, { id: src.id }))!;
    const a = createFailedEventBudget(db().pool, { perHour: 5, flushEveryMs: 60_000 });
    const b = createFailedEventBudget(db().pool, { perHour: 5, flushEveryMs: 60_000 });
    const at = new Date();
    const admitted = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).admit(record, at)));
    expect(admitted.filter(Boolean)).toHaveLength(5);
    await Promise.all([a.stop(), b.stop()]);
    expect(await counts(src.id)).toEqual([expect.objectContaining({ stored: 5, counted: 15, orgId: org.id })]);

    // The next hour has a budget of its own.
    const c = createFailedEventBudget(db().pool, { perHour: 5, flushEveryMs: 60_000 });
    expect(await c.admit(record, new Date(at.getTime() + 3_600_000))).toBe(true);
    await c.stop();
  });

  it("answers every forged request exactly as before; past the budget there is no event to name and none is stored", async () => {
    const src = await createSource(org.id, { verification: { preset: "github" }, secret: "gh-budget-secret" });
    const budget = createFailedEventBudget(db().pool, { perHour: 3, flushEveryMs: 60_000 });
    const deps = { ...runtime().deps, failedEvents: budget };
    const body = new TextEncoder().encode('{"zen":"forged"}');
    const answers = [];
    for (let i = 0; i < 10; i++) {
      answers.push(
        await handleInbound(
          { slug: org.slug, key: { id: src.id }, sync: false, headers: { "x-hub-signature-256": "sha256=00" }, readBody: async () => ({ ok: true, bytes: body }) },
          deps,
        ),
      );
    }
    await budget.stop();
    expect(answers.map((r) => r.status)).toEqual(Array(10).fill(401));
    expect(answers.map((r) => r.body.error)).toEqual(Array(10).fill("Signature verification failed"));
    const named = answers.filter((r) => typeof r.body.eventId === "string");
    expect(named).toHaveLength(3);
    for (const r of answers.slice(3)) expect(r.body).toEqual({ error: "Signature verification failed" });
    expect(await failedRows(src.id)).toBe(3);
    expect(await counts(src.id)).toEqual([expect.objectContaining({ stored: 3, counted: 7 })]);
    // The events stored are the ones named.
    const stored = await prisma().inboundEvent.findMany({ where: { sourceId: src.id }, select: { id: true } });
    expect(new Set(stored.map((e) => e.id))).toEqual(new Set(named.map((r) => r.body.eventId)));
  });

  it("keeps counts it could not write and writes them with the next flush", async () => {
    const src = await createSource(org.id);
    const record = (await runtime().deps.sources.findSource(org.slug, { id: src.id }))!;
    const failing = new pg.Pool({ connectionString: env().databaseUrl, max: 1 });
    failing.on("error", () => {});
    const errors: string[] = [];
    const budget = createFailedEventBudget(failing, { perHour: 1, flushEveryMs: 60_000, onError: (m) => errors.push(m) });
    const at = new Date();
    expect(await budget.admit(record, at)).toBe(true);
    expect(await budget.admit(record, at)).toBe(false);
    expect(await budget.admit(record, at)).toBe(false);
    // The database goes away for this pool during the flush …
    const realQuery = failing.query.bind(failing);
    (failing as unknown as { query: unknown }).query = () => Promise.reject(new Error("connection refused"));
    await budget.flush();
    expect(errors).toHaveLength(1);
    // … and comes back.
    (failing as unknown as { query: unknown }).query = realQuery;
    await budget.stop();
    expect(await counts(src.id)).toEqual([expect.objectContaining({ stored: 1, counted: 2 })]);
    await failing.end();
  });
});

describe("retention", () => {
  const LOCK_KEY = RETENTION_LOCK_KEY;

  it("deletes old failed events and counts, empties old bodies (not queued ones), in batches, and leaves recent ones", async () => {
    // The database is shared with the other test files: clear what they left that is old
    // enough to purge, so this run's counts are this test's rows.
    await runRetention(db().pool, { bodyDays: 30, failedDays: 7 });
    const src = await createSource(org.id);
    const now = new Date();
    const old = new Date(now.getTime() - 40 * DAY_MS);
    const recentish = new Date(now.getTime() - 10 * DAY_MS);
    const oldFailed = await Promise.all([1, 2, 3].map(() => insertEvent(org.id, src.id, { status: "failed", receivedAt: old })));
    const tenDayFailed = await insertEvent(org.id, src.id, { status: "failed", receivedAt: recentish });
    const oldProcessed = await Promise.all([1, 2, 3, 4, 5].map(() => insertEvent(org.id, src.id, { status: "processed", receivedAt: old, body: '{"keep":"no"}' })));
    const oldQueued = await insertEvent(org.id, src.id, { status: "queued", receivedAt: old });
    const fresh = await insertEvent(org.id, src.id, { status: "processed", receivedAt: now });
    // availableAt follows receivedAt for events stored by the pipeline.
    await db().pool.query(`UPDATE "InboundEvent" SET "availableAt" = "receivedAt" WHERE "sourceId" = $1`, [src.id]);
    await prisma().failedRequestCount.createMany({
      data: [
        { sourceId: src.id, orgId: org.id, hour: new Date(old.getTime() - (old.getTime() % 3_600_000)), stored: 3, counted: 9 },
        { sourceId: src.id, orgId: org.id, hour: new Date(now.getTime() - (now.getTime() % 3_600_000)), stored: 1, counted: 0 },
      ],
    });

    const run = await runRetention(db().pool, { bodyDays: 30, failedDays: 7 }, { batchSize: 2, pauseMs: 0 });
    // At least: the database is shared, and other files' old events (api-history's are
    // dated 2026-02) are old enough too. What happened to this source's rows is below.
    expect(run).toEqual({ deletedFailed: expect.any(Number), purgedBodies: expect.any(Number), deletedCounts: expect.any(Number), skipped: false });
    expect(run.deletedFailed).toBeGreaterThanOrEqual(4);
    expect(run.purgedBodies).toBeGreaterThanOrEqual(5);
    expect(run.deletedCounts).toBeGreaterThanOrEqual(1);

    const left = await prisma().inboundEvent.findMany({ where: { sourceId: src.id } });
    const byId = new Map(left.map((e) => [e.id, e]));
    for (const e of [...oldFailed, tenDayFailed]) expect(byId.has(e.id)).toBe(false);
    for (const e of oldProcessed) {
      expect(byId.get(e.id)?.body.length).toBe(0);
      expect(byId.get(e.id)?.bodyPurgedAt).toBeInstanceOf(Date);
      expect(byId.get(e.id)?.status).toBe("processed");
    }
    expect(Buffer.from(byId.get(oldQueued.id)!.body).toString()).toBe('{"id":"evt_1"}');
    expect(byId.get(oldQueued.id)?.bodyPurgedAt).toBeNull();
    expect(byId.get(fresh.id)?.bodyPurgedAt).toBeNull();
    expect(await prisma().failedRequestCount.count({ where: { sourceId: src.id } })).toBe(1);

    // Nothing left to do: a second run changes nothing.
    expect(await runRetention(db().pool, { bodyDays: 30, failedDays: 7 })).toEqual({ deletedFailed: 0, purgedBodies: 0, deletedCounts: 0, skipped: false });
  });

  it("keeps everything with a policy of 0 days (forever)", async () => {
    const src = await createSource(org.id);
    const e = await insertEvent(org.id, src.id, { status: "failed", receivedAt: new Date(Date.now() - 400 * DAY_MS) });
    expect(await runRetention(db().pool, { bodyDays: null, failedDays: null })).toEqual({ deletedFailed: 0, purgedBodies: 0, deletedCounts: 0, skipped: false });
    expect(await prisma().inboundEvent.findUnique({ where: { id: e.id } })).not.toBeNull();
  });

  it("skips its run while another replica holds the retention lock", async () => {
    const src = await createSource(org.id);
    const e = await insertEvent(org.id, src.id, { status: "failed", receivedAt: new Date(Date.now() - 40 * DAY_MS) });
    await db().pool.query(`UPDATE "InboundEvent" SET "availableAt" = "receivedAt" WHERE "id" = $1`, [e.id]);
    const other = await db().pool.connect();
    try {
      await other.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
      expect(await runRetention(db().pool, { bodyDays: 30, failedDays: 7 })).toMatchObject({ skipped: true, deletedFailed: 0 });
      expect(await prisma().inboundEvent.findUnique({ where: { id: e.id } })).not.toBeNull();
    } finally {
      await other.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]);
      other.release();
    }
    expect(await runRetention(db().pool, { bodyDays: 30, failedDays: 7 })).toMatchObject({ skipped: false, deletedFailed: 1 });
  });

  it("refuses to replay an event whose body was purged, with 409 and why; the event says when", async () => {
    const src = await createSource(org.id);
    const e = await insertEvent(org.id, src.id, { status: "processed", receivedAt: new Date(Date.now() - 40 * DAY_MS) });
    await runRetention(db().pool, { bodyDays: 30, failedDays: null });
    const res = await call(replay.POST, "POST", `/api/v1/events/${e.id}/replay`, { token: operator, params: { id: e.id } });
    expect(res.status).toBe(409);
    expect(res.json).toEqual({
      error: "Conflict",
      details: [{ path: "", message: expect.stringMatching(/^The event's body was deleted by the retention policy on \d{4}-\d{2}-\d{2} and cannot be replayed$/) }],
    });
    expect(await prisma().inboundEvent.count({ where: { replayOf: e.id } })).toBe(0);
    const detail = obj((await call(eventRoute.GET, "GET", `/api/v1/events/${e.id}`, { token: operator, params: { id: e.id } })).json);
    expect(detail).toMatchObject({ body: "", bodyPurgedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) });
  });
});

describe("inbound answers at the server's bounds", () => {
  let server: http.Server;
  let base: string;
  const saved = { slots: runtime().bodySlots, store: runtime().deps.store };
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const target = matchInboundUrl(req.url ?? "");
      if (target) void serveInbound(req, res, target);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => {
    runtime().bodySlots = saved.slots;
    runtime().deps.store = saved.store;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it("answers 503 with Retry-After at once, without reading the body, when every body slot is in use", async () => {
    const src = await createSource(org.id);
    runtime().bodySlots = new BodySlots(1);
    // One sender takes the only slot and trickles its body.
    const holder = http.request(`${base}/api/inbound/${org.slug}/${src.id}`, { method: "POST", headers: { "content-length": "100" } });
    holder.on("error", () => {});
    holder.write("{");
    await waitFor("the slot to be taken", () => (runtime().bodySlots.used === 1 ? true : undefined));
    const res = await fetch(`${base}/api/inbound/${org.slug}/${src.id}`, { method: "POST", body: '{"id":"x"}' });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("1");
    expect(res.headers.get("connection")).toBe("close");
    expect(await res.json()).toEqual({ error: "Server busy, retry later" });
    holder.destroy();
    await waitFor("the slot to be freed", () => (runtime().bodySlots.used === 0 ? true : undefined));
    const after = await fetch(`${base}/api/inbound/${org.slug}/${src.id}`, { method: "POST", body: '{"id":"y"}' });
    expect(after.status).toBe(202);
  });

  it("answers 503 with Retry-After when the event write queue is full, and stores nothing", async () => {
    const src = await createSource(org.id);
    runtime().deps.store = {
      ...saved.store,
      recordEvent: () => Promise.reject(new OverloadedError("The event write queue is full", 2)),
    };
    const res = await fetch(`${base}/api/inbound/${org.slug}/${src.id}`, { method: "POST", body: `{"id":"${randomUUID()}"}` });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("2");
    expect(await res.json()).toEqual({ error: "Server busy, retry later" });
    expect(await prisma().inboundEvent.count({ where: { sourceId: src.id } })).toBe(0);
  });
});
