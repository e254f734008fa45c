import { describe, expect, it } from "vitest";
import { LruCache } from "./lru-cache";

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
});
