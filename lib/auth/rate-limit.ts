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

  /** Counts one failure for the key; returns its time, for unrecord(). */
  record(key: string): number {
    const now = this.now();
    const times = this.live(key, now);
    times.push(now);
    // Only the newest `limit` entries can ever matter.
    if (times.length > this.limit) times.splice(0, times.length - this.limit);
    this.hits.delete(key);
    this.hits.set(key, times);
    this.evict();
    return now;
  }

  /** Takes back one failure recorded at `at` (an attempt counted in advance that did not fail). */
  unrecord(key: string, at: number): void {
    const times = this.hits.get(key);
    if (!times) return;
    const i = times.lastIndexOf(at);
    if (i !== -1) times.splice(i, 1);
    if (times.length === 0) this.hits.delete(key);
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

// Sign-in limits, after OWASP's advice against lockouts an attacker can trigger: no
// amount of failing from elsewhere locks the owner out of their account.
// - A browser that has signed in to the account before (a valid device cookie,
//   lib/auth/device-cookie.ts) is counted on its own and only on its own.
// - Everyone else is counted per (account, client address), per client address, and per
//   account. The last is far higher than the first, so it only slows guessing spread over
//   many addresses; it alone can make an owner on a new browser wait.
const WINDOW_MS = 15 * 60_000;
/** Failed sign-ins to one account from one client address. */
export const LOGIN_PAIR_LIMIT = { limit: 10, windowMs: WINDOW_MS } as const;
/** Failed sign-ins from one client address to any accounts (spraying); higher, so a shared
 * office address or proxy is not locked out by one person's typos. */
export const LOGIN_IP_LIMIT = { limit: 100, windowMs: WINDOW_MS } as const;
/** Failed sign-ins to one account from all clients without its device cookie. */
export const LOGIN_ACCOUNT_LIMIT = { limit: 100, windowMs: WINDOW_MS } as const;
/** Failed sign-ins from one browser holding a device cookie of the account. */
export const LOGIN_DEVICE_LIMIT = { limit: 10, windowMs: WINDOW_MS } as const;

/** Who is signing in: the client address, and the device id of a verified device cookie of this account. */
export type LoginClient = { ip: string; device?: string | null };

/** How an admitted attempt ended: a wrong password, a sign-in, or nothing checked (busy, error). */
export type AttemptOutcome = "failed" | "succeeded" | "void";

export type LoginAttempt = { allowed: true; settle(outcome: AttemptOutcome): void } | { allowed: false; retryAfter: number };

export type LoginLimiter = {
  /**
   * Admits an attempt or refuses it. An admitted attempt counts as a failure at once, so
   * attempts running concurrently (each takes a slow password hash) cannot all slip in
   * under the limit before the first has failed; settle() takes it back unless it failed.
   */
  begin(client: LoginClient, email: string): LoginAttempt;
  check(client: LoginClient, email: string): LimitDecision;
  recordFailure(client: LoginClient, email: string): void;
  /** After a successful sign-in: this client's count for the account starts over (the address's and the account's do not). */
  recordSuccess(client: LoginClient, email: string): void;
};

export function createLoginLimiter(options: { now?: () => number } = {}): LoginLimiter {
  const now = options.now;
  const byPair = new SlidingWindowLimiter({ ...LOGIN_PAIR_LIMIT, now });
  const byIp = new SlidingWindowLimiter({ ...LOGIN_IP_LIMIT, now });
  const byAccount = new SlidingWindowLimiter({ ...LOGIN_ACCOUNT_LIMIT, now });
  const byDevice = new SlidingWindowLimiter({ ...LOGIN_DEVICE_LIMIT, now });
  const account = (email: string) => email.trim().toLowerCase();
  // The address cannot hold a newline or NUL; the email is validated before it gets here.
  const pair = (client: LoginClient, email: string) => `${account(email)}\n${client.ip}`;
  /** The counters an attempt by this client on this account goes into. */
  const counters = (client: LoginClient, email: string): [SlidingWindowLimiter, string][] =>
    client.device
      ? [[byDevice, client.device]]
      : [
          [byPair, pair(client, email)],
          [byIp, client.ip],
          [byAccount, account(email)],
        ];
  const limiter: LoginLimiter = {
    begin(client, email) {
      const decision = limiter.check(client, email);
      if (!decision.allowed) return decision;
      const recorded = counters(client, email).map(([counter, key]) => [counter, key, counter.record(key)] as const);
      let settled = false;
      return {
        allowed: true,
        settle(outcome) {
          if (settled) return;
          settled = true;
          if (outcome === "failed") return;
          for (const [counter, key, at] of recorded) counter.unrecord(key, at);
          if (outcome === "succeeded") limiter.recordSuccess(client, email);
        },
      };
    },
    check(client, email) {
      return combine(counters(client, email).map(([counter, key]) => counter.check(key)));
    },
    recordFailure(client, email) {
      for (const [counter, key] of counters(client, email)) counter.record(key);
    },
    recordSuccess(client, email) {
      if (client.device) byDevice.reset(client.device);
      else byPair.reset(pair(client, email));
    },
  };
  return limiter;
}

function combine(decisions: LimitDecision[]): LimitDecision {
  let retryAfter = 0;
  for (const d of decisions) if (!d.allowed) retryAfter = Math.max(retryAfter, d.retryAfter);
  return retryAfter > 0 ? { allowed: false, retryAfter } : { allowed: true };
}

const holder = globalThis as unknown as { __provenanceLoginLimiter?: LoginLimiter };

/** The process-wide limiter used by the sign-in route. */
export function loginLimiter(): LoginLimiter {
  holder.__provenanceLoginLimiter ??= createLoginLimiter();
  return holder.__provenanceLoginLimiter;
}
