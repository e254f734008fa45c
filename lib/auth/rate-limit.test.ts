import { describe, expect, it } from "vitest";
import { createLoginLimiter, LOGIN_ACCOUNT_LIMIT, LOGIN_DEVICE_LIMIT, LOGIN_IP_LIMIT, LOGIN_PAIR_LIMIT, SlidingWindowLimiter } from "./rate-limit";

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
  const from = (ip: string, device: string | null = null) => ({ ip, device });
  const ADMIN = "admin@acme.local";

  it("ten failures lock that account only for the client that made them (issue 11, item 7)", () => {
    const c = clock();
    const l = createLoginLimiter({ now: c.now });
    expect(LOGIN_PAIR_LIMIT).toEqual({ limit: 10, windowMs: 15 * 60_000 });
    for (let i = 0; i < 10; i++) {
      expect(l.check(from("6.6.6.6"), ADMIN).allowed).toBe(true);
      l.recordFailure(from("6.6.6.6"), ADMIN);
    }
    expect(l.check(from("6.6.6.6"), ADMIN)).toEqual({ allowed: false, retryAfter: 900 });
    // Case and surrounding spaces do not make a new key.
    expect(l.check(from("6.6.6.6"), `  ${ADMIN.toUpperCase()} `).allowed).toBe(false);
    // The owner, from their own address, is not locked out; the attacker may try other accounts.
    expect(l.check(from("198.51.100.9"), ADMIN).allowed).toBe(true);
    expect(l.check(from("6.6.6.6"), "grace@example.com").allowed).toBe(true);
  });

  it("locks an address after 100 failures across any accounts", () => {
    const l = createLoginLimiter();
    expect(LOGIN_IP_LIMIT.limit).toBe(100);
    for (let i = 0; i < 100; i++) l.recordFailure(from("10.0.0.1"), `user${i}@example.com`);
    expect(l.check(from("10.0.0.1"), "new@example.com").allowed).toBe(false);
    expect(l.check(from("10.0.0.2"), "new@example.com").allowed).toBe(true);
  });

  it("an account failed from many addresses slows strangers down, not a browser that signed in before", () => {
    const c = clock();
    const l = createLoginLimiter({ now: c.now });
    expect(LOGIN_ACCOUNT_LIMIT.limit).toBe(100);
    for (let i = 0; i < 100; i++) l.recordFailure(from(`10.0.${i}.1`), ADMIN);
    expect(l.check(from("198.51.100.9"), ADMIN)).toEqual({ allowed: false, retryAfter: 900 });
    // Even from an address that is also locked out entirely.
    for (let i = 0; i < 100; i++) l.recordFailure(from("198.51.100.9"), `user${i}@example.com`);
    expect(l.check(from("198.51.100.9", "owner-device"), ADMIN)).toEqual({ allowed: true });
  });

  it("a device is counted on its own: its failures lock only itself", () => {
    const l = createLoginLimiter();
    expect(LOGIN_DEVICE_LIMIT.limit).toBe(10);
    for (let i = 0; i < 10; i++) l.recordFailure(from("198.51.100.9", "dev-a"), ADMIN);
    expect(l.check(from("198.51.100.9", "dev-a"), ADMIN).allowed).toBe(false);
    expect(l.check(from("198.51.100.9", "dev-b"), ADMIN).allowed).toBe(true);
    expect(l.check(from("198.51.100.9"), ADMIN).allowed).toBe(true);
  });

  it("a successful sign-in clears that client's count for the account, not the address's or the account's", () => {
    const l = createLoginLimiter();
    for (let i = 0; i < 9; i++) l.recordFailure(from("10.0.0.1"), ADMIN);
    l.recordSuccess(from("10.0.0.1"), "Admin@Acme.local");
    for (let i = 0; i < 9; i++) l.recordFailure(from("10.0.0.1"), ADMIN);
    expect(l.check(from("10.0.0.1"), ADMIN).allowed).toBe(true);
    for (let i = 0; i < 82; i++) l.recordFailure(from("10.0.0.1"), `x${i}@example.com`);
    // 9 + 9 + 82 = 100 failures from this address.
    expect(l.check(from("10.0.0.1"), ADMIN).allowed).toBe(false);

    for (let i = 0; i < 9; i++) l.recordFailure(from("10.0.0.2", "dev"), ADMIN);
    l.recordSuccess(from("10.0.0.2", "dev"), ADMIN);
    for (let i = 0; i < 9; i++) l.recordFailure(from("10.0.0.2", "dev"), ADMIN);
    expect(l.check(from("10.0.0.2", "dev"), ADMIN).allowed).toBe(true);
  });

  it("reports the longest wait when several counts are spent", () => {
    const c = clock();
    const l = createLoginLimiter({ now: c.now });
    for (let i = 0; i < 100; i++) l.recordFailure(from("10.0.0.1"), `user${i}@example.com`);
    c.advance(5 * 60_000);
    for (let i = 0; i < 10; i++) l.recordFailure(from("10.0.0.1"), ADMIN);
    expect(l.check(from("10.0.0.1"), ADMIN)).toEqual({ allowed: false, retryAfter: 900 });
    expect(l.check(from("10.0.0.1"), "other@example.com")).toEqual({ allowed: false, retryAfter: 600 });
  });
  it("counts attempts still running: concurrent guesses cannot slip in under the limit (a hash takes a while)", () => {
    const l = createLoginLimiter();
    const admitted = Array.from({ length: 30 }, () => l.begin(from("6.6.6.6"), ADMIN)).filter((a) => a.allowed);
    expect(admitted).toHaveLength(10);
    for (const a of admitted) if (a.allowed) a.settle("failed");
    expect(l.check(from("6.6.6.6"), ADMIN).allowed).toBe(false);
  });

  it("an attempt that succeeded or checked nothing is taken back from every count", () => {
    const l = createLoginLimiter();
    for (let i = 0; i < 94; i++) l.recordFailure(from(`10.7.${i}.1`), ADMIN);
    for (let i = 0; i < 5; i++) l.recordFailure(from("10.0.0.1"), ADMIN); // the account: 99 of 100
    const ok = l.begin(from("10.0.0.1"), ADMIN);
    expect(ok.allowed).toBe(true);
    // While it runs, it counts: the account is at its limit.
    expect(l.check(from("10.0.0.9"), ADMIN).allowed).toBe(false);
    if (ok.allowed) ok.settle("succeeded");
    expect(l.check(from("10.0.0.9"), ADMIN).allowed).toBe(true);
    const busy = l.begin(from("10.0.0.9"), ADMIN);
    if (busy.allowed) busy.settle("void");
    expect(l.check(from("10.0.0.8"), ADMIN).allowed).toBe(true);
    // Settling twice changes nothing.
    if (busy.allowed) busy.settle("void");
    const failed = l.begin(from("10.0.0.9"), ADMIN);
    if (failed.allowed) {
      failed.settle("failed");
      failed.settle("void");
    }
    expect(l.check(from("10.0.0.8"), ADMIN).allowed).toBe(false);
  });
});
