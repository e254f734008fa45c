// The mapping tester (POST /api/v1/inbound-mappings/:id/test): a dry run of stages 4–7
// for one mapping against a sample payload. It writes nothing.
import { z } from "zod";
import { CONDITION_OPS, type ConditionOp } from "@/lib/inbound/types";
import { ErrorDetail } from "./common";

const ops = CONDITION_OPS as [ConditionOp, ...ConditionOp[]];

export const MappingTestRequest = z
  .object({
    payload: z.unknown().refine((v) => v !== undefined, { message: "is required" }).meta({ description: "A sample payload (any JSON value)" }),
    headers: z
      .record(z.string().min(1).max(256), z.string().max(8192))
      .refine((h) => Object.keys(h).length <= 100, { message: "must have at most 100 headers" })
      .optional()
      .meta({
        description:
          "The request's headers, as a provider would send them (names case-insensitive), for paths that read $headers.<name>. Signature and credential headers are redacted, as the pipeline stores them.",
        examples: [{ "X-GitHub-Event": "pull_request", "X-GitHub-Delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958" }],
      }),
    query: z
      .record(z.string().min(1).max(256), z.string().max(2048))
      .refine((q) => Object.keys(q).length <= 64, { message: "must have at most 64 parameters" })
      .optional()
      .meta({ description: "The inbound URL's query parameters, for paths that read $query.<name>", examples: [{ tenant: "acme" }] }),
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

export const TestFailure = z
  .object({
    stage: z.enum(["mappingSchema", "interaction"]).meta({ description: "The stage that refuses the sample" }),
    status: z.number().int().meta({ description: "What a ?sync=true delivery of this sample would answer (400 or 422)" }),
    error: z.string().meta({
      description: 'The error a delivery would get: "Mapping schema validation failed", "Resource id not found", "Action not found" or "Interaction could not be built"',
    }),
    details: z.array(ErrorDetail),
  })
  .meta({ id: "TestFailure", description: "Why a matching sample would fail, as the inbound URL would say it" });

export const MappingTestResult = z
  .object({
    matched: z.boolean().meta({ description: "Every condition passed" }),
    conditions: z.array(ConditionResult),
    schemaErrors: z.array(ErrorDetail).meta({
      description: "Mapping payloadSchema errors, computed even when not matched (pointers into the payload). Only the schema's: a build failure is in failure",
    }),
    failure: TestFailure.nullable().meta({
      description: "For a matching sample, the stage that would refuse it (schema, or building the interaction); null when it would be accepted or does not match",
    }),
    interaction: TestInteraction.nullable().meta({
      description: "null when not matched or when it would fail (see failure)",
    }),
    duplicate: z.boolean().meta({ description: "An interaction with the same resource type, action and idempotency key exists" }),
  })
  .meta({ id: "MappingTestResult" });

export type MappingTestRequestInput = z.output<typeof MappingTestRequest>;
export type MappingTestResultDto = z.output<typeof MappingTestResult>;
