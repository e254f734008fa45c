// A small semaphore for password hashing. scrypt at OWASP's cost takes 128 MiB and most
// of a core for a fraction of a second, off the JS heap and on libuv's thread pool, so an
// unbounded login flood would exhaust memory and starve DNS and file I/O, which share
// that pool. At most `concurrency` hashes run; a few more wait; past that a caller is
// refused at once (the sign-in route answers 503 with Retry-After) instead of queueing
// without end. Priority waiters (a browser that has signed in to the account before) are
// served before the others and have a queue of their own, so a flood of strangers cannot
// keep the owner out.

// The gate is process-wide (on globalThis) and Next.js bundles this module into several
// chunks (instrumentation, each route), so the error a caller catches may come from
// another copy of the class: `instanceof` would miss it. A registered symbol does not.
const BUSY = Symbol.for("provenance.hashGateBusy");

export class HashGateBusyError extends Error {
  readonly retryAfter: number;
  readonly [BUSY] = true;

  constructor(retryAfter: number) {
    super("Too many password checks in progress");
    this.name = "HashGateBusyError";
    this.retryAfter = retryAfter;
  }
}

/** Whether `err` is a HashGateBusyError, from whichever copy of this module threw it. */
export function isHashGateBusy(err: unknown): err is HashGateBusyError {
  return typeof err === "object" && err !== null && (err as Record<symbol, unknown>)[BUSY] === true;
}

export type HashGateOptions = {
  /** Hashes run at once. */
  concurrency: number;
  /** Callers waiting per lane (normal, priority); the next one is refused. */
  maxQueue: number;
};

export class HashGate {
  private readonly concurrency: number;
  private readonly maxQueue: number;
  private active = 0;
  private readonly waiting: { priority: (() => void)[]; normal: (() => void)[] } = { priority: [], normal: [] };

  constructor(options: HashGateOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) throw new Error("concurrency must be a positive integer");
    if (!Number.isInteger(options.maxQueue) || options.maxQueue < 0) throw new Error("maxQueue must be a non-negative integer");
    this.concurrency = options.concurrency;
    this.maxQueue = options.maxQueue;
  }

  /** Runs `task` once a slot is free; throws HashGateBusyError when the caller's lane is full. */
  async run<T>(task: () => Promise<T>, options: { priority?: boolean } = {}): Promise<T> {
    await this.acquire(options.priority === true);
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  /** Running and waiting, for tests and diagnostics. */
  get load(): { active: number; priority: number; normal: number } {
    return { active: this.active, priority: this.waiting.priority.length, normal: this.waiting.normal.length };
  }

  private acquire(priority: boolean): Promise<void> {
    if (this.active < this.concurrency) {
      this.active++;
      return Promise.resolve();
    }
    const lane = priority ? this.waiting.priority : this.waiting.normal;
    if (lane.length >= this.maxQueue) return Promise.reject(new HashGateBusyError(1));
    return new Promise((resolve) => lane.push(resolve));
  }

  private release(): void {
    // The slot passes straight to the next waiter, so `active` stays as it is.
    const next = this.waiting.priority.shift() ?? this.waiting.normal.shift();
    if (next) next();
    else this.active--;
  }
}
