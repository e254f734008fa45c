// Interactions: the business records the pipeline creates (spec §2 "Interaction").
import { z } from "zod";
import { CursorParam, Limit, Timestamp, Uuid, pageOf } from "./common";

export const Interaction = z
  .object({
    id: Uuid,
    orgId: Uuid,
    originId: Uuid,
    sourceId: Uuid,
    mappingId: Uuid,
    eventId: Uuid,
    resourceTypeId: Uuid,
    actionId: Uuid,
    resourceType: z.string(),
    action: z.string(),
    resourceId: z.string(),
    idempotencyKey: z.string().nullable(),
    object: z.record(z.string(), z.unknown()).meta({ description: 'Mapped fields (or the whole payload) plus the "_" metadata keys' }),
    createdAt: Timestamp,
  })
  .meta({ id: "Interaction" });

export const InteractionListQuery = z.object({
  sourceId: Uuid.optional(),
  resourceType: z.string().min(1).max(128).optional().meta({ description: "Resource type name" }),
  action: z.string().min(1).max(128).optional().meta({ description: "Action name" }),
  cursor: CursorParam,
  limit: Limit,
});

export const InteractionPage = pageOf(Interaction, "InteractionPage");

export type InteractionDto = z.output<typeof Interaction>;
export type InteractionListQueryInput = z.output<typeof InteractionListQuery>;
