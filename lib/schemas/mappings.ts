// Inbound mappings: create, update, list query and response shapes (spec §2 "Mapping").
// Conditions are checked structurally by zod, then semantically by the pipeline's own
// validateConditions (op/value agreement, regex safety), so the API refuses exactly
// what the pipeline could not run.
import { z } from "zod";
import { MAX_CONDITIONS, validateConditions } from "@/lib/inbound/conditions";
import { CONDITION_OPS, type ConditionOp } from "@/lib/inbound/types";
import { JsonObject, MetadataKey, ObjectKey, PathString, BodyPathString, Timestamp, Uuid, listOf, pointerSegments } from "./common";
import { PayloadSchema } from "./payload-schema";

export const MAX_FIELD_MAPPINGS = 200;
export const MAX_METADATA_PATHS = 50;
export const MAX_PRIORITY = 1_000_000;

const ops = CONDITION_OPS as [ConditionOp, ...ConditionOp[]];

export const Condition = z
  .object({
    path: z.string(),
    op: z.enum(ops, { error: `must be one of: ${CONDITION_OPS.join(", ")}` }),
    value: z.unknown().optional().meta({ description: "Required except for exists/notExists; an array for in/nin" }),
  })
  .meta({ id: "Condition", description: "All conditions of a mapping must pass for it to be selected" });

const Conditions = z
  .array(Condition)
  .max(MAX_CONDITIONS)
  .superRefine((conditions, ctx) => {
    for (const d of validateConditions(conditions, "")) {
      ctx.addIssue({ code: "custom", path: pointerSegments(d.path), message: d.message });
    }
  });

const Name = z.string().trim().min(1, { error: "must not be empty" }).max(128);

const FieldMappings = z
  .record(ObjectKey, PathString)
  .refine((m) => Object.keys(m).length <= MAX_FIELD_MAPPINGS, { message: `must have at most ${MAX_FIELD_MAPPINGS} fields` })
  .meta({ description: "Interaction field → payload path; absent = the whole payload is the object" });

const MetadataPaths = z
  .record(MetadataKey, PathString)
  .refine((m) => Object.keys(m).length <= MAX_METADATA_PATHS, { message: `must have at most ${MAX_METADATA_PATHS} keys` })
  .meta({ description: 'userId, sessionId, uowId or any key → payload path; merged into the object as "_<key>"' });

const Priority = z.number().int({ error: "must be an integer" }).min(-MAX_PRIORITY).max(MAX_PRIORITY);

export const MappingCreate = z
  .object({
    sourceId: Uuid,
    title: z.string().trim().min(1).max(200).optional().meta({ description: 'Defaults to "<resourceType>.<action>"' }),
    active: z.boolean().default(true),
    priority: Priority.default(0).meta({ description: "Higher runs first; ties: oldest first" }),
    resourceType: Name,
    action: Name.optional().meta({ description: "The action name; or give actionPath to read it from each payload" }),
    actionPath: PathString.optional().meta({ description: "Payload path whose string value is the action name (instead of action)" }),
    conditions: Conditions.default([]),
    payloadSchema: PayloadSchema.nullish(),
    schemaRootPath: BodyPathString.nullish(),
    idempotencyPath: PathString.nullish(),
    resourceIdPath: PathString,
    fieldMappings: FieldMappings.nullish(),
    metadataPaths: MetadataPaths.nullish(),
  })
  .superRefine((v, ctx) => {
    if ((v.action === undefined) === (v.actionPath === undefined)) {
      ctx.addIssue({ code: "custom", path: ["action"], message: "give either action or actionPath (exactly one)" });
    }
  })
  .meta({ id: "MappingCreate" });

export const MappingUpdate = z
  .object({
    sourceId: Uuid.optional(),
    title: z.string().trim().min(1).max(200).optional(),
    active: z.boolean().optional(),
    priority: Priority.optional(),
    resourceType: Name.optional(),
    action: Name.optional().meta({ description: "Setting it clears actionPath" }),
    actionPath: PathString.optional().meta({ description: "Setting it clears action" }),
    conditions: Conditions.optional(),
    payloadSchema: PayloadSchema.nullish(),
    schemaRootPath: BodyPathString.nullish(),
    idempotencyPath: PathString.nullish(),
    resourceIdPath: PathString.optional(),
    fieldMappings: FieldMappings.nullish(),
    metadataPaths: MetadataPaths.nullish(),
  })
  .superRefine((v, ctx) => {
    if (v.action !== undefined && v.actionPath !== undefined) {
      ctx.addIssue({ code: "custom", path: ["action"], message: "give either action or actionPath, not both" });
    }
  })
  .meta({ id: "MappingUpdate", description: "Fields omitted are kept; null clears an optional field" });

export const MappingListQuery = z.object({ sourceId: Uuid.optional() });

export const Mapping = z
  .object({
    id: Uuid,
    sourceId: Uuid,
    title: z.string(),
    active: z.boolean(),
    priority: z.number().int(),
    resourceType: z.string(),
    resourceTypeId: Uuid,
    action: z.string().nullable().meta({ description: "Null when the action is read from the payload at actionPath" }),
    actionId: Uuid.nullable(),
    actionPath: z.string().nullable(),
    conditions: z.array(Condition),
    payloadSchema: JsonObject.nullable(),
    schemaRootPath: z.string().nullable(),
    idempotencyPath: z.string().nullable(),
    resourceIdPath: z.string(),
    fieldMappings: z.record(z.string(), z.string()).nullable(),
    metadataPaths: z.record(z.string(), z.string()).nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: "Mapping" });

export const MappingList = listOf(Mapping, "MappingList");

export type MappingCreateInput = z.output<typeof MappingCreate>;
export type MappingUpdateInput = z.output<typeof MappingUpdate>;
export type MappingListQueryInput = z.output<typeof MappingListQuery>;
export type MappingDto = z.output<typeof Mapping>;
