// The retention policy's background job (lib/store/retention.ts): a first run a minute
// after start-up, then one every ten minutes, in each process that runs the workers.
// Replicas take turns through an advisory lock; a run cut short by its batch limit is
// simply continued by the next one.
import type pg from "pg";
import { runRetention, type RetentionPolicy, type RetentionRun } from "@/lib/store/retention";

export const RETENTION_FIRST_RUN_MS = 60_000;
export const RETENTION_EVERY_MS = 10 * 60_000;

export type RetentionJob = { stop(): Promise<void> };

export function startRetentionJob(
  pool: pg.Pool,
  policy: RetentionPolicy,
  opts: { onRun?: (run: RetentionRun) => void; onError?: (err: unknown) => void; firstRunMs?: number; everyMs?: number } = {},
): RetentionJob {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runRetention(pool, policy)
        .then((run) => opts.onRun?.(run), (err: unknown) => opts.onError?.(err))
        .finally(() => schedule(opts.everyMs ?? RETENTION_EVERY_MS));
    }, ms);
    timer.unref();
  };
  if (policy.bodyDays !== null || policy.failedDays !== null) schedule(opts.firstRunMs ?? RETENTION_FIRST_RUN_MS);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
