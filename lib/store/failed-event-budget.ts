// The failed-event budget: per source and hour (UTC), the first PROVENANCE_FAILED_EVENTS_PER_HOUR
// requests that fail before the pipeline accepts them (a forged signature, say) are
// stored as events with their body, as the contract records them; the rest are only
// counted. A flood of forged requests then costs one counter per source and hour instead
// of a row and up to 64 KiB per request.
//
// The "FailedRequestCount" row of (source, hour) is the budget shared by every replica:
// storing one takes a unit from it in one conditional upsert, so replicas together store
// at most the budget. Once a process sees it used up, it stops asking until the hour
// turns; what it only counts is added to the row in batches, about once a second, so a
// flood costs no query per request. Counts not yet flushed when a process dies are lost
// (a second's worth); a unit taken for an event whose insert then fails is not returned.
import type pg from "pg";
import type { FailedEventBudget, SourceRecord } from "@/lib/inbound/ports";

const HOUR_MS = 3_600_000;

export type FailedEventBudgetOptions = {
  /** Failed requests stored per source per hour. */
  perHour: number;
  /** How often counted-only requests are written; default 1 s. */
  flushEveryMs?: number;
  onError?: (message: string) => void;
};

export type FailedEventBudgetHandle = FailedEventBudget & {
  /** Writes the counts gathered so far (also done on a timer). */
  flush(): Promise<void>;
  /** Stops the timer after a last flush. */
  stop(): Promise<void>;
};

type Pending = { sourceId: string; hour: number; n: number };

export function createFailedEventBudget(pool: pg.Pool, opts: FailedEventBudgetOptions): FailedEventBudgetHandle {
  if (!Number.isInteger(opts.perHour) || opts.perHour < 1) throw new RangeError("perHour must be a positive integer");
  /** Source id → the hour its budget was seen used up in. */
  const exhausted = new Map<string, number>();
  /** `${sourceId} ${hour}` → requests counted and not yet written. */
  let pending = new Map<string, Pending>();
  let flushing: Promise<void> | null = null;

  async function take(source: SourceRecord, hour: number): Promise<boolean> {
    const res = await pool.query(
      `INSERT INTO "FailedRequestCount" ("sourceId", "hour", "orgId", "stored") VALUES ($1, $2, $3, 1)
       ON CONFLICT ("sourceId", "hour") DO UPDATE SET "stored" = "FailedRequestCount"."stored" + 1
        WHERE "FailedRequestCount"."stored" < $4
       RETURNING "stored"`,
      [source.id, new Date(hour), source.orgId, opts.perHour],
    );
    return res.rowCount === 1;
  }

  function count(sourceId: string, hour: number): void {
    const key = `${sourceId} ${hour}`;
    const p = pending.get(key);
    if (p) p.n += 1;
    else pending.set(key, { sourceId, hour, n: 1 });
  }

  async function write(batch: Pending[]): Promise<void> {
    // Joined to the source: counts for one deleted meanwhile are dropped, not an error.
    await pool.query(
      `INSERT INTO "FailedRequestCount" ("sourceId", "hour", "orgId", "counted")
       SELECT t.src, t.hour, s."orgId", t.n
         FROM unnest($1::uuid[], $2::timestamptz[], $3::int[]) AS t(src, hour, n)
         JOIN "InboundSource" s ON s."id" = t.src
       ON CONFLICT ("sourceId", "hour") DO UPDATE SET "counted" = "FailedRequestCount"."counted" + EXCLUDED."counted"`,
      [batch.map((p) => p.sourceId), batch.map((p) => new Date(p.hour)), batch.map((p) => p.n)],
    );
  }

  async function flushNow(): Promise<void> {
    const current = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
    for (const [id, hour] of exhausted) if (hour < current) exhausted.delete(id);
    if (pending.size === 0) return;
    const batch = pending;
    pending = new Map();
    try {
      await write([...batch.values()]);
    } catch (err) {
      // Kept for the next flush (one entry per source and hour: bounded by the sources).
      for (const [key, p] of batch) {
        const now = pending.get(key);
        if (now) now.n += p.n;
        else pending.set(key, p);
      }
      opts.onError?.(`failed-request counts not written yet: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** One flush at a time; a call during one waits for it and then writes what came since. */
  async function flush(): Promise<void> {
    if (flushing) await flushing;
    flushing ??= flushNow().finally(() => {
      flushing = null;
    });
    await flushing;
  }

  const timer = setInterval(() => void flush(), opts.flushEveryMs ?? 1_000);
  timer.unref();

  return {
    async admit(source, at) {
      const hour = Math.floor(at.getTime() / HOUR_MS) * HOUR_MS;
      if (exhausted.get(source.id) !== hour) {
        if (await take(source, hour)) return true;
        exhausted.set(source.id, hour);
      }
      count(source.id, hour);
      return false;
    },
    flush,
    async stop() {
      clearInterval(timer);
      await flush();
    },
  };
}
