import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { checkJsonSchema, validateAgainstSchema } from "./validate-schema";

// AJV's own uniqueItems, as the reference for ours.
const reference = new Ajv2020({ allErrors: true });
const ajvSays = (data: unknown) => {
  const validate = reference.compile({ type: "array", uniqueItems: true });
  return validate(data) ? { ok: true } : { ok: false, errors: (validate.errors ?? []).map((e) => ({ path: e.instancePath, message: e.message })) };
};

describe("uniqueItems (linear, AJV's semantics)", () => {
  const schema = { type: "array", uniqueItems: true };
  it.each([
    ["scalars", [1, 2, 1]],
    ["1 and 1.0", [1, 1.0]],
    ["strings and numbers", ["1", 1]],
    ["objects in another key order", [{ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }]],
    ["arrays in another order are distinct", [[1, 2], [2, 1]]],
    ["null, false, 0 and empty string are distinct", [null, false, 0, "", [], {}]],
    ["the last pair named", [{ x: 1 }, 5, { x: 1 }, 5]],
  ])("%s: the same answer and error as AJV", (_name, data) => {
    expect(validateAgainstSchema(schema, data)).toEqual(ajvSays(data));
  });

  it("60,000 distinct objects pass, and one duplicate among them is named", () => {
    const items = Array.from({ length: 60_000 }, (_, i) => ({ id: i, name: `n${i}` }));
    expect(validateAgainstSchema(schema, items)).toEqual({ ok: true });
    items.push({ name: "n17", id: 17 });
    expect(validateAgainstSchema(schema, items)).toEqual({
      ok: false,
      errors: [{ path: "", message: "must NOT have duplicate items (items ## 17 and 60000 are identical)" }],
    });
  });

  it("uniqueItems: false and non-arrays pass", () => {
    expect(validateAgainstSchema({ uniqueItems: false }, [1, 1])).toEqual({ ok: true });
    expect(validateAgainstSchema({ uniqueItems: true }, "aa")).toEqual({ ok: true });
  });

  it("a non-boolean uniqueItems is refused at save time", () => {
    expect(checkJsonSchema({ type: "array", uniqueItems: "yes" })).toEqual([{ path: "/payloadSchema/uniqueItems", message: "must be boolean" }]);
  });
});

describe("$ref-heavy schemas", () => {
  it("a schema doubling through 40 refs compiles at save time (refs are not inlined)", () => {
    const $defs: Record<string, object> = { d0: { type: "integer" } };
    for (let i = 1; i <= 40; i += 1) $defs[`d${i}`] = { anyOf: [{ $ref: `#/$defs/d${i - 1}` }, { $ref: `#/$defs/d${i - 1}` }] };
    expect(checkJsonSchema({ $ref: "#/$defs/d40", $defs })).toEqual([]);
    // Validating with it takes 2^40 steps: the schema pool's budget handles that (schema-pool.test.ts).
  });
});
