import { describe, expect, it } from "vitest";
import { checkJsonSchema, DRAFT_2020_12, MAX_SCHEMA_BYTES, MAX_SCHEMA_ERRORS, validateAgainstSchema } from "./validate-schema";

const eventSchema = {
  $schema: DRAFT_2020_12,
  type: "object",
  required: ["id", "type", "data"],
  properties: {
    id: { type: "string", pattern: "^evt_" },
    type: { type: "string", enum: ["payment.succeeded", "payment.failed"] },
    created: { type: "string", format: "date-time" },
    email: { type: "string", format: "email" },
    data: {
      type: "object",
      required: ["amount"],
      properties: { amount: { type: "integer", minimum: 0 }, tags: { type: "array", items: { type: "string" } } },
      additionalProperties: false,
    },
  },
};

describe("validateAgainstSchema", () => {
  it("passes valid data", () => {
    expect(
      validateAgainstSchema(eventSchema, {
        id: "evt_1",
        type: "payment.failed",
        created: "2024-01-02T03:04:05Z",
        data: { amount: 1, tags: ["a"] },
      }),
    ).toEqual({ ok: true });
  });

  it("reports every error with a JSON Pointer and AJV's message", () => {
    const r = validateAgainstSchema(eventSchema, {
      id: "ch_1",
      type: "payment.refunded",
      created: "yesterday",
      email: "not-an-email",
      data: { amount: -1, extra: true, tags: [1] },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual(
      expect.arrayContaining([
        { path: "/id", message: 'must match pattern "^evt_"' },
        { path: "/type", message: "must be equal to one of the allowed values" },
        { path: "/created", message: 'must match format "date-time"' },
        { path: "/email", message: 'must match format "email"' },
        { path: "/data/amount", message: "must be >= 0" },
        { path: "/data/extra", message: "must NOT have additional properties" },
        { path: "/data/tags/0", message: "must be string" },
      ]),
    );
    expect(r.errors).toHaveLength(7);
  });

  it("points required errors at the missing property", () => {
    expect(validateAgainstSchema(eventSchema, { type: "payment.failed", data: {} })).toEqual({
      ok: false,
      errors: [
        { path: "/id", message: "must have required property 'id'" },
        { path: "/data/amount", message: "must have required property 'amount'" },
      ],
    });
    expect(validateAgainstSchema({ type: "object", required: ["a/b~c"] }, {})).toEqual({
      ok: false,
      errors: [{ path: "/a~1b~0c", message: "must have required property 'a/b~c'" }],
    });
  });

  it("points unevaluatedProperties and dependentRequired errors at the property", () => {
    const schema = {
      type: "object",
      properties: { a: { type: "number" }, b: { type: "number" } },
      dependentRequired: { a: ["b"] },
      unevaluatedProperties: false,
    };
    expect(validateAgainstSchema(schema, { a: 1, z: 2 })).toEqual({
      ok: false,
      errors: expect.arrayContaining([
        { path: "/b", message: "must have property b when property a is present" },
        { path: "/z", message: "must NOT have unevaluated properties" },
      ]) as unknown as never,
    });
  });

  it("prefixes error paths when asked (schema applied below the root)", () => {
    expect(validateAgainstSchema({ type: "object", required: ["id"] }, {}, { pointerPrefix: "/data/object" })).toEqual({
      ok: false,
      errors: [{ path: "/data/object/id", message: "must have required property 'id'" }],
    });
  });

  it("fails data that is not there at all", () => {
    expect(validateAgainstSchema({}, undefined)).toEqual({ ok: false, errors: [{ path: "", message: "must be present" }] });
    expect(validateAgainstSchema({}, null)).toEqual({ ok: true });
  });

  it("caps the number of errors", () => {
    const schema = { type: "array", items: { type: "string" } };
    const r = validateAgainstSchema(
      schema,
      Array.from({ length: 500 }, (_, i) => i),
    );
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors).toHaveLength(MAX_SCHEMA_ERRORS);
      expect(r.errors[0]).toEqual({ path: "/0", message: "must be string" });
    }
  });

  it("runs schema patterns on RE2, so a catastrophic pattern cannot stall validation", () => {
    const schema = { type: "string", pattern: "^(a+)+$" };
    expect(validateAgainstSchema(schema, `${"a".repeat(50_000)}!`)).toEqual({
      ok: false,
      errors: [{ path: "", message: 'must match pattern "^(a+)+$"' }],
    });
    expect(validateAgainstSchema({ type: "object", patternProperties: { "^x-": { type: "string" } } }, { "x-a": 1 })).toEqual({
      ok: false,
      errors: [{ path: "/x-a", message: "must be string" }],
    });
  });

  it("compiles two schemas with the same $id without clashing", () => {
    const a = { $id: "https://example.com/event.json", type: "object", required: ["a"] };
    const b = { $id: "https://example.com/event.json", type: "object", required: ["b"] };
    expect(validateAgainstSchema(a, { a: 1 })).toEqual({ ok: true });
    expect(validateAgainstSchema(b, { a: 1 })).toEqual({
      ok: false,
      errors: [{ path: "/b", message: "must have required property 'b'" }],
    });
    expect(validateAgainstSchema(a, { b: 1 }).ok).toBe(false);
    expect(checkJsonSchema(b)).toEqual([]);
  });

  it("keeps nested $id resources local to their schema", () => {
    const withDef = (required: string) => ({
      type: "object",
      properties: { x: { $ref: "https://example.com/shared.json" } },
      $defs: { shared: { $id: "https://example.com/shared.json", type: "object", required: [required] } },
    });
    expect(validateAgainstSchema(withDef("p"), { x: { p: 1 } })).toEqual({ ok: true });
    expect(validateAgainstSchema(withDef("q"), { x: { p: 1 } })).toEqual({
      ok: false,
      errors: [{ path: "/x/q", message: "must have required property 'q'" }],
    });
    expect(validateAgainstSchema(withDef("p"), { x: { q: 1 } }).ok).toBe(false);
  });

  it("resolves $ref inside the schema, also through its own $id", () => {
    const schema = {
      $id: "https://example.com/order.json",
      type: "object",
      properties: { item: { $ref: "#/$defs/item" }, again: { $ref: "https://example.com/order.json#/$defs/item" } },
      $defs: { item: { type: "object", required: ["sku"] } },
    };
    expect(validateAgainstSchema(schema, { item: { sku: "x" }, again: { sku: "y" } })).toEqual({ ok: true });
    expect(validateAgainstSchema(schema, { item: {}, again: {} })).toEqual({
      ok: false,
      errors: [
        { path: "/item/sku", message: "must have required property 'sku'" },
        { path: "/again/sku", message: "must have required property 'sku'" },
      ],
    });
  });

  it("treats equal schemas as one cache entry but never serves a stale validator after mutation", () => {
    const schema: Record<string, unknown> = { type: "object", required: ["x"] };
    expect(validateAgainstSchema(schema, {}).ok).toBe(false);
    expect(validateAgainstSchema({ required: ["x"], type: "object" }, { x: 1 }).ok).toBe(true);
    schema.required = ["y"];
    expect(validateAgainstSchema(schema, { x: 1 })).toEqual({
      ok: false,
      errors: [{ path: "/y", message: "must have required property 'y'" }],
    });
  });

  it("does not mutate the data", () => {
    const data = { a: "1" };
    validateAgainstSchema({ type: "object", properties: { a: { type: "number", default: 5 }, b: { default: 2 } } }, data);
    expect(data).toEqual({ a: "1" });
  });

  it("reports a schema that does not compile instead of throwing", () => {
    const r = validateAgainstSchema({ type: "object", properties: { a: { type: "strnig" } } }, {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]?.message).toMatch(/^schema cannot be compiled: /);
    expect(validateAgainstSchema([] as unknown as object, {})).toEqual({
      ok: false,
      errors: [{ path: "", message: "schema is not a JSON Schema object" }],
    });
  });

  it("keeps working past the validator cache size", () => {
    for (let i = 0; i < 1100; i += 1) {
      expect(validateAgainstSchema({ type: "object", required: [`k${i}`] }, { [`k${i}`]: 1 })).toEqual({ ok: true });
    }
    expect(validateAgainstSchema({ type: "object", required: ["k0"] }, {}).ok).toBe(false);
  });
});

describe("checkJsonSchema", () => {
  it("accepts common real-world schemas", () => {
    expect(checkJsonSchema(eventSchema)).toEqual([]);
    // properties without "type", union types, required not listed in properties,
    // prefixItems without minItems, annotations.
    expect(
      checkJsonSchema({
        title: "Webhook",
        description: "Loose but legitimate",
        properties: { id: { type: ["string", "null"], example: "evt_1", examples: ["evt_2"] } },
        required: ["id", "type"],
        patternProperties: { "^id$": { type: ["string", "null"] } },
        $defs: { pair: { type: "array", prefixItems: [{ type: "string" }, { type: "number" }] } },
        deprecated: false,
        readOnly: true,
        $comment: "ok",
      }),
    ).toEqual([]);
    expect(checkJsonSchema({ $schema: `${DRAFT_2020_12}#` })).toEqual([]);
    expect(checkJsonSchema({})).toEqual([]);
  });

  it("rejects what is not a JSON Schema object", () => {
    for (const bad of [null, true, "x", 1, []]) {
      expect(checkJsonSchema(bad)).toEqual([{ path: "/payloadSchema", message: "must be a JSON Schema object" }]);
    }
    expect(checkJsonSchema(null, "/source/payloadSchema")).toEqual([
      { path: "/source/payloadSchema", message: "must be a JSON Schema object" },
    ]);
  });

  it("rejects oversized schemas", () => {
    const big = { description: "x".repeat(MAX_SCHEMA_BYTES) };
    expect(checkJsonSchema(big)).toEqual([
      { path: "/payloadSchema", message: `must be at most ${MAX_SCHEMA_BYTES} bytes when serialized` },
    ]);
  });

  it("rejects other drafts with a clear message", () => {
    expect(checkJsonSchema({ $schema: "http://json-schema.org/draft-07/schema#" })).toEqual([
      { path: "/payloadSchema/$schema", message: `only JSON Schema draft 2020-12 is supported ("${DRAFT_2020_12}")` },
    ]);
  });

  it("reports meta-schema violations with a pointer into the schema", () => {
    const details = checkJsonSchema({ type: "object", properties: { a: { type: "strnig" } }, minProperties: -1 });
    expect(details).toEqual(
      expect.arrayContaining([
        { path: "/payloadSchema/properties/a/type", message: "must be equal to one of the allowed values" },
        { path: "/payloadSchema/minProperties", message: "must be >= 0" },
      ]),
    );
  });

  it("rejects unknown keywords and formats (strict mode)", () => {
    expect(checkJsonSchema({ type: "object", requird: ["a"] })).toEqual([
      { path: "/payloadSchema", message: 'strict mode: unknown keyword: "requird"' },
    ]);
    const fmt = checkJsonSchema({ type: "string", format: "colour" });
    expect(fmt).toHaveLength(1);
    expect(fmt[0]?.message).toMatch(/unknown format "colour"/);
  });

  it("rejects patterns RE2 cannot run, and unresolvable $refs", () => {
    const look = checkJsonSchema({ type: "string", pattern: "^(?!x)" });
    expect(look).toHaveLength(1);
    expect(look[0]?.message).toMatch(/Lookahead and lookbehind/);
    const ref = checkJsonSchema({ $ref: "https://example.com/elsewhere.json" });
    expect(ref).toHaveLength(1);
    expect(ref[0]?.message).toMatch(/can't resolve reference/);
  });

  it("rejects cyclic or absurdly deep schemas without throwing", () => {
    const cyclic: Record<string, unknown> = { type: "object" };
    cyclic.properties = { self: cyclic };
    expect(checkJsonSchema(cyclic)[0]?.message).toMatch(/must be plain JSON/);
  });
});
