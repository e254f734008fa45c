// Delay before the next delivery attempt.
//
// - "fixed": the target's initialDelaySeconds every time.
// - "exponential": FULL jitter (AWS Architecture Blog, "Exponential Backoff and
//   Jitter"): a uniform draw in [0, ceiling) where the ceiling doubles per attempt,
//   initial · 2^(attempt-1), up to MAX_DELAY_MS. Full jitter spreads the retries of
//   many deliveries that failed together (a target outage) instead of letting them
//   return in synchronized waves.
// - Every delay is at least MIN_DELAY_MS: a draw near 0 would otherwise retry a
//   failing target immediately, and a zero delay would hot-loop a worker.
// - Every delay is at most MAX_DELAY_MS (1 hour), the same as the largest allowed
//   initialDelaySeconds, so a 20-attempt budget ends within a day instead of the
//   2^19 hours an uncapped doubling would reach.

export type Backoff = "exponential" | "fixed";

export const MIN_DELAY_MS = 1_000;
export const MAX_DELAY_MS = 60 * 60 * 1_000;

export type NextDelayInput = {
  /** Attempts made so far (1-based): 1 after the first attempt failed. */
  attempt: number;
  backoff: Backoff;
  initialDelaySeconds: number;
  /** A uniform draw in [0, 1); injectable so tests and replays are deterministic. */
  random?: () => number;
};

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}

/**
 * The upper bound of the exponential draw after `attempt` attempts, before the floor
 * is applied. Non-decreasing in `attempt` and never above MAX_DELAY_MS.
 */
export function exponentialCeilingMs(attempt: number, initialDelaySeconds: number): number {
  const n = Number.isFinite(attempt) ? Math.max(1, Math.floor(attempt)) : 1;
  const initialMs = Number.isFinite(initialDelaySeconds) ? Math.max(0, initialDelaySeconds) * 1_000 : MIN_DELAY_MS;
  // 2 ** large overflows to Infinity, which the min() absorbs.
  return Math.min(MAX_DELAY_MS, initialMs * 2 ** (n - 1));
}

/** Milliseconds to wait before the next attempt; always within [MIN_DELAY_MS, MAX_DELAY_MS]. */
export function nextDelayMs({ attempt, backoff, initialDelaySeconds, random = Math.random }: NextDelayInput): number {
  if (backoff === "fixed") {
    const initialMs = Number.isFinite(initialDelaySeconds) ? initialDelaySeconds * 1_000 : MIN_DELAY_MS;
    return Math.round(clamp(initialMs, MIN_DELAY_MS, MAX_DELAY_MS));
  }
  const ceiling = exponentialCeilingMs(attempt, initialDelaySeconds);
  const r = random();
  // A misbehaving source (NaN, 1, negative) must not break the bounds.
  const draw = Number.isFinite(r) ? clamp(r, 0, 1) : 0;
  return Math.round(clamp(draw * ceiling, MIN_DELAY_MS, MAX_DELAY_MS));
}
