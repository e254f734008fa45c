// The inbound contract, row by row (spec inbound-api.md §1), through the real route
// handlers, real signatures from the providers' own libraries, and a real PostgreSQL.
import { createHmac } from "node:crypto";
import Stripe from "stripe";
import { Webhook } from "standardwebhooks";
import { sign as githubSign } from "@octokit/webhooks-methods";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, prisma } from "@/lib/db";
import { handleInbound } from "@/lib/inbound/handle-inbound";
import { processBatch } from "@/lib/queue/embedded-worker";
import { runtime } from "@/lib/runtime";
import { invalidateSourceCache } from "@/lib/store/source-lookup";
import { createMapping, createOrg, createSource, postInbound } from "./helpers/pipeline-fixtures";

const stripe = new Stripe("sk_test_dummy");
const STRIPE_SECRET = "whsec_test_stripe_secret_value_1234";
const nowS = () => Math.floor(Date.now() / 1000);

function stripeHeader(payload: string, timestamp = nowS(), secret = STRIPE_SECRET) {
  return { "stripe-signature": stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp }) };
}

function paymentEvent(id = `evt_${Math.random().toString(36).slice(2)}`, type = "payment_intent.succeeded") {
  return JSON.stringify({
    id,
    type,
    created: nowS(),
    data: { object: { id: `pi_${id}`, amount: 2000, currency: "usd", metadata: { user_id: "u_42" } } },
  });
}

let org: Awaited<ReturnType<typeof createOrg>>;
let stripeSource: Awaited<ReturnType<typeof createSource>>;

beforeAll(async () => {
  org = await createOrg("inb");
  stripeSource = await createSource(org.id, {
    mnemonic: "stripe",
    verification: { preset: "stripe" },
    secret: STRIPE_SECRET,
    payloadSchema: { type: "object", required: ["id", "type"], properties: { id: { type: "string", pattern: "^evt_" } } },
  });
  await createMapping(org.id, stripeSource.id, {
    title: "Payment succeeded",
    conditions: [{ path: "type", op: "eq", value: "payment_intent.succeeded" }],
    payloadSchema: { type: "object", required: ["amount"], properties: { amount: { type: "integer", minimum: 1 } } },
    schemaRootPath: "data.object",
    idempotencyPath: "id",
    resourceIdPath: "data.object.id",
    fieldMappings: { amount: "data.object.amount", currency: "data.object.currency" },
    metadataPaths: { userId: "data.object.metadata.user_id" },
  });
});

afterAll(async () => {
  await prisma().$disconnect();
});

describe("response table", () => {
  it("200 with an interaction id for a valid signed event (sync)", async () => {
    const body = paymentEvent();
    const res = await postInbound(org.slug, { mnemonic: "stripe" }, body, stripeHeader(body));
    expect(res.status).toBe(200);
    expect(res.body.interactionId).toMatch(/^[0-9a-f-]{36}$/);
    const interaction = await prisma().interaction.findUniqueOrThrow({ where: { id: res.body.interactionId as string } });
    expect(interaction).toMatchObject({ resourceType: "payment", action: "succeeded", originId: stripeSource.originId, sourceId: stripeSource.id });
    expect(interaction.resourceId).toBe(`pi_${JSON.parse(body).id}`);
    expect(interaction.idempotencyKey).toBe(JSON.parse(body).id);
    const object = interaction.object as Record<string, unknown>;
    expect(object).toMatchObject({ amount: 2000, currency: "usd", _userId: "u_42" });
    expect(typeof object._uowId).toBe("string");
  });

  it("the same source answers by UUID", async () => {
    const body = paymentEvent();
    const res = await postInbound(org.slug, { id: stripeSource.id }, body, stripeHeader(body));
    expect(res.status).toBe(200);
    expect(res.body.interactionId).toBeTruthy();
  });

  it("404 for an unknown source, a malformed id, another org's slug and an inactive source", async () => {
    const body = paymentEvent();
    const other = await createOrg("other");
    const inactive = await createSource(org.id, { active: false });
    for (const [slug, key] of [
      [org.slug, { mnemonic: "nope" }],
      [org.slug, { id: "00000000-0000-4000-8000-000000000000" }],
      [org.slug, { id: "not-a-uuid" }],
      [other.slug, { mnemonic: "stripe" }],
      [other.slug, { id: stripeSource.id }],
      [org.slug, { id: inactive.id }],
    ] as const) {
      const res = await postInbound(slug, key, body, stripeHeader(body));
      expect(res).toEqual({ status: 404, body: { error: "Source not found" } });
    }
  });

  it("401 for a wrong, missing or empty signature, and the event is recorded as failed", async () => {
    const body = paymentEvent();
    const wrong = await postInbound(org.slug, { mnemonic: "stripe" }, body, stripeHeader(body, nowS(), "whsec_wrong"));
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe("Signature verification failed");
    expect(await postInbound(org.slug, { mnemonic: "stripe" }, body, {})).toMatchObject({ status: 401, body: { error: "Signature verification failed" } });
    expect(await postInbound(org.slug, { mnemonic: "stripe" }, body, { "stripe-signature": "" })).toMatchObject({ status: 401 });
    const ev = await prisma().inboundEvent.findUniqueOrThrow({ where: { id: wrong.body.eventId as string } });
    expect(ev.status).toBe("failed");
    expect(ev.error).toBe("Signature verification failed");
    expect(ev.stages).toContainEqual(expect.objectContaining({ stage: "signature", outcome: "failed" }));
    // Signature values are never stored.
    expect(JSON.stringify(ev.headers)).not.toContain("v1=");
  });

  it("401 Event too old for a stale Stripe timestamp, and a bad signature wins over a bad time", async () => {
    const body = paymentEvent();
    const old = nowS() - 3600;
    expect(await postInbound(org.slug, { mnemonic: "stripe" }, body, stripeHeader(body, old))).toMatchObject({ status: 401, body: { error: "Event too old" } });
    expect(await postInbound(org.slug, { mnemonic: "stripe" }, body, stripeHeader(body, nowS() + 3600))).toMatchObject({ status: 401, body: { error: "Event too old" } });
    expect(await postInbound(org.slug, { mnemonic: "stripe" }, body, stripeHeader(body, old, "whsec_other"))).toMatchObject({
      status: 401,
      body: { error: "Signature verification failed" },
    });
  });

  it("400 with details when the source schema fails", async () => {
    const body = JSON.stringify({ id: "nope_1", type: "payment_intent.succeeded" });
    const res = await postInbound(org.slug, { mnemonic: "stripe" }, body, stripeHeader(body));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("Source schema validation failed");
    expect(res.body.details).toContainEqual({ path: "/id", message: 'must match pattern "^evt_"' });
  });

  it("400 Invalid JSON body after the signature passes", async () => {
    const body = "{not json";
    const res = await postInbound(org.slug, { mnemonic: "stripe" }, body, stripeHeader(body));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("Invalid JSON body");
  });

  it("200 No matching mapping found", async () => {
    const body = paymentEvent(undefined, "customer.created");
    const res = await postInbound(org.slug, { mnemonic: "stripe" }, body, stripeHeader(body));
    expect(res.status).toBe(200);
    expect(res.body.message).toBe("No matching mapping found");
    const ev = await prisma().inboundEvent.findUniqueOrThrow({ where: { id: res.body.eventId as string } });
    expect(ev.status).toBe("unmatched");
  });

  it("400 with details when the mapping schema fails at its root path", async () => {
    const body = JSON.stringify({ id: "evt_zero", type: "payment_intent.succeeded", data: { object: { id: "pi_0", amount: 0 } } });
    const res = await postInbound(org.slug, { mnemonic: "stripe" }, body, stripeHeader(body));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("Mapping schema validation failed");
    expect(res.body.details).toContainEqual({ path: "/data/object/amount", message: "must be >= 1" });
  });

  it("200 duplicate for the same idempotency value, also through another source of the org", async () => {
    const body = paymentEvent("evt_dup_1");
    const first = await postInbound(org.slug, { mnemonic: "stripe" }, body, stripeHeader(body));
    expect(first.status).toBe(200);
    const second = await postInbound(org.slug, { mnemonic: "stripe" }, body, stripeHeader(body));
    expect(second).toMatchObject({ status: 200, body: { duplicate: true } });
    const plain = await createSource(org.id);
    await createMapping(org.id, plain.id, { idempotencyPath: "id" });
    const third = await postInbound(org.slug, { id: plain.id }, body);
    expect(third.body.duplicate).toBe(true);
    const ev = await prisma().inboundEvent.findUniqueOrThrow({ where: { id: second.body.eventId as string } });
    expect(ev.status).toBe("duplicate");
  });

  it("413 Payload too large past 1 MiB, with or without Content-Length, keeping at most 64 KiB", async () => {
    const big = JSON.stringify({ id: "evt_big", pad: "x".repeat(2 * 1024 * 1024) });
    const res = await postInbound(org.slug, { mnemonic: "stripe" }, big, stripeHeader(big));
    expect(res.status).toBe(413);
    expect(res.body.error).toBe("Payload too large");
    // A stream with no declared length is cut off while reading.
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 40; i++) c.enqueue(new Uint8Array(64 * 1024).fill(32));
        c.close();
      },
    });
    const deps = runtime().deps;
    const { readBodyCapped } = await import("@/lib/http/read-body");
    const req = new Request("http://localhost/x", { method: "POST", body: stream, duplex: "half" } as RequestInit);
    const out = await handleInbound(
      { slug: org.slug, key: { mnemonic: "stripe" }, sync: true, headers: {}, readBody: (l) => readBodyCapped(req, l) },
      deps,
    );
    expect(out.status).toBe(413);
    const ev = await prisma().inboundEvent.findUniqueOrThrow({ where: { id: out.body.eventId as string } });
    expect(ev.status).toBe("failed");
    expect(ev.bodyTruncated).toBe(true);
    expect(ev.body.length).toBeLessThanOrEqual(64 * 1024);
  });

  it("202 queued in queue mode; the worker then creates the interaction", async () => {
    const body = paymentEvent();
    const res = await postInbound(org.slug, { mnemonic: "stripe" }, body, stripeHeader(body), { sync: false });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ queued: true, eventId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const queued = await prisma().inboundEvent.findUniqueOrThrow({ where: { id: res.body.eventId as string } });
    expect(queued.status).toBe("queued");
    while ((await processBatch({ pool: db().pool, newId: () => crypto.randomUUID() })) > 0);
    const done = await prisma().inboundEvent.findUniqueOrThrow({ where: { id: res.body.eventId as string } });
    expect(done.status).toBe("processed");
    expect(done.interactionId).toBeTruthy();
    const stages = (done.stages as { stage: string }[]).map((s) => s.stage);
    expect(stages).toEqual(["source", "signature", "sourceSchema", "mappingSelection", "mappingSchema", "dedup", "interaction"]);
  });

  it("?sync=true is treated as absent where sync is not allowed (production)", async () => {
    const body = paymentEvent();
    const out = await handleInbound(
      { slug: org.slug, key: { mnemonic: "stripe" }, sync: true, headers: stripeHeader(body), readBody: async () => ({ ok: true, bytes: new TextEncoder().encode(body) }) },
      { ...runtime().deps, syncAllowed: false },
    );
    expect(out.status).toBe(202);
    expect(out.body.queued).toBe(true);
  });
});

describe("presets end to end", () => {
  it("GitHub, Shopify, Slack (with its handshake) and Standard Webhooks", async () => {
    const gh = await createSource(org.id, { verification: { preset: "github" }, secret: "gh-secret-value" });
    await createMapping(org.id, gh.id, { resourceType: "repository", action: "pushed", resourceIdPath: "repository.full_name" });
    const ghBody = JSON.stringify({ ref: "refs/heads/main", repository: { full_name: "acme/app" } });
    const ghSig = await githubSign("gh-secret-value", ghBody);
    expect((await postInbound(org.slug, { id: gh.id }, ghBody, { "x-hub-signature-256": ghSig })).status).toBe(200);

    const shop = await createSource(org.id, { verification: { preset: "shopify" }, secret: "shopify-secret" });
    await createMapping(org.id, shop.id, { resourceType: "order", action: "created", resourceIdPath: "id" });
    const shopBody = '{"id": 820982911946154500, "email":"jon@example.com"}';
    const shopSig = createHmac("sha256", "shopify-secret").update(shopBody).digest("base64");
    expect((await postInbound(org.slug, { id: shop.id }, shopBody, { "x-shopify-hmac-sha256": shopSig })).status).toBe(200);

    const slack = await createSource(org.id, { verification: { preset: "slack" }, secret: "slack-signing-secret" });
    const ts = String(nowS());
    const handshake = JSON.stringify({ token: "x", challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", type: "url_verification" });
    const slackSig = `v0=${createHmac("sha256", "slack-signing-secret").update(`v0:${ts}:${handshake}`).digest("hex")}`;
    const hs = await postInbound(org.slug, { id: slack.id }, handshake, { "x-slack-signature": slackSig, "x-slack-request-timestamp": ts });
    expect(hs).toEqual({ status: 200, body: { challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" } });
    expect(await prisma().interaction.count({ where: { sourceId: slack.id } })).toBe(0);
    const unsigned = await postInbound(org.slug, { id: slack.id }, handshake, { "x-slack-request-timestamp": ts });
    expect(unsigned.status).toBe(401);

    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const sw = await createSource(org.id, { verification: { preset: "standard-webhooks" }, secret });
    await createMapping(org.id, sw.id, { resourceType: "invoice", action: "paid", resourceIdPath: "data.id" });
    const swBody = JSON.stringify({ type: "invoice.paid", data: { id: "inv_1" } });
    const msgId = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
    const sig = new Webhook(secret).sign(msgId, new Date(), swBody);
    const swRes = await postInbound(org.slug, { id: sw.id }, swBody, {
      "webhook-id": msgId,
      "webhook-timestamp": String(nowS()),
      "webhook-signature": `v1,invalidsig ${sig}`,
    });
    expect(swRes.status).toBe(200);
    expect(swRes.body.interactionId).toBeTruthy();
  });
});

describe("under load and attack", () => {
  it("50 identical idempotent events in parallel give exactly one interaction", async () => {
    const body = paymentEvent("evt_parallel_50");
    const results = await Promise.all(Array.from({ length: 50 }, () => postInbound(org.slug, { mnemonic: "stripe" }, body, stripeHeader(body))));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.filter((r) => r.body.interactionId).length).toBe(1);
    expect(results.filter((r) => r.body.duplicate === true).length).toBe(49);
    expect(await prisma().interaction.count({ where: { orgId: org.id, idempotencyKey: "evt_parallel_50" } })).toBe(1);
  });

  it("a catastrophic regex stored in a mapping never stalls a request", async () => {
    const src = await createSource(org.id);
    // Written straight to the database: the API would refuse this pattern.
    await createMapping(org.id, src.id, { conditions: [{ path: "name", op: "matches", value: "^(a+)+$" }], resourceIdPath: "name" });
    const body = JSON.stringify({ name: `${"a".repeat(30_000)}!` });
    const res = await postInbound(org.slug, { id: src.id }, body);
    expect(res.body.message).toBe("No matching mapping found");
  });

  it("a source update invalidates the cache at once", async () => {
    const src = await createSource(org.id);
    await createMapping(org.id, src.id, { resourceIdPath: "id" });
    expect((await postInbound(org.slug, { id: src.id }, '{"id":"a1"}')).status).toBe(200);
    await prisma().inboundSource.update({ where: { id: src.id }, data: { active: false } });
    invalidateSourceCache(src.id);
    expect((await postInbound(org.slug, { id: src.id }, '{"id":"a2"}')).status).toBe(404);
  });

  it("events accepted while no worker runs are all processed later, each once", async () => {
    const src = await createSource(org.id);
    await createMapping(org.id, src.id, { resourceType: "batch", action: "item", resourceIdPath: "id", idempotencyPath: "id" });
    const ids: string[] = [];
    for (let i = 0; i < 120; i++) {
      const res = await postInbound(org.slug, { id: src.id }, JSON.stringify({ id: `b_${i}` }), {}, { sync: false });
      expect(res.status).toBe(202);
      ids.push(res.body.eventId as string);
    }
    // Two workers racing over the same backlog (as two app processes would).
    const drain = async () => {
      while ((await processBatch({ pool: db().pool, newId: () => crypto.randomUUID(), batchSize: 7 })) > 0);
    };
    await Promise.all([drain(), drain()]);
    const events = await prisma().inboundEvent.findMany({ where: { id: { in: ids } } });
    expect(events.every((e) => e.status === "processed")).toBe(true);
    expect(await prisma().interaction.count({ where: { sourceId: src.id } })).toBe(120);
  });

  it("a batch holding the same key twice makes one interaction: the earlier event wins, the later is its duplicate", async () => {
    const src = await createSource(org.id);
    await createMapping(org.id, src.id, { resourceType: "batchdup", action: "item", resourceIdPath: "id", idempotencyPath: "key" });
    const ids: string[] = [];
    for (const [i, key] of ["k1", "k2", "k1", "k3", "k2", "k1"].entries()) {
      const res = await postInbound(org.slug, { id: src.id }, JSON.stringify({ id: `d_${i}`, key }), {}, { sync: false });
      ids.push(res.body.eventId as string);
    }
    while ((await processBatch({ pool: db().pool, newId: () => crypto.randomUUID(), batchSize: 500 })) > 0);
    const events = await prisma().inboundEvent.findMany({ where: { id: { in: ids } } });
    const status = ids.map((id) => events.find((e) => e.id === id)!.status);
    expect(status).toEqual(["processed", "processed", "duplicate", "processed", "duplicate", "duplicate"]);
    const interactions = await prisma().interaction.findMany({ where: { sourceId: src.id }, orderBy: { idempotencyKey: "asc" } });
    expect(interactions.map((i) => [i.idempotencyKey, i.resourceId])).toEqual([["k1", "d_0"], ["k2", "d_1"], ["k3", "d_3"]]);
    const dup = events.find((e) => e.id === ids[2])!;
    expect((dup.stages as { stage: string; outcome: string; detail?: string }[]).at(-1)).toEqual({
      stage: "dedup",
      outcome: "failed",
      detail: "Duplicate of an existing interaction (key k1)",
    });
  });

  it("one event the database refuses does not hold back the rest of its batch", async () => {
    const src = await createSource(org.id);
    await createMapping(org.id, src.id, { resourceType: "batchbad", action: "item", resourceIdPath: "id", fieldMappings: { note: "note" } });
    // A trigger stands in for whatever makes the database refuse one row (a constraint
    // added later, a bug): the batch statement fails as a whole and must be split.
    await db().pool.query(`
      CREATE OR REPLACE FUNCTION test_refuse_one_interaction() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW."resourceType" = 'batchbad' AND NEW."object"->>'note' = 'refuse me' THEN RAISE EXCEPTION 'refused by test trigger'; END IF;
        RETURN NEW;
      END $$;
      DROP TRIGGER IF EXISTS test_refuse_one_interaction ON "Interaction";
      CREATE TRIGGER test_refuse_one_interaction BEFORE INSERT ON "Interaction" FOR EACH ROW EXECUTE FUNCTION test_refuse_one_interaction();`);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const note = i === 2 ? "refuse me" : "fine";
      const res = await postInbound(org.slug, { id: src.id }, `{"id":"x_${i}","note":"${note}"}`, {}, { sync: false });
      expect(res.status).toBe(202);
      ids.push(res.body.eventId as string);
    }
    const errors: (string | undefined)[] = [];
    try {
      await processBatch({ pool: db().pool, newId: () => crypto.randomUUID(), batchSize: 500, onError: (_e, id) => errors.push(id) });
    } finally {
      await db().pool.query(`DROP TRIGGER IF EXISTS test_refuse_one_interaction ON "Interaction"`);
    }
    const events = await prisma().inboundEvent.findMany({ where: { id: { in: ids } } });
    const byId = new Map(events.map((e) => [e.id, e]));
    expect(ids.map((id) => byId.get(id)!.status)).toEqual(["processed", "processed", "queued", "processed", "processed"]);
    expect(errors).toEqual([ids[2]]);
    const bad = byId.get(ids[2]!)!;
    expect(bad.attempts).toBe(1);
    expect(bad.availableAt.getTime()).toBeGreaterThan(Date.now());
    expect(await prisma().interaction.count({ where: { sourceId: src.id } })).toBe(4);
  });
});
