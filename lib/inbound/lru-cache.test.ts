import { describe, expect, it } from "vitest";
import { LruCache, stringBytes } from "./lru-cache";

describe("LruCache", () => {
  it("evicts the least recently used entry once full", () => {
    const c = new LruCache<string, number>(2);
    c.set("a", 1);
    c.set("b", 2);
    expect(c.get("a")).toBe(1); // a is now the most recent
    c.set("c", 3);
    expect(c.has("b")).toBe(false);
    expect(c.get("a")).toBe(1);
    expect(c.get("c")).toBe(3);
    expect(c.size).toBe(2);
  });

  it("overwriting a key refreshes it without growing", () => {
    const c = new LruCache<string, number>(2);
    c.set("a", 1);
    c.set("b", 2);
    c.set("a", 10);
    c.set("c", 3);
    expect(c.has("b")).toBe(false);
    expect(c.get("a")).toBe(10);
    expect(c.size).toBe(2);
  });

  it("stores undefined-like values faithfully and supports delete/clear", () => {
    const c = new LruCache<string, number | null>(3);
    c.set("n", null);
    expect(c.has("n")).toBe(true);
    expect(c.get("n")).toBeNull();
    expect(c.get("missing")).toBeUndefined();
    expect(c.delete("n")).toBe(true);
    expect(c.has("n")).toBe(false);
    c.set("x", 1);
    c.clear();
    expect(c.size).toBe(0);
  });

  it("rejects a non-positive size", () => {
    expect(() => new LruCache(0)).toThrow(RangeError);
    expect(() => new LruCache(1.5)).toThrow(RangeError);
  });

  it("is bounded by bytes as well: long keys evict the oldest entries long before the count bound", () => {
    const c = new LruCache<string, number>(10_000, { maxBytes: 100_000, sizeOf: (key) => stringBytes(key) });
    // What one request of the remote-crash attack cached: a 15,000-character key with a
    // character past Latin-1 (V8 then stores every character in two bytes).
    const key = (i: number) => `${i}:${"a".repeat(15_000)}\u4e00`;
    for (let i = 0; i < 12_000; i++) c.set(key(i), i);
    expect(c.bytes).toBeLessThanOrEqual(100_000);
    expect(c.size).toBe(Math.floor(100_000 / stringBytes(key(11_999))));
    expect(c.get(key(11_999))).toBe(11_999);
    expect(c.has(key(0))).toBe(false);
  });

  it("does not store an entry bigger than the whole byte bound, and keeps the others", () => {
    const c = new LruCache<string, string>(10, { maxBytes: 1_000, sizeOf: (_, v) => v.length });
    expect(c.set("small", "x".repeat(100))).toBe(true);
    expect(c.set("huge", "x".repeat(1_001))).toBe(false);
    expect(c.has("huge")).toBe(false);
    expect(c.get("small")).toBe("x".repeat(100));
    expect(c.bytes).toBe(100);
  });

  it("accounts bytes through overwrite, delete, deleteWhere and clear; a size given to set wins", () => {
    const c = new LruCache<string, string>(10, { maxBytes: 1_000, sizeOf: (_, v) => v.length });
    c.set("a", "1234");
    c.set("b", "12");
    c.set("a", "123456");
    expect(c.bytes).toBe(8);
    c.set("c", "z", 500);
    expect(c.bytes).toBe(508);
    expect(c.deleteWhere((k) => k !== "b")).toBe(2);
    expect([c.size, c.bytes]).toEqual([1, 2]);
    c.delete("b");
    expect(c.bytes).toBe(0);
    c.set("d", "1234");
    c.clear();
    expect([c.size, c.bytes]).toEqual([0, 0]);
  });

  it("rejects a non-positive byte bound", () => {
    expect(() => new LruCache(1, { maxBytes: 0 })).toThrow(RangeError);
  });
});
