// Stages 3 and 5: user-supplied JSON Schemas (draft 2020-12). The AJV configuration
// (and why) is in schema-engine.mjs; this module is its typed face:
// - checkJsonSchema: the save-time check (draft, size, meta-schema, compiles);
// - validateAgainstSchema: validation on this thread, for trusted callers (the
//   ProviderFlow sandbox and CLI, which run an operator's own fixtures);
// - SchemaValidator: what the inbound pipeline and the mapping tester call. The app
//   gives them the schema pool (schema-pool.ts), which validates in worker threads under
//   a time and memory budget: a payload is an outsider's input, and AJV's cost on it
//   (errors collected before any cap, `$ref`s applied many times over) is not bounded.
// Schemas are capped at 256 KiB serialized. Only draft 2020-12 is supported; a different
// `$schema` is refused with a clear message. Compiled validators are cached by SHA-256
// of the schema's canonical JSON, so each schema version compiles once per thread.

import { createHash } from "node:crypto";
import { canonicalJson } from "./json-value";
import { createSchemaEngine, MAX_SCHEMA_ERRORS, toDetails, type SchemaValidation } from "./schema-engine.mjs";
import type { Detail } from "./types";

export { MAX_SCHEMA_ERRORS, type SchemaValidation };
export const MAX_SCHEMA_BYTES = 256 * 1024;
export const DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

/**
 * Validates `data` against `schema`; error paths are JSON Pointers into `data` prefixed
 * with `pointerPrefix`. `bytes` is the size of the body `data` came from (what a bounded
 * validator counts while the job waits); `raw`, when given, is that body itself, and
 * `data` is exactly JSON.parse of it (a worker then copies bytes instead of cloning
 * objects). Throws OverloadedError (lib/inbound/overloaded.ts) when a bounded validator
 * cannot take the job now.
 */
export type SchemaValidator = (
  schema: object,
  data: unknown,
  options?: { pointerPrefix?: string; bytes?: number; raw?: Uint8Array },
) => Promise<SchemaValidation>;

const engine = createSchemaEngine();

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The cache key of a schema (SHA-256 of its canonical JSON) and its serialized size; null for what is not a schema object. */
export function schemaKey(schema: unknown): { key: string; size: number } | null {
  const canonical = isPlainObject(schema) ? canonicalJson(schema) : null;
  if (canonical === null) return null;
  return { key: createHash("sha256").update(canonical).digest("base64url"), size: canonical.length };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function supportedDraft(value: unknown): boolean {
  return value === DRAFT_2020_12 || value === `${DRAFT_2020_12}#`;
}

/**
 * Create-time check of a user's JSON Schema. Detail paths are JSON Pointers under
 * `basePath` (default "/payloadSchema"). Empty when the schema is usable.
 */
export function checkJsonSchema(schema: unknown, basePath = "/payloadSchema"): Detail[] {
  if (!isPlainObject(schema)) return [{ path: basePath, message: "must be a JSON Schema object" }];
  const canonical = canonicalJson(schema);
  if (canonical === null) return [{ path: basePath, message: "must be plain JSON (no cycles, nesting under 1000 levels)" }];
  if (Buffer.byteLength(canonical, "utf8") > MAX_SCHEMA_BYTES) {
    return [{ path: basePath, message: `must be at most ${MAX_SCHEMA_BYTES} bytes when serialized` }];
  }
  if (Object.hasOwn(schema, "$schema") && !supportedDraft(schema.$schema)) {
    return [{ path: `${basePath}/$schema`, message: `only JSON Schema draft 2020-12 is supported ("${DRAFT_2020_12}")` }];
  }
  try {
    const details = toDetails(engine.metaErrors(schema), basePath);
    if (details.length > 0) return details;
  } catch (error) {
    return [{ path: basePath, message: errorMessage(error) }];
  }
  const compileError = engine.compileError(createHash("sha256").update(canonical).digest("base64url"), schema);
  if (compileError !== null) return [{ path: basePath, message: compileError }];
  return [];
}

/**
 * Validates `data` against a schema on this thread (compiled once per distinct schema).
 * Error paths are JSON Pointers into `data` (AJV's instancePath), prefixed with
 * `options.pointerPrefix` when given, e.g. the pointer of a mapping's schemaRootPath.
 * `undefined` data (nothing at the schema root) fails with "must be present". Never
 * throws. Unbounded in time: for an outsider's payload use a SchemaValidator.
 */
export function validateAgainstSchema(schema: object, data: unknown, options: { pointerPrefix?: string } = {}): SchemaValidation {
  const prefix = options.pointerPrefix ?? "";
  if (data === undefined) return { ok: false, errors: [{ path: prefix, message: "must be present" }] };
  const id = schemaKey(schema);
  if (!id) return { ok: false, errors: [{ path: prefix, message: "schema is not a JSON Schema object" }] };
  return engine.validate(engine.compile(id.key, schema, id.size), data, prefix);
}

/**
 * Schemas whose validation cost is bounded by their size times the payload's: no `$ref`
 * (nor `$dynamicRef`/`$recursiveRef`), so no subschema is applied more than once per
 * place in the payload, and at most FAST_SCHEMA_BYTES serialized. Keyed like the
 * compiled-validator cache.
 */
export const FAST_SCHEMA_BYTES = 16 * 1024;
/** Schema bytes × payload bytes at most this validate on the calling thread (see schema-pool.ts)... */
export const FAST_PATH_PRODUCT = 2 ** 25;
/** ...and bodies of at most this many bytes (format checks run JavaScript regexes on strings). */
export const FAST_BODY_BYTES = 64 * 1024;
const boundedSchemas = new Map<string, boolean>();

function hasRef(value: unknown, depth = 0): boolean {
  if (depth > 200) return true;
  if (Array.isArray(value)) return value.some((v) => hasRef(v, depth + 1));
  if (!isPlainObject(value)) return false;
  for (const [k, v] of Object.entries(value)) {
    if (k === "$ref" || k === "$dynamicRef" || k === "$recursiveRef") return true;
    if (hasRef(v, depth + 1)) return true;
  }
  return false;
}

/**
 * For a small payload against a small schema without refs, whether it is valid, checked
 * here with the stop-at-first-error validator (its cost is at most the product of their
 * sizes, ≤ FAST_PATH_PRODUCT: well under a millisecond). null when the pair is not
 * bounded that way, or the payload is invalid (collecting its errors is left to a worker).
 */
export function quickValid(schema: object, id: { key: string; size: number }, data: unknown, bodyBytes: number): true | null {
  if (id.size > FAST_SCHEMA_BYTES || bodyBytes <= 0 || bodyBytes > FAST_BODY_BYTES || id.size * bodyBytes > FAST_PATH_PRODUCT) return null;
  let bounded = boundedSchemas.get(id.key);
  if (bounded === undefined) {
    bounded = !hasRef(schema);
    if (boundedSchemas.size >= 10_000) boundedSchemas.clear();
    boundedSchemas.set(id.key, bounded);
  }
  if (!bounded) return null;
  const compiled = engine.compile(id.key, schema, id.size);
  if (!compiled.ok) return null;
  try {
    return compiled.first(data) ? true : null;
  } catch {
    return null;
  }
}

/** validateAgainstSchema as a SchemaValidator: for tests and trusted callers. */
export const validateInProcess: SchemaValidator = async (schema, data, options) => validateAgainstSchema(schema, data, options);
