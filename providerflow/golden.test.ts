import { describe, expect, test } from "vitest";
import { compareGolden, describeDifference, goldenChange, renderGolden } from "./golden";

describe("compareGolden", () => {
  test("equal values pass, key order and number spelling do not matter", () => {
    expect(compareGolden({ a: 1, b: [1, { c: null }] }, { b: [1.0, { c: null }], a: 1 })).toEqual({ passed: true, diff: [] });
  });

  test("each difference at its JSON Pointer, keys sorted, arrays by index", () => {
    const expected = { status: 200, body: { id: "x", extra: true }, deliveries: [{ target: "a" }, { target: "b" }] };
    const actual = { status: 401, body: { id: "y", error: "no" }, deliveries: [{ target: "a" }] };
    expect(compareGolden(expected, actual).diff).toEqual([
      { pointer: "/body/error", actual: "no" },
      { pointer: "/body/extra", expected: true },
      { pointer: "/body/id", expected: "x", actual: "y" },
      { pointer: "/deliveries/1", expected: { target: "b" } },
      { pointer: "/status", expected: 200, actual: 401 },
    ]);
  });

  test("pointer tokens are escaped (~0, ~1) and values of different kinds differ at their own pointer", () => {
    expect(compareGolden({ "a/b": { "c~d": 1 } }, { "a/b": { "c~d": 2 } }).diff).toEqual([
      { pointer: "/a~1b/c~0d", expected: 1, actual: 2 },
    ]);
    expect(compareGolden({ x: [] }, { x: {} }).diff).toEqual([{ pointer: "/x", expected: [], actual: {} }]);
    expect(compareGolden({ x: 1 }, { x: "1" }).diff).toEqual([{ pointer: "/x", expected: 1, actual: "1" }]);
    expect(compareGolden(null, { a: 1 }).diff).toEqual([{ pointer: "", expected: null, actual: { a: 1 } }]);
  });

  test("a deeply nested golden does not overflow the stack", () => {
    let a: unknown = 1;
    let b: unknown = 2;
    for (let i = 0; i < 20_000; i += 1) {
      a = { n: a };
      b = { n: b };
    }
    const { diff } = compareGolden(a, b);
    expect(diff).toHaveLength(1);
    expect(diff[0]?.pointer).toBe("/n".repeat(20_000));
  });

  test("the same inputs give the same list, in the same order", () => {
    const e = { z: 1, a: [1, 2, 3], m: { q: 1, b: 2 } };
    const a = { z: 2, a: [3], m: { b: 3 }, n: 0 };
    expect(compareGolden(e, a)).toEqual(compareGolden(structuredClone(e), structuredClone(a)));
  });
});

describe("renderGolden and goldenChange", () => {
  test("canonical JSON: sorted keys, 2-space indent, trailing newline", () => {
    expect(renderGolden({ status: 200, body: { b: 1, a: [] }, interaction: null })).toBe(
      '{\n  "body": {\n    "a": [],\n    "b": 1\n  },\n  "interaction": null,\n  "status": 200\n}\n',
    );
  });

  test("created, updated or unchanged, by bytes", () => {
    const text = renderGolden({ status: 200 });
    expect(goldenChange(undefined, text)).toBe("created");
    expect(goldenChange(Buffer.from(text), text)).toBe("unchanged");
    expect(goldenChange(Buffer.from(text.trimEnd()), text)).toBe("updated");
  });

  test("differences read as one line each", () => {
    expect(describeDifference({ pointer: "/status", expected: 200, actual: 401 })).toBe("/status: expected 200, got 401");
    expect(describeDifference({ pointer: "/a", expected: 1 })).toBe("/a: expected 1, missing from the result");
    expect(describeDifference({ pointer: "", actual: { b: 1 } })).toBe('(the whole result): not in the golden, got {"b":1}');
    expect(describeDifference({ pointer: "/x", expected: "y".repeat(500), actual: 1 }, 20)).toBe(
      `/x: expected "${"y".repeat(18)}…, got 1`,
    );
  });
});
