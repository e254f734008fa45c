// What a delivery becomes after one attempt: a pure transition, so the embedded worker
// and the QStash callback decide identically and the rule is tested without a clock.
//
// Order of the rules matters: a 2xx on the last attempt of the budget is a success,
// and a 410 ends the delivery even when attempts remain (the target told us the
// endpoint is gone for good; retrying would only hammer it).

import { nextDelayMs, type Backoff } from "./backoff";

export type RetryPolicy = {
  /** Attempts in one budget (1–20). A replay grants a fresh budget. */
  maxAttempts: number;
  backoff: Backoff;
  initialDelaySeconds: number;
};

/** The parts of an attempt result (see attempt.ts) the transition looks at. */
export type AttemptOutcome = { ok: boolean; status?: number; error?: string };

export type AfterAttemptInput = {
  result: AttemptOutcome;
  /** Attempts made in the current budget, including the one just finished (≥ 1). */
  attemptsMade: number;
  retry: RetryPolicy;
  now: Date;
  random?: () => number;
};

export type DeliveryTransition =
  { status: "succeeded" } | { status: "failed"; nextAttemptAt: Date } | { status: "dead"; reason: string };

/** "HTTP 503", the attempt's error, or a generic phrase when the result carries neither. */
function describeFailure(result: AttemptOutcome): string {
  if (result.error) return result.error;
  if (result.status !== undefined) return `HTTP ${result.status}`;
  return "attempt failed";
}

export function afterAttempt({ result, attemptsMade, retry, now, random }: AfterAttemptInput): DeliveryTransition {
  if (result.ok) return { status: "succeeded" };
  if (result.status === 410) return { status: "dead", reason: "410 Gone" };
  // A budget below 1 or not a number (bad data) is treated as 1 so the delivery still ends.
  const budget = Number.isFinite(retry.maxAttempts) ? Math.max(1, Math.floor(retry.maxAttempts)) : 1;
  if (!(attemptsMade < budget)) {
    // `!(a < b)` rather than `a >= b`: a NaN count must end the delivery, not loop it.
    const n = Number.isFinite(attemptsMade) ? Math.max(1, Math.floor(attemptsMade)) : budget;
    return {
      status: "dead",
      reason: `Gave up after ${n} attempt${n === 1 ? "" : "s"}; last: ${describeFailure(result)}`,
    };
  }
  const delay = nextDelayMs({
    attempt: attemptsMade,
    backoff: retry.backoff,
    initialDelaySeconds: retry.initialDelaySeconds,
    random,
  });
  return { status: "failed", nextAttemptAt: new Date(now.getTime() + delay) };
}
