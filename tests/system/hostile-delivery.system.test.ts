// Hostile delivery targets against the built app, end to end (webhooks in, deliveries
// out). Org A floods its source while its six targets never answer (each attempt holds
// its slot until the 30 s timeout); org C's target answers every delivery with an
// endless body. Meanwhile org B, a bystander, keeps sending webhooks routed to a healthy
// target. With
// PROVENANCE_DELIVERY_CONCURRENCY=4 and PROVENANCE_DELIVERY_TARGET_CONCURRENCY=2:
// - B's inbound requests are answered within BYSTANDER_LIMIT_MS, and every B delivery
//   reaches its target promptly, while A's slow attempts hold every regular slot;
// - no slow target ever sees more than 2 attempts at once, and A never more than 4;
// - C's endless bodies cost a bounded read each (2 KiB kept, RSS under RSS_LIMIT_MB);
// - no 5xx, and no target or token secret in the app's output.
import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BYSTANDER_LIMIT_MS, findSecrets, underAbuse } from "./abuse";
import { createMapping, createRoute, createSource, runBounded, send, startSystem, waitUntil, type System } from "./harness";

const SLOTS = 4;
const TARGET_CAP = 2;
const SLOW_TARGETS = 6;
/** Webhooks org A sends; each becomes one delivery per A target. */
const A_EVENTS = 30;
/** Webhooks org C sends to its endless-body target. */
const C_EVENTS = 20;
/** How long the abuse lasts: long enough for many B deliveries, far shorter than A's 30 s timeouts. */
const ABUSE_MS = 12_000;
/** A delivery to B's healthy target must arrive within this of B's webhook being accepted. */
const PROMPT_MS = 3_000;
const B_SLUG = "sys-hostile-delivery-b";
const C_SLUG = "sys-hostile-delivery-c";
/** Idle the app holds about 250–300 MB (launcher and server; heap capped at 256 MB). */
const RSS_LIMIT_MB = 450;

let sys: System;
const closers: (() => Promise<void>)[] = [];

/** Targets that never answer, one path per target; counts requests in flight, and the peaks. */
async function startSlowTargets() {
  const open = new Map<string, number>();
  const peak = new Map<string, number>();
  let total = 0;
  let peakTotal = 0;
  const server = http.createServer((req) => {
    const p = req.url ?? "/";
    open.set(p, (open.get(p) ?? 0) + 1);
    peak.set(p, Math.max(peak.get(p) ?? 0, open.get(p)!));
    peakTotal = Math.max(peakTotal, ++total);
    req.resume();
    req.socket.on("close", () => {
      open.set(p, open.get(p)! - 1);
      total -= 1;
    });
  });
  await listen(server);
  return { server, base: baseOf(server), peak, total: () => total, peakTotal: () => peakTotal };
}

/** Answers 200 and then writes forever: an attempt must read its 2 KiB and hang up. */
async function startFirehose() {
  let requests = 0;
  const chunk = Buffer.alloc(64 * 1024, "x");
  const server = http.createServer((req, res) => {
    requests += 1;
    req.resume();
    res.writeHead(200, { "content-type": "text/plain" });
    const pump = () => {
      while (res.write(chunk)) {
        if (res.destroyed) return;
      }
      res.once("drain", pump);
    };
    res.on("error", () => {});
    pump();
  });
  await listen(server);
  return { server, url: `${baseOf(server)}/firehose`, requests: () => requests };
}

/** B's target: answers 200 at once and records when each order (the interaction's resourceId) arrived. */
async function startHealthy() {
  const arrived = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const at = Date.now();
      try {
        const interaction = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { resourceId: string };
        if (!arrived.has(interaction.resourceId)) arrived.set(interaction.resourceId, at);
      } catch {
        // Not a delivery: ignored.
      }
      res.writeHead(200).end("ok");
    });
  });
  await listen(server);
  return { server, url: `${baseOf(server)}/hook`, arrived };
}

async function listen(server: http.Server) {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  closers.push(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
}
const baseOf = (server: http.Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/** A second org with an admin API token (orgs are made by operators; there is no API for it). */
async function createOrgWithToken(slug: string): Promise<{ orgId: string; token: string; api: System["api"] }> {
  const token = `prv_org_${randomBytes(24).toString("base64url")}`;
  const org = await sys.db.query<{ id: string }>(`INSERT INTO "Org" ("id", "slug", "name") VALUES (gen_random_uuid(), $1, $1) RETURNING "id"`, [slug]);
  const orgId = org.rows[0]!.id;
  await sys.db.query(
    `INSERT INTO "ApiToken" ("id", "orgId", "name", "role", "prefix", "tokenHash") VALUES (gen_random_uuid(), $1, 'system test', 'admin', $2, $3)`,
    [orgId, token.slice(0, 12), createHash("sha256").update(token).digest("hex")],
  );
  const api: System["api"] = async <T,>(method: string, apiPath: string, body?: unknown, expectStatus = [200, 201, 202, 204]) => {
    const res = await fetch(`${sys.app.baseUrl}${apiPath}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    if (!expectStatus.includes(res.status)) throw new Error(`${method} ${apiPath} answered ${res.status}: ${text.slice(0, 2000)}`);
    return (text ? JSON.parse(text) : {}) as T;
  };
  return { orgId, token, api };
}

beforeAll(async () => {
  sys = await startSystem("hostile-delivery", {
    PROVENANCE_DELIVERY_CONCURRENCY: String(SLOTS),
    PROVENANCE_DELIVERY_TARGET_CONCURRENCY: String(TARGET_CAP),
  });
});

afterAll(async () => {
  await sys?.close();
  await Promise.all(closers.map((c) => c()));
});

describe("one org's slow and hostile targets", () => {
  it("never hold the worker for another org: B's deliveries arrive promptly, caps hold, memory stays bounded, nothing leaks", async () => {
    const slow = await startSlowTargets();
    const firehose = await startFirehose();
    const healthy = await startHealthy();
    const authSecret = `a-target-bearer-${randomBytes(12).toString("hex")}`;

    // Org A (the system org): one source routed to six never-answering targets.
    const aSource = await createSource(sys, "a-orders");
    const aMapping = await createMapping(sys, aSource);
    for (let i = 0; i < SLOW_TARGETS; i++) {
      const target = await sys.api<{ id: string }>("POST", "/api/v1/targets", {
        name: `a-${i}`,
        url: `${slow.base}/slow/${i}`,
        auth: { type: "bearer", secret: authSecret },
        retry: { maxAttempts: 1, backoff: "fixed", initialDelaySeconds: 1 },
        timeoutSeconds: 30,
      });
      await createRoute(sys, aMapping, target.id);
    }

    // Org C: one source routed to the endless-body target.
    const c = await createOrgWithToken(C_SLUG);
    const cSystem = { ...sys, api: c.api } as System;
    const cSource = await createSource(cSystem, "c-orders");
    const cTarget = await c.api<{ id: string }>("POST", "/api/v1/targets", {
      name: "c-firehose",
      url: firehose.url,
      retry: { maxAttempts: 1, backoff: "fixed", initialDelaySeconds: 1 },
      timeoutSeconds: 30,
    });
    await createRoute(cSystem, await createMapping(cSystem, cSource), cTarget.id);

    // Org B: one source routed to a healthy target.
    const b = await createOrgWithToken(B_SLUG);
    const bSystem = { ...sys, api: b.api } as System;
    const bSource = await createSource(bSystem, "b-orders");
    const bMapping = await createMapping(bSystem, bSource);
    const bTarget = await b.api<{ id: string; signingSecret: string }>("POST", "/api/v1/targets", {
      name: "b-healthy",
      url: healthy.url,
      retry: { maxAttempts: 3, backoff: "fixed", initialDelaySeconds: 1 },
      timeoutSeconds: 5,
    });
    await createRoute(bSystem, bMapping, bTarget.id);

    const answers: number[] = [];
    const bSentAt = new Map<string, number>();
    let bSent = 0;
    const bystander = async () => {
      const orderId = `b_${bSent++}`;
      bSentAt.set(orderId, Date.now());
      const res = await send(sys.app.baseUrl, `/api/inbound/${B_SLUG}/${bSource}`, JSON.stringify({ id: orderId }), {
        timeoutMs: BYSTANDER_LIMIT_MS * 5,
      });
      return res.status;
    };

    const run = await underAbuse(
      sys,
      async () => {
        await runBounded(A_EVENTS, 4, async (i) => {
          const res = await send(sys.app.baseUrl, `/api/inbound/${sys.orgSlug}/${aSource}`, JSON.stringify({ id: `a_${i}` }));
          answers.push(res.status);
        });
        // A's slow attempts now hold the regular slots; B keeps sending, and C's endless bodies come in.
        const until = Date.now() + ABUSE_MS;
        for (let i = 0; i < C_EVENTS; i++) {
          const res = await send(sys.app.baseUrl, `/api/inbound/${C_SLUG}/${cSource}`, JSON.stringify({ id: `c_${i}` }));
          answers.push(res.status);
          await new Promise((r) => setTimeout(r, ABUSE_MS / (2 * C_EVENTS)));
        }
        await new Promise((r) => setTimeout(r, Math.max(0, until - Date.now())));
      },
      { bystander, okStatuses: [202], intervalMs: 200 },
    );

    // Every B delivery made it, promptly, though A's first slow attempts are still hanging.
    await waitUntil("every B delivery to arrive", 15_000, async () => [bSentAt.size === healthy.arrived.size, `${healthy.arrived.size}/${bSentAt.size}`]);
    const latencies = [...bSentAt].map(([id, sent]) => healthy.arrived.get(id)! - sent).sort((x, y) => x - y);
    const p50 = latencies[Math.floor(latencies.length / 2)]!;
    const max = latencies.at(-1)!;
    console.log(
      `[hostile-delivery] peak RSS ${run.peakRssMb.toFixed(0)} MB; bystander max ${run.bystander.maxMs.toFixed(0)} ms over ${run.bystander.count} requests; ` +
        `B deliveries: ${latencies.length}, webhook in → delivery out p50 ${p50} ms, max ${max} ms; ` +
        `slow targets: ${slow.total()} attempts hanging, peak ${slow.peakTotal()}; endless-body target answered ${firehose.requests()} attempts`,
    );
    expect(run.bystander.failures).toEqual([]);
    expect(run.bystander.count).toBeGreaterThan(20);
    expect(run.bystander.maxMs).toBeLessThan(BYSTANDER_LIMIT_MS);
    expect(run.peakRssMb).toBeLessThan(RSS_LIMIT_MB);
    expect(max, "slowest B delivery, webhook in to delivery out (ms)").toBeLessThan(PROMPT_MS);

    // A's flood was accepted (no 5xx), and its slow targets never got more than the caps allow.
    expect(answers.filter((s) => s !== 202)).toEqual([]);
    for (let i = 0; i < SLOW_TARGETS; i++) expect(slow.peak.get(`/slow/${i}`) ?? 0, `attempts at once at slow target ${i}`).toBeLessThanOrEqual(TARGET_CAP);
    expect(slow.peakTotal(), "A's attempts at once at its slow targets").toBe(SLOTS);
    // Each endless body was cut at 2 KiB: C's deliveries succeeded with 2048 bytes kept.
    await waitUntil("every C delivery to end", 15_000, async () => {
      const page = await c.api<{ data: { status: string }[] }>("GET", `/api/v1/deliveries?targetId=${cTarget.id}&limit=200`);
      return [page.data.length === C_EVENTS && page.data.every((d) => d.status !== "pending"), page.data.map((d) => d.status).join(" ")];
    });
    const cDeliveries = await c.api<{ data: { status: string; attempts: { status?: number; responseBody: string }[] }[] }>(
      "GET",
      `/api/v1/deliveries?targetId=${cTarget.id}&limit=200`,
    );
    for (const d of cDeliveries.data) {
      expect(d.status).toBe("succeeded");
      expect(d.attempts.map((a) => [a.status, a.responseBody.length])).toEqual([[200, 2048]]);
    }
    // B's deliveries all succeeded on their first attempt.
    const bDeliveries = await b.api<{ data: { status: string; attempts: unknown[] }[] }>("GET", `/api/v1/deliveries?targetId=${bTarget.id}&limit=200`);
    expect(bDeliveries.data.length).toBe(bSentAt.size);
    expect(bDeliveries.data.filter((d) => d.status !== "succeeded" || d.attempts.length !== 1)).toEqual([]);

    expect(sys.app.alive()).toBe(true);
    expect(findSecrets(sys.app.output(), [authSecret, b.token, c.token, bTarget.signingSecret])).toEqual([]);
  });
});
