// The mapping tester: stages 4–7 of the pipeline for one mapping against a sample
// payload, run by the pipeline's own runMappingStages and reported from its trace,
// writing nothing (no event, no interaction). Unlike a real delivery it does not stop
// at the first failure: schema errors are computed even when the conditions do not
// match (explainUnmatched), so an operator sees every problem of a sample in one run.
import { randomUUID } from "node:crypto";
import { INBOUND_OUTCOMES } from "@/lib/inbound/outcomes";
import type { RequestParts } from "@/lib/inbound/paths";
import { runMappingStages } from "@/lib/inbound/pipeline";
import { redactHeaders } from "@/lib/inbound/redact-headers";
import { toStorableText } from "@/lib/inbound/storable-text";
import { validateInProcess, type SchemaValidator } from "@/lib/inbound/validate-schema";
import { interactionExists } from "@/lib/store/interactions";
import { findMappingRow, toMappingRecord } from "@/lib/store/mappings";
import type { MappingTestRequestInput, MappingTestResultDto } from "@/lib/schemas/mapping-test";

/**
 * `validate` is the app's schema pool for a sample sent through the API (a reviewer's
 * input, validated under the same budget as inbound payloads); the default, this thread.
 */
export async function testMapping(
  orgId: string,
  mappingId: string,
  input: MappingTestRequestInput,
  validate: SchemaValidator = validateInProcess,
): Promise<MappingTestResultDto> {
  const mapping = toMappingRecord(await findMappingRow(orgId, mappingId));
  // The request as the pipeline reads it: header names lower-cased, credentials redacted.
  const lowered = Object.fromEntries(Object.entries(input.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  const request: RequestParts = { headers: redactHeaders(lowered, null), query: input.query ?? {} };

  const outcome = await runMappingStages([mapping], input.payload, { newId: () => randomUUID(), validate, request, explainUnmatched: true });
  const tried = outcome.trace.tried[0];
  const base = {
    matched: tried?.matched ?? false,
    conditions: tried?.conditions ?? [],
    schemaErrors: outcome.trace.schema?.errors ?? [],
  };
  if (outcome.kind === "unmatched") return { ...base, failure: null, interaction: null, duplicate: false };
  if (outcome.kind === "failed") {
    const row = INBOUND_OUTCOMES[outcome.failure];
    const stage = row.stage === "mappingSchema" ? "mappingSchema" : "interaction";
    return {
      ...base,
      failure: { stage, status: row.status, error: outcome.error, details: outcome.details ?? [] },
      interaction: null,
      duplicate: false,
    };
  }

  const built = outcome.interaction;
  // Compared as the pipeline stores them (lib/store/pipeline-store.ts): a payload's
  // U+0000 or lone surrogate is kept as U+FFFD, which a query parameter cannot carry raw.
  const duplicate =
    built.idempotencyKey !== null &&
    (await interactionExists(orgId, {
      resourceTypeId: mapping.resourceTypeId,
      action: toStorableText(built.action),
      idempotencyKey: toStorableText(built.idempotencyKey),
    }));

  return {
    ...base,
    failure: null,
    interaction: {
      resourceType: mapping.resourceType,
      action: built.action,
      resourceId: built.resourceId,
      idempotencyKey: built.idempotencyKey,
      object: built.object,
    },
    duplicate,
  };
}
