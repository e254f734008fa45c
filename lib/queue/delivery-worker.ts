// Delivery of interactions to targets (spec delivery.md). Due deliveries are leased
// (leaseUntil) in a short transaction with FOR UPDATE SKIP LOCKED, the HTTP attempt runs
// outside any transaction, and the result is appended to the delivery's attempts. A
// crash mid-attempt leaves the lease to expire, so the attempt is made again: delivery
// is at least once, and the stable webhook-id (the delivery id) lets receivers dedupe.
import type pg from "pg";
import { attemptDelivery, type AttemptResult } from "@/lib/delivery/attempt";
import { afterAttempt } from "@/lib/delivery/schedule";
import { buildOutboundRequest, type OutboundTarget } from "@/lib/delivery/outbound-request";
import type { Backoff } from "@/lib/delivery/backoff";
import type { Interaction } from "@/lib/generated/prisma/client";
import { toInteraction } from "@/lib/store/interactions";
import { storableJson } from "@/lib/inbound/storable-text";
import { openOutboundTarget } from "@/lib/store/targets";
import { startPollLoop, type PollLoop } from "./poll-loop";

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

export type DeliveryWorkerOptions = {
  pool: pg.Pool;
  allowPrivate: boolean;
  batchSize?: number;
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

const CLAIM_SQL = `
  WITH due AS (
    SELECT d."id" FROM "Delivery" d
     WHERE d."status" IN ('pending', 'failed') AND d."nextAttemptAt" <= now()
       AND (d."leaseUntil" IS NULL OR d."leaseUntil" < now())
     ORDER BY d."nextAttemptAt"
     LIMIT $1
     FOR UPDATE SKIP LOCKED
  )
  UPDATE "Delivery" d
     SET "leaseUntil" = now() + make_interval(secs => t."timeoutSeconds" + $2)
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

/** Leases due deliveries for an attempt (or, with a longer margin, for a QStash dispatch). */
export async function claimDeliveries(pool: pg.Pool, limit: number, leaseMarginSeconds = LEASE_MARGIN_SECONDS): Promise<ClaimedDelivery[]> {
  return toClaimed((await pool.query<Row>(CLAIM_SQL, [limit, leaseMarginSeconds])).rows);
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
    [d.id, next.status, storableJson([attempt]), attemptsMade, next.status === "failed" ? next.nextAttemptAt : null, d.leaseUntil],
  );
  return next.status;
}

/** One pass: lease up to batchSize due deliveries and attempt them concurrently. */
export async function deliverDue(opts: DeliveryWorkerOptions): Promise<number> {
  const dispatch = opts.dispatch;
  if (dispatch) {
    const leased = await claimDeliveries(opts.pool, opts.batchSize ?? 8, DISPATCH_LEASE_SECONDS);
    await Promise.all(
      leased.map((d) =>
        dispatch({ id: d.id, lease: d.leaseUntil.toISOString() }).catch(async (err) => {
          // Not handed over (QStash unreachable): try again in 30 s rather than in a hot loop.
          opts.onError?.(err, d.id);
          await opts.pool.query(`UPDATE "Delivery" SET "leaseUntil" = now() + interval '30 seconds' WHERE "id" = $1 AND "leaseUntil" = $2`, [
            d.id,
            d.leaseUntil,
          ]);
        }),
      ),
    );
    return leased.length;
  }
  const claimed = await claimDeliveries(opts.pool, opts.batchSize ?? 8);
  await Promise.all(
    claimed.map((d) =>
      attemptLeased(opts.pool, d, opts).catch((err) => {
        opts.onError?.(err, d.id);
      }),
    ),
  );
  return claimed.length;
}

export type DeliveryWorkerHandle = PollLoop;

export function startDeliveryWorker(opts: DeliveryWorkerOptions): DeliveryWorkerHandle {
  return startPollLoop(() => deliverDue(opts), { pollMs: opts.pollMs ?? 1000, onError: (err) => opts.onError?.(err) });
}
