// Replay: a new queued event (replayOf the original) that runs stages 4–7 again on the
// stored raw body with today's mappings. Only events whose signature and source schema
// passed may be replayed: a replay must never bypass verification.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { STAGE_TEXT } from "@/lib/inbound/outcomes";
import type { StageOutcome } from "@/lib/inbound/ports";

export type ReplayResult =
  | { ok: true; eventId: string }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "not_replayable"; message: string };

const EARLY_STAGES = new Set(["body", "signature", "sourceSchema"]);

/** Why an event with these stages cannot be replayed, or null when it can. */
export function replayRefusal(
  stages: readonly { stage: string; outcome: string; detail?: string }[],
  bodyTruncated: boolean,
  bodyPurgedAt: Date | string | null = null,
): string | null {
  if (bodyPurgedAt !== null) {
    const when = new Date(bodyPurgedAt).toISOString().slice(0, 10);
    return `The event's body was deleted by the retention policy on ${when} and cannot be replayed`;
  }
  const early = stages.find((s) => EARLY_STAGES.has(s.stage) && s.outcome === "failed");
  if (early || bodyTruncated) return `The event failed at stage "${early?.stage ?? "body"}" and cannot be replayed`;
  // The stage the pipeline records for a handshake (verifyAndValidate), by its one text.
  if (stages.some((s) => s.stage === "sourceSchema" && s.outcome === "skipped" && s.detail === STAGE_TEXT.handshake)) {
    return "A provider handshake cannot be replayed";
  }
  return null;
}

export async function replayEventWith(pool: pg.Pool, orgId: string, eventId: string, notify?: (id: string) => void): Promise<ReplayResult> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(eventId)) return { ok: false, reason: "not_found" };
  const found = await pool.query<{ id: string; replayOf: string | null; stages: StageOutcome[]; bodyTruncated: boolean; bodyPurgedAt: Date | null }>(
    `SELECT "id", "replayOf", "stages", "bodyTruncated", "bodyPurgedAt" FROM "InboundEvent" WHERE "id" = $1 AND "orgId" = $2`,
    [eventId, orgId],
  );
  const original = found.rows[0];
  if (!original) return { ok: false, reason: "not_found" };
  const refusal = replayRefusal(original.stages, original.bodyTruncated, original.bodyPurgedAt);
  if (refusal) return { ok: false, reason: "not_replayable", message: refusal };
  const newId = randomUUID();
  const rootId = original.replayOf ?? original.id;
  const stages: StageOutcome[] = [
    ...original.stages.filter((s) => EARLY_STAGES.has(s.stage) || s.stage === "source"),
  ];
  // The body is copied only if it is still there: the retention job may have purged it
  // since it was read above.
  const inserted = await pool.query(
    `INSERT INTO "InboundEvent" ("id","orgId","sourceId","status","headers","query","body","bodyTruncated","stages","replayOf","receivedAt","availableAt")
     SELECT $1, "orgId", "sourceId", 'queued', "headers", "query", "body", false, $3::jsonb, $4, now(), now()
       FROM "InboundEvent" WHERE "id" = $2 AND "orgId" = $5 AND "bodyPurgedAt" IS NULL`,
    [newId, original.id, JSON.stringify(stages), rootId, orgId],
  );
  if (inserted.rowCount === 0) return { ok: false, reason: "not_replayable", message: replayRefusal([], false, new Date())! };
  notify?.(newId);
  return { ok: true, eventId: newId };
}

/** Replay through the app's own pool, waking the embedded worker. */
export async function replayEvent(orgId: string, eventId: string): Promise<ReplayResult> {
  const { db } = await import("@/lib/db");
  const { runtime } = await import("@/lib/runtime");
  const deps = runtime().deps;
  return replayEventWith(db().pool, orgId, eventId, (id) => void deps.queue.notify(id));
}
