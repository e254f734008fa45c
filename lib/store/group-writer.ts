// Group commit for independent rows: each caller awaits its own row's durable write, but
// rows that arrive while earlier writes are in flight go to the database together, in
// one statement. Under load that turns N inserts (N round trips, N socket writes, N
// statement parses) into a few multi-row ones, with no added wait when the app is idle:
// the first row goes out on the next turn of the event loop. A failed group is retried
// row by row, so one bad row (say, its source deleted a moment ago) fails alone.
//
// The rows waiting are bounded, by count and by bytes (queued and in flight together):
// when the database falls behind, a row past either bound is refused at once with an
// OverloadedError (the inbound route answers 503 with Retry-After) instead of the queue,
// and the memory holding its bodies, growing without end.
import { OverloadedError } from "@/lib/inbound/overloaded";

export type GroupWriterOptions<T> = {
  /** Most rows per statement. */
  maxBatch: number;
  /** Most statements in flight at once (each holds one pool connection). */
  maxInFlight: number;
  /** Most rows waiting or in flight; past it a write is refused. Default: unbounded. */
  maxPendingRows?: number;
  /** Most bytes (by `sizeOf`) waiting or in flight; past it a write is refused. Default: unbounded. */
  maxPendingBytes?: number;
  /** Most bytes per statement (a single bigger row still goes, alone). Default: unbounded. */
  maxBatchBytes?: number;
  /** The bytes a row holds while it waits. */
  sizeOf?: (item: T) => number;
};

type Pending<T> = { item: T; bytes: number; resolve: () => void; reject: (err: unknown) => void };

/** Seconds a refused writer is told to wait: long enough for a few batches to drain. */
const RETRY_AFTER_SECONDS = 2;

export function createGroupWriter<T>(
  writeMany: (items: T[]) => Promise<void>,
  writeOne: (item: T) => Promise<void>,
  opts: GroupWriterOptions<T>,
): (item: T) => Promise<void> {
  const maxRows = opts.maxPendingRows ?? Infinity;
  const maxBytes = opts.maxPendingBytes ?? Infinity;
  const maxBatchBytes = opts.maxBatchBytes ?? Infinity;
  let queue: Pending<T>[] = [];
  let inFlight = 0;
  let scheduled = false;
  let pendingRows = 0;
  let pendingBytes = 0;

  const settled = (p: Pending<T>) => {
    pendingRows -= 1;
    pendingBytes -= p.bytes;
  };
  const done = (p: Pending<T>) => {
    settled(p);
    p.resolve();
  };
  const failed = (p: Pending<T>, err: unknown) => {
    settled(p);
    p.reject(err);
  };

  const settleOneByOne = (batch: Pending<T>[]) =>
    Promise.all(batch.map((p) => writeOne(p.item).then(() => done(p), (err: unknown) => failed(p, err))));

  async function flush(batch: Pending<T>[]): Promise<void> {
    try {
      if (batch.length === 1) await settleOneByOne(batch);
      else {
        try {
          await writeMany(batch.map((p) => p.item));
          for (const p of batch) done(p);
        } catch {
          await settleOneByOne(batch);
        }
      }
    } finally {
      inFlight -= 1;
      pump();
    }
  }

  /** The next statement's rows: at most maxBatch, and maxBatchBytes unless one row is bigger. */
  function nextBatch(): Pending<T>[] {
    let n = 0;
    let bytes = 0;
    while (n < queue.length && n < opts.maxBatch) {
      const b = queue[n]!.bytes;
      if (n > 0 && bytes + b > maxBatchBytes) break;
      bytes += b;
      n += 1;
    }
    const batch = queue.slice(0, n);
    queue = queue.slice(n);
    return batch;
  }

  function pump(): void {
    while (queue.length > 0 && inFlight < opts.maxInFlight) {
      const batch = nextBatch();
      inFlight += 1;
      void flush(batch);
    }
  }

  return (item: T) =>
    new Promise<void>((resolve, reject) => {
      const bytes = opts.sizeOf?.(item) ?? 0;
      if (pendingRows + 1 > maxRows || (pendingRows > 0 && pendingBytes + bytes > maxBytes)) {
        reject(new OverloadedError("The event write queue is full", RETRY_AFTER_SECONDS));
        return;
      }
      pendingRows += 1;
      pendingBytes += bytes;
      queue.push({ item, bytes, resolve, reject });
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
