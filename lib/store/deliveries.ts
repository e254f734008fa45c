// Deliveries: read through the management API, written by the delivery worker. The API
// only ever changes one thing: a retry (replay) of a failed or dead delivery, which
// grants a fresh budget and keeps the attempt history.
import { prisma } from "@/lib/db";
import type { Delivery, Prisma } from "@/lib/generated/prisma/client";
import { ApiError, notFound, validationFailed } from "@/lib/errors";
import {
  RETRYABLE_STATUSES,
  type DeliveryAttemptDto,
  type DeliveryBulkRetryInput,
  type DeliveryDto,
  type DeliveryListQueryInput,
} from "@/lib/schemas/deliveries";
import { toPage, type Page } from "@/lib/cursors";
import { isUuid } from "@/lib/uuid";

// Attempts are JSON written by the worker; keep only well-formed entries so one odd
// row cannot break a list response's shape (as events do with their stages).
function attemptsOf(value: Prisma.JsonValue): DeliveryAttemptDto[] {
  if (!Array.isArray(value)) return [];
  const out: DeliveryAttemptDto[] = [];
  for (const a of value) {
    if (!a || typeof a !== "object" || Array.isArray(a)) continue;
    const at = typeof a.at === "string" || typeof a.at === "number" ? new Date(a.at) : null;
    if (!at || Number.isNaN(at.getTime())) continue;
    const attempt: DeliveryAttemptDto = {
      at: at.toISOString(),
      ms: typeof a.ms === "number" && Number.isFinite(a.ms) ? a.ms : 0,
      responseBody: typeof a.responseBody === "string" ? a.responseBody : "",
    };
    if (typeof a.status === "number" && Number.isInteger(a.status)) attempt.status = a.status;
    if (typeof a.error === "string") attempt.error = a.error;
    out.push(attempt);
  }
  return out;
}

export function toDelivery(row: Delivery): DeliveryDto {
  return {
    id: row.id,
    interactionId: row.interactionId,
    targetId: row.targetId,
    status: row.status,
    attempts: attemptsOf(row.attempts),
    nextAttemptAt: row.nextAttemptAt ? row.nextAttemptAt.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Newest first on (createdAt desc, id desc), the order of the (orgId, createdAt, id) index. */
export async function listDeliveries(orgId: string, q: DeliveryListQueryInput): Promise<Page<DeliveryDto>> {
  const rows = await prisma().delivery.findMany({
    where: {
      orgId,
      ...(q.status ? { status: q.status } : {}),
      ...(q.targetId ? { targetId: q.targetId } : {}),
      ...(q.interactionId ? { interactionId: q.interactionId } : {}),
      ...(q.cursor ? { OR: [{ createdAt: { lt: q.cursor.at } }, { createdAt: q.cursor.at, id: { lt: q.cursor.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
  });
  return toPage(rows, q.limit, (r) => r.createdAt, toDelivery);
}

export async function getDelivery(orgId: string, id: string): Promise<DeliveryDto> {
  if (!isUuid(id)) throw notFound();
  const row = await prisma().delivery.findFirst({ where: { id, orgId } });
  if (!row) throw notFound();
  return toDelivery(row);
}

/**
 * Which rows a retry may take: failed or dead, and not leased. A live lease means a
 * worker is making an attempt right now and will write its outcome; resetting the row
 * under it would let a second worker attempt the same delivery at the same time.
 */
function retryable(now: Date): Prisma.DeliveryWhereInput {
  return { status: { in: [...RETRYABLE_STATUSES] }, OR: [{ leaseUntil: null }, { leaseUntil: { lte: now } }] };
}

/** Due now with a fresh budget of the target's maxAttempts; `attempts` is left as it is. */
const requeue = (now: Date): Prisma.DeliveryUpdateManyMutationInput => ({
  status: "pending",
  budgetAttempts: 0,
  nextAttemptAt: now,
  leaseUntil: null,
});

/**
 * Replays one failed or dead delivery and returns its id. The state check is part of
 * the UPDATE, so two concurrent retries queue it once; the loser sees 409 like any
 * other non-retryable state.
 */
export async function retryDelivery(orgId: string, id: string, now = new Date()): Promise<string> {
  if (!isUuid(id)) throw notFound();
  const { count } = await prisma().delivery.updateMany({ where: { id, orgId, ...retryable(now) }, data: requeue(now) });
  // PostgreSQL matched the uuid case-insensitively; answer with its canonical spelling.
  if (count === 1) return id.toLowerCase();
  const row = await prisma().delivery.findFirst({ where: { id, orgId }, select: { status: true } });
  if (!row) throw notFound();
  const message =
    row.status === "failed" || row.status === "dead"
      ? "An attempt for this delivery is in progress; retry it once the attempt has finished"
      : `Only a failed or dead delivery can be retried; this one ${row.status === "pending" ? "is pending (an attempt is already due)" : "has succeeded"}`;
  throw new ApiError("conflict", [{ path: "", message }]);
}

/**
 * Bulk replay: every delivery of the org in `status` (optionally to one target), in one
 * UPDATE. Returns how many were queued.
 */
export async function retryDeliveries(orgId: string, input: DeliveryBulkRetryInput, now = new Date()): Promise<number> {
  if (input.targetId) {
    // An unknown (or another org's) target is a mistake worth reporting, not a silent 0.
    const target = await prisma().target.findFirst({ where: { id: input.targetId, orgId }, select: { id: true } });
    if (!target) throw validationFailed([{ path: "/targetId", message: "Target not found" }]);
  }
  const { count } = await prisma().delivery.updateMany({
    where: { orgId, ...(input.targetId ? { targetId: input.targetId } : {}), ...retryable(now), status: input.status },
    data: requeue(now),
  });
  return count;
}
