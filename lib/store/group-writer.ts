// Group commit for independent rows: each caller awaits its own row's durable write, but
// rows that arrive while earlier writes are in flight go to the database together, in
// one statement. Under load that turns N inserts (N round trips, N socket writes, N
// statement parses) into a few multi-row ones, with no added wait when the app is idle:
// the first row goes out on the next turn of the event loop. A failed group is retried
// row by row, so one bad row (say, its source deleted a moment ago) fails alone.

export type GroupWriterOptions = {
  /** Most rows per statement. */
  maxBatch: number;
  /** Most statements in flight at once (each holds one pool connection). */
  maxInFlight: number;
};

type Pending<T> = { item: T; resolve: () => void; reject: (err: unknown) => void };

export function createGroupWriter<T>(
  writeMany: (items: T[]) => Promise<void>,
  writeOne: (item: T) => Promise<void>,
  opts: GroupWriterOptions,
): (item: T) => Promise<void> {
  let queue: Pending<T>[] = [];
  let inFlight = 0;
  let scheduled = false;

  const settleOneByOne = (batch: Pending<T>[]) =>
    Promise.all(batch.map((p) => writeOne(p.item).then(p.resolve, p.reject)));

  async function flush(batch: Pending<T>[]): Promise<void> {
    try {
      if (batch.length === 1) await writeOne(batch[0]!.item).then(batch[0]!.resolve, batch[0]!.reject);
      else {
        try {
          await writeMany(batch.map((p) => p.item));
          for (const p of batch) p.resolve();
        } catch {
          await settleOneByOne(batch);
        }
      }
    } finally {
      inFlight -= 1;
      pump();
    }
  }

  function pump(): void {
    while (queue.length > 0 && inFlight < opts.maxInFlight) {
      const batch = queue.slice(0, opts.maxBatch);
      queue = queue.slice(batch.length);
      inFlight += 1;
      void flush(batch);
    }
  }

  return (item: T) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        // Rows that arrive in the same turn of the event loop (requests parsed from the
        // same batch of socket reads) leave together.
        setImmediate(() => {
          scheduled = false;
          pump();
        });
      }
    });
}
