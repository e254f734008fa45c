import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  hasUnstorableText,
  toStorableJson,
  toStorableText,
  toStorableValue,
  unstorableTextPointers,
  unstorableTextReason,
} from "./storable-text";

const FFFD = "\uFFFD";

/** What PostgreSQL's jsonb input refuses, checked on JSON text as its parser would see it. */
function jsonbWouldRefuse(text: string): boolean {
  // Any \u0000 escape, or a \uD800–\uDFFF escape not forming a pair (JSON.stringify never
  // writes a valid pair as escapes), outside an escaped backslash.
  return /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i.test(text);
}

describe("storable text", () => {
  it("finds U+0000 and unpaired surrogates, and nothing in ordinary or paired text", () => {
    for (const s of ["a\u0000b", "\ud800", "x\ud800y", "\udc00", "a\udfff", "\ud83d\ud83d\ude00x\ude00"]) expect(hasUnstorableText(s), JSON.stringify(s)).toBe(true);
    for (const s of ["", "plain", "é", "😀", "\ud83d\ude00", "\\u0000", "\u0001\u001f"]) expect(hasUnstorableText(s), JSON.stringify(s)).toBe(false);
    expect(unstorableTextReason("a\u0000")).toBe("must not contain U+0000 (NUL)");
    expect(unstorableTextReason("a\ud800")).toBe("must not contain an unpaired UTF-16 surrogate");
    expect(unstorableTextReason("ok")).toBeNull();
  });

  it("replaces each offending code unit with U+FFFD and keeps the rest", () => {
    expect(toStorableText("a\u0000b\u0000")).toBe(`a${FFFD}b${FFFD}`);
    expect(toStorableText("\ud800\ud83d\ude00\udc00")).toBe(`${FFFD}\ud83d\ude00${FFFD}`);
    expect(toStorableText("é😀")).toBe("é😀");
  });

  it("serializes JSON a jsonb column accepts, strings and keys alike, and says whether it changed anything", () => {
    const value = { "k\u0000": ["a\u0000", { "\ud800": "\udc00x" }], ok: "😀", n: 1, lit: "\\u0000" };
    const out = toStorableJson(value);
    expect(out.altered).toBe(true);
    expect(jsonbWouldRefuse(out.text)).toBe(false);
    expect(JSON.parse(out.text)).toEqual({ [`k${FFFD}`]: [`a${FFFD}`, { [FFFD]: `${FFFD}x` }], ok: "😀", n: 1, lit: "\\u0000" });
    // Untouched values keep the fast path's text exactly.
    expect(toStorableJson({ a: "b", lit: "\\u0000" })).toEqual({ text: '{"a":"b","lit":"\\\\u0000"}', altered: false });
    expect(toStorableJson(undefined)).toEqual({ text: "null", altered: false });
    // The input is not modified.
    expect(Object.keys(value)).toContain("k\u0000");
  });

  it("never produces text jsonb would refuse, for any JSON value (property)", () => {
    const hostile = fc.constantFrom("\u0000", "\ud800", "\udbff", "\udc00", "\udfff", "\\", "\\u0000", "😀", "a");
    const str = fc.array(fc.oneof(hostile, fc.string({ unit: "binary" })), { maxLength: 6 }).map((parts) => parts.join(""));
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: "small" }, str, fc.integer(), fc.boolean(), fc.constant(null), tie("arr"), tie("obj")),
      arr: fc.array(tie("value"), { maxLength: 4 }),
      obj: fc.dictionary(str, tie("value"), { maxKeys: 4 }),
    })).value;
    fc.assert(
      fc.property(json, (v) => {
        const { text, altered } = toStorableJson(v);
        expect(jsonbWouldRefuse(text)).toBe(false);
        if (!altered) expect(text).toBe(JSON.stringify(v));
        expect(unstorableTextPointers(JSON.parse(text))).toEqual([]);
      }),
      { seed: 1111, numRuns: 400 },
    );
  });

  it("returns the same value when nothing needs replacing, a clean copy otherwise", () => {
    const clean = { a: ["b"] };
    expect(toStorableValue(clean)).toBe(clean);
    expect(toStorableValue({ a: ["b\u0000"] })).toEqual({ a: [`b${FFFD}`] });
  });

  it("points at every offending string and key, in document order, however deep", () => {
    expect(unstorableTextPointers({ title: "x\u0000", list: ["ok", "\ud800"], "a/b\u0000": 1, deep: { "~": "\udc00" } })).toEqual([
      { pointer: "/title", message: "must not contain U+0000 (NUL)" },
      { pointer: "/list/1", message: "must not contain an unpaired UTF-16 surrogate" },
      { pointer: "/a~1b\u0000", message: "key must not contain U+0000 (NUL)" },
      { pointer: "/deep/~0", message: "must not contain an unpaired UTF-16 surrogate" },
    ]);
    expect(unstorableTextPointers("\u0000")).toEqual([{ pointer: "", message: "must not contain U+0000 (NUL)" }]);
    let deep: unknown = "\u0000";
    for (let i = 0; i < 10_000; i += 1) deep = [deep];
    expect(unstorableTextPointers(deep)[0]!.pointer).toBe("/0".repeat(10_000));
    expect(unstorableTextPointers(Array.from({ length: 50 }, () => "\u0000"), 5)).toHaveLength(5);
  });
});
