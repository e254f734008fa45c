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

  it("evicts least recently used entries to stay within a byte budget", () => {
    const c = new LruCache<string, string>({ maxEntries: 100, maxBytes: 10, sizeOf: (_k, v) => v.length });
    c.set("a", "xxxx");
    c.set("b", "xxxx");
    c.get("a");
    c.set("c", "xxxx"); // 12 bytes: b (least recently used) goes
    expect([...c.entries()].map(([k]) => k)).toEqual(["a", "c"]);
    expect(c.bytes).toBe(8);
    c.set("a", "x"); // replacing an entry re-weighs it
    expect(c.bytes).toBe(5);
    c.delete("c");
    expect(c.bytes).toBe(1);
    c.clear();
    expect(c.bytes).toBe(0);
  });

  it("does not keep an entry larger than the whole budget, nor let it flush the rest", () => {
    const c = new LruCache<string, string>({ maxEntries: 100, maxBytes: 10, sizeOf: (k, v) => k.length + v.length });
    c.set("a", "1");
    c.set("huge", "x".repeat(100));
    expect(c.has("huge")).toBe(false);
    expect(c.get("a")).toBe("1");
  });

  it("a flood of distinct large keys stays within its bounds", () => {
    const c = new LruCache<string, null>({ maxEntries: 10_000, maxBytes: 1024 * 1024, sizeOf: (k) => stringBytes(k) });
    for (let i = 0; i < 2_000; i++) c.set(`${"k".repeat(15_000)}\u0416${i}`, null);
    expect(c.bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(c.size).toBeLessThanOrEqual(35);
  });
});

