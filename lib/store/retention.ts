// The retention policy, enforced: failed events are deleted after
// PROVENANCE_RETAIN_FAILED_DAYS, the bodies of the other events emptied after
// PROVENANCE_RETAIN_BODY_DAYS (the row, its stages and its links stay as history; a
// replay of it is refused), and the failed-request counts go with the failed events.
//
// Work is done in small batches, each its own short transaction, with a pause between
// them, so it never holds locks for long nor keeps the pool (one connection on the
// embedded database) from the requests. Each batch takes a transaction-level advisory
// lock first: while one replica is at it, the others skip their run.
import type pg from "pg";

export const RETENTION_LOCK_KEY = 72_616_766; // arbitrary, constant: "provenance retention" (apart from every other lock)
const DAY_MS = 86_400_000;

export type RetentionPolicy = {
  /** Days event bodies are kept; null keeps them forever. */
  bodyDays: number | null;
  /** Days failed events (and the failed-request counts) are kept; null keeps them forever. */
  failedDays: number | null;
};

export type RetentionRun = {
  deletedFailed: number;
  purgedBodies: number;
  deletedCounts: number;
  /** Another replica held the lock: this run stopped early. */
  skipped: boolean;
};

export type RetentionOptions = {
  now?: Date;
  /** Rows per batch (default 500). */
  batchSize?: number;
  /** Pause between batches (default 50 ms). */
  pauseMs?: number;
  /** Batches per run at most (default 2,000); the next run goes on. */
  maxBatches?: number;
};

/** A policy read from settings in days, 0 meaning "keep forever". */
export function retentionPolicy(bodyDays: number, failedDays: number): RetentionPolicy {
  return { bodyDays: bodyDays > 0 ? bodyDays : null, failedDays: failedDays > 0 ? failedDays : null };
}

type Step = { key: keyof Omit<RetentionRun, "skipped">; sql: string; cutoff: Date };

export async function runRetention(pool: pg.Pool, policy: RetentionPolicy, opts: RetentionOptions = {}): Promise<RetentionRun> {
  const now = (opts.now ?? new Date()).getTime();
  const batch = opts.batchSize ?? 500;
  const pause = opts.pauseMs ?? 50;
  let budget = opts.maxBatches ?? 2_000;
  const run: RetentionRun = { deletedFailed: 0, purgedBodies: 0, deletedCounts: 0, skipped: false };
  const steps: Step[] = [];
  if (policy.failedDays !== null) {
    const cutoff = new Date(now - policy.failedDays * DAY_MS);
    // Through the (status, availableAt, receivedAt) index: availableAt is never before receivedAt.
    steps.push({
      key: "deletedFailed",
      cutoff,
      sql: `DELETE FROM "InboundEvent" e USING (
              SELECT "id" FROM "InboundEvent"
               WHERE "status" = 'failed' AND "availableAt" < $1 AND "receivedAt" < $1
               LIMIT $2 FOR UPDATE SKIP LOCKED) d
            WHERE e."id" = d."id"`,
    });
    steps.push({
      key: "deletedCounts",
      cutoff,
      sql: `DELETE FROM "FailedRequestCount" c USING (
              SELECT "sourceId", "hour" FROM "FailedRequestCount" WHERE "hour" < $1 LIMIT $2 FOR UPDATE SKIP LOCKED) d
            WHERE c."sourceId" = d."sourceId" AND c."hour" = d."hour"`,
    });
  }
  if (policy.bodyDays !== null) {
    // Queued events are never touched: their body is still to be processed.
    steps.push({
      key: "purgedBodies",
      cutoff: new Date(now - policy.bodyDays * DAY_MS),
      sql: `UPDATE "InboundEvent" e SET "body" = '\\x'::bytea, "bodyPurgedAt" = now() FROM (
              SELECT "id" FROM "InboundEvent"
               WHERE "bodyPurgedAt" IS NULL AND "receivedAt" < $1 AND "status" <> 'queued'
               ORDER BY "bodyPurgedAt", "receivedAt" LIMIT $2 FOR UPDATE SKIP LOCKED) d
            WHERE e."id" = d."id"`,
    });
  }
  for (const step of steps) {
    for (;;) {
      if (budget-- <= 0) return run;
      const n = await lockedBatch(pool, step.sql, [step.cutoff, batch]);
      if (n === null) return { ...run, skipped: true };
      run[step.key] += n;
      if (n < batch) break;
      if (pause > 0) await new Promise((r) => setTimeout(r, pause));
    }
  }
  return run;
}

/** One batch in its own transaction under the retention lock; null when another replica holds it. */
async function lockedBatch(pool: pg.Pool, sql: string, params: unknown[]): Promise<number | null> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const lock = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_xact_lock($1) AS locked", [RETENTION_LOCK_KEY]);
    if (!lock.rows[0]?.locked) {
      await client.query("ROLLBACK");
      return null;
    }
    const res = await client.query(sql, params);
    await client.query("COMMIT");
    return res.rowCount ?? 0;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
