// What-if replay (POST /api/v1/inbound-mappings/:id/what-if and
// POST /api/v1/inbound-sources/:id/what-if): a draft mapping run over the source's recent
// stored events beside today's mappings. Writes nothing.
import { z } from "zod";
import { MappingCreate, MappingUpdate } from "./mappings";

export const WHAT_IF_DEFAULT_EVENTS = 200;
export const WHAT_IF_MAX_EVENTS = 5000;

const Limit = z
  .number()
  .int({ error: "must be an integer" })
  .min(1)
  .max(WHAT_IF_MAX_EVENTS)
  .default(WHAT_IF_DEFAULT_EVENTS)
  .meta({ description: `How many of the source's newest events to run (default ${WHAT_IF_DEFAULT_EVENTS}, at most ${WHAT_IF_MAX_EVENTS})` });

export const MappingWhatIfRequest = z
  .object({ draft: MappingUpdate.meta({ description: "The change to the mapping, as PATCH takes it" }), limit: Limit })
  .meta({ id: "MappingWhatIfRequest" });

// A new mapping of the source in the path: MappingCreate without sourceId.
function without<T extends object, K extends keyof T>(o: T, key: K): Omit<T, K> {
  const copy = { ...o };
  delete copy[key];
  return copy;
}
const newMappingShape = without(MappingCreate.shape, "sourceId");
export const NewMappingDraft = z
  .object(newMappingShape)
  .superRefine((v, ctx) => {
    if ((v.action === undefined) === (v.actionPath === undefined)) {
      ctx.addIssue({ code: "custom", path: ["action"], message: "give either action or actionPath (exactly one)" });
    }
  })
  .meta({ id: "NewMappingDraft", description: "A mapping as POST /api/v1/inbound-mappings takes it, without sourceId" });

export const SourceWhatIfRequest = z.object({ draft: NewMappingDraft, limit: Limit }).meta({ id: "SourceWhatIfRequest" });

const Side = z
  .object({
    mappingId: z.string().nullable(),
    mappingTitle: z.string().nullable(),
    outcome: z.enum(["interaction", "duplicate", "unmatched", "failed"]),
    error: z.string().optional(),
    interaction: z
      .object({
        resourceType: z.string(),
        action: z.string(),
        resourceId: z.string(),
        idempotencyKey: z.string().nullable(),
        object: z.record(z.string(), z.unknown()).meta({ description: "The interaction object without the generated _uowId" }),
      })
      .optional(),
  })
  .meta({ id: "WhatIfSide" });

export const WhatIfResult = z
  .object({
    sourceId: z.string(),
    skipped: z.number().int().meta({ description: "Events among the newest that were not run: they never passed verification, or their body was cut or purged" }),
    summary: z
      .object({
        events: z.number().int(),
        changed: z.number().int(),
        changeMapping: z.number().int(),
        startFailing: z.number().int(),
        stopFailing: z.number().int(),
        changeFields: z.number().int(),
        startDuplicate: z.number().int(),
        stopDuplicate: z.number().int(),
        text: z.string().meta({ examples: ["37 events change mapping, 4 start failing (of 200 events)."] }),
      })
      .meta({ id: "WhatIfSummary" }),
    changed: z
      .array(
        z.object({
          eventId: z.string(),
          receivedAt: z.string(),
          today: Side,
          draft: Side,
          changes: z.array(z.object({ field: z.string(), today: z.unknown().optional(), draft: z.unknown().optional() })),
        }),
      )
      .meta({ description: "Every event whose verdict differs, oldest first (duplicates judged within these events)" }),
  })
  .meta({ id: "WhatIfResult" });

export type WhatIfResultDto = z.output<typeof WhatIfResult>;
