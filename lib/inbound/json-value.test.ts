import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, jsonEqual, MAX_JSON_DEPTH, toJsonSafe } from "./json-value";

function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i += 1) v = [v];
  return v;
}

describe("jsonEqual", () => {
  it("compares structurally and by type", () => {
    expect(jsonEqual({ a: 1, b: [1, { c: "x" }] }, { b: [1, { c: "x" }], a: 1 })).toBe(true);
    expect(jsonEqual(1, "1")).toBe(false);
    expect(jsonEqual(0, -0)).toBe(true);
    expect(jsonEqual(null, {})).toBe(false);
    expect(jsonEqual([], {})).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(jsonEqual({ a: 1, b: 2 }, { a: 1, c: 2 })).toBe(false);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual(true, 1)).toBe(false);
  });

  it("gives up (false) beyond the depth limit instead of overflowing the stack", () => {
    expect(jsonEqual(nested(10), nested(10))).toBe(true);
    expect(jsonEqual(nested(200_000), nested(200_000))).toBe(false);
  });

  it("is reflexive and symmetric on JSON values", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        expect(jsonEqual(a, structuredClone(a))).toBe(true);
        expect(jsonEqual(a, b)).toBe(jsonEqual(b, a));
      }),
    );
  });
});

describe("canonicalJson", () => {
  it("sorts keys so equal objects serialize identically", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, "x"], c: null } })).toBe('{"a":{"c":null,"d":[1,"x"]},"b":1}');
    expect(canonicalJson({ b: 1, a: 2 })).toBe(canonicalJson({ a: 2, b: 1 }));
  });

  it("follows JSON.stringify for non-JSON values", () => {
    expect(canonicalJson({ u: undefined, f: () => 1, n: Number.NaN, arr: [undefined] })).toBe('{"arr":[null],"n":null}');
    expect(canonicalJson(undefined)).toBeNull();
    expect(canonicalJson(10n)).toBeNull();
  });

  it("returns null for cyclic or too deep values", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(canonicalJson(cyclic)).toBeNull();
    expect(canonicalJson(nested(MAX_JSON_DEPTH + 5))).toBeNull();
  });

  it("parses back to an equal value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = canonicalJson(v);
        expect(text).not.toBeNull();
        expect(jsonEqual(JSON.parse(text as string), v)).toBe(true);
      }),
    );
  });
});

describe("toJsonSafe", () => {
  it("drops __proto__ keys at every level and returns plain objects", () => {
    const parsed: unknown = JSON.parse('{"a":1,"__proto__":{"polluted":true},"n":{"__proto__":{"x":1},"k":[{"__proto__":2}]}}');
    const safe = toJsonSafe(parsed);
    expect(safe.ok).toBe(true);
    if (!safe.ok) return;
    expect(JSON.stringify(safe.value)).toBe('{"a":1,"n":{"k":[{}]}}');
    expect(Object.getPrototypeOf(safe.value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("copies rather than aliases", () => {
    const input = { a: { b: [1] } };
    const safe = toJsonSafe(input);
    if (!safe.ok) throw new Error("expected ok");
    (safe.value as { a: { b: number[] } }).a.b.push(2);
    expect(input.a.b).toEqual([1]);
  });

  it("reports values nested too deeply", () => {
    expect(toJsonSafe(nested(MAX_JSON_DEPTH + 1))).toEqual({ ok: false, message: `nested deeper than ${MAX_JSON_DEPTH} levels` });
    expect(toJsonSafe(nested(MAX_JSON_DEPTH - 1)).ok).toBe(true);
  });

  it("equals the input with its __proto__ keys removed, for any JSON value", () => {
    // Reference: a reviver returning undefined deletes the key.
    const withoutProto = (v: unknown): unknown =>
      JSON.parse(JSON.stringify(v), (k, val: unknown) => (k === "__proto__" ? undefined : val));
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const safe = toJsonSafe(v);
        expect(safe.ok).toBe(true);
        if (safe.ok) expect(jsonEqual(safe.value, withoutProto(v))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
