// Inbound events, read-only through the management API (the pipeline writes them;
// replay lives in lib/queue). Newest first on (receivedAt desc, id desc), the order of
// the (orgId, receivedAt desc, id desc) index.
import { prisma } from "@/lib/db";
import type { InboundEvent, Prisma } from "@/lib/generated/prisma/client";
import { notFound } from "@/lib/errors";
import type { EventDetailDto, EventDto, EventListQueryInput } from "@/lib/schemas/events";
import type { Detail } from "@/lib/inbound/types";
import { toPage, type Page } from "@/lib/cursors";
import { isUuid } from "@/lib/uuid";

type StoredStage = { stage: string; outcome: string; detail?: string };

// Stages and details are written by the pipeline as JSON; keep only well-formed entries
// so one odd row cannot break a list response's shape.
function stagesOf(value: Prisma.JsonValue): StoredStage[] {
  if (!Array.isArray(value)) return [];
  const out: StoredStage[] = [];
  for (const s of value) {
    if (!s || typeof s !== "object" || Array.isArray(s)) continue;
    if (typeof s.stage !== "string" || typeof s.outcome !== "string") continue;
    out.push(typeof s.detail === "string" ? { stage: s.stage, outcome: s.outcome, detail: s.detail } : { stage: s.stage, outcome: s.outcome });
  }
  return out;
}

function detailsOf(value: Prisma.JsonValue): Detail[] | null {
  if (!Array.isArray(value)) return null;
  return value.flatMap((d) =>
    d && typeof d === "object" && !Array.isArray(d) && typeof d.path === "string" && typeof d.message === "string"
      ? [{ path: d.path, message: d.message }]
      : [],
  );
}

type SummaryRow = Omit<InboundEvent, "headers" | "query" | "body" | "bodyTruncated" | "bodyPurgedAt">;

export function toEvent(row: SummaryRow): EventDto {
  return {
    id: row.id,
    sourceId: row.sourceId,
    status: row.status,
    stages: stagesOf(row.stages),
    error: row.error,
    errorDetails: detailsOf(row.errorDetails),
    mappingId: row.mappingId,
    interactionId: row.interactionId,
    replayOf: row.replayOf,
    receivedAt: row.receivedAt.toISOString(),
    processedAt: row.processedAt ? row.processedAt.toISOString() : null,
  };
}

// Lists never load bodies (up to 1 MiB each).
const summary = {
  id: true,
  orgId: true,
  sourceId: true,
  status: true,
  stages: true,
  error: true,
  errorDetails: true,
  mappingId: true,
  interactionId: true,
  replayOf: true,
  attempts: true,
  availableAt: true,
  receivedAt: true,
  processedAt: true,
} as const satisfies Prisma.InboundEventSelect;

export async function listEvents(orgId: string, q: EventListQueryInput): Promise<Page<EventDto>> {
  const where: Prisma.InboundEventWhereInput = {
    orgId,
    ...(q.sourceId ? { sourceId: q.sourceId } : {}),
    ...(q.status ? { status: q.status } : {}),
    ...(q.cursor
      ? { OR: [{ receivedAt: { lt: q.cursor.at } }, { receivedAt: q.cursor.at, id: { lt: q.cursor.id } }] }
      : {}),
  };
  const rows = await prisma().inboundEvent.findMany({
    where,
    select: summary,
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
  });
  return toPage(rows, q.limit, (r) => r.receivedAt, toEvent);
}

const utf8 = new TextDecoder("utf-8", { fatal: false });

export async function getEvent(orgId: string, id: string): Promise<EventDetailDto> {
  if (!isUuid(id)) throw notFound();
  const row = await prisma().inboundEvent.findFirst({ where: { id, orgId } });
  if (!row) throw notFound();
  return {
    ...toEvent(row),
    headers: headersOf(row.headers),
    query: headersOf(row.query),
    // Bodies are bytes as received; a non-UTF-8 body shows U+FFFD where bytes do not decode.
    body: utf8.decode(row.body),
    bodyTruncated: row.bodyTruncated,
    bodyPurgedAt: row.bodyPurgedAt ? row.bodyPurgedAt.toISOString() : null,
  };
}

/** A stored JSON object of strings (headers, query), anything else left out. */
function headersOf(value: Prisma.JsonValue): Record<string, string> {
  const out: Record<string, string> = {};
  if (!value || typeof value !== "object" || Array.isArray(value)) return out;
  for (const [k, v] of Object.entries(value)) if (typeof v === "string") out[k] = v;
  return out;
}
