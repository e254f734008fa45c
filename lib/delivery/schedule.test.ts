import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exponentialCeilingMs, MAX_DELAY_MS, MIN_DELAY_MS } from "./backoff";
import { afterAttempt, type AttemptOutcome, type RetryPolicy } from "./schedule";

const NOW = new Date("2025-03-01T12:00:00.000Z");
const EXP: RetryPolicy = { maxAttempts: 8, backoff: "exponential", initialDelaySeconds: 5 };
const FIXED: RetryPolicy = { maxAttempts: 3, backoff: "fixed", initialDelaySeconds: 30 };

const ok = (status = 200): AttemptOutcome => ({ ok: true, status });
const httpFail = (status: number): AttemptOutcome => ({ ok: false, status, error: `HTTP ${status}` });
const transportFail = (error: string): AttemptOutcome => ({ ok: false, error });

describe("afterAttempt", () => {
  it("a 2xx succeeds, even on the last attempt of the budget", () => {
    expect(afterAttempt({ result: ok(), attemptsMade: 1, retry: EXP, now: NOW })).toEqual({ status: "succeeded" });
    expect(afterAttempt({ result: ok(204), attemptsMade: 8, retry: EXP, now: NOW })).toEqual({ status: "succeeded" });
  });

  it("410 Gone is dead at once, with attempts left", () => {
    expect(afterAttempt({ result: httpFail(410), attemptsMade: 1, retry: EXP, now: NOW })).toEqual({
      status: "dead",
      reason: "410 Gone",
    });
  });

  it("other failures are retried at now + backoff", () => {
    const t = afterAttempt({ result: httpFail(503), attemptsMade: 2, retry: EXP, now: NOW, random: () => 0.5 });
    // Ceiling after 2 attempts: 5 s · 2 = 10 s; half of it with this draw.
    expect(t).toEqual({ status: "failed", nextAttemptAt: new Date(NOW.getTime() + 5_000) });
  });

  it("fixed backoff schedules exactly initialDelaySeconds later", () => {
    const t = afterAttempt({ result: transportFail("Timed out after 10000 ms"), attemptsMade: 1, retry: FIXED, now: NOW });
    expect(t).toEqual({ status: "failed", nextAttemptAt: new Date(NOW.getTime() + 30_000) });
  });

  it("a spent budget is dead, and the reason names the count and the last failure", () => {
    expect(afterAttempt({ result: httpFail(500), attemptsMade: 3, retry: FIXED, now: NOW })).toEqual({
      status: "dead",
      reason: "Gave up after 3 attempts; last: HTTP 500",
    });
    expect(
      afterAttempt({
        result: transportFail("Connection refused by example.com"),
        attemptsMade: 1,
        retry: { ...FIXED, maxAttempts: 1 },
        now: NOW,
      }),
    ).toEqual({ status: "dead", reason: "Gave up after 1 attempt; last: Connection refused by example.com" });
    expect(afterAttempt({ result: { ok: false }, attemptsMade: 3, retry: FIXED, now: NOW })).toEqual({
      status: "dead",
      reason: "Gave up after 3 attempts; last: attempt failed",
    });
  });

  it("redirects and 4xx other than 410 are retried like any failure", () => {
    for (const status of [301, 400, 404, 429]) {
      expect(afterAttempt({ result: httpFail(status), attemptsMade: 1, retry: EXP, now: NOW }).status).toBe("failed");
    }
  });

  it("bad budget data still ends the delivery instead of retrying forever", () => {
    for (const maxAttempts of [0, -1, Number.NaN]) {
      expect(afterAttempt({ result: httpFail(500), attemptsMade: 1, retry: { ...EXP, maxAttempts }, now: NOW }).status).toBe(
        "dead",
      );
    }
    expect(afterAttempt({ result: httpFail(500), attemptsMade: Number.NaN, retry: EXP, now: NOW }).status).toBe("dead");
  });

  it("does not mutate its inputs", () => {
    const now = new Date(NOW);
    const retry = { ...EXP };
    afterAttempt({ result: httpFail(500), attemptsMade: 1, retry, now });
    expect(now.getTime()).toBe(NOW.getTime());
    expect(retry).toEqual(EXP);
  });

  const policy = fc.record({
    maxAttempts: fc.integer({ min: 1, max: 20 }),
    backoff: fc.constantFrom("exponential" as const, "fixed" as const),
    initialDelaySeconds: fc.integer({ min: 1, max: 3600 }),
  });
  const failure = fc.oneof(
    fc
      .integer({ min: 300, max: 599 })
      .filter((s) => s !== 410)
      .map(httpFail),
    fc.constantFrom("Timed out after 10000 ms", "Connection refused by x:1").map(transportFail),
  );
  const draw = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

  it("property: a failure with budget left is rescheduled within the backoff bounds; a spent budget is dead", () => {
    fc.assert(
      fc.property(policy, failure, fc.integer({ min: 1, max: 25 }), draw, (retry, result, attemptsMade, r) => {
        const t = afterAttempt({ result, attemptsMade, retry, now: NOW, random: () => r });
        if (attemptsMade >= retry.maxAttempts) {
          expect(t.status).toBe("dead");
          return;
        }
        expect(t.status).toBe("failed");
        if (t.status !== "failed") return;
        const delay = t.nextAttemptAt.getTime() - NOW.getTime();
        expect(delay).toBeGreaterThanOrEqual(MIN_DELAY_MS);
        expect(delay).toBeLessThanOrEqual(MAX_DELAY_MS);
        if (retry.backoff === "fixed") expect(delay).toBe(retry.initialDelaySeconds * 1_000);
        else
          expect(delay).toBeLessThanOrEqual(
            Math.max(MIN_DELAY_MS, exponentialCeilingMs(attemptsMade, retry.initialDelaySeconds)),
          );
      }),
    );
  });

  it("property: walking a delivery through all-failing attempts makes exactly maxAttempts attempts", () => {
    fc.assert(
      fc.property(policy, failure, (retry, result) => {
        let attempts = 0;
        let now = NOW;
        for (;;) {
          attempts += 1;
          const t = afterAttempt({ result, attemptsMade: attempts, retry, now });
          if (t.status === "dead") break;
          expect(t.status).toBe("failed");
          if (t.status === "failed") {
            expect(t.nextAttemptAt.getTime()).toBeGreaterThan(now.getTime());
            now = t.nextAttemptAt;
          }
          expect(attempts).toBeLessThan(retry.maxAttempts);
        }
        expect(attempts).toBe(retry.maxAttempts);
      }),
    );
  });

  it("property: any 2xx succeeds and a 410 is dead, whatever the budget", () => {
    fc.assert(
      fc.property(policy, fc.integer({ min: 1, max: 25 }), fc.integer({ min: 200, max: 299 }), (retry, attemptsMade, status) => {
        expect(afterAttempt({ result: ok(status), attemptsMade, retry, now: NOW })).toEqual({ status: "succeeded" });
        expect(afterAttempt({ result: httpFail(410), attemptsMade, retry, now: NOW })).toEqual({
          status: "dead",
          reason: "410 Gone",
        });
      }),
    );
  });
});
