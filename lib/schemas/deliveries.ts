// Deliveries: one interaction to one target, with its attempt history (spec delivery.md
// "Delivery"), and the retry (replay) requests.
import { z } from "zod";
import { CursorParam, Limit, Timestamp, Uuid, pageOf } from "./common";

export const DELIVERY_STATUSES = ["pending", "succeeded", "failed", "dead"] as const;
export type DeliveryStatusName = (typeof DELIVERY_STATUSES)[number];

/** The states a retry may start from: the others are already scheduled or done. */
export const RETRYABLE_STATUSES = ["dead", "failed"] as const;

const DeliveryStatus = z
  .enum(DELIVERY_STATUSES, { error: `must be one of: ${DELIVERY_STATUSES.join(", ")}` })
  .meta({
    description:
      "pending: an attempt is due or under way; succeeded: a 2xx; failed: the last attempt failed and another is scheduled " +
      "(nextAttemptAt); dead: no more attempts (budget spent, or 410 Gone)",
  });

export const DeliveryAttempt = z
  .object({
    at: Timestamp.meta({ description: "When the attempt started" }),
    status: z.number().int().optional().meta({ description: "The HTTP status, when a response arrived" }),
    error: z.string().optional().meta({ description: "Why the attempt failed, when it did not get a 2xx" }),
    ms: z.number().meta({ description: "Wall time in milliseconds" }),
    responseBody: z.string().meta({ description: "The first 2 KiB (bytes) of the response body, as UTF-8" }),
  })
  .meta({ id: "DeliveryAttempt" });

export const Delivery = z
  .object({
    id: Uuid.meta({ description: "Also the webhook-id header, stable across retries" }),
    interactionId: Uuid,
    targetId: Uuid,
    status: DeliveryStatus,
    attempts: z.array(DeliveryAttempt).meta({ description: "Every attempt, oldest first; a retry keeps them" }),
    nextAttemptAt: Timestamp.nullable().meta({ description: "When the next attempt is due (pending or failed); null otherwise" }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: "Delivery" });

export const DeliveryListQuery = z.object({
  status: z.enum(DELIVERY_STATUSES, { error: `must be one of: ${DELIVERY_STATUSES.join(", ")}` }).optional(),
  targetId: Uuid.optional(),
  interactionId: Uuid.optional(),
  cursor: CursorParam,
  limit: Limit,
});

export const DeliveryPage = pageOf(Delivery, "DeliveryPage");

export const DeliveryRetryAccepted = z
  .object({ queued: z.literal(true), deliveryId: Uuid })
  .meta({ id: "DeliveryRetryAccepted" });

export const DeliveryBulkRetry = z
  .object({
    status: z
      .enum(RETRYABLE_STATUSES, { error: `must be one of: ${RETRYABLE_STATUSES.join(", ")}` })
      .meta({ description: "Which deliveries to replay: every dead (or every failed) one of the org" }),
    targetId: Uuid.optional().meta({ description: "Only those to this target" }),
  })
  .meta({ id: "DeliveryBulkRetry" });

export const DeliveryBulkRetryAccepted = z
  .object({ queued: z.number().int().min(0).meta({ description: "How many deliveries were queued again" }) })
  .meta({ id: "DeliveryBulkRetryAccepted" });

export type DeliveryDto = z.output<typeof Delivery>;
export type DeliveryAttemptDto = z.output<typeof DeliveryAttempt>;
export type DeliveryListQueryInput = z.output<typeof DeliveryListQuery>;
export type DeliveryBulkRetryInput = z.output<typeof DeliveryBulkRetry>;
