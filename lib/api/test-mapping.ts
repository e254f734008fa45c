// The mapping tester: stages 4–7 of the pipeline for one mapping against a sample
// payload, with the pipeline's own stage functions, writing nothing (no event, no
// interaction). Unlike a real delivery it does not stop at the first failure: schema
// errors are computed even when the conditions do not match, so an operator sees every
// problem of a sample in one run.
import { randomUUID } from "node:crypto";
import { buildInteraction, extractSchemaRoot, schemaRootPointer } from "@/lib/inbound/build-interaction";
import { evaluateConditions } from "@/lib/inbound/conditions";
import type { RequestParts } from "@/lib/inbound/paths";
import { redactHeaders } from "@/lib/inbound/redact-headers";
import { toStorableText } from "@/lib/inbound/storable-text";
import type { Detail } from "@/lib/inbound/types";
import { validateInProcess, type SchemaValidator } from "@/lib/inbound/validate-schema";
import { interactionExists } from "@/lib/store/interactions";
import { findMappingRow, toMappingRecord } from "@/lib/store/mappings";
import type { MappingTestRequestInput, MappingTestResultDto } from "./schemas/mapping-test";

/**
 * `validate` is the app's schema pool for a sample sent through the API (a reviewer's
 * input, validated under the same budget as inbound payloads); the default, this thread,
 * serves the org's own package fixtures.
 */
export async function testMapping(
  orgId: string,
  mappingId: string,
  input: MappingTestRequestInput,
  validate: SchemaValidator = validateInProcess,
): Promise<MappingTestResultDto> {
  const mapping = toMappingRecord(await findMappingRow(orgId, mappingId));
  const { payload } = input;
  // The request as the pipeline reads it: header names lower-cased, credentials redacted.
  const lowered = Object.fromEntries(Object.entries(input.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  const request: RequestParts = { headers: redactHeaders(lowered, null), query: input.query ?? {} };

  const conditions = evaluateConditions(mapping.conditions, payload, request);

  let schemaErrors: Detail[] = [];
  if (mapping.payloadSchema) {
    // Pointers into the sample payload itself (schemaRootPath's pointer + the error's).
    const root = extractSchemaRoot(payload, mapping.schemaRootPath);
    const res = await validate(mapping.payloadSchema, root, { pointerPrefix: schemaRootPointer(mapping.schemaRootPath) });
    if (!res.ok) schemaErrors = res.errors;
  }

  // Only a delivery that would get past stages 4 and 5 builds an interaction.
  if (!conditions.pass || schemaErrors.length > 0) {
    return { matched: conditions.pass, conditions: conditions.results, schemaErrors, interaction: null, duplicate: false };
  }

  const built = buildInteraction(mapping, payload, () => randomUUID(), request);
  if (!built.ok) {
    // A real delivery fails here ("Resource id not found"); its details are the only
    // explanation, so they are reported with the schema errors.
    return { matched: true, conditions: conditions.results, schemaErrors: built.details, interaction: null, duplicate: false };
  }

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
    matched: true,
    conditions: conditions.results,
    schemaErrors: [],
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
