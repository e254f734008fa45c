// The embedded queue worker: drains queued inbound events (stages 4–7) from the
// InboundEvent table. Claims use FOR UPDATE SKIP LOCKED inside one transaction per
// batch, so several app processes share the work and a crash mid-batch rolls back to
// "queued": nothing accepted is lost, and nothing is processed twice.
import type pg from "pg";
import { outcomeText } from "@/lib/inbound/outcomes";
import { runMappingStages } from "@/lib/inbound/pipeline";
import { validateInProcess, type SchemaValidator } from "@/lib/inbound/validate-schema";
import type { MappingRecord, Outcome, StageOutcome } from "@/lib/inbound/ports";
import { finishEvents, loadActiveMappings, resolveOutcome, resolveOutcomes } from "@/lib/store/pipeline-store";
import { startPollLoop, type PollLoop } from "./poll-loop";

const MAX_ATTEMPTS = 5;
const decoder = new TextDecoder("utf-8", { fatal: true });

type ClaimedRow = {
  id: string;
  orgId: string;
  sourceId: string;
  originId: string;
  body: Buffer;
  /** As stored: redacted headers and the query, for request paths. */
  headers: Record<string, string>;
  query: Record<string, string>;
  stages: StageOutcome[];
  attempts: number;
};

export type WorkerOptions = {
  pool: pg.Pool;
  batchSize?: number;
  pollMs?: number;
  newId: () => string;
  onError?: (err: unknown, eventId?: string) => void;
  /**
   * Called when a batch's set-based write failed and its events are rerun one by one
   * under savepoints: correct, but far slower, so worth a log line.
   */
  onBatchFallback?: (err: unknown, claimed: number) => void;
  /** Called after a batch that created deliveries (wakes the delivery worker). */
  onDeliveries?: () => void;
  /**
   * Only claim events queued at least this long ago. With QStash carrying events, the
   * embedded worker is a sweeper for anything QStash never delivered (publish failed,
   * message lost, mode switched), so nothing accepted is ever stranded.
   */
  minAgeSeconds?: number;
  /** Mapping schemas are validated in this pool (background jobs, never refused); absent, on this thread. */
  schemas?: { validator(lane: string, options: { background: true }): SchemaValidator };
};

export type WorkerHandle = PollLoop;

/** Events claimed per batch unless the caller says otherwise. */
export const DEFAULT_BATCH_SIZE = 200;

/**
 * Claims up to batchSize due events and processes them; returns how many were claimed.
 * Stages 4–5 run in JavaScript for the whole batch, then the batch is written
 * set-based (interactions, deliveries and the events' final state in a handful of
 * statements). If that write fails, the batch is rolled back to a savepoint and
 * processed event by event, so one bad row is isolated and retried on its own.
 */
export async function processBatch(opts: WorkerOptions): Promise<number> {
  const client = await opts.pool.connect();
  let claimed = 0;
  try {
    await client.query("BEGIN");
    const res = await client.query<ClaimedRow>(
      `SELECT e."id", e."orgId", e."sourceId", s."originId", e."body", e."headers", e."query", e."stages", e."attempts"
         FROM "InboundEvent" e JOIN "InboundSource" s ON s."id" = e."sourceId"
        WHERE e."status" = 'queued' AND e."availableAt" <= now() - make_interval(secs => $2)
        ORDER BY e."availableAt", e."receivedAt"
        LIMIT $1
        FOR UPDATE OF e SKIP LOCKED`,
      [opts.batchSize ?? DEFAULT_BATCH_SIZE, opts.minAgeSeconds ?? 0],
    );
    claimed = res.rows.length;
    if (claimed === 0) {
      await client.query("COMMIT");
      return 0;
    }
    const mappingsBySource = new Map<string, MappingRecord[]>();
    for (const row of res.rows) {
      if (!mappingsBySource.has(row.sourceId)) mappingsBySource.set(row.sourceId, await loadActiveMappings(client, row.orgId, row.sourceId));
    }
    // All at once: mapping schemas are validated in the schema pool, whose thread then
    // takes the batch's payloads back to back instead of one round trip at a time.
    const items = await Promise.all(res.rows.map(async (row) => ({ row, outcome: await outcomeFor(row, mappingsBySource.get(row.sourceId)!, opts) })));
    let deliveries = 0;
    await client.query("SAVEPOINT batch");
    try {
      const resolved = await resolveOutcomes(client, items.map(({ row, outcome }) => ({ ev: eventRef(row), outcome })));
      await finishEvents(client, items.map(({ row }, i) => ({ id: row.id, priorStages: row.stages, r: resolved[i]! })));
      await client.query("RELEASE SAVEPOINT batch");
      for (const r of resolved) deliveries += r.deliveries;
    } catch (batchErr) {
      await client.query("ROLLBACK TO SAVEPOINT batch");
      opts.onBatchFallback?.(batchErr, claimed);
      if (claimed === 1) opts.onError?.(batchErr, res.rows[0]!.id);
      deliveries = await processOneByOne(client, items, opts);
    }
    await client.query("COMMIT");
    if (deliveries > 0) opts.onDeliveries?.();
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
  return claimed;
}

/** The fallback when a batch write fails: each event under its own savepoint. */
async function processOneByOne(client: pg.PoolClient, items: { row: ClaimedRow; outcome: Outcome }[], opts: WorkerOptions): Promise<number> {
  let deliveries = 0;
  for (const { row, outcome } of items) {
    await client.query("SAVEPOINT ev");
    try {
      deliveries += await writeOne(client, row, outcome);
      await client.query("RELEASE SAVEPOINT ev");
    } catch (err) {
      // An unexpected failure (not a sender's mistake): retry later, give up after a few.
      await client.query("ROLLBACK TO SAVEPOINT ev");
      opts.onError?.(err, row.id);
      const attempts = row.attempts + 1;
      if (attempts >= MAX_ATTEMPTS) {
        await client.query(
          `UPDATE "InboundEvent" SET "status"='failed', "attempts"=$2, "error"='Internal error while processing', "processedAt"=now() WHERE "id"=$1`,
          [row.id, attempts],
        );
      } else {
        await client.query(
          `UPDATE "InboundEvent" SET "attempts"=$2, "availableAt"=now() + ($3 || ' seconds')::interval WHERE "id"=$1`,
          [row.id, attempts, String(2 ** attempts)],
        );
      }
    }
  }
  return deliveries;
}

/**
 * Processes one event by id (the QStash callback). Idempotent: the row is locked and
 * only a `queued` event is processed, so a message delivered twice, late or out of
 * order changes nothing the second time.
 */
export async function processEventById(
  opts: Pick<WorkerOptions, "pool" | "newId" | "onDeliveries">,
  eventId: string,
): Promise<"processed" | "already" | "unknown"> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(eventId)) return "unknown";
  const client = await opts.pool.connect();
  try {
    await client.query("BEGIN");
    const res = await client.query<ClaimedRow & { status: string }>(
      `SELECT e."id", e."orgId", e."sourceId", s."originId", e."body", e."headers", e."query", e."stages", e."attempts", e."status"
         FROM "InboundEvent" e JOIN "InboundSource" s ON s."id" = e."sourceId"
        WHERE e."id" = $1
        FOR UPDATE OF e`,
      [eventId],
    );
    const row = res.rows[0];
    if (!row || row.status !== "queued") {
      await client.query("COMMIT");
      return row ? "already" : "unknown";
    }
    const mappings = await loadActiveMappings(client, row.orgId, row.sourceId);
    const deliveries = await writeOne(client, row, await outcomeFor(row, mappings, opts));
    await client.query("COMMIT");
    if (deliveries > 0) opts.onDeliveries?.();
    return "processed";
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

const eventRef = (row: ClaimedRow) => ({ id: row.id, orgId: row.orgId, sourceId: row.sourceId, originId: row.originId });

/** Stages 4–5 for one claimed event, in memory (mapping schemas in the schema pool when given). */
async function outcomeFor(row: ClaimedRow, mappings: MappingRecord[], opts: WorkerOptions): Promise<Outcome> {
  let payload: unknown;
  try {
    payload = JSON.parse(decoder.decode(row.body));
  } catch {
    // The body passed JSON parsing when it was accepted; this only guards a corrupted row.
    return {
      kind: "failed",
      failure: "invalidJson",
      stages: [{ stage: "sourceSchema", outcome: "failed", detail: outcomeText("invalidJson") }],
      error: outcomeText("invalidJson"),
      trace: { tried: [], schema: null, build: null },
    };
  }
  // A lane of its own per source: requests waiting for their 202 are never queued behind
  // (or refused for) a batch of the worker's, and share thread time with it by use.
  const validate = opts.schemas?.validator(`worker:${row.sourceId}`, { background: true }) ?? validateInProcess;
  return runMappingStages(mappings, payload, {
    newId: opts.newId,
    validate,
    bodyBytes: row.body.length,
    request: { headers: row.headers ?? {}, query: row.query ?? {} },
  });
}

async function writeOne(client: pg.PoolClient, row: ClaimedRow, outcome: Outcome): Promise<number> {
  const r = await resolveOutcome(client, eventRef(row), outcome);
  await finishEvents(client, [{ id: row.id, priorStages: row.stages, r }]);
  return r.deliveries;
}

/**
 * Runs `concurrency` claim loops (PROVENANCE_WORKER_CONCURRENCY). SKIP LOCKED keeps them
 * off each other's rows, so while one loop waits on PostgreSQL another computes its batch.
 */
export function startEmbeddedWorker(opts: WorkerOptions & { concurrency?: number }): WorkerHandle {
  const loops = Array.from({ length: Math.max(1, opts.concurrency ?? 1) }, () =>
    startPollLoop(() => processBatch(opts), { pollMs: opts.pollMs ?? 1000, onError: (err) => opts.onError?.(err) }),
  );
  return {
    wake: () => loops.forEach((l) => l.wake()),
    stop: async () => {
      await Promise.all(loops.map((l) => l.stop()));
    },
  };
}
