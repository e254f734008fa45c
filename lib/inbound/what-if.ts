// What-if replay: a draft mapping run over a source's recent events, beside today's
// mappings, writing nothing. Both sides run the pipeline's own stages 4–7
// (selectAndBuild), so the comparison is the pipeline's verdict, not an imitation of it.
//
// Deduplication is judged within the events looked at, oldest first: an event is a
// duplicate on a side when an earlier event of the window made the same resource type,
// action and idempotency key on that side. (Interactions older than the window are not
// consulted: the question is what the draft changes, and both sides see the same past.)
import { jsonEqual } from "./json-value";
import type { RequestParts } from "./paths";
import { runMappingStages } from "./pipeline";
import type { MappingRecord, Outcome } from "./ports";
import type { SchemaValidator } from "./validate-schema";

export type WhatIfEvent = { id: string; receivedAt: Date; payload: unknown; bodyBytes: number; request: RequestParts };

export type WhatIfSide = {
  mappingId: string | null;
  mappingTitle: string | null;
  outcome: "interaction" | "duplicate" | "unmatched" | "failed";
  error?: string;
  interaction?: { resourceType: string; action: string; resourceId: string; idempotencyKey: string | null; object: Record<string, unknown> };
};

export type WhatIfChange = { field: string; today?: unknown; draft?: unknown };

export type WhatIfRow = {
  eventId: string;
  receivedAt: string;
  today: WhatIfSide;
  draft: WhatIfSide;
  changes: WhatIfChange[];
};

export type WhatIfSummary = {
  events: number;
  changed: number;
  changeMapping: number;
  startFailing: number;
  stopFailing: number;
  changeFields: number;
  startDuplicate: number;
  stopDuplicate: number;
  text: string;
};

/** The key deduplication compares (stage 6): resource type, action and idempotency key. */
const dedupKey = (i: NonNullable<WhatIfSide["interaction"]>) =>
  i.idempotencyKey === null ? null : JSON.stringify([i.resourceType, i.action, i.idempotencyKey]);

function sideOf(outcome: Outcome, seen: Set<string>, titles: ReadonlyMap<string, string>): WhatIfSide {
  if (outcome.kind === "unmatched") return { mappingId: null, mappingTitle: null, outcome: "unmatched" };
  if (outcome.kind === "failed") {
    const id = outcome.mappingId ?? null;
    return { mappingId: id, mappingTitle: id ? (titles.get(id) ?? null) : null, outcome: "failed", error: outcome.error };
  }
  const i = outcome.interaction;
  // The generated _uowId is the same stand-in on both sides: left out.
  const object = { ...i.object };
  delete object._uowId;
  const interaction = { resourceType: i.mapping.resourceType, action: i.action, resourceId: i.resourceId, idempotencyKey: i.idempotencyKey, object };
  const key = dedupKey(interaction);
  const duplicate = key !== null && seen.has(key);
  if (key !== null) seen.add(key);
  return { mappingId: i.mapping.id, mappingTitle: i.mapping.title, outcome: duplicate ? "duplicate" : "interaction", interaction };
}

function changesBetween(today: WhatIfSide, draft: WhatIfSide): WhatIfChange[] {
  const changes: WhatIfChange[] = [];
  if (today.mappingId !== draft.mappingId) changes.push({ field: "mapping", today: today.mappingTitle ?? today.mappingId, draft: draft.mappingTitle ?? draft.mappingId });
  if (today.outcome !== draft.outcome) changes.push({ field: "outcome", today: today.outcome, draft: draft.outcome });
  if (today.error !== draft.error) changes.push({ field: "error", today: today.error, draft: draft.error });
  const a = today.interaction;
  const b = draft.interaction;
  if (a && b) {
    for (const field of ["resourceType", "action", "resourceId", "idempotencyKey"] as const) {
      if (a[field] !== b[field]) changes.push({ field, today: a[field], draft: b[field] });
    }
    for (const key of new Set([...Object.keys(a.object), ...Object.keys(b.object)])) {
      const x = Object.prototype.hasOwnProperty.call(a.object, key) ? a.object[key] : undefined;
      const y = Object.prototype.hasOwnProperty.call(b.object, key) ? b.object[key] : undefined;
      if (x === undefined && y === undefined) continue;
      if (x === undefined || y === undefined || !jsonEqual(x, y)) changes.push({ field: `object.${key}`, today: x, draft: y });
    }
  }
  return changes;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "37 events change mapping, 4 start failing (of 200 events)." — singular verbs for one. */
function summaryText(s: Omit<WhatIfSummary, "text">): string {
  if (s.changed === 0) return `No change on ${plural(s.events, "event")}.`;
  const says = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const parts = [
    s.changeMapping > 0 ? says(s.changeMapping, "event changes mapping", "events change mapping") : "",
    s.startFailing > 0 ? says(s.startFailing, "starts failing", "start failing") : "",
    s.stopFailing > 0 ? says(s.stopFailing, "stops failing", "stop failing") : "",
    s.changeFields > 0 ? says(s.changeFields, "changes interaction fields", "change interaction fields") : "",
    s.startDuplicate > 0 ? says(s.startDuplicate, "becomes a duplicate", "become duplicates") : "",
    s.stopDuplicate > 0 ? says(s.stopDuplicate, "stops being a duplicate", "stop being duplicates") : "",
  ].filter(Boolean);
  return `${parts.join(", ")} (of ${plural(s.events, "event")}).`;
}

/**
 * Runs `events` (any order; judged oldest first) through today's mappings and through
 * the draft's, and reports every event whose verdict differs. Writes nothing.
 */
export async function whatIf(
  events: readonly WhatIfEvent[],
  today: readonly MappingRecord[],
  draft: readonly MappingRecord[],
  validate: SchemaValidator,
): Promise<{ summary: WhatIfSummary; changed: WhatIfRow[] }> {
  const ordered = [...events].sort((x, y) => x.receivedAt.getTime() - y.receivedAt.getTime() || x.id.localeCompare(y.id));
  const seenToday = new Set<string>();
  const seenDraft = new Set<string>();
  // A stable id, so the generated _uowId and interaction id never show up as a change.
  const newId = () => "what-if";
  const titles = new Map([...today, ...draft].map((m) => [m.id, m.title]));
  const counts = { events: ordered.length, changed: 0, changeMapping: 0, startFailing: 0, stopFailing: 0, changeFields: 0, startDuplicate: 0, stopDuplicate: 0 };
  const changed: WhatIfRow[] = [];
  for (const e of ordered) {
    const t = sideOf(await runMappingStages(today, e.payload, { newId, validate, bodyBytes: e.bodyBytes, request: e.request }), seenToday, titles);
    const d = sideOf(await runMappingStages(draft, e.payload, { newId, validate, bodyBytes: e.bodyBytes, request: e.request }), seenDraft, titles);
    const changes = changesBetween(t, d);
    if (changes.length === 0) continue;
    counts.changed += 1;
    if (t.mappingId !== d.mappingId) counts.changeMapping += 1;
    if (t.outcome !== "failed" && d.outcome === "failed") counts.startFailing += 1;
    if (t.outcome === "failed" && d.outcome !== "failed") counts.stopFailing += 1;
    if (changes.some((c) => c.field !== "mapping" && c.field !== "outcome" && c.field !== "error")) counts.changeFields += 1;
    if (t.outcome !== "duplicate" && d.outcome === "duplicate") counts.startDuplicate += 1;
    if (t.outcome === "duplicate" && d.outcome !== "duplicate") counts.stopDuplicate += 1;
    changed.push({ eventId: e.id, receivedAt: e.receivedAt.toISOString(), today: t, draft: d, changes });
  }
  return { summary: { ...counts, text: summaryText(counts) }, changed };
}
