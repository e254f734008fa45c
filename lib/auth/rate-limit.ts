// Sliding-window limiter for failed sign-ins. State lives in this process's memory:
// several app processes each count on their own, and a restart forgets everything.
// That is enough to turn online password guessing from thousands of tries per minute
// into a handful; a shared store (PostgreSQL, Redis) is the step up if it ever is not.

export type LimitDecision = { allowed: true } | { allowed: false; retryAfter: number };

export type SlidingWindowOptions = {
  /** Failures allowed inside one window; the next attempt is refused. */
  limit: number;
  windowMs: number;
  /** Keys kept at most; the least recently touched are dropped first. */
  maxKeys?: number;
  now?: () => number;
};

export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(options: SlidingWindowOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1) throw new Error("limit must be a positive integer");
    if (!(options.windowMs > 0)) throw new Error("windowMs must be positive");
    this.limit = options.limit;
    this.windowMs = options.windowMs;
    this.maxKeys = options.maxKeys ?? 50_000;
    this.now = options.now ?? Date.now;
  }

  /** Whether one more attempt may be made for this key, without recording anything. */
  check(key: string): LimitDecision {
    const now = this.now();
    const times = this.live(key, now);
    if (times.length < this.limit) return { allowed: true };
    // The window frees a slot when the oldest counted failure ages out.
    const oldest = times[times.length - this.limit]!;
    return { allowed: false, retryAfter: Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000)) };
  }

  /** Counts one failure for the key. */
  record(key: string): void {
    const now = this.now();
    const times = this.live(key, now);
    times.push(now);
    // Only the newest `limit` entries can ever matter.
    if (times.length > this.limit) times.splice(0, times.length - this.limit);
    this.hits.delete(key);
    this.hits.set(key, times);
    this.evict();
  }

  reset(key: string): void {
    this.hits.delete(key);
  }

  /** Number of keys held; for tests and diagnostics. */
  get size(): number {
    return this.hits.size;
  }

  private live(key: string, now: number): number[] {
    const times = this.hits.get(key);
    if (!times) return [];
    const from = now - this.windowMs;
    let i = 0;
    while (i < times.length && times[i]! <= from) i++;
    if (i === times.length) {
      this.hits.delete(key);
      return [];
    }
    if (i > 0) times.splice(0, i);
    return times;
  }

  private evict(): void {
    // Map iteration follows insertion order and record() re-inserts, so the first keys
    // are the least recently failed ones.
    for (const key of this.hits.keys()) {
      if (this.hits.size <= this.maxKeys) break;
      this.hits.delete(key);
    }
  }
}

/** Failed sign-ins per email address: a targeted guess at one account. */
export const LOGIN_EMAIL_LIMIT = { limit: 10, windowMs: 15 * 60_000 } as const;
/** Failed sign-ins per client IP: spraying many accounts from one address; higher so a
 * shared office address or proxy is not locked out by one person's typos. */
export const LOGIN_IP_LIMIT = { limit: 100, windowMs: 15 * 60_000 } as const;

export type LoginLimiter = {
  /** Refused when either the IP or the email has used up its failures. */
  check(ip: string, email: string): LimitDecision;
  recordFailure(ip: string, email: string): void;
  /** After a successful sign-in: the account's count starts over (the IP's does not). */
  recordSuccess(email: string): void;
};

export function createLoginLimiter(options: { now?: () => number } = {}): LoginLimiter {
  const byEmail = new SlidingWindowLimiter({ ...LOGIN_EMAIL_LIMIT, now: options.now });
  const byIp = new SlidingWindowLimiter({ ...LOGIN_IP_LIMIT, now: options.now });
  const emailKey = (email: string) => email.trim().toLowerCase();
  return {
    check(ip, email) {
      const a = byIp.check(ip);
      const b = byEmail.check(emailKey(email));
      if (a.allowed && b.allowed) return { allowed: true };
      return { allowed: false, retryAfter: Math.max(a.allowed ? 0 : a.retryAfter, b.allowed ? 0 : b.retryAfter) };
    },
    recordFailure(ip, email) {
      byIp.record(ip);
      byEmail.record(emailKey(email));
    },
    recordSuccess(email) {
      byEmail.reset(emailKey(email));
    },
  };
}

const holder = globalThis as unknown as { __provenanceLoginLimiter?: LoginLimiter };

/** The process-wide limiter used by the sign-in route. */
export function loginLimiter(): LoginLimiter {
  holder.__provenanceLoginLimiter ??= createLoginLimiter();
  return holder.__provenanceLoginLimiter;
}
