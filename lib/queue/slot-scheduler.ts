// A continuous scheduler over a fixed number of slots: each finished job frees its slot
// at once and the next claim fills it, so one slow job never holds back the others (no
// batch barrier). Claims are made one at a time and ask for as many jobs as there are
// free slots; when nothing is due, the scheduler sleeps until woken, until a job
// finishes, or until the poll interval passes (work from other processes, retries
// coming due). What to claim and how to run it are the caller's: the delivery worker
// claims fairly across orgs and targets (delivery-worker.ts).

export type SlotClaim = {
  /** Free slots: claim up to this many of anything due. */
  regular: number;
  /** Slots beyond `regular` the claim may fill only for orgs with nothing in flight. */
  spare: number;
};

export type SlotSchedulerOptions<T> = {
  /** Jobs in flight in steady state. */
  slots: number;
  /** Extra jobs allowed above `slots`, for claims that qualify (see SlotClaim.spare). */
  spareSlots?: number;
  pollMs: number;
  claim(want: SlotClaim): Promise<T[]>;
  /** Runs one claimed job; a rejection is reported to onError and frees the slot like a success. */
  run(job: T): Promise<unknown>;
  onError?: (err: unknown) => void;
};

export type SlotScheduler = {
  /** Claim now instead of at the end of the current wait. */
  wake(): void;
  /** Stops claiming and resolves once the jobs in flight have finished. */
  stop(): Promise<void>;
  /** Jobs in flight now. */
  inFlight(): number;
};

export function startSlotScheduler<T>(opts: SlotSchedulerOptions<T>): SlotScheduler {
  const slots = Math.max(1, Math.floor(opts.slots));
  const spareSlots = Math.max(0, Math.floor(opts.spareSlots ?? 0));
  const running = new Set<Promise<void>>();
  let stopped = false;
  // A signal (wake, a finished job, stop) that arrived while no one was waiting is kept,
  // so a job finishing during a claim is not slept through.
  let signalled = false;
  let release: (() => void) | undefined;

  const signal = () => {
    signalled = true;
    release?.();
  };

  const waitForSignal = () =>
    new Promise<void>((resolve) => {
      if (signalled || stopped) return resolve();
      const timer = setTimeout(done, opts.pollMs);
      function done() {
        clearTimeout(timer);
        release = undefined;
        resolve();
      }
      release = done;
    });

  const start = (job: T) => {
    const p: Promise<void> = opts
      .run(job)
      .then(
        () => undefined,
        (err: unknown) => opts.onError?.(err),
      )
      .finally(() => {
        running.delete(p);
        signal();
      });
    running.add(p);
  };

  const loop = (async () => {
    while (!stopped) {
      signalled = false;
      const regular = Math.max(0, slots - running.size);
      const spare = Math.max(0, slots + spareSlots - running.size) - regular;
      let claimed = 0;
      if (regular + spare > 0) {
        try {
          const jobs = await opts.claim({ regular, spare });
          claimed = jobs.length;
          for (const job of jobs) start(job);
        } catch (err) {
          opts.onError?.(err);
        }
      }
      // Claimed something and slots are still free: there may be more (a claim takes at
      // most a few per target), so claim again at once; otherwise wait for a signal.
      if (claimed > 0 && running.size < slots) continue;
      await waitForSignal();
    }
  })();

  return {
    wake: signal,
    inFlight: () => running.size,
    async stop() {
      stopped = true;
      signal();
      await loop;
      await Promise.all([...running]);
    },
  };
}
