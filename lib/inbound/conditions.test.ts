import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluateCondition, evaluateConditions, MAX_CONDITIONS, validateConditions } from "./conditions";
import { CONDITION_OPS, type Condition, type ConditionOp } from "./types";

const payload = {
  type: "payment_intent.succeeded",
  data: {
    object: {
      id: "pi_123",
      amount: 2000,
      currency: "usd",
      metadata: { order: { id: 7, tags: ["a", "b"] } },
      nothing: null,
      tags: ["vip", "eu", { k: 1 }],
      created: "2024-03-01T10:00:00Z",
      day: "2024-03-01",
      count: "10",
    },
  },
};

function check(path: string, op: ConditionOp, value?: unknown): boolean {
  const cond: Condition = value === undefined ? { path, op } : { path, op, value };
  return evaluateCondition(cond, payload).pass;
}

describe("evaluateCondition", () => {
  it("reports path, op, value, actual and pass", () => {
    expect(evaluateCondition({ path: "data.object.amount", op: "gt", value: 1000 }, payload)).toEqual({
      path: "data.object.amount",
      op: "gt",
      value: 1000,
      actual: 2000,
      pass: true,
    });
    expect(evaluateCondition({ path: "missing", op: "exists" }, payload)).toEqual({
      path: "missing",
      op: "exists",
      value: undefined,
      actual: undefined,
      pass: false,
    });
  });

  it("eq / neq use JSON-value equality without coercion", () => {
    expect(check("type", "eq", "payment_intent.succeeded")).toBe(true);
    expect(check("data.object.amount", "eq", 2000)).toBe(true);
    expect(check("data.object.amount", "eq", "2000")).toBe(false);
    expect(check("data.object.metadata.order", "eq", { tags: ["a", "b"], id: 7 })).toBe(true);
    expect(check("data.object.metadata.order", "eq", { id: 7 })).toBe(false);
    expect(check("data.object.metadata.order.tags", "eq", ["b", "a"])).toBe(false);
    expect(check("data.object.nothing", "eq", null)).toBe(true);
    expect(check("missing", "eq", null)).toBe(false);
    expect(check("type", "neq", "charge.failed")).toBe(true);
    expect(check("type", "neq", "payment_intent.succeeded")).toBe(false);
    expect(check("missing", "neq", "x")).toBe(true);
  });

  it("in / nin need an array value", () => {
    expect(check("data.object.currency", "in", ["eur", "usd"])).toBe(true);
    expect(check("data.object.currency", "in", ["eur", "gbp"])).toBe(false);
    expect(check("data.object.amount", "in", ["2000"])).toBe(false);
    expect(check("data.object.metadata.order", "in", [{ id: 7, tags: ["a", "b"] }])).toBe(true);
    expect(check("data.object.currency", "nin", ["eur", "gbp"])).toBe(true);
    expect(check("data.object.currency", "nin", ["usd"])).toBe(false);
    expect(check("missing", "in", [null])).toBe(false);
    expect(check("missing", "nin", [null])).toBe(true);
    expect(check("data.object.currency", "in", "usd")).toBe(false);
    expect(check("data.object.currency", "nin", "usd")).toBe(false);
  });

  it("exists / notExists treat null as existing", () => {
    expect(check("data.object.nothing", "exists")).toBe(true);
    expect(check("data.object.nothing", "notExists")).toBe(false);
    expect(check("data.object.absent", "exists")).toBe(false);
    expect(check("data.object.absent", "notExists")).toBe(true);
    expect(check("data.object.amount", "exists")).toBe(true);
  });

  it("contains works on strings and arrays", () => {
    expect(check("type", "contains", "intent")).toBe(true);
    expect(check("type", "contains", "refund")).toBe(false);
    expect(check("data.object.tags", "contains", "vip")).toBe(true);
    expect(check("data.object.tags", "contains", { k: 1 })).toBe(true);
    expect(check("data.object.tags", "contains", "vi")).toBe(false);
    expect(check("type", "contains", 1)).toBe(false);
    expect(check("data.object.amount", "contains", 2)).toBe(false);
    expect(check("data.object.metadata", "contains", "order")).toBe(false);
  });

  it("startsWith / endsWith are for strings only", () => {
    expect(check("type", "startsWith", "payment_intent.")).toBe(true);
    expect(check("type", "startsWith", "charge.")).toBe(false);
    expect(check("type", "endsWith", ".succeeded")).toBe(true);
    expect(check("type", "endsWith", ".failed")).toBe(false);
    expect(check("data.object.amount", "startsWith", "20")).toBe(false);
    expect(check("data.object.tags", "startsWith", "vip")).toBe(false);
  });

  it("matches runs the pattern with RE2", () => {
    expect(check("data.object.id", "matches", "^pi_\\d+$")).toBe(true);
    expect(check("data.object.id", "matches", "^ch_")).toBe(false);
    expect(check("data.object.amount", "matches", "2000")).toBe(false);
    expect(check("data.object.id", "matches", "(?=pi)")).toBe(false); // does not compile in RE2
    const evil = { s: `${"a".repeat(30_000)}!` };
    expect(evaluateCondition({ path: "s", op: "matches", value: "^(a+)+$" }, evil).pass).toBe(false);
  });

  it("gt / gte / lt / lte compare numbers, ISO dates and strings", () => {
    expect(check("data.object.amount", "gt", 1999)).toBe(true);
    expect(check("data.object.amount", "gt", 2000)).toBe(false);
    expect(check("data.object.amount", "gte", 2000)).toBe(true);
    expect(check("data.object.amount", "lt", 2000.5)).toBe(true);
    expect(check("data.object.amount", "lte", 1999)).toBe(false);
    // ISO 8601 compared as instants, even across offsets and with bare dates.
    expect(check("data.object.created", "gt", "2024-03-01T11:00:00+02:00")).toBe(true);
    expect(check("data.object.created", "lt", "2024-03-01T11:00:00+02:00")).toBe(false);
    expect(check("data.object.created", "gt", "2024-03-01")).toBe(true);
    expect(check("data.object.day", "lte", "2024-03-01T00:00:00Z")).toBe(true);
    expect(check("data.object.day", "gte", "2024-03-01T00:00:00Z")).toBe(true);
    // Other strings: lexicographic.
    expect(check("data.object.currency", "gt", "eur")).toBe(true);
    expect(check("data.object.count", "lt", "9")).toBe(true);
    // Mixed types are never comparable.
    expect(check("data.object.count", "gt", 9)).toBe(false);
    expect(check("data.object.amount", "gt", "1")).toBe(false);
    expect(check("missing", "lt", 1)).toBe(false);
    expect(check("data.object.nothing", "lte", 0)).toBe(false);
  });

  it("does not throw on malformed conditions", () => {
    const bad = [
      null,
      {},
      { path: 1, op: "eq", value: 1 },
      { path: "a", op: "bogus", value: 1 },
      { path: "a.__proto__", op: "exists" },
      { path: "", op: "notExists" },
    ] as unknown as Condition[];
    for (const c of bad) expect(evaluateCondition(c, payload).pass).toBeTypeOf("boolean");
    expect(evaluateCondition({ path: "a", op: "bogus" as ConditionOp, value: 1 }, { a: 1 }).pass).toBe(false);
    expect(evaluateCondition({ path: "", op: "notExists" }, payload).pass).toBe(true);
  });
});

describe("evaluateConditions", () => {
  it("passes only when all pass, and evaluates every condition", () => {
    const conds: Condition[] = [
      { path: "type", op: "startsWith", value: "payment_intent" },
      { path: "data.object.amount", op: "gt", value: 5000 },
      { path: "data.object.currency", op: "eq", value: "usd" },
    ];
    const r = evaluateConditions(conds, payload);
    expect(r.pass).toBe(false);
    expect(r.results.map((x) => x.pass)).toEqual([true, false, true]);
    expect(
      evaluateConditions(
        conds.filter((_, i) => i !== 1),
        payload,
      ).pass,
    ).toBe(true);
  });

  it("an empty list always passes", () => {
    expect(evaluateConditions([], payload)).toEqual({ pass: true, results: [] });
  });
});

describe("validateConditions", () => {
  it("accepts well-formed conditions", () => {
    const ok: Condition[] = [
      { path: "type", op: "eq", value: "x" },
      { path: "a.b[0]", op: "neq", value: { any: ["json"] } },
      { path: "a", op: "in", value: [1, 2] },
      { path: "a", op: "nin", value: [] },
      { path: "a", op: "exists" },
      { path: "a", op: "notExists" },
      { path: "a", op: "contains", value: 3 },
      { path: "a", op: "startsWith", value: "x" },
      { path: "a", op: "endsWith", value: "" },
      { path: "a", op: "matches", value: "^evt_[a-z]+$" },
      { path: "a", op: "gt", value: 1 },
      { path: "a", op: "gte", value: "2024-01-01" },
      { path: "a", op: "lt", value: -3.5 },
      { path: "a", op: "lte", value: "b" },
      { path: "a", op: "eq", value: null },
    ];
    expect(validateConditions(ok)).toEqual([]);
    expect(validateConditions([])).toEqual([]);
  });

  it("rejects a non-array and too many conditions", () => {
    expect(validateConditions({})).toEqual([{ path: "/conditions", message: "must be an array" }]);
    expect(validateConditions(null, "/body/conditions")).toEqual([{ path: "/body/conditions", message: "must be an array" }]);
    const many = Array.from({ length: MAX_CONDITIONS + 1 }, () => ({ path: "a", op: "exists" }));
    expect(validateConditions(many)).toEqual([
      { path: "/conditions", message: `must have at most ${MAX_CONDITIONS} conditions` },
    ]);
  });

  it("points each problem at its field", () => {
    const details = validateConditions([
      "nope",
      { op: "eq", value: 1 },
      { path: "a..b", op: "eq", value: 1 },
      { path: "__proto__.x", op: "eq", value: 1 },
      { path: "a", op: "like", value: 1 },
      { path: "a", op: "eq" },
      { path: "a", op: "exists", value: true },
      { path: "a", op: "in", value: "x" },
      { path: "a", op: "nin", value: { a: 1 } },
      { path: "a", op: "matches", value: 5 },
      { path: "a", op: "matches", value: "(a+)+$" },
      { path: "a", op: "matches", value: "(?<=x)y" },
      { path: "a", op: "gt", value: true },
      { path: "a", op: "lte", value: [1] },
      { path: "a", op: "startsWith", value: 1 },
      { path: "a", op: "eq", value: 1, operator: "x" },
    ]);
    expect(details).toEqual([
      { path: "/conditions/0", message: "must be an object" },
      { path: "/conditions/1/path", message: "must be a string" },
      { path: "/conditions/2/path", message: "Empty segment at position 2" },
      { path: "/conditions/3/path", message: 'Path segment "__proto__" is not allowed' },
      { path: "/conditions/4/op", message: `must be one of: ${CONDITION_OPS.join(", ")}` },
      { path: "/conditions/5/value", message: 'is required for op "eq"' },
      { path: "/conditions/6/value", message: 'must not be set for op "exists"' },
      { path: "/conditions/7/value", message: 'must be an array for op "in"' },
      { path: "/conditions/8/value", message: 'must be an array for op "nin"' },
      { path: "/conditions/9/value", message: 'must be a string (a regular expression) for op "matches"' },
      {
        path: "/conditions/10/value",
        message:
          "Regular expression may backtrack catastrophically (nested quantifiers such as (a+)+, or more than 25 repetitions)",
      },
      { path: "/conditions/11/value", message: expect.stringMatching(/^Lookahead and lookbehind/) as unknown as string },
      { path: "/conditions/12/value", message: 'must be a number or a string for op "gt"' },
      { path: "/conditions/13/value", message: 'must be a number or a string for op "lte"' },
      { path: "/conditions/14/value", message: 'must be a string for op "startsWith"' },
      { path: "/conditions/15/operator", message: "is not a known property (path, op, value)" },
    ]);
  });
});

describe("property tests", () => {
  const op = fc.constantFrom(...CONDITION_OPS);
  const anyCondition = fc.record(
    {
      path: fc.oneof(fc.string(), fc.constantFrom("a", "a.b", "a[0]", "__proto__", "constructor")),
      op: fc.oneof(op, fc.string()),
      value: fc.anything(),
    },
    { requiredKeys: [] },
  ) as fc.Arbitrary<Condition>;

  it("evaluateCondition never throws for arbitrary conditions and payloads", () => {
    fc.assert(
      fc.property(anyCondition, fc.anything({ withNullPrototype: true, withBoxedValues: true }), (cond, p) => {
        const r = evaluateCondition(cond, p);
        expect(typeof r.pass).toBe("boolean");
      }),
      { numRuns: 3000 },
    );
  });

  it("eq(x, x) passes for any JSON value x at a path, compared structurally", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (x) => {
        const doc = { wrapper: { x } };
        expect(evaluateCondition({ path: "wrapper.x", op: "eq", value: structuredClone(x) }, doc).pass).toBe(true);
        expect(evaluateCondition({ path: "wrapper.x", op: "neq", value: structuredClone(x) }, doc).pass).toBe(false);
      }),
    );
  });

  it("neq is the negation of eq", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 6 }), fc.anything(), fc.jsonValue(), (path, value, doc) => {
        const eq = evaluateCondition({ path, op: "eq", value }, doc).pass;
        const neq = evaluateCondition({ path, op: "neq", value }, doc).pass;
        expect(neq).toBe(!eq);
      }),
    );
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        const eq = evaluateCondition({ path: "a", op: "eq", value: b }, { a }).pass;
        expect(evaluateCondition({ path: "a", op: "neq", value: b }, { a }).pass).toBe(!eq);
      }),
    );
  });

  it("in and nin are complements for array values", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.array(fc.jsonValue(), { maxLength: 5 }), fc.boolean(), (a, list, include) => {
        const values = include ? [...list, structuredClone(a)] : list;
        const doc = { a };
        const inPass = evaluateCondition({ path: "a", op: "in", value: values }, doc).pass;
        const ninPass = evaluateCondition({ path: "a", op: "nin", value: values }, doc).pass;
        expect(ninPass).toBe(!inPass);
        if (include) expect(inPass).toBe(true);
      }),
    );
  });

  it("exists and notExists are complements", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ maxLength: 4 }), (doc, path) => {
        const e = evaluateCondition({ path, op: "exists" }, doc).pass;
        expect(evaluateCondition({ path, op: "notExists" }, doc).pass).toBe(!e);
      }),
    );
  });

  it("validateConditions never throws", () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.array(anyCondition, { maxLength: 5 })), (c) => {
        expect(Array.isArray(validateConditions(c))).toBe(true);
      }),
    );
  });
});
