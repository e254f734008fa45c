// Persistence for the pipeline, in SQL: the interaction insert is the deduplication
// (ON CONFLICT against the unique index, so it holds under concurrency), and the
// event row is the durable queue entry claimed with FOR UPDATE SKIP LOCKED.
import type pg from "pg";
import type {
  CommitResult,
  EventStatus,
  MappingRecord,
  NewEvent,
  Outcome,
  PipelineStore,
  StageOutcome,
} from "@/lib/inbound/ports";
import type { Detail } from "@/lib/inbound/types";

type Queryable = Pick<pg.ClientBase, "query">;

const bytes = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));


export async function loadActiveMappings(q: Queryable, orgId: string, sourceId: string): Promise<MappingRecord[]> {
  const res = await q.query<MappingRecord>(
    `SELECT m."id", m."title", m."priority", m."createdAt", m."resourceTypeId", m."actionId",
            rt."name" AS "resourceType", a."name" AS "action", m."actionPath", m."conditions", m."payloadSchema",
            m."schemaRootPath", m."idempotencyPath", m."resourceIdPath", m."fieldMappings", m."metadataPaths"
       FROM "InboundMapping" m
       JOIN "ResourceType" rt ON rt."id" = m."resourceTypeId"
       LEFT JOIN "Action" a ON a."id" = m."actionId"
      WHERE m."orgId" = $1 AND m."sourceId" = $2 AND m."active"
      ORDER BY m."priority" DESC, m."createdAt" ASC, m."id" ASC`,
    [orgId, sourceId],
  );
  return res.rows;
}

/** The Action row for a name read from the payload, created on first use (concurrency-safe). */
async function actionIdFor(q: Queryable, orgId: string, name: string): Promise<string> {
  const res = await q.query<{ id: string }>(
    `INSERT INTO "Action" ("id","orgId","name") VALUES (gen_random_uuid(), $1, $2)
     ON CONFLICT ("orgId","name") DO UPDATE SET "name" = EXCLUDED."name"
     RETURNING "id"`,
    [orgId, name],
  );
  return res.rows[0]!.id;
}

/** Inserts the interaction unless an equal one exists; null means duplicate. */
async function insertInteraction(q: Queryable, ev: { id: string; orgId: string; sourceId: string; originId: string }, outcome: Extract<Outcome, { kind: "ready" }>): Promise<string | null> {
  const i = outcome.interaction;
  const actionId = i.mapping.actionId && i.mapping.action === i.action ? i.mapping.actionId : await actionIdFor(q, ev.orgId, i.action);
  const res = await q.query<{ id: string }>(
    `INSERT INTO "Interaction" ("id","orgId","originId","sourceId","mappingId","eventId","resourceTypeId","actionId",
                                "resourceType","action","resourceId","idempotencyKey","object")
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13::jsonb)
     ON CONFLICT ("orgId","resourceTypeId","actionId","idempotencyKey") DO NOTHING
     RETURNING "id"`,
    [i.id, ev.orgId, ev.originId, ev.sourceId, i.mapping.id, ev.id, i.mapping.resourceTypeId, actionId,
      i.mapping.resourceType, i.action, i.resourceId, i.idempotencyKey, JSON.stringify(i.object)],
  );
  return res.rows[0]?.id ?? null;
}

/** Deliveries for the mapping's active routes, written in the interaction's transaction. */
async function insertDeliveries(q: Queryable, orgId: string, interactionId: string, mappingId: string): Promise<number> {
  const res = await q.query(
    `INSERT INTO "Delivery" ("id","orgId","interactionId","targetId","status","nextAttemptAt","updatedAt")
     SELECT gen_random_uuid(), r."orgId", $2, r."targetId", 'pending', now(), now()
       FROM "Route" r JOIN "Target" t ON t."id" = r."targetId"
      WHERE r."orgId" = $1 AND r."mappingId" = $3 AND r."active" AND t."active"`,
    [orgId, interactionId, mappingId],
  );
  return res.rowCount ?? 0;
}

export type Resolved = {
  status: EventStatus;
  stages: StageOutcome[];
  result: CommitResult;
  error: string | null;
  details: Detail[] | null;
  mappingId: string | null;
  interactionId: string | null;
  deliveries: number;
};

/** Stage 6 and 7's write: turns an outcome into the event's final state. */
export async function resolveOutcome(
  q: Queryable,
  ev: { id: string; orgId: string; sourceId: string; originId: string },
  outcome: Outcome,
): Promise<Resolved> {
  const stages = [...outcome.stages];
  if (outcome.kind === "unmatched") {
    return { status: "unmatched", stages, result: { status: "unmatched" }, error: null, details: null, mappingId: null, interactionId: null, deliveries: 0 };
  }
  if (outcome.kind === "failed") {
    return { status: "failed", stages, result: { status: "failed" }, error: outcome.error, details: outcome.details ?? null, mappingId: outcome.mappingId ?? null, interactionId: null, deliveries: 0 };
  }
  const id = await insertInteraction(q, ev, outcome);
  const key = outcome.interaction.idempotencyKey;
  const mappingId = outcome.interaction.mapping.id;
  if (!id) {
    stages.push({ stage: "dedup", outcome: "failed", detail: `Duplicate of an existing interaction (key ${key})` });
    return { status: "duplicate", stages, result: { status: "duplicate" }, error: null, details: null, mappingId, interactionId: null, deliveries: 0 };
  }
  stages.push(key === null ? { stage: "dedup", outcome: "skipped", detail: "No idempotency key" } : { stage: "dedup", outcome: "passed" });
  const deliveries = await insertDeliveries(q, ev.orgId, id, mappingId);
  stages.push({ stage: "interaction", outcome: "passed", detail: deliveries ? `${id} (${deliveries} deliveries)` : id });
  return { status: "processed", stages, result: { status: "processed", interactionId: id }, error: null, details: null, mappingId, interactionId: id, deliveries };
}

async function insertEvent(
  q: Queryable,
  e: NewEvent,
  status: EventStatus,
  fields: { stages: StageOutcome[]; error?: string | null; details?: Detail[] | null; mappingId?: string | null; interactionId?: string | null },
): Promise<void> {
  await q.query(
    `INSERT INTO "InboundEvent" ("id","orgId","sourceId","status","headers","body","bodyTruncated","stages","error",
                                 "errorDetails","mappingId","interactionId","replayOf","receivedAt","availableAt","processedAt")
     VALUES ($1,$2,$3,$4,$5::jsonb,$6,$7,$8::jsonb,$9,$10::jsonb,$11,$12,$13,$14,$14,$15)`,
    [e.id, e.source.orgId, e.source.id, status, JSON.stringify(e.headers), bytes(e.body), e.bodyTruncated,
      JSON.stringify(fields.stages), fields.error ?? null, json(fields.details), fields.mappingId ?? null,
      fields.interactionId ?? null, e.replayOf ?? null, e.receivedAt, status === "queued" ? null : new Date()],
  );
}

export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

export function createPipelineStore(pool: pg.Pool, onDeliveries: () => void = () => {}): PipelineStore {
  return {
    activeMappings: (orgId, sourceId) => loadActiveMappings(pool, orgId, sourceId),
    async recordEvent(event, status, error) {
      await insertEvent(pool, event, status, { stages: event.stages, error: error?.message, details: error?.details });
    },
    async commitSync(event, outcome) {
      return withTransaction(pool, async (client) => {
        const ev = { id: event.id, orgId: event.source.orgId, sourceId: event.source.id, originId: event.source.originId };
        const r = await resolveOutcome(client, ev, outcome);
        await insertEvent(client, event, r.status, {
          stages: [...event.stages, ...r.stages],
          error: r.error,
          details: r.details,
          mappingId: r.mappingId,
          interactionId: r.interactionId,
        });
        return r;
      }).then((r) => {
        if (r.deliveries > 0) onDeliveries();
        return r.result;
      });
    },
  };
}
