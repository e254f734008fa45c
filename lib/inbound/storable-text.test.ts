import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hasUnstorableText, storableJson, toStorableText } from "./storable-text";

describe("toStorableText", () => {
  it("replaces NUL and unpaired surrogates, keeps everything else", () => {
    expect(toStorableText("a\u0000b")).toBe("a\ufffdb");
    expect(toStorableText("x\ud800")).toBe("x\ufffd");
    expect(toStorableText("\udc00y")).toBe("\ufffdy");
    expect(toStorableText("\udc00\ud800")).toBe("\ufffd\ufffd");
    expect(toStorableText("emoji \ud83d\ude00 ok")).toBe("emoji \ud83d\ude00 ok");
    expect(toStorableText("é\\u0000 literal text")).toBe("é\\u0000 literal text");
  });

  it("the result is always well-formed and NUL-free", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const out = toStorableText(s);
        expect(hasUnstorableText(out)).toBe(false);
        expect(out.length).toBe(s.length);
        // Well-formed: survives a UTF-8 round trip unchanged.
        expect(new TextDecoder().decode(new TextEncoder().encode(out))).toBe(out);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("storableJson", () => {
  it("is JSON.stringify when nothing needs replacing", () => {
    const v = { a: "b", n: 1, list: ["x", null, true], s: "back\\u0000slash" };
    expect(storableJson(v)).toBe(JSON.stringify(v));
  });

  it("replaces in strings and keys at any depth", () => {
    expect(JSON.parse(storableJson({ "k\u0000": ["v\ud800", { deep: "\u0000" }] }))).toEqual({ "k\ufffd": ["v\ufffd", { deep: "\ufffd" }] });
  });

  it("never emits an escape jsonb refuses", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.string({ unit: "binary" }), (v, s) => {
        const text = storableJson({ v, s, [s]: s });
        expect(text).not.toMatch(/(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i);
      }),
      { numRuns: 2000 },
    );
  });
});
