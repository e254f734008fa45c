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
import { settleStages } from "@/lib/inbound/pipeline";
import { toStorableJson, toStorableText } from "@/lib/inbound/storable-text";
import type { Detail } from "@/lib/inbound/types";
import { createGroupWriter } from "./group-writer";

type Queryable = Pick<pg.ClientBase, "query">;

// Every string this module writes into a text or jsonb column goes through
// lib/inbound/storable-text: U+0000 and unpaired surrogates, which PostgreSQL refuses,
// become U+FFFD. They come from payloads already accepted (the raw body keeps the
// original bytes), so a sender's odd string must never fail the write, let alone push
// a worker batch into its one-by-one fallback.
const bytes = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
const json = (v: unknown): string | null => (v === undefined || v === null ? null : toStorableJson(v).text);
const text = (v: string | null | undefined): string | null => (v === undefined || v === null ? null : toStorableText(v));


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

type EventRef = { id: string; orgId: string; sourceId: string; originId: string };
type Ready = Extract<Outcome, { kind: "ready" }>;

/** An interaction's values as they are written: storable text, the object as jsonb text. */
type StoredValues = { action: string; resourceId: string; idempotencyKey: string | null; object: string; altered: boolean };

function storedValuesOf(i: Ready["interaction"]): StoredValues {
  const action = toStorableText(i.action);
  const resourceId = toStorableText(i.resourceId);
  const idempotencyKey = i.idempotencyKey === null ? null : toStorableText(i.idempotencyKey);
  const object = toStorableJson(i.object);
  const altered = object.altered || action !== i.action || resourceId !== i.resourceId || idempotencyKey !== i.idempotencyKey;
  return { action, resourceId, idempotencyKey, object: object.text, altered };
}

/** The interaction stage's note when a value had to be changed to be stored. */
export const ALTERED_NOTE = "U+0000 or unpaired surrogates in the payload's values stored as U+FFFD; the raw body keeps the original";

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

const actionKey = (orgId: string, name: string) => `${orgId}\u0000${name}`;

/**
 * The Action rows for names read from payloads, created on first use (concurrency-safe):
 * one upsert for every distinct (org, name) of the batch.
 */
async function actionIdsFor(q: Queryable, wanted: Map<string, { orgId: string; name: string }>): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  if (wanted.size === 0) return ids;
  const pairs = [...wanted.values()];
  const res = await q.query<{ id: string; orgId: string; name: string }>(
    `INSERT INTO "Action" ("id","orgId","name")
     SELECT gen_random_uuid(), t.o, t.n FROM unnest($1::uuid[], $2::text[]) AS t(o, n)
     ON CONFLICT ("orgId","name") DO UPDATE SET "name" = EXCLUDED."name"
     RETURNING "id", "orgId", "name"`,
    [pairs.map((p) => p.orgId), pairs.map((p) => p.name)],
  );
  for (const r of res.rows) ids.set(actionKey(r.orgId, r.name), r.id);
  return ids;
}

/**
 * Inserts the interactions unless equal ones exist, in one statement, in the order
 * given: of two equal keys in one batch the first wins and the second is the duplicate
 * (ON CONFLICT DO NOTHING settles rows of the same statement too). Returns the ids
 * inserted.
 */
async function insertInteractions(q: Queryable, items: { ev: EventRef; outcome: Ready; stored: StoredValues; actionId: string }[]): Promise<Set<string>> {
  const col = <T,>(f: (x: (typeof items)[number]) => T): T[] => items.map(f);
  const res = await q.query<{ id: string }>(
    `INSERT INTO "Interaction" ("id","orgId","originId","sourceId","mappingId","eventId","resourceTypeId","actionId",
                                "resourceType","action","resourceId","idempotencyKey","object")
     SELECT t.id, t.org, t.origin, t.src, t.mapping, t.ev, t.rt, t.act, t.rtn, t.actn, t.rid, t.ikey, t.obj::jsonb
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[], $7::uuid[], $8::uuid[],
                   $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])
            WITH ORDINALITY AS t(id, org, origin, src, mapping, ev, rt, act, rtn, actn, rid, ikey, obj, ord)
      ORDER BY t.ord
     ON CONFLICT ("orgId","resourceTypeId","actionId","idempotencyKey") DO NOTHING
     RETURNING "id"`,
    [
      col((x) => x.outcome.interaction.id),
      col((x) => x.ev.orgId),
      col((x) => x.ev.originId),
      col((x) => x.ev.sourceId),
      col((x) => x.outcome.interaction.mapping.id),
      col((x) => x.ev.id),
      col((x) => x.outcome.interaction.mapping.resourceTypeId),
      col((x) => x.actionId),
      col((x) => x.outcome.interaction.mapping.resourceType),
      col((x) => x.stored.action),
      col((x) => x.stored.resourceId),
      col((x) => x.stored.idempotencyKey),
      col((x) => x.stored.object),
    ],
  );
  return new Set(res.rows.map((r) => r.id));
}

/** Deliveries for each new interaction's active routes, in one statement; counts per interaction. */
async function insertDeliveries(q: Queryable, items: { orgId: string; interactionId: string; mappingId: string }[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (items.length === 0) return counts;
  const res = await q.query<{ interactionId: string }>(
    `INSERT INTO "Delivery" ("id","orgId","interactionId","targetId","status","nextAttemptAt","updatedAt")
     SELECT gen_random_uuid(), r."orgId", x.iid, r."targetId", 'pending', now(), now()
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS x(org, iid, mid)
       JOIN "Route" r ON r."orgId" = x.org AND r."mappingId" = x.mid AND r."active"
       JOIN "Target" t ON t."id" = r."targetId" AND t."active"
     RETURNING "interactionId"`,
    [items.map((i) => i.orgId), items.map((i) => i.interactionId), items.map((i) => i.mappingId)],
  );
  for (const r of res.rows) counts.set(r.interactionId, (counts.get(r.interactionId) ?? 0) + 1);
  return counts;
}

function resolvedWithoutInteraction(outcome: Exclude<Outcome, Ready>): Resolved {
  const stages = [...outcome.stages];
  if (outcome.kind === "unmatched") {
    return { status: "unmatched", stages, result: { status: "unmatched" }, error: null, details: null, mappingId: null, interactionId: null, deliveries: 0 };
  }
  return { status: "failed", stages, result: { status: "failed" }, error: outcome.error, details: outcome.details ?? null, mappingId: outcome.mappingId ?? null, interactionId: null, deliveries: 0 };
}

/**
 * Stage 6 and 7's write for a batch of events, set-based: at most three statements
 * (actions read from payloads, interactions, deliveries) whatever the batch size. The
 * live sync path calls it with one event; the worker with everything it claimed.
 */
export async function resolveOutcomes(q: Queryable, items: { ev: EventRef; outcome: Outcome }[]): Promise<Resolved[]> {
  const out: Resolved[] = new Array(items.length);
  const ready: { idx: number; ev: EventRef; outcome: Ready; stored: StoredValues }[] = [];
  const wanted = new Map<string, { orgId: string; name: string }>();
  // The mapping's own action is used as is only when the payload named exactly it.
  const ownAction = (i: Ready["interaction"]) => Boolean(i.mapping.actionId && i.mapping.action === i.action);
  items.forEach(({ ev, outcome }, idx) => {
    if (outcome.kind !== "ready") {
      out[idx] = resolvedWithoutInteraction(outcome);
      return;
    }
    const stored = storedValuesOf(outcome.interaction);
    ready.push({ idx, ev, outcome, stored });
    if (!ownAction(outcome.interaction)) wanted.set(actionKey(ev.orgId, stored.action), { orgId: ev.orgId, name: stored.action });
  });
  if (ready.length === 0) return out;
  const actionIds = await actionIdsFor(q, wanted);
  const rows = ready.map((r) => {
    const i = r.outcome.interaction;
    const actionId = ownAction(i) ? i.mapping.actionId : actionIds.get(actionKey(r.ev.orgId, r.stored.action));
    if (!actionId) throw new Error(`Action "${r.stored.action}" could not be resolved`);
    return { ...r, actionId };
  });
  const inserted = await insertInteractions(q, rows);
  const deliveries = await insertDeliveries(
    q,
    rows
      .filter((r) => inserted.has(r.outcome.interaction.id))
      .map((r) => ({ orgId: r.ev.orgId, interactionId: r.outcome.interaction.id, mappingId: r.outcome.interaction.mapping.id })),
  );
  for (const r of rows) {
    const { id, mapping } = r.outcome.interaction;
    const key = r.stored.idempotencyKey;
    if (!inserted.has(id)) {
      const stages = [...r.outcome.stages, ...settleStages({ id, idempotencyKey: key }, { duplicate: true })];
      out[r.idx] = { status: "duplicate", stages, result: { status: "duplicate" }, error: null, details: null, mappingId: mapping.id, interactionId: null, deliveries: 0 };
      continue;
    }
    const n = deliveries.get(id) ?? 0;
    const stages = [...r.outcome.stages, ...settleStages({ id, idempotencyKey: key }, { duplicate: false, deliveries: n, note: r.stored.altered ? ALTERED_NOTE : null })];
    out[r.idx] = { status: "processed", stages, result: { status: "processed", interactionId: id }, error: null, details: null, mappingId: mapping.id, interactionId: id, deliveries: n };
  }
  return out;
}

/** Stage 6 and 7's write for one event: turns an outcome into the event's final state. */
export async function resolveOutcome(q: Queryable, ev: EventRef, outcome: Outcome): Promise<Resolved> {
  return (await resolveOutcomes(q, [{ ev, outcome }]))[0]!;
}

/** Writes the final state of processed queued events, in one statement. */
export async function finishEvents(q: Queryable, rows: { id: string; priorStages: StageOutcome[]; r: Resolved }[]): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `UPDATE "InboundEvent" e
        SET "status"=x.status::"EventStatus", "stages"=x.stages::jsonb, "error"=x.error, "errorDetails"=x.details::jsonb,
            "mappingId"=x.mapping, "interactionId"=x.interaction, "attempts"=e."attempts"+1, "processedAt"=now()
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::uuid[])
            AS x(id, status, stages, error, details, mapping, interaction)
      WHERE e."id" = x.id`,
    [
      rows.map((x) => x.id),
      rows.map((x) => x.r.status),
      rows.map((x) => json([...x.priorStages, ...x.r.stages])),
      rows.map((x) => text(x.r.error)),
      rows.map((x) => json(x.r.details)),
      rows.map((x) => x.r.mappingId),
      rows.map((x) => x.r.interactionId),
    ],
  );
}

type EventFields = { stages: StageOutcome[]; error?: string | null; details?: Detail[] | null; mappingId?: string | null; interactionId?: string | null };
type EventRow = { e: NewEvent; status: EventStatus; fields: EventFields };

const EVENT_COLUMNS = `"id","orgId","sourceId","status","headers","body","bodyTruncated","stages","error",
  "errorDetails","mappingId","interactionId","replayOf","receivedAt","availableAt","processedAt","query"`;
const PARAMS_PER_EVENT = 16;

function eventParams({ e, status, fields }: EventRow): unknown[] {
  return [e.id, e.source.orgId, e.source.id, status, json(e.headers), bytes(e.body), e.bodyTruncated,
    json(fields.stages), text(fields.error), json(fields.details), fields.mappingId ?? null,
    fields.interactionId ?? null, e.replayOf ?? null, e.receivedAt, status === "queued" ? null : new Date(), json(e.query ?? {})];
}

function eventValues(row: number): string {
  const p = (i: number) => `$${row * PARAMS_PER_EVENT + i}`;
  return `(${p(1)},${p(2)},${p(3)},${p(4)},${p(5)}::jsonb,${p(6)},${p(7)},${p(8)}::jsonb,${p(9)},${p(10)}::jsonb,${p(11)},${p(12)},${p(13)},${p(14)},${p(14)},${p(15)},${p(16)}::jsonb)`;
}

async function insertEvent(q: Queryable, e: NewEvent, status: EventStatus, fields: EventFields): Promise<void> {
  await insertEvents(q, [{ e, status, fields }]);
}

/** One multi-row INSERT (the rows are independent: all land or none do). */
async function insertEvents(q: Queryable, rows: EventRow[]): Promise<void> {
  await q.query(
    `INSERT INTO "InboundEvent" (${EVENT_COLUMNS}) VALUES ${rows.map((_, i) => eventValues(i)).join(",")}`,
    rows.flatMap(eventParams),
  );
}

/** Rows per INSERT of the group writer: far below the protocol's 65,535 parameters. */
const EVENT_GROUP_MAX_ROWS = 200;

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

/** Bytes per INSERT of the group writer: a few large bodies go in statements of their own. */
const EVENT_GROUP_MAX_BYTES = 8 * 1024 * 1024;

/** What an event row holds while it waits to be written: its body and headers, and the rest. */
function eventRowBytes({ e, fields }: EventRow): number {
  let headers = 0;
  for (const [k, v] of Object.entries(e.headers)) headers += k.length + v.length;
  for (const [k, v] of Object.entries(e.query ?? {})) headers += k.length + v.length;
  return e.body.byteLength + 2 * headers + 2 * JSON.stringify(fields.details ?? null).length + 1024;
}

export type EventQueueLimits = {
  /** Event rows waiting or being written at most; past it recordEvent throws OverloadedError. */
  maxRows: number;
  /** Their bytes (bodies, headers) at most. */
  maxBytes: number;
};

export const DEFAULT_EVENT_QUEUE_LIMITS: EventQueueLimits = { maxRows: 10_000, maxBytes: 64 * 1024 * 1024 };

export function createPipelineStore(
  pool: pg.Pool,
  onDeliveries: () => void = () => {},
  limits: EventQueueLimits = DEFAULT_EVENT_QUEUE_LIMITS,
): PipelineStore {
  // Events recorded by concurrent requests are inserted together (lib/store/group-writer.ts).
  // Two statements in flight keep the rest of the pool for the worker and the API.
  const writeEvent = createGroupWriter<EventRow>(
    (rows) => insertEvents(pool, rows),
    (row) => insertEvents(pool, [row]),
    {
      maxBatch: EVENT_GROUP_MAX_ROWS,
      maxBatchBytes: EVENT_GROUP_MAX_BYTES,
      maxInFlight: Math.min(2, pool.options.max ?? 10),
      maxPendingRows: limits.maxRows,
      maxPendingBytes: limits.maxBytes,
      sizeOf: eventRowBytes,
    },
  );
  return {
    activeMappings: (orgId, sourceId) => loadActiveMappings(pool, orgId, sourceId),
    async recordEvent(event, status, error) {
      await writeEvent({ e: event, status, fields: { stages: event.stages, error: error?.message, details: error?.details } });
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
