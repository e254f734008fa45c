// Delivery to targets (spec delivery.md) against real local HTTP servers: deliveries
// are created with the interaction, signed as Standard Webhooks (verified by the
// standardwebhooks library as a receiver would), retried with backoff, dead after the
// budget or on 410, and a dead delivery replays keeping its history.
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, prisma } from "@/lib/db";
import { generateSigningSecret } from "@/lib/delivery/sign-outbound";
import { deliverDue } from "@/lib/queue/delivery-worker";
import { sealSecret } from "@/lib/store/secret-values";
import { processBatch } from "@/lib/queue/embedded-worker";
import { createMapping, createOrg, createSource, postInbound } from "./helpers/pipeline-fixtures";

type Received = { headers: http.IncomingHttpHeaders; body: string };
type Behaviour = (n: number, res: http.ServerResponse) => void;

async function startTarget(behaviour: Behaviour) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      behaviour(received.length, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const pool = () => db().pool;
/** Attempts everything due (other test files may leave due deliveries in the shared database). */
async function deliver(): Promise<number> {
  let total = 0;
  for (let n = -1; n !== 0; total += n) n = await deliverDue({ pool: pool(), allowPrivate: true, batchSize: 8 });
  return total;
}
/** Makes scheduled retries due now instead of waiting out the backoff. */
const fastForward = (deliveryId: string) =>
  pool().query(`UPDATE "Delivery" SET "nextAttemptAt" = now() WHERE "id" = $1 AND "status" = 'failed'`, [deliveryId]);

let org: Awaited<ReturnType<typeof createOrg>>;
const servers: { close: () => Promise<void> }[] = [];

beforeAll(async () => {
  org = await createOrg("dlv");
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await prisma().$disconnect();
});

async function setup(behaviour: Behaviour, target: Partial<{ maxAttempts: number; timeoutSeconds: number; authType: string; authSecret: string; backoff: string }> = {}) {
  const server = await startTarget(behaviour);
  servers.push(server);
  const source = await createSource(org.id);
  const mapping = await createMapping(org.id, source.id, { resourceType: "order", action: "created", resourceIdPath: "id", idempotencyPath: "id" });
  const signingSecret = generateSigningSecret();
  // Stored as the app stores them: sealed for this row.
  const id = randomUUID();
  const t = await prisma().target.create({
    data: {
      id,
      orgId: org.id,
      name: `t-${Math.random().toString(36).slice(2)}`,
      url: server.url,
      signingSecret: sealSecret("Target.signingSecret", { id }, signingSecret),
      initialDelaySeconds: 1,
      maxAttempts: target.maxAttempts ?? 8,
      timeoutSeconds: target.timeoutSeconds ?? 10,
      authType: target.authType ?? "none",
      authSecret: target.authSecret === undefined ? null : sealSecret("Target.authSecret", { id }, target.authSecret),
      backoff: target.backoff ?? "exponential",
    },
  });
  await prisma().route.create({ data: { orgId: org.id, mappingId: mapping.id, targetId: t.id } });
  return { server, source, target: t, signingSecret };
}

async function sendOrder(sourceId: string, id: string) {
  const res = await postInbound(org.slug, { id: sourceId }, JSON.stringify({ id, total: 42 }));
  expect(res.status).toBe(200);
  const interactionId = res.body.interactionId as string;
  const deliveries = await prisma().delivery.findMany({ where: { interactionId } });
  return { interactionId, deliveries };
}

describe("delivery", () => {
  it("creates the delivery with the interaction and delivers it signed, with the target's auth", async () => {
    const { server, source, target, signingSecret } = await setup((_, res) => res.writeHead(204).end(), { authType: "bearer", authSecret: "tok_123" });
    const { interactionId, deliveries } = await sendOrder(source.id, "ord_1");
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ status: "pending", targetId: target.id });

    expect(await deliver()).toBeGreaterThanOrEqual(1);
    expect(server.received).toHaveLength(1);
    const got = server.received[0]!;
    const headers = Object.fromEntries(Object.entries(got.headers).map(([k, v]) => [k, String(v)]));
    // Verified exactly as a receiver using the Standard Webhooks library would.
    const verified = new Webhook(signingSecret).verify(got.body, headers) as Record<string, unknown>;
    expect(verified).toMatchObject({ id: interactionId, resourceType: "order", action: "created", resourceId: "ord_1" });
    expect(headers["webhook-id"]).toBe(deliveries[0]!.id);
    expect(headers.authorization).toBe("Bearer tok_123");

    const done = await prisma().delivery.findUniqueOrThrow({ where: { id: deliveries[0]!.id } });
    expect(done.status).toBe("succeeded");
    expect(done.attempts).toEqual([expect.objectContaining({ status: 204, ms: expect.any(Number), responseBody: "" })]);
  });

  it("retries a failing target until it recovers, recording every attempt, with a stable webhook-id", async () => {
    const { server, source } = await setup((n, res) => (n < 3 ? res.writeHead(500).end("down for maintenance") : res.writeHead(200).end("ok")));
    const { deliveries } = await sendOrder(source.id, "ord_2");
    const id = deliveries[0]!.id;
    await deliver();
    let row = await prisma().delivery.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe("failed");
    expect(row.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now());
    for (let i = 0; i < 2; i++) {
      await fastForward(id);
      await deliver();
    }
    row = await prisma().delivery.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe("succeeded");
    expect((row.attempts as { status: number; responseBody: string }[]).map((a) => [a.status, a.responseBody])).toEqual([
      [500, "down for maintenance"],
      [500, "down for maintenance"],
      [200, "ok"],
    ]);
    expect(new Set(server.received.map((r) => r.headers["webhook-id"]))).toEqual(new Set([id]));
  });

  it("a timeout is a failed attempt with a clear error", async () => {
    const { source } = await setup(() => {
      /* never answers */
    }, { timeoutSeconds: 1 });
    const { deliveries } = await sendOrder(source.id, "ord_3");
    await deliver();
    const row = await prisma().delivery.findUniqueOrThrow({ where: { id: deliveries[0]!.id } });
    expect(row.status).toBe("failed");
    expect((row.attempts as { error: string }[])[0]!.error).toMatch(/Timed out after 1000 ms/);
  });

  it("410 Gone stops at once; a spent budget is dead; a dead delivery replays keeping its history", async () => {
    const gone = await setup((_, res) => res.writeHead(410).end("gone"));
    const a = await sendOrder(gone.source.id, "ord_4");
    await deliver();
    expect((await prisma().delivery.findUniqueOrThrow({ where: { id: a.deliveries[0]!.id } })).status).toBe("dead");

    let healthy = false;
    const flaky = await setup((_, res) => (healthy ? res.writeHead(200).end() : res.writeHead(503).end()), { maxAttempts: 2 });
    const b = await sendOrder(flaky.source.id, "ord_5");
    const id = b.deliveries[0]!.id;
    await deliver();
    await fastForward(id);
    await deliver();
    let row = await prisma().delivery.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe("dead");
    expect(row.attempts).toHaveLength(2);

    // Replay (what POST /api/v1/deliveries/:id/retry does): a fresh budget, history kept.
    healthy = true;
    await pool().query(`UPDATE "Delivery" SET "status"='pending', "budgetAttempts"=0, "nextAttemptAt"=now(), "leaseUntil"=NULL WHERE "id"=$1`, [id]);
    await deliver();
    row = await prisma().delivery.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe("succeeded");
    expect((row.attempts as { status: number }[]).map((x) => x.status)).toEqual([503, 503, 200]);
  });

  it("queue mode: the worker creates deliveries in the interaction's transaction too", async () => {
    const { source, server } = await setup((_, res) => res.writeHead(200).end());
    const res = await postInbound(org.slug, { id: source.id }, JSON.stringify({ id: "ord_q", total: 1 }), {}, { sync: false });
    expect(res.status).toBe(202);
    while ((await processBatch({ pool: pool(), newId: () => crypto.randomUUID() })) > 0);
    const ev = await prisma().inboundEvent.findUniqueOrThrow({ where: { id: res.body.eventId as string } });
    const deliveries = await prisma().delivery.findMany({ where: { interactionId: ev.interactionId! } });
    expect(deliveries).toHaveLength(1);
    await deliver();
    expect(server.received).toHaveLength(1);
  });

  it("records a response body with U+0000 (stored as U+FFFD) instead of failing to record the attempt", async () => {
    // A target's response is outside data too: jsonb refused the attempt, so it was never
    // recorded and the delivery was retried again and again once its lease expired.
    const { source } = await setup((_, res) => res.writeHead(200).end(Buffer.from("ok\u0000bin\u0000")));
    const { deliveries } = await sendOrder(source.id, "ord_nul");
    await deliver();
    const row = await prisma().delivery.findUniqueOrThrow({ where: { id: deliveries[0]!.id } });
    expect(row.status).toBe("succeeded");
    expect(row.attempts).toEqual([expect.objectContaining({ status: 200, responseBody: "ok\uFFFDbin\uFFFD" })]);
  });

  it("refuses a private target at connect time unless allowed", async () => {
    const { source } = await setup((_, res) => res.writeHead(200).end());
    const { deliveries } = await sendOrder(source.id, "ord_6");
    while ((await deliverDue({ pool: pool(), allowPrivate: false, batchSize: 8 })) > 0);
    const row = await prisma().delivery.findUniqueOrThrow({ where: { id: deliveries[0]!.id } });
    expect(row.status).toBe("failed");
    expect((row.attempts as { error: string }[])[0]!.error).toMatch(/must be https|private|loopback/i);
  });
});
