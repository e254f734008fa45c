// Fair, continuous delivery scheduling (lib/queue/delivery-worker.ts) against real local
// HTTP targets: targets that never answer (the attempt ends at the target's timeout)
// and a healthy one. One org's slow targets must not hold the worker for anyone else,
// a target never has more attempts in flight than its cap (also across two worker
// "processes"), a lone org still uses every slot, and a slot freed by a fast attempt
// is refilled while a slow attempt of the same claim still hangs.
import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { db, prisma } from "@/lib/db";
import { claimDeliveries, startDeliveryWorker, type DeliveryWorkerHandle } from "@/lib/queue/delivery-worker";
import { createMapping, createOrg, createSource, postInbound } from "./helpers/pipeline-fixtures";

/** Far above what "promptly" allows, so a worker stuck behind a slow attempt shows. */
const SLOW_TIMEOUT_SECONDS = 6;
const SLOTS = 4;
const TARGET_CAP = 2;

/** A target that never answers; counts requests in flight per path, and the peaks. */
async function startSlowServer() {
  const open = new Map<string, number>();
  const peak = new Map<string, number>();
  let total = 0;
  let peakTotal = 0;
  const server = http.createServer((req) => {
    const path = req.url ?? "/";
    open.set(path, (open.get(path) ?? 0) + 1);
    peak.set(path, Math.max(peak.get(path) ?? 0, open.get(path)!));
    total += 1;
    peakTotal = Math.max(peakTotal, total);
    req.resume();
    req.socket.on("close", () => {
      open.set(path, open.get(path)! - 1);
      total -= 1;
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (path: string) => `${base}${path}`,
    open: (path: string) => open.get(path) ?? 0,
    peak: (path: string) => peak.get(path) ?? 0,
    total: () => total,
    peakTotal: () => peakTotal,
    /** Ends every hanging request: the attempts fail at once instead of at their timeout. */
    dropAll: () => server.closeAllConnections(),
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

/** A target that answers 200 at once; records when each delivery (webhook-id) arrived. */
async function startHealthyServer() {
  const arrived = new Map<string, number>();
  const server = http.createServer((req, res) => {
    arrived.set(String(req.headers["webhook-id"]), Date.now());
    req.resume().on("end", () => res.writeHead(200).end("ok"));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    arrived,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

type Org = Awaited<ReturnType<typeof createOrg>>;
const orgs: Org[] = [];
const closers: (() => Promise<void>)[] = [];
let workers: DeliveryWorkerHandle[] = [];

/** A source → mapping → target flow in `org`; send(n) makes n deliveries to the target. */
async function flow(org: Org, url: string, timeoutSeconds: number) {
  const source = await createSource(org.id);
  const mapping = await createMapping(org.id, source.id, { resourceType: "order", action: "created", resourceIdPath: "id" });
  const target = await prisma().target.create({
    data: {
      orgId: org.id,
      name: `t-${Math.random().toString(36).slice(2)}`,
      url,
      signingEnabled: false,
      maxAttempts: 1,
      timeoutSeconds,
    },
  });
  await prisma().route.create({ data: { orgId: org.id, mappingId: mapping.id, targetId: target.id } });
  let n = 0;
  return {
    target,
    async send(count: number): Promise<string[]> {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const res = await postInbound(org.slug, { id: source.id }, JSON.stringify({ id: `o_${n++}` }));
        expect(res.status).toBe(200);
        const d = await prisma().delivery.findMany({ where: { interactionId: res.body.interactionId as string } });
        ids.push(...d.map((x) => x.id));
      }
      return ids;
    },
  };
}

async function newOrg(prefix: string): Promise<Org> {
  const org = await createOrg(prefix);
  orgs.push(org);
  return org;
}

function startWorker(pool: pg.Pool = db().pool): DeliveryWorkerHandle {
  const w = startDeliveryWorker({ pool, allowPrivate: true, concurrency: SLOTS, targetConcurrency: TARGET_CAP, pollMs: 200 });
  workers.push(w);
  return w;
}

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const statuses = async (ids: string[]) =>
  (await prisma().delivery.findMany({ where: { id: { in: ids } }, select: { status: true, attempts: true } })).map((d) => ({
    status: d.status,
    attempts: (d.attempts as unknown[]).length,
  }));

afterEach(async () => {
  // Stop claiming first, then end the hanging attempts so the stop does not wait out their timeout.
  const stopping = workers.map((w) => w.stop());
  await Promise.all(closers.splice(0).map((c) => c()));
  await Promise.all(stopping);
  workers = [];
});

afterAll(async () => {
  // Nothing of these orgs is left for later test files' delivery passes to find.
  await prisma().org.deleteMany({ where: { id: { in: orgs.map((o) => o.id) } } });
  await prisma().$disconnect();
});

describe("fair delivery scheduling", () => {
  it("serves another org's healthy target promptly while one org's slow targets fill every slot, within the per-target cap", async () => {
    const slow = await startSlowServer();
    const healthy = await startHealthyServer();
    closers.push(slow.close, healthy.close);
    const a = await newOrg("slow-a");
    const slowPaths = Array.from({ length: 6 }, (_, i) => `/a/${i}`);
    const slowIds: string[] = [];
    // One at a time: the fixtures upsert the org's resource type and action.
    for (const p of slowPaths) slowIds.push(...(await (await flow(a, slow.url(p), SLOW_TIMEOUT_SECONDS)).send(4)));
    const b = await newOrg("healthy-b");
    const healthyFlow = await flow(b, healthy.url, 5);

    const startedAt = Date.now();
    startWorker();
    // Work-conserving: org A alone takes every slot (6 targets × cap 2 would take more).
    await until(() => slow.total() >= SLOTS, "org A's attempts to fill every slot");

    const created = Date.now();
    const healthyIds = await healthyFlow.send(6);
    await until(async () => (await statuses(healthyIds)).every((d) => d.status === "succeeded"), "org B's deliveries to succeed", 4_000);
    const servedWithinMs = Math.max(...healthyIds.map((id) => healthy.arrived.get(id)! - created));
    console.info(`[fairness] org B's 6 deliveries all arrived within ${servedWithinMs} ms while org A's slow attempts hung`);

    // Org A's first attempts are all still hanging: B did not wait for any of them.
    expect(Date.now() - startedAt).toBeLessThan(SLOW_TIMEOUT_SECONDS * 1000);
    expect(slow.total()).toBe(SLOTS);
    expect((await statuses(slowIds)).filter((d) => d.attempts > 0)).toEqual([]);
    expect(servedWithinMs).toBeLessThan(2_000);
    // The cap per target held, and org A never got more than the regular slots.
    for (const p of slowPaths) expect(slow.peak(p), `requests in flight at ${p}`).toBeLessThanOrEqual(TARGET_CAP);
    expect(slow.peakTotal()).toBe(SLOTS);
  });

  it("starts the next attempt as soon as a fast one ends, while a slow attempt claimed with it still hangs (no batch barrier)", async () => {
    const slow = await startSlowServer();
    const healthy = await startHealthyServer();
    closers.push(slow.close, healthy.close);
    const c = await newOrg("mixed-c");
    const slowFlow = await flow(c, slow.url("/c"), SLOW_TIMEOUT_SECONDS);
    const fastFlow = await flow(c, healthy.url, 5);
    const slowIds = await slowFlow.send(3);
    const fastIds = await fastFlow.send(12);

    const startedAt = Date.now();
    startWorker();
    await until(async () => (await statuses(fastIds)).every((d) => d.status === "succeeded"), "every fast delivery to succeed", 5_000);
    expect(Date.now() - startedAt).toBeLessThan(SLOW_TIMEOUT_SECONDS * 1000);
    // The slow target's attempts were claimed among the first and are still in flight.
    expect(slow.total()).toBeGreaterThanOrEqual(1);
    expect((await statuses(slowIds)).filter((d) => d.attempts > 0)).toEqual([]);
    expect(slow.peak("/c")).toBeLessThanOrEqual(TARGET_CAP);
  });

  it("keeps a target's cap across two worker processes sharing the table", async () => {
    const slow = await startSlowServer();
    closers.push(slow.close);
    const d = await newOrg("two-proc");
    const one = await flow(d, slow.url("/one"), SLOW_TIMEOUT_SECONDS);
    await one.send(8);
    // A second pool is what a second app process would have.
    const otherPool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
    closers.push(() => otherPool.end());
    startWorker();
    startWorker(otherPool);
    await until(() => slow.total() === TARGET_CAP, "the cap's worth of attempts at the target");
    // Both workers poll several times meanwhile; neither may add a third attempt.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(slow.peak("/one")).toBe(TARGET_CAP);
  });

  it("works through a slow target's backlog in waves of at most the cap", async () => {
    const slow = await startSlowServer();
    closers.push(slow.close);
    const e = await newOrg("waves");
    const f = await flow(e, slow.url("/w"), 1);
    const ids = await f.send(5);
    startWorker();
    await until(async () => (await statuses(ids)).every((x) => x.status === "dead"), "every delivery to time out once", 15_000);
    expect(slow.peak("/w")).toBe(TARGET_CAP);
    for (const x of await statuses(ids)) expect(x.attempts).toBe(1);
  });
});

describe("the fair claim", () => {
  /**
   * Runs `body` in a transaction that first makes every other org's open deliveries not
   * due (the shared test database holds other files' leftovers), then rolls it all back.
   */
  async function isolated(orgIds: string[], body: (client: pg.PoolClient) => Promise<void>) {
    const client = await db().pool.connect();
    try {
      await client.query("BEGIN");
      await client.query(
        `UPDATE "Delivery" SET "nextAttemptAt" = now() + interval '1 day' WHERE "status" IN ('pending', 'failed') AND NOT ("orgId" = ANY($1::uuid[]))`,
        [orgIds],
      );
      await body(client);
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
  }
  const claim = (client: pg.PoolClient, regular: number, spare = 0) =>
    claimDeliveries(client as unknown as pg.Pool, { regular, spare, targetConcurrency: TARGET_CAP });
  const byOrg = (claimed: { id: string }[], owner: Map<string, string>) => {
    const counts: Record<string, number> = {};
    for (const d of claimed) counts[owner.get(d.id)!] = (counts[owner.get(d.id)!] ?? 0) + 1;
    return counts;
  };

  it("shares slots between orgs by what they have in flight, round robin over an org's targets, within each target's cap", async () => {
    const x = await newOrg("claim-x");
    const y = await newOrg("claim-y");
    const owner = new Map<string, string>();
    const xTargets: string[][] = [];
    for (let i = 0; i < 3; i++) {
      const f = await flow(x, `http://127.0.0.1:9/x${i}`, 5);
      const ids = await f.send(3);
      xTargets.push(ids);
      for (const id of ids) owner.set(id, "x");
    }
    const yFlow = await flow(y, "http://127.0.0.1:9/y", 5);
    for (const id of await yFlow.send(4)) owner.set(id, "y");

    await isolated([x.id, y.id], async (client) => {
      // Both orgs idle: slots alternate between them; Y's one target stops at its cap.
      const first = await claim(client, 4);
      expect(byOrg(first, owner)).toEqual({ x: 2, y: 2 });
      // X's two came from two different targets (round robin), not both from its oldest.
      const xPicked = first.filter((d) => owner.get(d.id) === "x").map((d) => xTargets.findIndex((ids) => ids.includes(d.id)));
      expect(new Set(xPicked).size).toBe(2);
      // Y's target is at its cap, so only X has room: its third target first, then the others up to their caps.
      const second = await claim(client, 10);
      expect(byOrg(second, owner)).toEqual({ x: 4 });
      expect(await claim(client, 10)).toEqual([]);
    });
  });

  it("gives a spare slot only to an org with nothing in flight, one delivery at a time", async () => {
    const busy = await newOrg("claim-busy");
    const idle = await newOrg("claim-idle");
    const owner = new Map<string, string>();
    for (let i = 0; i < 3; i++) for (const id of await (await flow(busy, `http://127.0.0.1:9/b${i}`, 5)).send(2)) owner.set(id, "busy");

    await isolated([busy.id, idle.id], async (client) => {
      expect(byOrg(await claim(client, 4), owner)).toEqual({ busy: 4 });
      // Every regular slot is taken: spare slots are not for an org that already has attempts in flight.
      expect(await claim(client, 0, 4)).toEqual([]);
    });
    for (let i = 0; i < 2; i++) for (const id of await (await flow(idle, `http://127.0.0.1:9/i${i}`, 5)).send(2)) owner.set(id, "idle");
    await isolated([busy.id, idle.id], async (client) => {
      expect(byOrg(await claim(client, 4), owner)).toEqual({ busy: 2, idle: 2 });
      // Both have attempts in flight now: no spare slot for either.
      expect(await claim(client, 0, 4)).toEqual([]);
    });
    await isolated([busy.id, idle.id], async (client) => {
      expect(byOrg(await claim(client, 6), owner)).toEqual({ busy: 3, idle: 3 });
      // The idle org's attempts ended (leases released) while the busy org's still run and
      // every regular slot is taken: the idle org gets exactly one spare slot.
      await client.query(`UPDATE "Delivery" SET "leaseUntil" = NULL WHERE "orgId" = $1`, [idle.id]);
      expect(byOrg(await claim(client, 0, 4), owner)).toEqual({ idle: 1 });
      expect(await claim(client, 0, 4)).toEqual([]);
    });
  });
});
