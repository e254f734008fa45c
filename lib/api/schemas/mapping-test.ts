// The mapping tester (POST /api/v1/inbound-mappings/:id/test): a dry run of stages 4–7
// for one mapping against a sample payload. It writes nothing.
import { z } from "zod";
import { CONDITION_OPS, type ConditionOp } from "@/lib/inbound/types";
import { ErrorDetail } from "./common";

const ops = CONDITION_OPS as [ConditionOp, ...ConditionOp[]];

export const MappingTestRequest = z
  .object({
    payload: z.unknown().refine((v) => v !== undefined, { message: "is required" }).meta({ description: "A sample payload (any JSON value)" }),
    headers: z.record(z.string(), z.string()).optional().meta({ description: "Accepted for parity with real deliveries; mappings do not read headers" }),
  })
  .meta({ id: "MappingTestRequest" });

export const ConditionResult = z
  .object({
    path: z.string(),
    op: z.enum(ops),
    // JSON has no undefined: a condition without value, or a path that finds nothing,
    // comes back without the key.
    value: z.unknown().optional().meta({ description: "The condition's value (absent for exists/notExists)" }),
    actual: z.unknown().optional().meta({ description: "The value found at path (absent when nothing is there)" }),
    pass: z.boolean(),
  })
  .meta({ id: "ConditionResult" });

export const TestInteraction = z
  .object({
    resourceType: z.string(),
    action: z.string(),
    resourceId: z.string(),
    idempotencyKey: z.string().nullable(),
    object: z.record(z.string(), z.unknown()),
  })
  .meta({ id: "TestInteraction", description: "The interaction a real delivery would create" });

export const MappingTestResult = z
  .object({
    matched: z.boolean().meta({ description: "Every condition passed" }),
    conditions: z.array(ConditionResult),
    schemaErrors: z.array(ErrorDetail).meta({
      description: "Mapping payloadSchema errors, computed even when not matched (pointers into the payload); if the schema passes but building fails (resourceIdPath finds nothing), that error",
    }),
    interaction: TestInteraction.nullable().meta({
      description: "null when not matched, when the schema fails, or when resourceIdPath finds nothing",
    }),
    duplicate: z.boolean().meta({ description: "An interaction with the same resource type, action and idempotency key exists" }),
  })
  .meta({ id: "MappingTestResult" });

export type MappingTestRequestInput = z.output<typeof MappingTestRequest>;
export type MappingTestResultDto = z.output<typeof MappingTestResult>;
