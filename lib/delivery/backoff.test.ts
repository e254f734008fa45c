import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exponentialCeilingMs, MAX_DELAY_MS, MIN_DELAY_MS, nextDelayMs } from "./backoff";

const attempt = fc.integer({ min: 1, max: 40 });
const initial = fc.integer({ min: 1, max: 3600 });
// A draw in [0, 1), like Math.random.
const draw = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe("nextDelayMs: exponential with full jitter", () => {
  it("doubles the ceiling per attempt from the initial delay", () => {
    const top = () => 0.999_999;
    expect(nextDelayMs({ attempt: 1, backoff: "exponential", initialDelaySeconds: 5, random: top })).toBe(5_000);
    expect(nextDelayMs({ attempt: 2, backoff: "exponential", initialDelaySeconds: 5, random: top })).toBe(10_000);
    expect(nextDelayMs({ attempt: 3, backoff: "exponential", initialDelaySeconds: 5, random: top })).toBe(20_000);
    expect(nextDelayMs({ attempt: 4, backoff: "exponential", initialDelaySeconds: 5, random: top })).toBe(40_000);
  });

  it("scales the draw over the whole range (full jitter), floored at MIN_DELAY_MS", () => {
    const at = (r: number) => nextDelayMs({ attempt: 3, backoff: "exponential", initialDelaySeconds: 10, random: () => r });
    expect(at(0.5)).toBe(20_000); // half of 10 s · 2^2
    expect(at(0.25)).toBe(10_000);
    expect(at(0)).toBe(MIN_DELAY_MS);
    expect(at(0.01)).toBe(MIN_DELAY_MS); // 400 ms would retry a failing target almost at once
  });

  it("caps at one hour however many attempts were made", () => {
    expect(MAX_DELAY_MS).toBe(3_600_000);
    expect(nextDelayMs({ attempt: 20, backoff: "exponential", initialDelaySeconds: 5, random: () => 0.999_999 })).toBe(
      Math.round(0.999_999 * MAX_DELAY_MS),
    );
    expect(exponentialCeilingMs(10_000, 3600)).toBe(MAX_DELAY_MS); // 2^9999 overflows to Infinity; still capped
  });

  it("property: always within [MIN_DELAY_MS, min(MAX_DELAY_MS, ceiling)] ∪ {MIN_DELAY_MS}", () => {
    fc.assert(
      fc.property(attempt, initial, draw, (n, init, r) => {
        const d = nextDelayMs({ attempt: n, backoff: "exponential", initialDelaySeconds: init, random: () => r });
        const ceiling = exponentialCeilingMs(n, init);
        expect(Number.isInteger(d)).toBe(true);
        expect(d).toBeGreaterThanOrEqual(MIN_DELAY_MS);
        expect(d).toBeLessThanOrEqual(Math.max(MIN_DELAY_MS, ceiling));
        expect(d).toBeLessThanOrEqual(MAX_DELAY_MS);
      }),
    );
  });

  it("property: the ceiling never decreases from one attempt to the next, and never exceeds the cap", () => {
    fc.assert(
      fc.property(attempt, initial, (n, init) => {
        const a = exponentialCeilingMs(n, init);
        const b = exponentialCeilingMs(n + 1, init);
        expect(b).toBeGreaterThanOrEqual(a);
        expect(b).toBeLessThanOrEqual(MAX_DELAY_MS);
        // Strictly doubling until the cap is reached.
        if (a * 2 <= MAX_DELAY_MS) expect(b).toBe(a * 2);
      }),
    );
  });

  it("property: for a fixed draw, a later attempt never waits less", () => {
    fc.assert(
      fc.property(attempt, initial, draw, (n, init, r) => {
        const now = nextDelayMs({ attempt: n, backoff: "exponential", initialDelaySeconds: init, random: () => r });
        const later = nextDelayMs({ attempt: n + 1, backoff: "exponential", initialDelaySeconds: init, random: () => r });
        expect(later).toBeGreaterThanOrEqual(now);
      }),
    );
  });

  it("stays in bounds when the random source misbehaves", () => {
    for (const r of [Number.NaN, -1, 1, 7, Number.POSITIVE_INFINITY]) {
      const d = nextDelayMs({ attempt: 3, backoff: "exponential", initialDelaySeconds: 10, random: () => r });
      expect(d).toBeGreaterThanOrEqual(MIN_DELAY_MS);
      expect(d).toBeLessThanOrEqual(40_000);
    }
  });

  it("treats a nonsensical attempt count as the first attempt", () => {
    for (const n of [0, -3, Number.NaN]) {
      expect(exponentialCeilingMs(n, 5)).toBe(5_000);
    }
  });

  it("uses Math.random by default and stays in bounds", () => {
    for (let i = 0; i < 50; i++) {
      const d = nextDelayMs({ attempt: 2, backoff: "exponential", initialDelaySeconds: 30 });
      expect(d).toBeGreaterThanOrEqual(MIN_DELAY_MS);
      expect(d).toBeLessThanOrEqual(60_000);
    }
  });
});

describe("nextDelayMs: fixed", () => {
  it("property: is the initial delay for every attempt and every draw", () => {
    fc.assert(
      fc.property(attempt, initial, draw, (n, init, r) => {
        expect(nextDelayMs({ attempt: n, backoff: "fixed", initialDelaySeconds: init, random: () => r })).toBe(init * 1_000);
      }),
    );
  });

  it("never consults the random source", () => {
    let calls = 0;
    nextDelayMs({ attempt: 4, backoff: "fixed", initialDelaySeconds: 5, random: () => (calls++, 0.5) });
    expect(calls).toBe(0);
  });

  it("keeps out-of-range settings within the floor and cap", () => {
    expect(nextDelayMs({ attempt: 1, backoff: "fixed", initialDelaySeconds: 0 })).toBe(MIN_DELAY_MS);
    expect(nextDelayMs({ attempt: 1, backoff: "fixed", initialDelaySeconds: 0.2 })).toBe(MIN_DELAY_MS);
    expect(nextDelayMs({ attempt: 1, backoff: "fixed", initialDelaySeconds: 86_400 })).toBe(MAX_DELAY_MS);
    expect(nextDelayMs({ attempt: 1, backoff: "fixed", initialDelaySeconds: Number.NaN })).toBe(MIN_DELAY_MS);
  });
});
