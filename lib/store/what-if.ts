// What-if replay against stored events (lib/inbound/what-if.ts does the comparing): the
// source's last N verified events, today's active mappings, and the same set with the
// draft in place (an edit of one mapping, or a new one). Reads only; writes nothing.
import { db, prisma } from "@/lib/db";
import { validationFailed } from "@/lib/errors";
import type { MappingCreateInput, MappingUpdateInput } from "@/lib/schemas/mappings";
import { unreadablePathDetails } from "@/lib/inbound/mapping-paths";
import type { RequestParts } from "@/lib/inbound/paths";
import type { MappingRecord, StageOutcome } from "@/lib/inbound/ports";
import type { Condition, VerificationConfig } from "@/lib/inbound/types";
import type { SchemaValidator } from "@/lib/inbound/validate-schema";
import { signatureHeaderNames } from "@/lib/inbound/verify-signature";
import { whatIf, type WhatIfEvent } from "@/lib/inbound/what-if";
import { replayRefusal } from "@/lib/queue/replay-event";
import { findMappingRow, toMappingRecord } from "./mappings";
import { loadActiveMappings } from "./pipeline-store";
import { getSource } from "./sources";

const decoder = new TextDecoder("utf-8", { fatal: true });

type EventRow = {
  id: string;
  body: Buffer;
  headers: Record<string, string> | null;
  query: Record<string, string> | null;
  stages: StageOutcome[];
  bodyTruncated: boolean;
  receivedAt: Date;
};

/** The source's newest `limit` events whose request passed verification (the ones a replay could run). */
async function recentEvents(orgId: string, sourceId: string, limit: number): Promise<{ events: WhatIfEvent[]; skipped: number }> {
  const { rows } = await db().pool.query<EventRow>(
    `SELECT "id", "body", "headers", "query", "stages", "bodyTruncated", "receivedAt" FROM "InboundEvent"
      WHERE "orgId" = $1 AND "sourceId" = $2 AND "bodyPurgedAt" IS NULL
      ORDER BY "receivedAt" DESC, "id" DESC LIMIT $3`,
    [orgId, sourceId, limit],
  );
  const events: WhatIfEvent[] = [];
  let skipped = 0;
  for (const row of rows) {
    if (replayRefusal(row.stages, row.bodyTruncated) !== null) {
      skipped += 1;
      continue;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(decoder.decode(row.body));
    } catch {
      skipped += 1;
      continue;
    }
    const request: RequestParts = { headers: row.headers ?? {}, query: row.query ?? {} };
    events.push({ id: row.id, receivedAt: row.receivedAt, payload, bodyBytes: row.body.length, request });
  }
  return { events, skipped };
}

/** Highest priority first, then oldest: the order stage 4 tries them in. */
const byPipelineOrder = (a: MappingRecord, b: MappingRecord) =>
  b.priority - a.priority || a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id);

async function assertReadable(orgId: string, sourceId: string, draft: MappingRecord): Promise<void> {
  const source = await getSource(orgId, sourceId);
  const v = source.verification as VerificationConfig | null;
  const details = unreadablePathDetails(draft, v ? signatureHeaderNames(v) : []).map((d) => ({ ...d, path: `/draft${d.path}` }));
  if (details.length > 0) throw validationFailed(details);
}

async function run(orgId: string, sourceId: string, today: MappingRecord[], draft: MappingRecord[], limit: number, validate: SchemaValidator) {
  const { events, skipped } = await recentEvents(orgId, sourceId, limit);
  const result = await whatIf(events, today, draft.sort(byPipelineOrder), validate);
  return { sourceId, skipped, summary: result.summary, changed: result.changed };
}

/** The draft as an edit of an existing mapping (PATCH semantics: omitted fields kept, null clears). */
export async function whatIfMappingEdit(orgId: string, mappingId: string, input: MappingUpdateInput, limit: number, validate: SchemaValidator) {
  const current = toMappingRecord(await findMappingRow(orgId, mappingId));
  const row = await prisma().inboundMapping.findFirstOrThrow({ where: { id: mappingId, orgId }, select: { sourceId: true, active: true } });
  const draft: MappingRecord = {
    ...current,
    title: input.title ?? current.title,
    priority: input.priority ?? current.priority,
    resourceType: input.resourceType ?? current.resourceType,
    action: input.action !== undefined ? input.action : input.actionPath !== undefined ? null : current.action,
    actionPath: input.actionPath !== undefined ? input.actionPath : input.action !== undefined ? null : current.actionPath,
    conditions: (input.conditions as Condition[] | undefined) ?? current.conditions,
    payloadSchema: input.payloadSchema !== undefined ? (input.payloadSchema ?? null) : current.payloadSchema,
    schemaRootPath: input.schemaRootPath !== undefined ? (input.schemaRootPath ?? null) : current.schemaRootPath,
    idempotencyPath: input.idempotencyPath !== undefined ? (input.idempotencyPath ?? null) : current.idempotencyPath,
    resourceIdPath: input.resourceIdPath ?? current.resourceIdPath,
    fieldMappings: input.fieldMappings !== undefined ? (input.fieldMappings ?? null) : current.fieldMappings,
    metadataPaths: input.metadataPaths !== undefined ? (input.metadataPaths ?? null) : current.metadataPaths,
  };
  await assertReadable(orgId, row.sourceId, draft);
  const today = await loadActiveMappings(db().pool, orgId, row.sourceId);
  const active = input.active ?? row.active;
  const others = today.filter((m) => m.id !== mappingId);
  return run(orgId, row.sourceId, today, active ? [...others, draft] : others, limit, validate);
}

/** The draft as a new mapping of the source. */
export async function whatIfNewMapping(orgId: string, sourceId: string, input: Omit<MappingCreateInput, "sourceId">, limit: number, validate: SchemaValidator) {
  await getSource(orgId, sourceId); // 404 for another org's source
  const draft: MappingRecord = {
    id: "draft",
    title: input.title ?? `${input.resourceType}.${input.action ?? `<${input.actionPath}>`}`,
    priority: input.priority,
    // Created now: among equal priorities it is tried last, as a new mapping would be.
    createdAt: new Date(),
    resourceTypeId: "draft",
    actionId: null,
    resourceType: input.resourceType,
    action: input.action ?? null,
    actionPath: input.actionPath ?? null,
    conditions: input.conditions as Condition[],
    payloadSchema: input.payloadSchema ?? null,
    schemaRootPath: input.schemaRootPath ?? null,
    idempotencyPath: input.idempotencyPath ?? null,
    resourceIdPath: input.resourceIdPath,
    fieldMappings: input.fieldMappings ?? null,
    metadataPaths: input.metadataPaths ?? null,
  };
  await assertReadable(orgId, sourceId, draft);
  const today = await loadActiveMappings(db().pool, orgId, sourceId);
  return run(orgId, sourceId, today, input.active ? [...today, draft] : [...today], limit, validate);
}
