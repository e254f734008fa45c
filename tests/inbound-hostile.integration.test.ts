// Hostile inbound input (issue 11): URLs that cannot name a source, sources whose
// verification cannot be checked, and client data PostgreSQL cannot store as sent.
// Through the real route handlers and a real PostgreSQL.
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as listInteractions } from "@/app/api/v1/interactions/route";
import { POST as createSourceRoute } from "@/app/api/v1/inbound-sources/route";
import { db, prisma } from "@/lib/db";
import { generateSigningSecret } from "@/lib/delivery/sign-outbound";
import { deliverDue } from "@/lib/queue/delivery-worker";
import { processBatch } from "@/lib/queue/embedded-worker";
import { sealSecret } from "@/lib/store/secret-values";
import { sourceCacheStats } from "@/lib/store/source-lookup";
import { call, tokenFor } from "./helpers/fixtures";
import { createMapping, createOrg, createSource, postInbound } from "./helpers/pipeline-fixtures";

const stripe = new Stripe("sk_test_dummy");
const SECRET = "whsec_hostile_inbound_secret_0123";

let org: Awaited<ReturnType<typeof createOrg>>;

beforeAll(async () => {
  org = await createOrg("hostile");
});

afterAll(async () => {
  await prisma().$disconnect();
});

describe("URLs that cannot name a source", () => {
  it("are 404 without reaching the source cache, however long or odd", async () => {
    const before = sourceCacheStats();
    const long = (i: number) => `${"a".repeat(15_000)}\u0416${i}`;
    const cases: [string, { id: string } | { mnemonic: string }][] = [
      [long(1), { id: "00000000-0000-4000-8000-000000000000" }],
      [long(2), { mnemonic: "stripe" }],
      ["UPPER", { mnemonic: "stripe" }],
      ["-leading-dash", { mnemonic: "stripe" }],
      [org.slug, { mnemonic: "m".repeat(65) }],
      [org.slug, { mnemonic: "dots.are.not.allowed" }],
      [org.slug, { mnemonic: `x${"\u0000"}` }],
      [org.slug, { id: `00000000-0000-4000-8000-00000000000${"\u00e9"}` }],
    ];
    for (const [slug, key] of cases) {
      expect(await postInbound(slug, key, "{}")).toEqual({ status: 404, body: { error: "Source not found" } });
    }
    expect(sourceCacheStats()).toEqual(before);
  });

  it("well-formed unknown keys are cached apart from found sources, within their bounds", async () => {
    const source = await createSource(org.id, { mnemonic: "known" });
    await createMapping(org.id, source.id, { resourceIdPath: "id" });
    expect((await postInbound(org.slug, { mnemonic: "known" }, JSON.stringify({ id: "k1" }))).status).toBe(200);
    const found = sourceCacheStats().entries;
    for (let i = 0; i < 50; i++) {
      expect((await postInbound(org.slug, { mnemonic: `unknown-${i}` }, "{}")).status).toBe(404);
    }
    const after = sourceCacheStats();
    expect(after.entries).toBe(found);
    expect(after.negativeEntries).toBeGreaterThanOrEqual(50);
    expect(after.bytes + after.negativeBytes).toBeLessThan(40 * 1024 * 1024);
  });
});

describe("verification that cannot be checked fails closed", () => {
  it("settings without a stored secret refuse every request, signed or not, and say why", async () => {
    const source = await createSource(org.id, { mnemonic: "nosecret", verification: { preset: "stripe" }, secret: null });
    await createMapping(org.id, source.id, { resourceIdPath: "id" });
    const body = JSON.stringify({ id: "evt_closed_1" });
    const unsigned = await postInbound(org.slug, { mnemonic: "nosecret" }, body);
    expect(unsigned).toMatchObject({ status: 401, body: { error: "Signature verification failed" } });
    const signedAnyhow = await postInbound(org.slug, { mnemonic: "nosecret" }, body, {
      "stripe-signature": stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRET }),
    });
    expect(signedAnyhow.status).toBe(401);
    const ev = await prisma().inboundEvent.findUniqueOrThrow({ where: { id: unsigned.body.eventId as string } });
    expect(ev.status).toBe("failed");
    expect(ev.stages).toContainEqual({ stage: "signature", outcome: "failed", detail: "Signature verification failed: no signing secret is stored for this source" });
    expect(await prisma().interaction.count({ where: { sourceId: source.id } })).toBe(0);
  });
});

describe("client data PostgreSQL cannot store as sent", () => {
  const nul = "a\u0000b";
  const lone = "x\ud800y";
  const mappedBody = (id: string) =>
    // Written as JSON escapes, as a sender would: valid JSON, valid JavaScript strings.
    `{"id":"${id}\\u0000","key":"k-${id}\\ud800","name":"a\\u0000b","tag":"x\\ud800y","\\u0000odd key":1}`;

  async function mappedSource(mnemonic: string) {
    const source = await createSource(org.id, { mnemonic });
    await createMapping(org.id, source.id, {
      resourceType: "contact",
      action: "saved",
      resourceIdPath: "id",
      idempotencyPath: "key",
      fieldMappings: { name: "name", tag: "tag" },
    });
    return source;
  }

  it("sync mode stores NUL and lone surrogates as U+FFFD instead of answering 500", async () => {
    await mappedSource("nulsync");
    const res = await postInbound(org.slug, { mnemonic: "nulsync" }, mappedBody("c1"));
    expect(res.status).toBe(200);
    const interaction = await prisma().interaction.findUniqueOrThrow({ where: { id: res.body.interactionId as string } });
    expect(interaction.resourceId).toBe("c1\ufffd");
    expect(interaction.idempotencyKey).toBe("k-c1\ufffd");
    expect(interaction.object).toMatchObject({ name: "a\ufffdb", tag: "x\ufffdy" });
    // The same event again is its duplicate: the key compares as stored.
    expect((await postInbound(org.slug, { mnemonic: "nulsync" }, mappedBody("c1"))).body).toMatchObject({ duplicate: true });
    // The raw body keeps the original bytes.
    const ev = await prisma().inboundEvent.findUniqueOrThrow({ where: { id: res.body.eventId as string } });
    expect(JSON.parse(Buffer.from(ev.body).toString("utf8"))).toMatchObject({ name: nul, tag: lone });
  });

  it("queue mode: a batch holding such events is written set-based, every event processed at once", async () => {
    await mappedSource("nulqueue");
    const ids: string[] = [];
    for (const id of ["q1", "q2", "q3"]) {
      const r = await postInbound(org.slug, { mnemonic: "nulqueue" }, id === "q2" ? JSON.stringify({ id, key: id, name: "plain", tag: "plain" }) : mappedBody(id), {}, { sync: false });
      expect(r.status).toBe(202);
      ids.push(r.body.eventId as string);
    }
    const errors: unknown[] = [];
    while ((await processBatch({ pool: db().pool, newId: () => crypto.randomUUID(), onError: (e) => errors.push(e) })) > 0);
    expect(errors).toEqual([]);
    const events = await prisma().inboundEvent.findMany({ where: { id: { in: ids } } });
    expect(events.map((e) => [e.status, e.attempts])).toEqual(ids.map(() => ["processed", 1]));
  });

  it("a mapping-schema failure quoting such a key stores its details", async () => {
    const source = await createSource(org.id, { mnemonic: "nuldetails" });
    await createMapping(org.id, source.id, { resourceIdPath: "id", payloadSchema: { type: "object", additionalProperties: false, properties: { id: {} } } });
    const res = await postInbound(org.slug, { mnemonic: "nuldetails" }, `{"id":"d1","bad\\u0000key":1}`);
    expect(res.status).toBe(400);
    const ev = await prisma().inboundEvent.findUniqueOrThrow({ where: { id: res.body.eventId as string } });
    expect(ev.status).toBe("failed");
    expect(JSON.stringify(ev.errorDetails)).toContain("bad\ufffdkey");
  });

  it("a target answering with NUL bytes gets its attempt recorded", async () => {
    const server = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(500, { "content-type": "text/plain" }).end(Buffer.from([0x6f, 0x6f, 0x70, 0x73, 0x00, 0x00, 0x20, 0xff])));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const source = await createSource(org.id, { mnemonic: "nultarget" });
      const mapping = await createMapping(org.id, source.id, { resourceIdPath: "id" });
      // The signing secret stored as the app stores it: sealed for its row.
      const id = randomUUID();
      const signingSecret = sealSecret("Target.signingSecret", { id }, generateSigningSecret());
      const target = await prisma().target.create({
        data: { id, orgId: org.id, name: "nul target", url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, signingSecret, maxAttempts: 3 },
      });
      await prisma().route.create({ data: { orgId: org.id, mappingId: mapping.id, targetId: target.id } });
      const res = await postInbound(org.slug, { mnemonic: "nultarget" }, JSON.stringify({ id: "t1" }));
      expect(res.status).toBe(200);
      while ((await deliverDue({ pool: db().pool, allowPrivate: true, batchSize: 8 })) > 0);
      const delivery = await prisma().delivery.findFirstOrThrow({ where: { targetId: target.id } });
      expect(delivery.status).toBe("failed");
      expect(delivery.budgetAttempts).toBe(1);
      expect((delivery.attempts as { responseBody: string }[])[0]!.responseBody).toBe("oops\ufffd\ufffd \ufffd");
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it("the management API refuses them with 400 naming the place, in bodies and in query filters", async () => {
    const token = await tokenFor(org.id, "admin");
    const list = await call(listInteractions, "GET", "/api/v1/interactions?resourceType=%C3%A9%00", { token });
    expect(list.status).toBe(400);
    expect(list.json).toMatchObject({ error: "Validation failed", details: [{ path: "/query/resourceType" }] });
    for (const [title, path] of [[nul, "/title"], [lone, "/title"]] as const) {
      const res = await call(createSourceRoute, "POST", "/api/v1/inbound-sources", { token, body: { title, mnemonic: "refused" } });
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ error: "Validation failed", details: [{ path, message: "must not contain U+0000 (NUL) or unpaired surrogate characters" }] });
    }
    const key = await call(createSourceRoute, "POST", "/api/v1/inbound-sources", { token, body: { title: "t", mnemonic: "refused", payloadSchema: { ["a\u0000"]: 1 } } });
    expect(key.status).toBe(400);
    expect(key.json).toMatchObject({ details: [{ path: "/payloadSchema/a\ufffd" }] });
  });
});
