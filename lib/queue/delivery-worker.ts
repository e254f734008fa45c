// Delivery of interactions to targets (spec delivery.md). Due deliveries are leased
// (leaseUntil) in one short statement with FOR UPDATE SKIP LOCKED, the HTTP attempt runs
// outside any transaction, and the result is appended to the delivery's attempts. A
// crash mid-attempt leaves the lease to expire, so the attempt is made again: delivery
// is at least once, and the stable webhook-id (the delivery id) lets receivers dedupe.
//
// Scheduling is fair and continuous. A lease is an attempt in flight, wherever it runs
// (this process, another one, or a QStash message), so the claim counts live leases per
// target and per org and:
// - never takes more of a target than its cap (PROVENANCE_DELIVERY_TARGET_CONCURRENCY)
//   minus what is already in flight there, across all processes;
// - serves orgs by fewest in flight first, and within an org its targets by fewest in
//   flight first (round robin), oldest due first among equals;
// - lets an org with nothing in flight start one attempt even when every regular slot
//   is busy (the spare slots), so one org's slow targets never make another org wait for
//   a 30 s timeout to free a slot. A lone org still gets every regular slot.
// The worker refills each slot as soon as its attempt ends (slot-scheduler.ts): a slow
// attempt holds its own slot only.
import type pg from "pg";
import { attemptDelivery, type AttemptResult } from "@/lib/delivery/attempt";
import { afterAttempt } from "@/lib/delivery/schedule";
import { buildOutboundRequest, type OutboundTarget } from "@/lib/delivery/outbound-request";
import type { Backoff } from "@/lib/delivery/backoff";
import { toStorableJson } from "@/lib/inbound/storable-text";
import type { Interaction } from "@/lib/generated/prisma/client";
import { toInteraction } from "@/lib/store/interactions";
import { startSlotScheduler, type SlotClaim, type SlotScheduler } from "./slot-scheduler";
import { openOutboundTarget } from "@/lib/store/targets";

/** A lease outlives the longest attempt (30 s timeout) with room to record the result. */
const LEASE_MARGIN_SECONDS = 30;

type ClaimedDelivery = OutboundTarget & {
  id: string;
  targetId: string;
  budgetAttempts: number;
  leaseUntil: Date;
  maxAttempts: number;
  backoff: Backoff;
  initialDelaySeconds: number;
  timeoutSeconds: number;
  interaction: Interaction;
};

/** Attempts in flight per target, across processes, unless configured otherwise. */
export const DEFAULT_TARGET_CONCURRENCY = 2;

export type DeliveryWorkerOptions = {
  pool: pg.Pool;
  allowPrivate: boolean;
  /** Attempts in flight in this process (PROVENANCE_DELIVERY_CONCURRENCY). */
  concurrency?: number;
  /** deliverDue only: deliveries leased in its one pass (default 8). */
  batchSize?: number;
  /** Attempts in flight per target across all processes (PROVENANCE_DELIVERY_TARGET_CONCURRENCY). */
  targetConcurrency?: number;
  /**
   * Extra attempts above `concurrency` for orgs with nothing in flight (default: as many
   * as `concurrency`; none in QStash mode, where a dispatch only publishes a message).
   */
  spareSlots?: number;
  pollMs?: number;
  now?: () => Date;
  onError?: (err: unknown, deliveryId?: string) => void;
  /**
   * QStash mode: instead of attempting in-process, hand each leased delivery to QStash,
   * which calls back /api/qstash/deliver to make the attempt. The lease is long enough
   * for QStash's own retries; if the message is lost, the lease expires and the
   * delivery is dispatched again.
   */
  dispatch?: (d: { id: string; lease: string }) => Promise<void>;
};

/** How long a delivery handed to QStash stays leased before it is dispatched again. */
export const DISPATCH_LEASE_SECONDS = 600;

const RETURNING = `d."id", d."targetId", d."budgetAttempts", d."leaseUntil", t."url", t."authType", t."authSecret", t."authHeaderName",
            t."signingEnabled", t."signingSecret", t."maxAttempts", t."backoff", t."initialDelaySeconds", t."timeoutSeconds",
            (SELECT row_to_json(i) FROM "Interaction" i WHERE i."id" = d."interactionId") AS "interaction"`;

// $1 regular slots, $2 spare slots (orgs with nothing in flight only), $3 lease margin
// in seconds, $4 per-target cap. Cost: one index probe per target with open deliveries
// (open_targets is a loose index scan) plus the live leases; the backlog's size does not
// matter. Across processes the cap holds without a lock: due deliveries of a target are
// taken in a stable order (oldest first), so two claims racing pick the same rows and
// SKIP LOCKED, or the re-check on a row leased meanwhile, gives each row to one of them.
const CLAIM_SQL = `
  WITH RECURSIVE open_targets AS (
    (SELECT d."targetId" FROM "Delivery" d
      WHERE d."status" IN ('pending', 'failed')
      ORDER BY d."targetId" LIMIT 1)
    UNION ALL
    SELECT (SELECT d."targetId" FROM "Delivery" d
             WHERE d."status" IN ('pending', 'failed') AND d."targetId" > o."targetId"
             ORDER BY d."targetId" LIMIT 1)
      FROM open_targets o WHERE o."targetId" IS NOT NULL
  ),
  leased AS (
    SELECT d."targetId", d."orgId" FROM "Delivery" d
     WHERE d."status" IN ('pending', 'failed') AND d."leaseUntil" IS NOT NULL AND d."leaseUntil" > now()
  ),
  target_load AS (SELECT "targetId", count(*)::int AS "n" FROM leased GROUP BY 1),
  org_load AS (SELECT "orgId", count(*)::int AS "n" FROM leased GROUP BY 1),
  candidates AS (
    SELECT c."id", c."orgId", c."nextAttemptAt",
           coalesce(tl."n", 0) + row_number() OVER (PARTITION BY o."targetId" ORDER BY c."nextAttemptAt", c."id") - 1 AS "targetRank"
      FROM open_targets o
      LEFT JOIN target_load tl ON tl."targetId" = o."targetId"
      CROSS JOIN LATERAL (
        SELECT d."id", d."orgId", d."nextAttemptAt" FROM "Delivery" d
         WHERE d."targetId" = o."targetId" AND d."status" IN ('pending', 'failed') AND d."nextAttemptAt" <= now()
           AND (d."leaseUntil" IS NULL OR d."leaseUntil" < now())
         ORDER BY d."nextAttemptAt", d."id"
         LIMIT $4
      ) c
     WHERE o."targetId" IS NOT NULL
  ),
  ranked AS (
    SELECT c."id", c."nextAttemptAt",
           coalesce(ol."n", 0) + row_number() OVER (PARTITION BY c."orgId" ORDER BY c."targetRank", c."nextAttemptAt", c."id") - 1 AS "orgRank"
      FROM candidates c LEFT JOIN org_load ol ON ol."orgId" = c."orgId"
     WHERE c."targetRank" < $4
  ),
  picked AS (
    SELECT x."id" FROM (
      SELECT r."id", r."orgRank", row_number() OVER (ORDER BY r."orgRank", r."nextAttemptAt", r."id") AS "n" FROM ranked r
    ) x
     WHERE x."n" <= $1 OR (x."orgRank" = 0 AND x."n" <= $1 + $2)
  ),
  due AS (
    SELECT d."id" FROM "Delivery" d
     WHERE d."id" = ANY (ARRAY(SELECT "id" FROM picked))
       AND d."status" IN ('pending', 'failed') AND d."nextAttemptAt" <= now()
       AND (d."leaseUntil" IS NULL OR d."leaseUntil" < now())
     FOR UPDATE SKIP LOCKED
  )
  UPDATE "Delivery" d
     SET "leaseUntil" = now() + make_interval(secs => t."timeoutSeconds" + $3)
    FROM due, "Target" t
   WHERE d."id" = due."id" AND t."id" = d."targetId"
  RETURNING ${RETURNING}`;

/** The QStash callback takes over exactly the lease it was dispatched with; a second copy finds it gone. */
const TAKE_OVER_SQL = `
  UPDATE "Delivery" d
     SET "leaseUntil" = now() + make_interval(secs => t."timeoutSeconds" + ${LEASE_MARGIN_SECONDS})
    FROM "Target" t
   WHERE d."id" = $1 AND d."leaseUntil" = $2::timestamptz AND d."status" IN ('pending', 'failed') AND t."id" = d."targetId"
  RETURNING ${RETURNING}`;

type Row = Omit<ClaimedDelivery, "interaction"> & { interaction: Record<string, unknown> };

function toClaimed(rows: Row[]): ClaimedDelivery[] {
  return rows.map((r) => ({
    ...r,
    // row_to_json gives timestamps as strings; the DTO wants a Date like Prisma's rows.
    interaction: { ...(r.interaction as unknown as Interaction), createdAt: new Date(r.interaction.createdAt as string) },
  }));
}

export type ClaimOptions = SlotClaim & {
  targetConcurrency?: number;
  /** How long past the target's timeout the lease lasts: longer for a QStash dispatch. */
  leaseMarginSeconds?: number;
};

/** Leases due deliveries fairly (see the header) for attempts or QStash dispatches. */
export async function claimDeliveries(pool: pg.Pool, opts: ClaimOptions): Promise<ClaimedDelivery[]> {
  const cap = Math.max(1, Math.floor(opts.targetConcurrency ?? DEFAULT_TARGET_CONCURRENCY));
  const params = [Math.max(0, opts.regular), Math.max(0, opts.spare), opts.leaseMarginSeconds ?? LEASE_MARGIN_SECONDS, cap];
  // Not a named (prepared) statement: the embedded database is one session shared by
  // every connection, where a second process would find the name taken; with warm
  // catalog caches planning it costs about a millisecond.
  return toClaimed((await pool.query<Row>(CLAIM_SQL, params)).rows);
}

/** The QStash delivery callback: one attempt for a dispatched delivery, at most once per dispatch. */
export async function attemptDispatched(
  pool: pg.Pool,
  deliveryId: string,
  lease: string,
  opts: { allowPrivate: boolean; now?: () => Date },
): Promise<"attempted" | "skipped"> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(deliveryId) || Number.isNaN(Date.parse(lease))) {
    return "skipped";
  }
  const [d] = toClaimed((await pool.query<Row>(TAKE_OVER_SQL, [deliveryId, lease])).rows);
  if (!d) return "skipped";
  await attemptLeased(pool, d, opts);
  return "attempted";
}

/** Makes one attempt for a leased delivery and records it. Never throws for a target's failure. */
export async function attemptLeased(pool: pg.Pool, d: ClaimedDelivery, opts: { allowPrivate: boolean; now?: () => Date }): Promise<string> {
  const startedAt = opts.now?.() ?? new Date();
  // The target's secrets are opened here, for this request only (they are sealed at rest).
  const opened = openOutboundTarget(d.targetId, d);
  let result: AttemptResult;
  if (opened.ok) {
    const request = buildOutboundRequest({ deliveryId: d.id, target: opened.target, interaction: toInteraction(d.interaction), nowMs: startedAt.getTime() });
    result = await attemptDelivery({
      url: request.url,
      headers: request.headers,
      body: request.body,
      timeoutMs: d.timeoutSeconds * 1000,
      allowPrivate: opts.allowPrivate,
    });
  } else {
    result = { ok: false, error: opened.error, ms: 0, responseBody: "" };
  }
  const attemptsMade = d.budgetAttempts + 1;
  const next = afterAttempt({
    result,
    attemptsMade,
    retry: { maxAttempts: d.maxAttempts, backoff: d.backoff, initialDelaySeconds: d.initialDelaySeconds },
    now: opts.now?.() ?? new Date(),
  });
  const attempt = {
    at: startedAt.toISOString(),
    ...(result.status !== undefined ? { status: result.status } : {}),
    ...(result.error ? { error: result.error } : {}),
    ms: result.ms,
    responseBody: result.responseBody,
  };
  // Only the holder of this lease records; a lease that expired was taken over.
  await pool.query(
    `UPDATE "Delivery"
        SET "status" = $2, "attempts" = "attempts" || $3::jsonb, "budgetAttempts" = $4,
            "nextAttemptAt" = $5, "leaseUntil" = NULL, "updatedAt" = now()
      WHERE "id" = $1 AND "leaseUntil" = $6`,
    // The response body is the target's bytes: a U+0000 in it would make jsonb refuse the
    // whole update (and the attempt go unrecorded), so it is stored as U+FFFD.
    [d.id, next.status, toStorableJson([attempt]).text, attemptsMade, next.status === "failed" ? next.nextAttemptAt : null, d.leaseUntil],
  );
  return next.status;
}

/** Hands a leased delivery to QStash; if it cannot, tries again in 30 s rather than in a hot loop. */
async function dispatchLeased(opts: DeliveryWorkerOptions & { dispatch: NonNullable<DeliveryWorkerOptions["dispatch"]> }, d: ClaimedDelivery) {
  try {
    await opts.dispatch({ id: d.id, lease: d.leaseUntil.toISOString() });
  } catch (err) {
    opts.onError?.(err, d.id);
    await opts.pool.query(`UPDATE "Delivery" SET "leaseUntil" = now() + interval '30 seconds' WHERE "id" = $1 AND "leaseUntil" = $2`, [d.id, d.leaseUntil]);
  }
}

/** Makes the attempt (or the QStash dispatch) for one leased delivery; rejects only when the database fails. */
function handleLeased(opts: DeliveryWorkerOptions, d: ClaimedDelivery): Promise<void> {
  const dispatch = opts.dispatch;
  if (dispatch) return dispatchLeased({ ...opts, dispatch }, d);
  return attemptLeased(opts.pool, d, opts).then(
    () => undefined,
    (err: unknown) => opts.onError?.(err, d.id),
  );
}

const claimFor = (opts: DeliveryWorkerOptions, want: SlotClaim) =>
  claimDeliveries(opts.pool, {
    ...want,
    ...(opts.targetConcurrency !== undefined ? { targetConcurrency: opts.targetConcurrency } : {}),
    leaseMarginSeconds: opts.dispatch ? DISPATCH_LEASE_SECONDS : LEASE_MARGIN_SECONDS,
  });

/**
 * One pass, for tests and tools: lease up to `batchSize` due deliveries (the same fair
 * claim as the worker) and wait for all of their attempts. Returns how many were leased.
 */
export async function deliverDue(opts: DeliveryWorkerOptions): Promise<number> {
  const claimed = await claimFor(opts, { regular: opts.batchSize ?? 8, spare: 0 });
  await Promise.all(claimed.map((d) => handleLeased(opts, d)));
  return claimed.length;
}

export type DeliveryWorkerHandle = SlotScheduler;

/** The embedded delivery worker: up to `concurrency` attempts in flight, each slot refilled as soon as it frees. */
export function startDeliveryWorker(opts: DeliveryWorkerOptions): DeliveryWorkerHandle {
  const slots = Math.max(1, opts.concurrency ?? 8);
  return startSlotScheduler<ClaimedDelivery>({
    slots,
    spareSlots: opts.spareSlots ?? (opts.dispatch ? 0 : slots),
    pollMs: opts.pollMs ?? 1000,
    claim: (want) => claimFor(opts, want),
    run: (d) => handleLeased(opts, d),
    onError: (err) => opts.onError?.(err),
  });
}
