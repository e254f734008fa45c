// Queue mode on QStash, with the real @upstash/qstash Client and Receiver against the
// local QStash-compatible test double (tests/qstash-fake). Every message is delivered
// twice, concurrently, and in shuffled order: each event still becomes one interaction
// and each delivery reaches its target once.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeQStash } from "./qstash-fake/server";

type Fake = Awaited<ReturnType<typeof startFakeQStash>>;
let fake: Fake;
let app: http.Server;
let target: http.Server;
const targetHits: string[] = [];
let mod: {
  prisma: typeof import("@/lib/db").prisma;
  runtime: typeof import("@/lib/runtime").runtime;
  startWorker: typeof import("@/lib/runtime").startWorker;
  stopWorker: typeof import("@/lib/runtime").stopWorker;
  fixtures: typeof import("./helpers/pipeline-fixtures");
  ingest: typeof import("@/lib/http/qstash-callback").ingestCallback;
  deliver: typeof import("@/lib/http/qstash-callback").deliverCallback;
};

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function until(check: () => Promise<boolean>, what: string, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

beforeAll(async () => {
  fake = await startFakeQStash({
    token: "test-qstash-token",
    currentSigningKey: "sig_current_test_key",
    nextSigningKey: "sig_next_test_key",
    retryBaseMs: 20,
    duplicateDeliveries: "concurrent",
    shuffle: { seed: 7 },
  });
  // The app's callbacks, served over HTTP so the fake can call them as QStash would.
  app = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: Buffer.concat(chunks),
    });
    const handler = req.url === "/api/qstash/ingest" ? mod.ingest : mod.deliver;
    const response = await handler(request);
    res.writeHead(response.status, { "content-type": "application/json" }).end(await response.text());
  });
  const appUrl = await listen(app);
  target = http.createServer((req, res) => {
    targetHits.push(String(req.headers["webhook-id"]));
    req.resume().on("end", () => res.writeHead(200).end("ok"));
  });
  const targetUrl = await listen(target);
  Object.assign(process.env, fake.env, {
    // The SDK's dev-mode switch: the adapter must ignore it (public dev keys, a local dev server).
    QSTASH_DEV: "1",
    QSTASH_DEV_PORT: "9",
    PROVENANCE_PUBLIC_URL: appUrl,
    PROVENANCE_ALLOW_PRIVATE_TARGETS: "1",
    QSTASH_TARGET_URL_FOR_TEST: `${targetUrl}/hook`,
  });
  mod = {
    prisma: (await import("@/lib/db")).prisma,
    runtime: (await import("@/lib/runtime")).runtime,
    startWorker: (await import("@/lib/runtime")).startWorker,
    stopWorker: (await import("@/lib/runtime")).stopWorker,
    fixtures: await import("./helpers/pipeline-fixtures"),
    ingest: (await import("@/lib/http/qstash-callback")).ingestCallback,
    deliver: (await import("@/lib/http/qstash-callback")).deliverCallback,
  };
  expect(mod.runtime().qstash).not.toBeNull();
  mod.startWorker();
});

afterAll(async () => {
  await mod?.stopWorker();
  await fake?.stop();
  await new Promise((r) => app?.close(r));
  await new Promise((r) => target?.close(r));
  await mod?.prisma().$disconnect();
});

describe("QStash queue mode", () => {
  it("every event becomes one interaction and every delivery reaches the target once, despite duplicated, shuffled callbacks", async () => {
    const { createOrg, createSource, createMapping, postInbound } = mod.fixtures;
    const p = mod.prisma();
    const org = await createOrg("qs");
    const source = await createSource(org.id);
    const mapping = await createMapping(org.id, source.id, { resourceType: "order", action: "placed", resourceIdPath: "id" });
    const t = await p.target.create({
      data: { orgId: org.id, name: "recorder", url: process.env.QSTASH_TARGET_URL_FOR_TEST!, signingEnabled: false },
    });
    await p.route.create({ data: { orgId: org.id, mappingId: mapping.id, targetId: t.id } });

    const eventIds: string[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await postInbound(org.slug, { id: source.id }, JSON.stringify({ id: `o_${i}` }), {}, { sync: false });
      expect(res.status).toBe(202);
      eventIds.push(res.body.eventId as string);
    }
    await until(async () => (await p.inboundEvent.count({ where: { id: { in: eventIds }, status: "processed" } })) === 12, "events processed");
    await until(async () => (await p.delivery.count({ where: { orgId: org.id, status: "succeeded" } })) === 12, "deliveries succeeded");
    await fake.idle();

    // Each ingest message was delivered twice; the second copy found the event processed.
    const ingestCalls = fake.deliveries.filter((d) => d.url.endsWith("/api/qstash/ingest") && d.status === 200);
    expect(ingestCalls.length).toBeGreaterThanOrEqual(24);
    expect(await p.interaction.count({ where: { orgId: org.id } })).toBe(12);
    const deliveries = await p.delivery.findMany({ where: { orgId: org.id } });
    expect(deliveries).toHaveLength(12);
    expect(deliveries.every((d) => (d.attempts as unknown[]).length === 1)).toBe(true);
    // The target saw each delivery exactly once although every dispatch was delivered twice.
    expect(targetHits.filter((h) => deliveries.some((d) => d.id === h))).toHaveLength(12);
    expect(new Set(targetHits).size).toBe(targetHits.length);
  });

  it("answers 401 to an unsigned or wrongly signed callback and changes nothing", async () => {
    const { signUpstashJwt } = await import("./qstash-fake/server");
    const body = JSON.stringify({ eventId: "00000000-0000-4000-8000-000000000000" });
    const url = `${process.env.PROVENANCE_PUBLIC_URL}/api/qstash/ingest`;
    const unsigned = await mod.ingest(new Request(url, { method: "POST", body }));
    expect(unsigned.status).toBe(401);
    const forged = await mod.ingest(
      new Request(url, { method: "POST", body, headers: { "upstash-signature": await signUpstashJwt({ signingKey: "not-the-key", url, body }) } }),
    );
    expect(forged.status).toBe(401);
    // QSTASH_DEV=1 is set: a signature made with the SDK's public dev key is still refused.
    const devKey = await mod.ingest(
      new Request(url, { method: "POST", body, headers: { "upstash-signature": signUpstashJwt({ signingKey: "sig_7kYjw48mhY7kAjqNGcy6cr29RJ6r", url, body }) } }),
    );
    expect(devKey.status).toBe(401);
    const nextKey = await mod.ingest(
      new Request(url, { method: "POST", body, headers: { "upstash-signature": await signUpstashJwt({ signingKey: "sig_next_test_key", url, body }) } }),
    );
    expect(nextKey.status).toBe(200);
    expect(await nextKey.json()).toEqual({ ok: true, result: "unknown" });
  });

  it("an event QStash never delivers is still processed by the embedded sweeper", async () => {
    const { createOrg, createSource, createMapping } = mod.fixtures;
    const p = mod.prisma();
    const org = await createOrg("qs-sweep");
    const source = await createSource(org.id);
    await createMapping(org.id, source.id, { resourceIdPath: "id" });
    const { processBatch } = await import("@/lib/queue/embedded-worker");
    const { db } = await import("@/lib/db");
    // Stored as accepted two minutes ago, but never published (as if QStash was down).
    const id = crypto.randomUUID();
    await db().pool.query(
      `INSERT INTO "InboundEvent" ("id","orgId","sourceId","status","headers","body","stages","receivedAt","availableAt")
       VALUES ($1,$2,$3,'queued','{}',$4,'[]', now() - interval '2 minutes', now() - interval '2 minutes')`,
      [id, org.id, source.id, Buffer.from('{"id":"swept"}')],
    );
    while ((await processBatch({ pool: db().pool, newId: () => crypto.randomUUID(), minAgeSeconds: 60 })) > 0);
    expect((await p.inboundEvent.findUniqueOrThrow({ where: { id } })).status).toBe("processed");
  });
});
