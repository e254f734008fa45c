import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  escapePointerToken,
  formatPath,
  getPath,
  getSegments,
  isRequestPath,
  MAX_PATH_LENGTH,
  MAX_QUERY_PARAMS,
  parseRequestPath,
  queryParams,
  readPath,
  unreadableHeaderReason,
  MAX_PATH_SEGMENTS,
  parsePath,
  pathToPointer,
  type PathSegment,
} from "./paths";

describe("parsePath", () => {
  it.each<[string, PathSegment[]]>([
    ["id", ["id"]],
    ["data.object.id", ["data", "object", "id"]],
    ["items[0].sku", ["items", 0, "sku"]],
    ["a.b[2][1].c", ["a", "b", 2, 1, "c"]],
    ["[0].id", [0, "id"]],
    ["[3]", [3]],
    ["matrix[10][0]", ["matrix", 10, 0]],
    ["headers.content-type", ["headers", "content-type"]],
    ["user name.first", ["user name", "first"]],
    ["données.clé", ["données", "clé"]],
    ["a.0", ["a", "0"]],
    ["$ref.~x/y", ["$ref", "~x/y"]],
    ["__proto__x.proto", ["__proto__x", "proto"]],
  ])("parses %s", (path, segments) => {
    expect(parsePath(path)).toEqual({ ok: true, segments });
  });

  it.each([
    ["", /empty/],
    [".a", /Empty segment at position 0/],
    ["a.", /Empty segment/],
    ["a..b", /Empty segment at position 2/],
    ["a.[0]", /Empty segment/],
    ["a[", /Malformed array index/],
    ["a[]", /Malformed array index/],
    ["a[x]", /Malformed array index/],
    ["a[-1]", /Malformed array index/],
    ["a[01]", /Malformed array index/],
    ["a[1.5]", /Malformed array index/],
    ["a[ 1]", /Malformed array index/],
    ["a[0]b", /Expected "\." or "\[" after "\]"/],
    ["a[0]]", /after "\]"/],
    ["a]b", /Unexpected "\]"/],
    ["]", /Unexpected "\]"/],
    ["a[99999999999999999999]", /too large/],
    ["__proto__", /"__proto__" is not allowed/],
    ["a.__proto__.b", /"__proto__" is not allowed/],
    ["constructor.prototype", /"constructor" is not allowed/],
    ["a.prototype", /"prototype" is not allowed/],
    ["a[0].constructor", /"constructor" is not allowed/],
  ])("rejects %j", (path, message) => {
    const parsed = parsePath(path);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });

  it("rejects non-strings at runtime", () => {
    expect(parsePath(42 as unknown as string)).toEqual({ ok: false, message: "Path must be a string" });
  });

  it("caps length and segment count", () => {
    expect(parsePath("a".repeat(MAX_PATH_LENGTH)).ok).toBe(true);
    const long = parsePath("a".repeat(MAX_PATH_LENGTH + 1));
    expect(long).toEqual({ ok: false, message: `Path must be at most ${MAX_PATH_LENGTH} characters` });

    const atLimit = Array.from({ length: MAX_PATH_SEGMENTS }, () => "a").join(".");
    expect(parsePath(atLimit).ok).toBe(true);
    const over = parsePath(`${atLimit}.a`);
    expect(over).toEqual({ ok: false, message: `Path must have at most ${MAX_PATH_SEGMENTS} segments` });
    expect(parsePath("[0]".repeat(MAX_PATH_SEGMENTS + 1)).ok).toBe(false);
  });
});

describe("getPath", () => {
  const payload = {
    data: { object: { id: "evt_1", amount: 0, flag: false, nothing: null } },
    items: [{ sku: "A" }, { sku: "B", tags: ["x", ["y", "z"]] }],
    "content-type": "json",
    obj: { "0": "zero-key" },
  };

  it("reads nested values, indexes and falsy values", () => {
    expect(getPath(payload, "data.object.id")).toBe("evt_1");
    expect(getPath(payload, "data.object.amount")).toBe(0);
    expect(getPath(payload, "data.object.flag")).toBe(false);
    expect(getPath(payload, "data.object.nothing")).toBeNull();
    expect(getPath(payload, "items[1].sku")).toBe("B");
    expect(getPath(payload, "items[1].tags[1][0]")).toBe("y");
    expect(getPath(payload, "content-type")).toBe("json");
    expect(getPath([{ id: 7 }], "[0].id")).toBe(7);
  });

  it("returns undefined for anything missing or mistyped", () => {
    expect(getPath(payload, "data.missing.id")).toBeUndefined();
    expect(getPath(payload, "items[5].sku")).toBeUndefined();
    expect(getPath(payload, "data.object.id.length")).toBeUndefined(); // no walking into strings
    expect(getPath(payload, "data[0]")).toBeUndefined(); // index on an object
    expect(getPath(payload, "items.0")).toBeUndefined(); // key on an array
    expect(getPath(payload, "items.length")).toBeUndefined();
    expect(getPath(payload, "obj.0")).toBe("zero-key");
    expect(getPath(payload, "obj[0]")).toBeUndefined();
    expect(getPath(null, "a")).toBeUndefined();
    expect(getPath("str", "length")).toBeUndefined();
    expect(getPath(payload, "a..b")).toBeUndefined(); // invalid path
    expect(getPath(payload, "")).toBeUndefined();
  });

  it("never walks the prototype chain", () => {
    expect(getPath({}, "toString")).toBeUndefined();
    expect(getPath({}, "hasOwnProperty")).toBeUndefined();
    expect(getPath({ a: {} }, "a.__proto__")).toBeUndefined();
    expect(getPath({ a: {} }, "a.constructor")).toBeUndefined();
    expect(getPath([], "[0]")).toBeUndefined();
    const inherited = Object.create({ secret: 1 }) as object;
    expect(getPath(inherited, "secret")).toBeUndefined();
    // JSON.parse creates an own "__proto__" key; the path is still refused.
    expect(getPath(JSON.parse('{"__proto__":{"x":1}}'), "__proto__.x")).toBeUndefined();
  });

  it("does not invoke getters and survives hostile objects", () => {
    let called = false;
    const withGetter = Object.defineProperty({}, "g", {
      get() {
        called = true;
        return 1;
      },
      enumerable: true,
    });
    expect(getPath(withGetter, "g")).toBeUndefined();
    expect(called).toBe(false);
    const hostile = new Proxy(
      {},
      {
        getOwnPropertyDescriptor() {
          throw new Error("boom");
        },
      },
    );
    expect(getPath({ h: hostile }, "h.x")).toBeUndefined();
  });

  it("skips array holes", () => {
    expect(getPath({ a: [1, , 3] }, "a[1]")).toBeUndefined();
    expect(getSegments({ a: [1, 2] }, ["a", 1])).toBe(2);
  });

  it("serves the same answer from its cache", () => {
    for (let i = 0; i < 3; i += 1) expect(getPath(payload, "items[0].sku")).toBe("A");
    // More distinct paths than the cache holds still resolve correctly.
    const big: Record<string, number> = {};
    for (let i = 0; i < 1500; i += 1) big[`k${i}`] = i;
    for (let i = 0; i < 1500; i += 1) expect(getPath(big, `k${i}`)).toBe(i);
    expect(getPath(big, "k3")).toBe(3);
  });
});

describe("pathToPointer / formatPath", () => {
  it("converts to RFC 6901 pointers", () => {
    expect(pathToPointer("items[0].sku")).toBe("/items/0/sku");
    expect(pathToPointer("data.object.id")).toBe("/data/object/id");
    expect(pathToPointer("a~b.c/d")).toBe("/a~0b/c~1d");
    expect(pathToPointer("[2]")).toBe("/2");
    expect(pathToPointer("")).toBe("");
    expect(escapePointerToken("~/")).toBe("~0~1");
  });

  it("labels invalid paths on a best-effort basis without throwing", () => {
    expect(pathToPointer("a..b")).toBe("/a/b");
    expect(pathToPointer("a.__proto__")).toBe("/a/__proto__");
  });

  it("formats segments and refuses unrepresentable keys", () => {
    expect(formatPath(["a", 0, "b", 1, 2])).toBe("a[0].b[1][2]");
    expect(formatPath([0, "id"])).toBe("[0].id");
    expect(formatPath([])).toBeNull();
    expect(formatPath(["a.b"])).toBeNull();
    expect(formatPath(["__proto__"])).toBeNull();
    expect(formatPath([-1])).toBeNull();
  });
});

describe("property tests", () => {
  const forbidden = new Set(["__proto__", "constructor", "prototype"]);
  const key = fc.string({ minLength: 1, maxLength: 8, unit: "grapheme" }).filter((s) => !/[.[\]]/.test(s) && !forbidden.has(s));
  const segment: fc.Arbitrary<PathSegment> = fc.oneof(key, fc.nat({ max: 5 }));

  const objectPrototypeValues = new Set<unknown>(
    Object.getOwnPropertyNames(Object.prototype).map(
      (n) => Object.getOwnPropertyDescriptor(Object.prototype, n)?.value as unknown,
    ),
  );
  objectPrototypeValues.add(Object.prototype);
  objectPrototypeValues.delete(undefined);

  it("getPath never throws and never returns something from Object.prototype", () => {
    const pathLike = fc.oneof(
      fc.string(),
      fc.constantFrom("toString", "constructor", "__proto__", "valueOf", "hasOwnProperty", "a.toString", "[0].constructor"),
      fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => formatPath(s) ?? "x"),
    );
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withBoxedValues: true, withMap: true }), pathLike, (value, path) => {
        const result = getPath(value, path);
        expect(objectPrototypeValues.has(result)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it("round-trips: a value placed at random segments is read back at their formatted path", () => {
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 10 }), fc.jsonValue(), (segments, leaf) => {
        // Build the container from the leaf outwards.
        let built: unknown = leaf;
        for (let i = segments.length - 1; i >= 0; i -= 1) {
          const s = segments[i] as PathSegment;
          if (typeof s === "number") {
            const arr: unknown[] = Array.from({ length: s + 1 }, () => null);
            arr[s] = built;
            built = arr;
          } else {
            const obj: Record<string, unknown> = {};
            Object.defineProperty(obj, s, { value: built, enumerable: true, writable: true, configurable: true });
            built = obj;
          }
        }
        const path = formatPath(segments);
        expect(path).not.toBeNull();
        const parsed = parsePath(path as string);
        expect(parsed).toEqual({ ok: true, segments });
        expect(getPath(built, path as string)).toEqual(leaf);
        expect(pathToPointer(path as string)).toBe(segments.map((s) => `/${escapePointerToken(s)}`).join(""));
      }),
      { numRuns: 1000 },
    );
  });

  it("parsePath never throws on arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 600 }), (s) => {
        const parsed = parsePath(s);
        if (parsed.ok) {
          expect(parsed.segments.length).toBeGreaterThan(0);
          for (const seg of parsed.segments) expect(forbidden.has(String(seg)) && typeof seg === "string").toBe(false);
        } else {
          expect(parsed.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe("request paths", () => {
  const request = {
    headers: { "x-github-event": "pull_request", "x-multi": "a, b" },
    query: { tenant: "acme", "": "x" },
  };

  it("reads headers case-insensitively, the query, and the body ($body. for a key that begins with $)", () => {
    const body = { $ref: "r1", data: { id: 7 } };
    expect(readPath(body, "$headers.X-GitHub-Event", request)).toBe("pull_request");
    expect(readPath(body, "$headers.x-multi", request)).toBe("a, b");
    expect(readPath(body, "$query.tenant", request)).toBe("acme");
    expect(readPath(body, "$body.$ref", request)).toBe("r1");
    expect(readPath(body, "$body.data.id", request)).toBe(7);
    expect(readPath(body, "data.id", request)).toBe(7);
    // Missing: undefined, never the body's value of the same name.
    expect(readPath({ tenant: "body" }, "$query.missing", request)).toBeUndefined();
    expect(readPath(body, "$headers.x-absent", request)).toBeUndefined();
    // Without a request (a caller that has none), request paths find nothing.
    expect(readPath(body, "$headers.x-github-event")).toBeUndefined();
  });

  it("finds a header stored with its original case, and joins a repeated one", () => {
    const headers = { "X-Shopify-Topic": "orders/create", "x-list": ["a", "b"] } as unknown as Record<string, string>;
    expect(readPath({}, "$headers.x-shopify-topic", { headers, query: {} })).toBe("orders/create");
    expect(readPath({}, "$headers.x-list", { headers, query: {} })).toBe("a, b");
  });

  it("never reaches the prototype chain through a request path", () => {
    expect(readPath({}, "$query.__proto__", request)).toBeUndefined();
    expect(readPath({}, "$query.constructor", request)).toBeUndefined();
    expect(readPath({}, "$headers.constructor", request)).toBeUndefined();
    expect(readPath({}, "$headers.hasOwnProperty", { headers: {}, query: {} })).toBeUndefined();
  });

  it("refuses an unknown $ root, an empty name, a bad header name and bad body paths", () => {
    expect(parseRequestPath("$header.x")).toMatchObject({ ok: false, message: expect.stringContaining('"$header" is not a request path') });
    expect(parseRequestPath("$foo")).toMatchObject({ ok: false });
    expect(parseRequestPath("$headers.")).toMatchObject({ ok: false, message: expect.stringContaining("needs a name") });
    expect(parseRequestPath("$headers")).toMatchObject({ ok: false });
    expect(parseRequestPath("$headers.bad name")).toMatchObject({ ok: false, message: '"bad name" is not a header name' });
    expect(parseRequestPath("$body.a..b")).toMatchObject({ ok: false });
    expect(parseRequestPath("$query.__proto__")).toMatchObject({ ok: false });
    expect(parseRequestPath("$headers.X-GitHub-Event")).toEqual({ ok: true, from: "header", name: "x-github-event" });
    expect(parseRequestPath("$query.a.b")).toEqual({ ok: true, from: "query", name: "a.b" });
    expect(parseRequestPath("data.id")).toEqual({ ok: true, from: "body", segments: ["data", "id"] });
    expect(isRequestPath("$headers.x")).toBe(true);
    expect(isRequestPath("$body.x")).toBe(false);
  });

  it("refuses headers that carry a signature or a credential, and the source's own signature header", () => {
    for (const name of ["authorization", "Cookie", "x-api-key", "x-hub-signature-256", "x-auth-token", "x-client-secret", "stripe-signature", "x-my-api-key"]) {
      expect(unreadableHeaderReason(`$headers.${name}`), name).toMatch(/signature or a credential/);
    }
    expect(unreadableHeaderReason("$headers.x-acme-check", ["x-acme-check"])).toMatch(/x-acme-check/);
    expect(unreadableHeaderReason("$headers.x-github-delivery")).toBeNull();
    expect(unreadableHeaderReason("$query.token")).toBeNull();
    expect(unreadableHeaderReason("data.authorization")).toBeNull();
  });

  it("keeps the first value of each query parameter, within bounds", () => {
    expect(queryParams("?sync=true&tenant=a&tenant=b&x=%20y")).toEqual({ sync: "true", tenant: "a", x: " y" });
    expect(queryParams("__proto__=1&constructor=2&ok=3")).toEqual({ ok: "3" });
    expect(Object.getPrototypeOf(queryParams("__proto__=1"))).toBe(Object.prototype);
    expect(queryParams("a=%00b&c=d")).toEqual({ c: "d" });
    const many = Array.from({ length: 100 }, (_, i) => `p${i}=${i}`).join("&");
    expect(Object.keys(queryParams(many))).toHaveLength(MAX_QUERY_PARAMS);
    expect(queryParams(`long=${"x".repeat(3000)}`)).toEqual({});
  });
});
