import { describe, expect, it } from "vitest";
import { createLoginLimiter, LOGIN_EMAIL_LIMIT, LOGIN_IP_LIMIT, SlidingWindowLimiter } from "./rate-limit";

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("SlidingWindowLimiter", () => {
  it("allows `limit` failures, then refuses with the seconds until the oldest one ages out", () => {
    const c = clock();
    const l = new SlidingWindowLimiter({ limit: 3, windowMs: 60_000, now: c.now });
    for (let i = 0; i < 3; i++) {
      expect(l.check("k")).toEqual({ allowed: true });
      l.record("k");
      c.advance(10_000);
    }
    // Failures at 0 s, 10 s, 20 s; now 30 s: the first frees its slot at 60 s.
    expect(l.check("k")).toEqual({ allowed: false, retryAfter: 30 });
    c.advance(29_000);
    expect(l.check("k")).toEqual({ allowed: false, retryAfter: 1 });
    c.advance(1_000);
    expect(l.check("k")).toEqual({ allowed: true });
  });

  it("slides: old failures stop counting one by one, not all at once", () => {
    const c = clock();
    const l = new SlidingWindowLimiter({ limit: 2, windowMs: 60_000, now: c.now });
    l.record("k");
    c.advance(50_000);
    l.record("k");
    expect(l.check("k").allowed).toBe(false);
    c.advance(10_000); // the first failure is now 60 s old
    expect(l.check("k").allowed).toBe(true);
    l.record("k");
    expect(l.check("k")).toEqual({ allowed: false, retryAfter: 50 });
  });

  it("keeps keys apart and forgets a key on reset", () => {
    const l = new SlidingWindowLimiter({ limit: 1, windowMs: 60_000 });
    l.record("a");
    expect(l.check("a").allowed).toBe(false);
    expect(l.check("b").allowed).toBe(true);
    l.reset("a");
    expect(l.check("a").allowed).toBe(true);
  });

  it("never reports less than one second to wait", () => {
    const c = clock();
    const l = new SlidingWindowLimiter({ limit: 1, windowMs: 500, now: c.now });
    l.record("k");
    c.advance(499);
    expect(l.check("k")).toEqual({ allowed: false, retryAfter: 1 });
  });

  it("bounds memory: the least recently failed keys are dropped past maxKeys", () => {
    const l = new SlidingWindowLimiter({ limit: 1, windowMs: 60_000, maxKeys: 3 });
    for (const k of ["a", "b", "c", "d"]) l.record(k);
    expect(l.size).toBe(3);
    expect(l.check("a").allowed).toBe(true);
    expect(l.check("d").allowed).toBe(false);
  });

  it("drops keys whose failures have all expired", () => {
    const c = clock();
    const l = new SlidingWindowLimiter({ limit: 5, windowMs: 1_000, now: c.now });
    l.record("k");
    c.advance(1_000);
    l.check("k");
    expect(l.size).toBe(0);
  });

  it("rejects nonsensical settings", () => {
    expect(() => new SlidingWindowLimiter({ limit: 0, windowMs: 1 })).toThrow();
    expect(() => new SlidingWindowLimiter({ limit: 1, windowMs: 0 })).toThrow();
  });
});

describe("login limiter", () => {
  it("locks an email after 10 failures for up to 15 minutes, whatever the IP", () => {
    const c = clock();
    const l = createLoginLimiter({ now: c.now });
    expect(LOGIN_EMAIL_LIMIT).toEqual({ limit: 10, windowMs: 15 * 60_000 });
    for (let i = 0; i < 10; i++) {
      expect(l.check(`10.0.0.${i}`, "ada@example.com").allowed).toBe(true);
      l.recordFailure(`10.0.0.${i}`, "ada@example.com");
    }
    expect(l.check("10.9.9.9", "ada@example.com")).toEqual({ allowed: false, retryAfter: 900 });
    // Case and surrounding spaces do not make a new key.
    expect(l.check("10.9.9.9", "  ADA@example.com ").allowed).toBe(false);
    expect(l.check("10.9.9.9", "grace@example.com").allowed).toBe(true);
  });

  it("locks an IP after 100 failures across any emails", () => {
    const l = createLoginLimiter();
    expect(LOGIN_IP_LIMIT.limit).toBe(100);
    for (let i = 0; i < 100; i++) l.recordFailure("10.0.0.1", `user${i}@example.com`);
    expect(l.check("10.0.0.1", "new@example.com").allowed).toBe(false);
    expect(l.check("10.0.0.2", "new@example.com").allowed).toBe(true);
  });

  it("a successful sign-in clears the account's failures but not the IP's", () => {
    const l = createLoginLimiter();
    for (let i = 0; i < 9; i++) l.recordFailure("10.0.0.1", "ada@example.com");
    l.recordSuccess("Ada@Example.com");
    for (let i = 0; i < 9; i++) l.recordFailure("10.0.0.1", "ada@example.com");
    expect(l.check("10.0.0.1", "ada@example.com").allowed).toBe(true);
    for (let i = 0; i < 82; i++) l.recordFailure("10.0.0.1", `x${i}@example.com`);
    // 9 + 9 + 82 = 100 failures from this IP.
    expect(l.check("10.0.0.1", "ada@example.com").allowed).toBe(false);
  });

  it("reports the longer wait when both keys are locked", () => {
    const c = clock();
    const l = createLoginLimiter({ now: c.now });
    for (let i = 0; i < 100; i++) l.recordFailure("10.0.0.1", `user${i}@example.com`);
    c.advance(5 * 60_000);
    for (let i = 0; i < 10; i++) l.recordFailure("10.0.0.2", "ada@example.com");
    expect(l.check("10.0.0.1", "ada@example.com")).toEqual({ allowed: false, retryAfter: 900 });
    expect(l.check("10.0.0.1", "other@example.com")).toEqual({ allowed: false, retryAfter: 600 });
  });
});
