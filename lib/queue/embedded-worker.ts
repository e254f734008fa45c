// The embedded queue worker: drains queued inbound events (stages 4–7) from the
// InboundEvent table. Claims use FOR UPDATE SKIP LOCKED inside one transaction per
// batch, so several app processes share the work and a crash mid-batch rolls back to
// "queued": nothing accepted is lost, and nothing is processed twice.
import type pg from "pg";
import { selectAndBuild } from "@/lib/inbound/pipeline";
import type { MappingRecord, Outcome, StageOutcome } from "@/lib/inbound/ports";
import { loadActiveMappings, resolveOutcome } from "@/lib/store/pipeline-store";
import { startPollLoop, type PollLoop } from "./poll-loop";

const MAX_ATTEMPTS = 5;
const decoder = new TextDecoder("utf-8", { fatal: true });

type ClaimedRow = {
  id: string;
  orgId: string;
  sourceId: string;
  originId: string;
  body: Buffer;
  stages: StageOutcome[];
  attempts: number;
};

export type WorkerOptions = {
  pool: pg.Pool;
  batchSize?: number;
  pollMs?: number;
  newId: () => string;
  onError?: (err: unknown, eventId?: string) => void;
  /** Called after a batch that created deliveries (wakes the delivery worker). */
  onDeliveries?: () => void;
  /**
   * Only claim events queued at least this long ago. With QStash carrying events, the
   * embedded worker is a sweeper for anything QStash never delivered (publish failed,
   * message lost, mode switched), so nothing accepted is ever stranded.
   */
  minAgeSeconds?: number;
};

export type WorkerHandle = PollLoop;

/** Claims up to batchSize due events and processes them; returns how many were claimed. */
export async function processBatch(opts: WorkerOptions): Promise<number> {
  const client = await opts.pool.connect();
  let claimed = 0;
  try {
    await client.query("BEGIN");
    const res = await client.query<ClaimedRow>(
      `SELECT e."id", e."orgId", e."sourceId", s."originId", e."body", e."stages", e."attempts"
         FROM "InboundEvent" e JOIN "InboundSource" s ON s."id" = e."sourceId"
        WHERE e."status" = 'queued' AND e."availableAt" <= now() - make_interval(secs => $2)
        ORDER BY e."availableAt", e."receivedAt"
        LIMIT $1
        FOR UPDATE OF e SKIP LOCKED`,
      [opts.batchSize ?? 50, opts.minAgeSeconds ?? 0],
    );
    claimed = res.rows.length;
    let deliveries = 0;
    const mappingsBySource = new Map<string, MappingRecord[]>();
    for (const row of res.rows) {
      let mappings = mappingsBySource.get(row.sourceId);
      if (!mappings) {
        mappings = await loadActiveMappings(client, row.orgId, row.sourceId);
        mappingsBySource.set(row.sourceId, mappings);
      }
      await client.query("SAVEPOINT ev");
      try {
        deliveries += await processOne(client, row, mappings, opts.newId);
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
      `SELECT e."id", e."orgId", e."sourceId", s."originId", e."body", e."stages", e."attempts", e."status"
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
    const deliveries = await processOne(client, row, mappings, opts.newId);
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

async function processOne(client: pg.PoolClient, row: ClaimedRow, mappings: MappingRecord[], newId: () => string): Promise<number> {
  let outcome: Outcome;
  try {
    const payload: unknown = JSON.parse(decoder.decode(row.body));
    outcome = selectAndBuild(mappings, payload, newId);
  } catch {
    // The body passed JSON parsing when it was accepted; this only guards a corrupted row.
    outcome = { kind: "failed", stages: [], error: "Stored body is not valid JSON" };
  }
  const r = await resolveOutcome(client, { id: row.id, orgId: row.orgId, sourceId: row.sourceId, originId: row.originId }, outcome);
  await client.query(
    `UPDATE "InboundEvent"
        SET "status"=$2, "stages"=$3::jsonb, "error"=$4, "errorDetails"=$5::jsonb, "mappingId"=$6,
            "interactionId"=$7, "attempts"="attempts"+1, "processedAt"=now()
      WHERE "id"=$1`,
    [row.id, r.status, JSON.stringify([...row.stages, ...r.stages]), r.error, r.details ? JSON.stringify(r.details) : null, r.mappingId, r.interactionId],
  );
  return r.deliveries;
}

export function startEmbeddedWorker(opts: WorkerOptions): WorkerHandle {
  return startPollLoop(() => processBatch(opts), { pollMs: opts.pollMs ?? 1000, onError: (err) => opts.onError?.(err) });
}
