// Management API: inbound mappings and the dry-run mapping tester.
import { beforeAll, describe, expect, it } from "vitest";
import * as sourcesRoute from "@/app/api/v1/inbound-sources/route";
import * as collection from "@/app/api/v1/inbound-mappings/route";
import * as item from "@/app/api/v1/inbound-mappings/[id]/route";
import * as tester from "@/app/api/v1/inbound-mappings/[id]/test/route";
import { prisma } from "@/lib/db";
import { call, createOrgWithToken, insertInteraction, list, obj, tokenFor } from "./helpers/fixtures";

const PATH = "/api/v1/inbound-mappings";

let org: { id: string };
let operator: string;
let reviewer: string;
let sourceId: string;
let otherSourceId: string;
let other: { org: { id: string }; token: string };

async function newSource(token: string, mnemonic: string): Promise<string> {
  const res = await call(sourcesRoute.POST, "POST", "/api/v1/inbound-sources", { token, body: { title: mnemonic, mnemonic } });
  expect(res.status).toBe(201);
  return String(obj(res.json).id);
}

beforeAll(async () => {
  const a = await createOrgWithToken("operator");
  org = a.org;
  operator = a.token;
  reviewer = await tokenFor(org.id, "reviewer");
  sourceId = await newSource(operator, "stripe");
  otherSourceId = await newSource(operator, "github");
  other = await createOrgWithToken("admin");
});

const base = () => ({
  sourceId,
  resourceType: "payment",
  action: "succeeded",
  resourceIdPath: "data.object.id",
});

const create = (body: unknown, token = operator) => call(collection.POST, "POST", PATH, { token, body });
const at = (id: string, suffix = "") => ({ path: `${PATH}/${id}${suffix}`, params: { id } });

describe("inbound mappings CRUD", () => {
  it("creates a mapping with its resource type and action rows, then reads, updates and deletes it", async () => {
    const res = await create({
      ...base(),
      title: "Payment succeeded",
      priority: 5,
      conditions: [{ path: "type", op: "eq", value: "payment_intent.succeeded" }],
      payloadSchema: { type: "object", required: ["data"] },
      schemaRootPath: "data.object",
      idempotencyPath: "id",
      fieldMappings: { amount: "data.object.amount" },
      metadataPaths: { userId: "data.object.customer" },
    });
    expect(res.status).toBe(201);
    const m = obj(res.json);
    expect(m).toMatchObject({
      sourceId,
      title: "Payment succeeded",
      active: true,
      priority: 5,
      resourceType: "payment",
      action: "succeeded",
      conditions: [{ path: "type", op: "eq", value: "payment_intent.succeeded" }],
      payloadSchema: { type: "object", required: ["data"] },
      schemaRootPath: "data.object",
      idempotencyPath: "id",
      resourceIdPath: "data.object.id",
      fieldMappings: { amount: "data.object.amount" },
      metadataPaths: { userId: "data.object.customer" },
    });
    const rt = await prisma().resourceType.findUniqueOrThrow({ where: { orgId_name: { orgId: org.id, name: "payment" } } });
    const action = await prisma().action.findUniqueOrThrow({ where: { orgId_name: { orgId: org.id, name: "succeeded" } } });
    expect(m.resourceTypeId).toBe(rt.id);
    expect(m.actionId).toBe(action.id);

    // Names are reused, not duplicated; defaults apply.
    const second = obj((await create(base())).json);
    expect(second).toMatchObject({
      resourceTypeId: rt.id,
      actionId: action.id,
      title: "payment.succeeded",
      priority: 0,
      conditions: [],
      payloadSchema: null,
      fieldMappings: null,
    });

    const id = String(m.id);
    const got = await call(item.GET, "GET", at(id).path, { token: reviewer, params: at(id).params });
    expect(got.json).toEqual(m);

    const patched = await call(item.PATCH, "PATCH", at(id).path, {
      token: operator,
      params: at(id).params,
      body: { action: "refunded", active: false, payloadSchema: null, fieldMappings: null, sourceId: otherSourceId },
    });
    expect(patched.status).toBe(200);
    const p = obj(patched.json);
    expect(p).toMatchObject({ action: "refunded", active: false, payloadSchema: null, fieldMappings: null, sourceId: otherSourceId, priority: 5 });
    expect(p.actionId).not.toBe(action.id);
    expect(p.resourceTypeId).toBe(rt.id);

    const del = await call(item.DELETE, "DELETE", at(id).path, { token: operator, params: at(id).params });
    expect(del.status).toBe(204);
    expect(del.text).toBe("");
    expect((await call(item.GET, "GET", at(id).path, { token: reviewer, params: at(id).params })).status).toBe(404);
  });

  it("lists in pipeline order (priority desc, then oldest first) and filters by source", async () => {
    const { org: o, token } = await createOrgWithToken("operator");
    const s1 = await newSource(token, "one");
    const s2 = await newSource(token, "two");
    const mk = async (sid: string, title: string, priority: number) =>
      obj((await create({ ...base(), sourceId: sid, title, priority }, token)).json).id;
    const low = await mk(s1, "low", 0);
    const highOld = await mk(s1, "high-old", 10);
    const highNew = await mk(s1, "high-new", 10);
    const elsewhere = await mk(s2, "elsewhere", 100);

    const all = await call(collection.GET, "GET", PATH, { token });
    expect(list(all.json).map((m) => m.id)).toEqual([elsewhere, highOld, highNew, low]);
    const filtered = await call(collection.GET, "GET", `${PATH}?sourceId=${s1}`, { token });
    expect(list(filtered.json).map((m) => m.id)).toEqual([highOld, highNew, low]);
    expect(await prisma().inboundMapping.count({ where: { orgId: o.id } })).toBe(4);

    const bad = await call(collection.GET, "GET", `${PATH}?sourceId=nope`, { token });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ error: "Validation failed", details: [{ path: "/query/sourceId", message: "must be a UUID" }] });
  });
});

describe("inbound mapping validation", () => {
  it("points at the bad op, the unsafe regex and the forbidden path", async () => {
    const res = await create({
      ...base(),
      resourceIdPath: "__proto__.id",
      conditions: [
        { path: "type", op: "eq", value: "x" },
        { path: "type", op: "like", value: "x" },
        { path: "id", op: "matches", value: "(a+)+$" },
        { path: "constructor.prototype", op: "exists" },
        { path: "amount", op: "in", value: 3 },
      ],
    });
    expect(res.status).toBe(400);
    const details = obj(res.json).details as { path: string; message: string }[];
    expect(details.map((d) => d.path)).toEqual(["/conditions/1/op", "/resourceIdPath"]);
    expect(details[0]!.message).toContain("must be one of: eq, neq, in, nin, exists, notExists");

    // With the structure right, the semantic checks run and point into each condition.
    const semantic = await create({
      ...base(),
      conditions: [
        { path: "type", op: "eq", value: "x" },
        { path: "type", op: "exists" },
        { path: "id", op: "matches", value: "(a+)+$" },
        { path: "constructor.prototype", op: "exists" },
        { path: "amount", op: "in", value: 3 },
        { path: "amount", op: "gt" },
      ],
    });
    expect(semantic.status).toBe(400);
    expect(obj(semantic.json).details).toEqual([
      { path: "/conditions/2/value", message: expect.stringContaining("backtrack catastrophically") },
      { path: "/conditions/3/path", message: 'Path segment "constructor" is not allowed' },
      { path: "/conditions/4/value", message: 'must be an array for op "in"' },
      { path: "/conditions/5/value", message: 'is required for op "gt"' },
    ]);
  });

  it("checks payloadSchema with AJV, and every path field", async () => {
    const res = await create({
      ...base(),
      payloadSchema: { type: "object", properties: { a: { type: "strng" } }, requird: ["a"] },
      schemaRootPath: "data..object",
      idempotencyPath: "items[x]",
      fieldMappings: { ok: "a.b", bad: "a.__proto__" },
      metadataPaths: { userId: "prototype", _proto__: "a" },
    });
    expect(res.status).toBe(400);
    const paths = (obj(res.json).details as { path: string }[]).map((d) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining(["/schemaRootPath", "/idempotencyPath", "/fieldMappings/bad", "/metadataPaths/userId", "/metadataPaths/_proto__"]),
    );
    expect(paths.some((p) => p.startsWith("/payloadSchema"))).toBe(true);

    // A literal "__proto__" key (as JSON.parse creates it) cannot name a field.
    const raw = JSON.stringify({ ...base(), fieldMappings: { ok: "a" } }).replace('"ok":"a"', '"__proto__":"a"');
    const proto = await call(collection.POST, "POST", PATH, { token: operator, rawBody: raw });
    expect(proto.status).toBe(400);
    expect(proto.json).toEqual({
      error: "Validation failed",
      details: [{ path: "/fieldMappings/__proto__", message: '"__proto__" is not allowed as a key' }],
    });

    const notObject = await create({ ...base(), payloadSchema: [1] });
    expect(obj(notObject.json).details).toEqual([{ path: "/payloadSchema", message: expect.any(String) }]);
  });

  it("refuses a source of another org or an unknown source as /sourceId", async () => {
    const theirSource = await newSource(other.token, "theirs");
    for (const sid of [theirSource, "00000000-0000-4000-8000-000000000000"]) {
      const res = await create({ ...base(), sourceId: sid });
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ error: "Validation failed", details: [{ path: "/sourceId", message: "Source not found" }] });
    }
    const mine = obj((await create(base())).json);
    const moved = await call(item.PATCH, "PATCH", at(String(mine.id)).path, {
      token: operator,
      params: at(String(mine.id)).params,
      body: { sourceId: theirSource },
    });
    expect(moved.json).toEqual({ error: "Validation failed", details: [{ path: "/sourceId", message: "Source not found" }] });
  });

  it("lets a reviewer read and test but not write", async () => {
    const m = obj((await create(base())).json);
    const id = String(m.id);
    for (const r of [
      await create(base(), reviewer),
      await call(item.PATCH, "PATCH", at(id).path, { token: reviewer, params: at(id).params, body: { priority: 1 } }),
      await call(item.DELETE, "DELETE", at(id).path, { token: reviewer, params: at(id).params }),
    ]) {
      expect(r.status).toBe(403);
      expect(r.json).toEqual({ error: "Forbidden" });
    }
    expect((await call(collection.GET, "GET", PATH, { token: reviewer })).status).toBe(200);
    const t = await call(tester.POST, "POST", at(id, "/test").path, { token: reviewer, params: at(id).params, body: { payload: {} } });
    expect(t.status).toBe(200);
  });

  it("treats unknown, malformed and other-org mapping ids as not found on every route", async () => {
    const theirSource = await newSource(other.token, "theirs-2");
    const theirs = obj((await create({ ...base(), sourceId: theirSource }, other.token)).json);
    for (const id of ["00000000-0000-4000-8000-000000000000", "123", String(theirs.id)]) {
      const { path, params } = at(id);
      for (const r of [
        await call(item.GET, "GET", path, { token: operator, params }),
        await call(item.PATCH, "PATCH", path, { token: operator, params, body: { priority: 9 } }),
        await call(item.DELETE, "DELETE", path, { token: operator, params }),
        await call(tester.POST, "POST", `${path}/test`, { token: operator, params, body: { payload: {} } }),
      ]) {
        expect(r.status).toBe(404);
        expect(r.json).toEqual({ error: "Not found" });
      }
    }
    expect((await prisma().inboundMapping.findUniqueOrThrow({ where: { id: String(theirs.id) } })).priority).toBe(0);
  });
});

describe("mapping dry run (POST /inbound-mappings/:id/test)", () => {
  let mappingId: string;
  const payload = {
    type: "payment_intent.succeeded",
    id: "evt_1",
    data: { object: { id: "pi_1", amount: 500, customer: "cus_9" } },
  };

  beforeAll(async () => {
    const res = await create({
      ...base(),
      conditions: [
        { path: "type", op: "startsWith", value: "payment_intent." },
        { path: "data.object.amount", op: "gte", value: 100 },
      ],
      payloadSchema: { type: "object", required: ["id", "amount"], properties: { amount: { type: "integer" } } },
      schemaRootPath: "data.object",
      idempotencyPath: "id",
      fieldMappings: { amount: "data.object.amount" },
      metadataPaths: { userId: "data.object.customer", uowId: "id" },
    });
    mappingId = String(obj(res.json).id);
  });

  const test = (body: unknown) =>
    call(tester.POST, "POST", at(mappingId, "/test").path, { token: reviewer, params: at(mappingId).params, body });

  it("shows a matched payload's conditions and the interaction it would create", async () => {
    const res = await test({ payload, headers: { "x-anything": "1" } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      matched: true,
      conditions: [
        { path: "type", op: "startsWith", value: "payment_intent.", actual: "payment_intent.succeeded", pass: true },
        { path: "data.object.amount", op: "gte", value: 100, actual: 500, pass: true },
      ],
      schemaErrors: [],
      failure: null,
      interaction: {
        resourceType: "payment",
        action: "succeeded",
        resourceId: "pi_1",
        idempotencyKey: "evt_1",
        object: { amount: 500, _userId: "cus_9", _uowId: "evt_1" },
      },
      duplicate: false,
    });
  });

  it("reports conditions that fail and still computes schema errors", async () => {
    const res = await test({ payload: { type: "charge.failed", data: { object: { id: "ch_1", amount: "5" } } } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      matched: false,
      conditions: [
        { path: "type", op: "startsWith", value: "payment_intent.", actual: "charge.failed", pass: false },
        { path: "data.object.amount", op: "gte", value: 100, actual: "5", pass: false },
      ],
      schemaErrors: [
        { path: "/data/object/amount", message: "must be integer" },
      ],
      failure: null,
      interaction: null,
      duplicate: false,
    });
  });

  it("reports schema errors of a matching payload (pointers into the payload) and builds nothing", async () => {
    const res = await test({ payload: { type: "payment_intent.created", data: { object: { amount: 150.5 } } } });
    const body = obj(res.json);
    expect(body.matched).toBe(true);
    expect(body.interaction).toBeNull();
    expect(body.failure).toMatchObject({ stage: "mappingSchema", status: 400, error: "Mapping schema validation failed" });
    expect(body.schemaErrors).toEqual(
      expect.arrayContaining([
        { path: "/data/object/id", message: "must have required property 'id'" },
        { path: "/data/object/amount", message: "must be integer" },
      ]),
    );
  });

  it("tells a build failure from a schema error, with the status a delivery would get", async () => {
    const made = await create({ sourceId, resourceType: "payment", actionPath: "kind", resourceIdPath: "data.object.id" });
    expect(made.status).toBe(201);
    const id = String(obj(made.json).id);
    const run = async (sample: unknown) =>
      obj((await call(tester.POST, "POST", at(id, "/test").path, { token: reviewer, params: at(id).params, body: { payload: sample } })).json);

    // No action name at actionPath: "Action not found" (422), not a schema error.
    const noAction = await run({ data: { object: { id: "pi_1" } } });
    expect(noAction).toMatchObject({ matched: true, schemaErrors: [], interaction: null });
    expect(noAction.failure).toEqual({
      stage: "interaction",
      status: 422,
      error: "Action not found",
      details: [{ path: "/kind", message: "actionPath resolved to no action name (a non-empty string)" }],
    });
    // An action but no resource id: "Resource id not found" (422).
    const noId = await run({ kind: "succeeded", data: { object: {} } });
    expect(noId).toMatchObject({ matched: true, schemaErrors: [], interaction: null });
    expect(noId.failure).toEqual({
      stage: "interaction",
      status: 422,
      error: "Resource id not found",
      details: [{ path: "/data/object/id", message: "resourceIdPath resolved to no value" }],
    });
    // Both: the interaction is built, and nothing fails.
    expect(await run({ kind: "succeeded", data: { object: { id: "pi_2" } } })).toMatchObject({
      failure: null,
      interaction: { action: "succeeded", resourceId: "pi_2" },
    });
    await prisma().inboundMapping.delete({ where: { id } });
  });

  it("says duplicate once an interaction with the same type, action and key exists", async () => {
    await insertInteraction(org.id, mappingId, { idempotencyKey: "evt_dup" });
    const res = await test({ payload: { ...payload, id: "evt_dup" } });
    expect(obj(res.json)).toMatchObject({ matched: true, duplicate: true, interaction: { idempotencyKey: "evt_dup" } });
    // Another key is not a duplicate.
    expect(obj((await test({ payload: { ...payload, id: "evt_new" } })).json).duplicate).toBe(false);
  });

  it("writes nothing: no event, no interaction, no resource type", async () => {
    const counts = async () => ({
      events: await prisma().inboundEvent.count(),
      interactions: await prisma().interaction.count(),
      resourceTypes: await prisma().resourceType.count(),
    });
    const before = await counts();
    for (const p of [payload, { type: "x" }, "not an object", null]) expect((await test({ payload: p })).status).toBe(200);
    expect(await counts()).toEqual(before);
  });

  it("requires a payload", async () => {
    const res = await test({ headers: {} });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: "Validation failed", details: [{ path: "/payload", message: "is required" }] });
  });
});
