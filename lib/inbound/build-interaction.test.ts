import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildInteraction, extractSchemaRoot, schemaRootPointer } from "./build-interaction";
import { MAX_JSON_DEPTH } from "./json-value";
import type { MappingSpec } from "./types";

const payload = {
  id: "evt_1",
  type: "payment_intent.succeeded",
  created: 1_700_000_000,
  data: {
    object: {
      id: "pi_123",
      amount: 2000,
      paid: true,
      customer: { id: "cus_9", email: "a@example.com" },
      lines: [{ sku: "A1", qty: 2 }],
      note: null,
    },
  },
  session: "sess_42",
  user: 77,
};

const base: MappingSpec = {
  resourceType: "payment",
  action: "succeeded",
  conditions: [],
  resourceIdPath: "data.object.id",
};

function ids(): () => string {
  let n = 0;
  return () => `id-${++n}`;
}

describe("buildInteraction: resourceId", () => {
  it("takes a string as is and stringifies numbers and booleans", () => {
    expect(buildInteraction(base, payload, ids())).toMatchObject({ ok: true, resourceId: "pi_123" });
    expect(buildInteraction({ ...base, resourceIdPath: "data.object.amount" }, payload, ids())).toMatchObject({
      resourceId: "2000",
    });
    expect(buildInteraction({ ...base, resourceIdPath: "data.object.paid" }, payload, ids())).toMatchObject({
      resourceId: "true",
    });
    expect(buildInteraction({ ...base, resourceIdPath: "data.object.lines[0].sku" }, payload, ids())).toMatchObject({
      resourceId: "A1",
    });
  });

  it.each(["data.object.missing", "data.object.note", "data.object.customer", "data.object.lines", "not..valid"])(
    "fails when %s gives no usable value",
    (resourceIdPath) => {
      const r = buildInteraction({ ...base, resourceIdPath }, payload, ids());
      expect(r.ok).toBe(false);
      if (!r.ok)
        expect(r.details).toContainEqual({
          path: expect.stringMatching(/^\//) as unknown as string,
          message: "resourceIdPath resolved to no value",
        });
    },
  );

  it("points the detail at the path as a JSON Pointer", () => {
    const r = buildInteraction({ ...base, resourceIdPath: "data.items[3].id" }, payload, ids());
    expect(r).toEqual({ ok: false, kind: "resourceIdNotFound", details: [{ path: "/data/items/3/id", message: "resourceIdPath resolved to no value" }] });
    expect(buildInteraction(base, { data: { object: { id: "" } } }, ids()).ok).toBe(false);
  });
});

describe("buildInteraction: idempotencyKey", () => {
  it("is null without idempotencyPath or when the path finds nothing", () => {
    expect(buildInteraction(base, payload, ids())).toMatchObject({ idempotencyKey: null });
    expect(buildInteraction({ ...base, idempotencyPath: null }, payload, ids())).toMatchObject({ idempotencyKey: null });
    expect(buildInteraction({ ...base, idempotencyPath: "nope" }, payload, ids())).toMatchObject({
      ok: true,
      idempotencyKey: null,
    });
    expect(buildInteraction({ ...base, idempotencyPath: "data.object.note" }, payload, ids())).toMatchObject({
      ok: true,
      idempotencyKey: null,
    });
  });

  it("stringifies scalars and canonicalizes objects", () => {
    expect(buildInteraction({ ...base, idempotencyPath: "id" }, payload, ids())).toMatchObject({ idempotencyKey: "evt_1" });
    expect(buildInteraction({ ...base, idempotencyPath: "created" }, payload, ids())).toMatchObject({
      idempotencyKey: "1700000000",
    });
    const a = buildInteraction({ ...base, idempotencyPath: "k" }, { ...payload, k: { b: 1, a: [1, { d: 2, c: 3 }] } }, ids());
    const b = buildInteraction({ ...base, idempotencyPath: "k" }, { ...payload, k: { a: [1, { c: 3, d: 2 }], b: 1 } }, ids());
    expect(a).toMatchObject({ idempotencyKey: '{"a":[1,{"c":3,"d":2}],"b":1}' });
    expect(b.ok && a.ok && b.idempotencyKey === a.idempotencyKey).toBe(true);
  });

  it("stores a key longer than 1 KiB as its SHA-256, so the unique index can hold it and equal keys still meet", () => {
    const at = (k: unknown) => buildInteraction({ ...base, idempotencyPath: "k" }, { ...payload, k }, ids());
    const limit = "é".repeat(512); // 1024 UTF-8 bytes: kept as it is
    expect(at(limit)).toMatchObject({ idempotencyKey: limit });
    const long = `${limit}x`;
    const hashed = { idempotencyKey: `sha256:${createHash("sha256").update(long).digest("hex")}` };
    expect(at(long)).toMatchObject(hashed);
    expect(at(`${limit}y`)).not.toMatchObject(hashed);
    // A large object as the key: its canonical JSON, hashed the same way whatever its key order.
    const big = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`f${i}`, i]));
    const reversed = Object.fromEntries(Object.entries(big).reverse());
    const r = at(big);
    expect(r.ok && r.idempotencyKey).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(at(reversed)).toMatchObject({ idempotencyKey: r.ok ? r.idempotencyKey : "" });
  });
});

describe("buildInteraction: object", () => {
  it("uses the whole payload when there are no fieldMappings, as a copy", () => {
    const r = buildInteraction(base, payload, ids());
    expect(r).toEqual({ ok: true, action: "succeeded", resourceId: "pi_123", idempotencyKey: null, object: { ...payload, _uowId: "id-1" } });
    if (r.ok) {
      expect(r.object).not.toBe(payload);
      expect((r.object.data as { object: unknown }).object).not.toBe(payload.data.object);
    }
    expect(payload).not.toHaveProperty("_uowId");
  });

  it("wraps a payload that is not a JSON object", () => {
    const arr = [{ id: "x" }];
    expect(buildInteraction({ ...base, resourceIdPath: "[0].id" }, arr, ids())).toEqual({
      ok: true,
      action: "succeeded",
      resourceId: "x",
      idempotencyKey: null,
      object: { value: [{ id: "x" }], _uowId: "id-1" },
    });
    expect(buildInteraction({ ...base, resourceIdPath: "[0]" }, ["r1"], ids())).toMatchObject({ object: { value: ["r1"] } });
  });

  it("maps fields, keeping null and omitting missing ones", () => {
    const r = buildInteraction(
      {
        ...base,
        fieldMappings: {
          amount: "data.object.amount",
          email: "data.object.customer.email",
          firstSku: "data.object.lines[0].sku",
          note: "data.object.note",
          customer: "data.object.customer",
          ghost: "data.object.ghost",
        },
      },
      payload,
      ids(),
    );
    expect(r).toEqual({
      ok: true,
      action: "succeeded",
      resourceId: "pi_123",
      idempotencyKey: null,
      object: {
        amount: 2000,
        email: "a@example.com",
        firstSku: "A1",
        note: null,
        customer: { id: "cus_9", email: "a@example.com" },
        _uowId: "id-1",
      },
    });
  });

  it("maps metadata to underscore keys and always sets _uowId", () => {
    const r = buildInteraction(
      {
        ...base,
        fieldMappings: { amount: "data.object.amount" },
        metadataPaths: { userId: "user", sessionId: "session", uowId: "id", tenant: "data.object.customer.id", absent: "x.y" },
      },
      payload,
      ids(),
    );
    expect(r).toMatchObject({
      ok: true,
      object: { amount: 2000, _userId: 77, _sessionId: "sess_42", _uowId: "evt_1", _tenant: "cus_9" },
    });
    if (r.ok) expect(r.object).not.toHaveProperty("_absent");
  });

  it("generates _uowId when the mapped value is missing or null, and overrides a payload's own", () => {
    const gen = ids();
    expect(buildInteraction({ ...base, metadataPaths: { uowId: "missing" } }, payload, gen)).toMatchObject({
      object: { _uowId: "id-1" },
    });
    expect(buildInteraction({ ...base, metadataPaths: { uowId: "data.object.note" } }, payload, gen)).toMatchObject({
      object: { _uowId: "id-2" },
    });
    expect(buildInteraction(base, { ...payload, _uowId: "spoofed" }, gen)).toMatchObject({ object: { _uowId: "id-3" } });
  });

  it("metadata wins over a same-named field", () => {
    const r = buildInteraction({ ...base, fieldMappings: { _userId: "id" }, metadataPaths: { userId: "user" } }, payload, ids());
    expect(r).toMatchObject({ object: { _userId: 77 } });
  });
});

describe("buildInteraction: prototype safety", () => {
  it("never copies __proto__ keys, at any depth", () => {
    const hostile: unknown = JSON.parse(
      '{"data":{"object":{"id":"x"}},"__proto__":{"polluted":1},"nested":{"__proto__":{"polluted":2},"ok":1}}',
    );
    const r = buildInteraction(base, hostile, ids());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.getPrototypeOf(r.object)).toBe(Object.prototype);
    expect(Object.keys(r.object)).not.toContain("__proto__");
    expect(JSON.stringify(r.object)).toBe('{"data":{"object":{"id":"x"}},"nested":{"ok":1},"_uowId":"id-1"}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("ignores a field or metadata key that would write __proto__", () => {
    const r = buildInteraction(
      {
        ...base,
        fieldMappings: { ["__proto__"]: "data.object.customer", a: "id" },
        metadataPaths: { _proto__: "data.object.customer" },
      },
      payload,
      ids(),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.getPrototypeOf(r.object)).toBe(Object.prototype);
    expect(r.object).toEqual({ a: "evt_1", _uowId: "id-1" });
    expect((r.object as { email?: unknown }).email).toBeUndefined();
  });

  it("reports a payload nested too deeply instead of throwing", () => {
    let deep: unknown = 1;
    for (let i = 0; i < MAX_JSON_DEPTH + 10; i += 1) deep = { d: deep };
    const r = buildInteraction(base, { data: { object: { id: "x" } }, deep }, ids());
    expect(r).toEqual({ ok: false, kind: "unbuildable", details: [{ path: "", message: `payload is nested deeper than ${MAX_JSON_DEPTH} levels` }] });
  });

  it("always yields a plain, JSON-serializable object for any JSON payload", () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 8 }), { maxKeys: 4 }),
        (p, fields) => {
          const doc = { rid: "r", p };
          const withFields = buildInteraction({ ...base, resourceIdPath: "rid", fieldMappings: fields }, doc, () => "u");
          const whole = buildInteraction({ ...base, resourceIdPath: "rid" }, doc, () => "u");
          for (const r of [withFields, whole]) {
            expect(r.ok).toBe(true);
            if (!r.ok) continue;
            expect(Object.getPrototypeOf(r.object)).toBe(Object.prototype);
            expect(r.object._uowId).toBe("u");
            // No "__proto__" key anywhere (a string value "__proto__" is data, and fine).
            expect(/(?<!\\)"__proto__":/.test(JSON.stringify(r.object))).toBe(false);
          }
        },
      ),
    );
  });
});

describe("extractSchemaRoot", () => {
  it("returns the whole payload without a root path, else the value there", () => {
    expect(extractSchemaRoot(payload, null)).toBe(payload);
    expect(extractSchemaRoot(payload, undefined)).toBe(payload);
    expect(extractSchemaRoot(payload, "")).toBe(payload);
    expect(extractSchemaRoot(payload, "data.object")).toBe(payload.data.object);
    expect(extractSchemaRoot(payload, "data.object.lines[0]")).toEqual({ sku: "A1", qty: 2 });
    expect(extractSchemaRoot(payload, "data.nothing")).toBeUndefined();
  });

  it("schemaRootPointer gives the prefix for error paths", () => {
    expect(schemaRootPointer("data.object")).toBe("/data/object");
    expect(schemaRootPointer(null)).toBe("");
  });
});

describe("buildInteraction with actionPath", () => {
  const base = { resourceType: "payment", action: null, conditions: [], resourceIdPath: "id" };
  it("reads the action name from the payload", () => {
    const r = buildInteraction({ ...base, actionPath: "type" }, { id: "x1", type: "payment_intent.succeeded" }, () => "u");
    expect(r).toMatchObject({ ok: true, action: "payment_intent.succeeded", resourceId: "x1" });
  });
  it("fails with a pointer when the path holds no usable name", () => {
    for (const payload of [{ id: "x1" }, { id: "x1", type: "" }, { id: "x1", type: 7 }, { id: "x1", type: "a".repeat(129) }]) {
      const r = buildInteraction({ ...base, actionPath: "type" }, payload, () => "u");
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.details).toContainEqual({ path: "/type", message: expect.stringMatching(/^actionPath/) });
    }
  });
  it("a fixed action is returned as it is", () => {
    const r = buildInteraction({ ...base, action: "created" }, { id: "x1" }, () => "u");
    expect(r).toMatchObject({ ok: true, action: "created" });
  });
});
