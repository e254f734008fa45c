// A client's data never causes a 5xx (issue 11, item 4). PostgreSQL's text and jsonb
// cannot hold U+0000, and jsonb refuses an unpaired surrogate, yet JSON carries both.
// A provider's payload was accepted and must not be lost: it is stored with those code
// units as U+FFFD (the raw body keeps the original), in sync mode and through the
// worker's set-based batch alike. An operator's request is refused with a 400 naming
// the place.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as interactionRoute from "@/app/api/v1/interactions/[id]/route";
import * as interactionsRoute from "@/app/api/v1/interactions/route";
import * as eventRoute from "@/app/api/v1/events/[id]/route";
import * as sourcesRoute from "@/app/api/v1/inbound-sources/route";
import * as sourceRoute from "@/app/api/v1/inbound-sources/[id]/route";
import * as secretRoute from "@/app/api/v1/secrets/[name]/route";
import * as mappingTestRoute from "@/app/api/v1/inbound-mappings/[id]/test/route";
import * as versionsRoute from "@/app/api/v1/providerflow/versions/route";
import * as evidenceRoute from "@/app/api/v1/providerflow/versions/[id]/evidence/route";
import * as versionApplyRoute from "@/app/api/v1/providerflow/versions/[id]/apply/route";
import { db, prisma } from "@/lib/db";
import { evaluatePackage } from "@/providerflow/evaluate";
import { renderGolden } from "@/providerflow/golden";
import type { PackageFiles } from "@/providerflow/load-package";
import { loadTestPackage, withContractEdits, withFiles } from "@/providerflow/test-packages/packages";
import { processBatch } from "@/lib/queue/embedded-worker";
import { ALTERED_NOTE } from "@/lib/store/pipeline-store";
import { call, createOrgWithToken, createSandboxOrgWithToken, encodePackageFiles, obj } from "./helpers/fixtures";
import { createMapping, createSource, postInbound } from "./helpers/pipeline-fixtures";

const FFFD = "\uFFFD";

let org: { id: string; slug: string };
let token: string;

beforeAll(async () => {
  const made = await createOrgWithToken("admin");
  org = made.org;
  token = made.token;
});

afterAll(async () => {
  await prisma().$disconnect();
});

/** A source whose mapping keeps the whole payload, with resource id, key and action read from it. */
async function wholePayloadSource(resourceType: string) {
  const source = await createSource(org.id);
  await createMapping(org.id, source.id, { resourceType, resourceIdPath: "id", idempotencyPath: "key" });
  return source;
}

async function readInteraction(id: string) {
  const res = await call(interactionRoute.GET, "GET", `/api/v1/interactions/${id}`, { token, params: { id } });
  expect(res.status).toBe(200);
  return obj(res.json);
}

async function readEvent(id: string) {
  const res = await call(eventRoute.GET, "GET", `/api/v1/events/${id}`, { token, params: { id } });
  expect(res.status).toBe(200);
  return obj(res.json);
}

// Bodies are written as JSON text with escapes, exactly as a sender's bytes would be.
const NUL_BODY = String.raw`{"id":"res\u0000nul","key":"key\u0000nul","note":"a\u0000b","k\u0000":{"inner":["x\u0000"]}}`;
const SURROGATE_BODY = String.raw`{"id":"res\ud800lone","key":"key\udc00lone","note":"\ud800","\udbff":"\ud83d\ude00"}`;

describe("sync mode: a payload's odd strings are stored safely", () => {
  it("U+0000 in every mapped place: 200, stored as U+FFFD, visible through the API, the event notes it", async () => {
    const source = await wholePayloadSource("nulsync");
    const res = await postInbound(org.slug, { id: source.id }, NUL_BODY);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const interaction = await readInteraction(String(res.body.interactionId));
    expect(interaction).toMatchObject({ resourceId: `res${FFFD}nul`, idempotencyKey: `key${FFFD}nul` });
    expect(interaction.object).toMatchObject({ id: `res${FFFD}nul`, note: `a${FFFD}b`, [`k${FFFD}`]: { inner: [`x${FFFD}`] } });
    const event = await readEvent(String(res.body.eventId));
    expect(event.status).toBe("processed");
    expect(event.stages).toContainEqual({ stage: "interaction", outcome: "passed", detail: `${String(res.body.interactionId)}; ${ALTERED_NOTE}` });
    // The raw body is kept as received.
    const stored = await prisma().inboundEvent.findUniqueOrThrow({ where: { id: String(res.body.eventId) } });
    expect(Buffer.from(stored.body).toString("utf8")).toBe(NUL_BODY);
  });

  it("a lone surrogate in every mapped place: 200, stored as U+FFFD; a real pair stays", async () => {
    const source = await wholePayloadSource("surrsync");
    const res = await postInbound(org.slug, { id: source.id }, SURROGATE_BODY);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const interaction = await readInteraction(String(res.body.interactionId));
    expect(interaction).toMatchObject({ resourceId: `res${FFFD}lone`, idempotencyKey: `key${FFFD}lone` });
    expect(interaction.object).toMatchObject({ note: FFFD, [FFFD]: "😀" });
  });

  it("deduplicates on the stored key: the same odd key twice is a duplicate", async () => {
    const source = await wholePayloadSource("nuldedup");
    expect((await postInbound(org.slug, { id: source.id }, NUL_BODY)).status).toBe(200);
    const again = await postInbound(org.slug, { id: source.id }, NUL_BODY);
    expect(again).toMatchObject({ status: 200, body: { duplicate: true } });
    const event = await readEvent(String(again.body.eventId));
    expect(event.stages).toContainEqual({ stage: "dedup", outcome: "failed", detail: `Duplicate of an existing interaction (key key${FFFD}nul)` });
  });

  it("an action name read from the payload with U+0000 becomes an Action stored with U+FFFD", async () => {
    const source = await createSource(org.id);
    const mapping = await createMapping(org.id, source.id, { resourceType: "nulaction", resourceIdPath: "id" });
    await prisma().inboundMapping.update({ where: { id: mapping.id }, data: { actionId: null, actionPath: "type" } });
    const res = await postInbound(org.slug, { id: source.id }, String.raw`{"id":"r1","type":"paid\u0000"}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await readInteraction(String(res.body.interactionId))).toMatchObject({ action: `paid${FFFD}` });
  });

  it("a mapping-schema failure quoting a key with U+0000 is a 400 and its details are stored", async () => {
    const source = await createSource(org.id);
    await createMapping(org.id, source.id, {
      resourceType: "nulschema",
      resourceIdPath: "id",
      payloadSchema: { type: "object", additionalProperties: { type: "integer" } },
    });
    const res = await postInbound(org.slug, { id: source.id }, String.raw`{"id":1,"bad\u0000key":"not an integer"}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: "Mapping schema validation failed", details: [{ path: "/bad\u0000key", message: "must be integer" }] });
    const event = await readEvent(String(res.body.eventId));
    expect(event).toMatchObject({ status: "failed", errorDetails: [{ path: `/bad${FFFD}key`, message: "must be integer" }] });
  });

  it("an idempotency key too long for the unique index is stored as its SHA-256 and still deduplicates", async () => {
    const source = await wholePayloadSource("longkey");
    // Random enough that PostgreSQL cannot compress it under the index's 2,704-byte limit.
    const key = Array.from({ length: 400 }, (_, i) => (i * 2654435761).toString(36)).join("");
    expect(key.length).toBeGreaterThan(2704);
    const body = JSON.stringify({ id: "long", key });
    const first = await postInbound(org.slug, { id: source.id }, body);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(await readInteraction(String(first.body.interactionId))).toMatchObject({ idempotencyKey: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    expect(await postInbound(org.slug, { id: source.id }, body)).toMatchObject({ status: 200, body: { duplicate: true } });
  });
});

describe("inbound URLs", () => {
  it("an org slug with U+0000 is 404 Source not found, not a database error", async () => {
    const source = await wholePayloadSource("nulslug");
    for (const slug of ["\u0000", `${org.slug}\u0000`]) {
      expect(await postInbound(slug, { id: source.id }, "{}")).toEqual({ status: 404, body: { error: "Source not found" } });
      expect(await postInbound(slug, { mnemonic: source.mnemonic }, "{}")).toEqual({ status: 404, body: { error: "Source not found" } });
    }
  });
});

describe("queue mode: the worker's batch stays set-based", () => {
  it("events with U+0000 and lone surrogates are processed in one batch write, next to ordinary ones", async () => {
    const source = await wholePayloadSource("nulqueue");
    const bodies = [
      '{"id":"plain-1","key":"p1","note":"fine"}',
      NUL_BODY,
      '{"id":"plain-2","key":"p2","note":"fine"}',
      SURROGATE_BODY,
      String.raw`{"id":"both\u0000\ud800","key":"k\ud800\u0000","note":"x"}`,
    ];
    const ids: string[] = [];
    for (const body of bodies) {
      const res = await postInbound(org.slug, { id: source.id }, body, {}, { sync: false });
      expect(res.status).toBe(202);
      ids.push(String(res.body.eventId));
    }
    const fallbacks: unknown[] = [];
    const errors: unknown[] = [];
    while (
      (await processBatch({
        pool: db().pool,
        newId: () => crypto.randomUUID(),
        batchSize: 500,
        onBatchFallback: (err) => fallbacks.push(err),
        onError: (err) => errors.push(err),
      })) > 0
    );
    expect(fallbacks).toEqual([]);
    expect(errors).toEqual([]);
    const events = await Promise.all(ids.map(readEvent));
    expect(events.map((e) => e.status)).toEqual(["processed", "processed", "processed", "processed", "processed"]);
    const interactions = await prisma().interaction.findMany({ where: { sourceId: source.id }, orderBy: { resourceId: "asc" } });
    expect(interactions.map((i) => i.resourceId).sort()).toEqual([`both${FFFD}${FFFD}`, "plain-1", "plain-2", `res${FFFD}lone`, `res${FFFD}nul`].sort());
    expect(events[1]!.stages).toContainEqual(expect.objectContaining({ stage: "interaction", detail: expect.stringContaining(ALTERED_NOTE) }));
    expect(events[0]!.stages).toContainEqual(expect.objectContaining({ stage: "interaction", detail: expect.not.stringContaining(ALTERED_NOTE) }));
  });
});

describe("the management API refuses what it could not store, with a 400 naming the place", () => {
  it("GET /api/v1/interactions?resourceType=%C3%A9%00 is a 400 on /query/resourceType", async () => {
    const res = await call(interactionsRoute.GET, "GET", "/api/v1/interactions?resourceType=%C3%A9%00", { token });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: "Validation failed", details: [{ path: "/query/resourceType", message: "must not contain U+0000 (NUL)" }] });
    // An ordinary non-ASCII filter still works.
    expect((await call(interactionsRoute.GET, "GET", "/api/v1/interactions?resourceType=%C3%A9", { token })).status).toBe(200);
  });

  it("a source whose title holds U+0000 is a 400 on /title, and nothing is created", async () => {
    const before = await prisma().inboundSource.count({ where: { orgId: org.id } });
    const res = await call(sourcesRoute.POST, "POST", "/api/v1/inbound-sources", {
      token,
      rawBody: String.raw`{"title":"Shop\u0000","mnemonic":"nul-title"}`,
    });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: "Validation failed", details: [{ path: "/title", message: "must not contain U+0000 (NUL)" }] });
    expect(await prisma().inboundSource.count({ where: { orgId: org.id } })).toBe(before);
  });

  it("a lone surrogate in a nested setting, or U+0000 in a JSON Schema key, is a 400 naming it", async () => {
    const created = await call(sourcesRoute.POST, "POST", "/api/v1/inbound-sources", { token, body: { title: "Odd", mnemonic: "odd-settings" } });
    expect(created.status).toBe(201);
    const id = String(obj(created.json).id);
    const res = await call(sourceRoute.PATCH, "PATCH", `/api/v1/inbound-sources/${id}`, {
      token,
      params: { id },
      rawBody: String.raw`{"verification":{"preset":"hmac","secret":"s3cret-value","timestampField":"ts\ud800"},"payloadSchema":{"properties":{"a\u0000":{}}}}`,
    });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      error: "Validation failed",
      details: [
        { path: "/verification/timestampField", message: "must not contain an unpaired UTF-16 surrogate" },
        { path: "/payloadSchema/properties/a\u0000", message: "key must not contain U+0000 (NUL)" },
      ],
    });
  });

  it("the mapping tester refuses a payload with U+0000 (400), not a database error", async () => {
    const source = await wholePayloadSource("nultester");
    const mapping = await prisma().inboundMapping.findFirstOrThrow({ where: { sourceId: source.id } });
    const res = await call(mappingTestRoute.POST, "POST", `/api/v1/inbound-mappings/${mapping.id}/test`, {
      token,
      params: { id: mapping.id },
      rawBody: String.raw`{"payload":{"id":"r","key":"k\u0000"}}`,
    });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: "Validation failed", details: [{ path: "/payload/key", message: "must not contain U+0000 (NUL)" }] });
  });

  it("a path parameter with U+0000 is a 404, not a database error", async () => {
    const res = await call(secretRoute.DELETE, "DELETE", "/api/v1/secrets/%00", { token, params: { name: "\u0000" } });
    expect(res).toMatchObject({ status: 404, json: { error: "Not found" } });
  });

  it("odd bytes in Authorization or x-provenance-org are a 401 or 403, never a 500", async () => {
    // Header values are ByteStrings: bytes 0x80–0xFF arrive as Latin-1 characters.
    const latin1 = "\u00ff\u00e9\u0080";
    const bad = await call(interactionsRoute.GET, "GET", "/api/v1/interactions", { headers: { authorization: `Bearer prv_${latin1.repeat(10)}` } });
    expect(bad.status).toBe(401);
    const org403 = await call(interactionsRoute.GET, "GET", "/api/v1/interactions", { token, headers: { "x-provenance-org": latin1 } });
    expect(org403.status).toBe(403);
    const cookie = await call(interactionsRoute.GET, "GET", "/api/v1/interactions", { headers: { cookie: `provenance_session=%00${"%ff".repeat(20)}` } });
    expect(cookie.status).toBe(401);
  });
});

describe("ProviderFlow: a fixture is a provider's data, a contract is an operator's", () => {
  const SECRETS: Record<string, string> = {
    STRIPE_WEBHOOK_SECRET: "whsec_client-data-stripe-secret-0001",
    DW_TOKEN: "client-data-dw-token-0001",
    AUDIT_API_KEY: "client-data-audit-key-0001",
  };
  let sandboxToken: string;
  let valid: PackageFiles;

  beforeAll(async () => {
    sandboxToken = (await createSandboxOrgWithToken("admin")).token;
    for (const [name, value] of Object.entries(SECRETS)) {
      const res = await call(secretRoute.PUT, "PUT", `/api/v1/secrets/${name}`, { token: sandboxToken, params: { name }, body: { value } });
      expect(res.status).toBe(201);
    }
    valid = await loadTestPackage("valid-stripe");
  });

  const upload = (files: PackageFiles) =>
    call(versionsRoute.POST, "POST", "/api/v1/providerflow/versions", { token: sandboxToken, body: { files: encodePackageFiles(files) } });

  it("a fixture with U+0000 and a lone surrogate uploads sandbox-validated, its evidence stored safely, and applies", async () => {
    const fixture = String.raw`{"description":"odd strings","headers":{"content-type":"application/json"},"body":{"id":"evt_\u0000odd","type":"payment_intent.succeeded","data":{"object":{"id":"pi_odd","amount":2000,"currency":"eur","metadata":{"user_id":"u\ud800"}}}},"receivedAt":"2025-01-01T00:00:00Z"}`;
    const withFixture = withFiles(valid, { "fixtures/odd.json": fixture });
    const run = await evaluatePackage(withFixture, { secrets: (ref) => SECRETS[ref] });
    expect(run.results.odd, JSON.stringify(run.errors)).toBeDefined();
    const files = withFiles(withFixture, Object.fromEntries(Object.entries(run.results).map(([name, r]) => [`goldens/${name}.json`, renderGolden(r)])));

    const res = await upload(files);
    expect(res.status, res.text).toBe(201);
    const id = String(obj(res.json).id);
    expect(obj(res.json).status).toBe("sandbox-validated");
    const evidence = await call(evidenceRoute.GET, "GET", `/api/v1/providerflow/versions/${id}/evidence`, { token: sandboxToken, params: { id } });
    expect(evidence.status).toBe(200);
    expect(evidence.text).toContain(`evt_${FFFD}odd`);
    expect(evidence.text).not.toMatch(/\\u0000|\\ud800/i);

    const applied = await call(versionApplyRoute.POST, "POST", `/api/v1/providerflow/versions/${id}/apply`, { token: sandboxToken, params: { id }, body: {} });
    expect(applied.status, applied.text).toBe(200);
    const row = await prisma().flowPackageVersion.findUniqueOrThrow({ where: { id } });
    expect(row.revalidation).toMatchObject({ passed: true });
  });

  it("a contract or schema file with U+0000 is refused at upload (400 naming file, line and column), not a 500 at apply", async () => {
    const contract = await upload(withContractEdits(valid, [["resourceType: refund", 'resourceType: "ref\\0und"']]));
    expect(contract.status).toBe(400);
    expect(obj(contract.json).details).toEqual([
      {
        path: "/files/provider-flow.yaml/flows/1/steps/2/map/resourceType",
        message: expect.stringMatching(/^provider-flow\.yaml:\d+:\d+: flows\[1\]\.steps\[2\]\.map\.resourceType: must not contain U\+0000 \(NUL\) .*\(unstorable-text\)$/),
      },
    ]);
    const schema = await upload(withFiles(valid, { "schemas/payment-intent.json": String.raw`{"type":"object","properties":{"amount":{"const":"\u0000"}}}` }));
    expect(schema.status).toBe(400);
    expect(obj(schema.json).details).toEqual([
      { path: "/files/schemas~1payment-intent.json/properties/amount/const", message: expect.stringContaining("must not contain U+0000 (NUL)") },
    ]);
  });
});
