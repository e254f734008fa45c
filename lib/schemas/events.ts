// Inbound events: every request that reached a known, active source, with its stage
// outcomes. The list shows the summary; GET /events/:id adds headers and body.
import { z } from "zod";
import { CursorParam, ErrorDetail, Limit, Timestamp, Uuid, pageOf } from "./common";

export const EVENT_STATUSES = ["queued", "processed", "failed", "duplicate", "unmatched"] as const;

export const EventStatus = z.enum(EVENT_STATUSES);

export const StageOutcome = z
  .object({
    stage: z.string().meta({ examples: ["source", "signature", "sourceSchema", "mappingSelection", "mappingSchema", "dedup", "interaction"] }),
    outcome: z.string().meta({ examples: ["passed", "failed", "skipped"] }),
    detail: z.string().optional(),
  })
  .meta({ id: "StageOutcome" });

const eventFields = {
  id: Uuid,
  sourceId: Uuid,
  status: EventStatus,
  stages: z.array(StageOutcome),
  error: z.string().nullable(),
  errorDetails: z.array(ErrorDetail).nullable(),
  mappingId: Uuid.nullable(),
  interactionId: Uuid.nullable(),
  replayOf: Uuid.nullable().meta({ description: "The original event (a replay of a replay points at the original)" }),
  receivedAt: Timestamp,
  processedAt: Timestamp.nullable(),
};

export const Event = z.object(eventFields).meta({ id: "Event" });

export const EventDetail = z
  .object({
    ...eventFields,
    headers: z.record(z.string(), z.string()).meta({ description: "Request headers, signatures and credentials redacted" }),
    query: z.record(z.string(), z.string()).meta({ description: "The inbound URL's query parameters (the first value of each), as $query.<name> paths read them" }),
    body: z.string().meta({ description: "The stored body as UTF-8 text (invalid bytes shown as U+FFFD)" }),
    bodyTruncated: z.boolean().meta({ description: "Only the first 64 KiB of a rejected oversized body is kept" }),
    bodyPurgedAt: Timestamp.nullable().meta({
      description: "When the retention policy emptied the body (PROVENANCE_RETAIN_BODY_DAYS); such an event cannot be replayed",
    }),
  })
  .meta({ id: "EventDetail" });

export const EventListQuery = z.object({
  sourceId: Uuid.optional(),
  status: z.enum(EVENT_STATUSES, { error: `must be one of: ${EVENT_STATUSES.join(", ")}` }).optional(),
  cursor: CursorParam,
  limit: Limit,
});

export const EventPage = pageOf(Event, "EventPage");

export const ReplayAccepted = z
  .object({ queued: z.literal(true), eventId: Uuid.meta({ description: "The new event" }) })
  .meta({ id: "ReplayAccepted" });

export type EventDto = z.output<typeof Event>;
export type EventDetailDto = z.output<typeof EventDetail>;
export type EventListQueryInput = z.output<typeof EventListQuery>;
