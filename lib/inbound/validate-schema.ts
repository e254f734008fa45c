// Stages 3 and 5: user-supplied JSON Schemas (draft 2020-12) checked with AJV.
//
// AJV configuration, and why:
// - allErrors: report every problem at once, the way the management API does.
// - strict mode stays on for what catches real mistakes: unknown keywords (a typo such
//   as "requird" would otherwise silently validate nothing), unknown formats, strict
//   numbers. Three strict checks are relaxed because everyday schemas violate them
//   harmlessly: strictTypes (`properties` without `type: "object"`, nullable unions),
//   strictTuples (`prefixItems` without `minItems`/`items`) and strictRequired
//   (`required` naming a property not listed in `properties`). `example` (singular,
//   common in OpenAPI-derived schemas) is accepted as an annotation.
// - `pattern` and `patternProperties` run on RE2 (re2-wasm), so a schema cannot carry a
//   catastrophically backtracking expression onto hostile payloads. Consequence:
//   lookaround and backreferences are not available in schema patterns.
// - addUsedSchema: false, so schemas are never registered by `$id`: two sources may
//   use the same `$id` (or two versions of one schema) without clashing.
// - No useDefaults / coerceTypes / removeAdditional: validation never mutates payloads.
// - Schemas are capped at 256 KiB serialized. Only draft 2020-12 is supported; a
//   different `$schema` is refused with a clear message.
//
// Compiled validators are cached by SHA-256 of the schema's canonical JSON (bounded
// LRU), so each schema version compiles once per process. AJV retains every schema it
// compiled, so the instance is replaced after AJV_INSTANCE_COMPILES compilations; the
// old one is garbage collected once its validators leave the cache.

import { createHash } from "node:crypto";
import Ajv2020 from "ajv/dist/2020.js";
import type { ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { canonicalJson } from "./json-value";
import { LruCache } from "./lru-cache";
import { escapePointerToken } from "./paths";
import { compileRe2, describeRe2Error } from "./safe-regex";
import type { Detail } from "./types";

export const MAX_SCHEMA_BYTES = 256 * 1024;
export const MAX_SCHEMA_ERRORS = 100;
export const DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

const VALIDATOR_CACHE_SIZE = 1000;
const AJV_INSTANCE_COMPILES = 500;

export type SchemaValidation = { ok: true } | { ok: false; errors: Detail[] };

// Satisfies AJV's RegExpEngine: a function with a `code` tag (used only by standalone
// code generation, which we do not use).
const re2Engine = Object.assign(
  (pattern: string, flags: string) => {
    try {
      return compileRe2(pattern, flags);
    } catch (error) {
      throw new Error(`pattern "${pattern}": ${describeRe2Error(pattern, error)}`);
    }
  },
  { code: "re2" },
);

function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    allowUnionTypes: true,
    allowMatchingProperties: true,
    addUsedSchema: false,
    logger: false,
    code: { regExp: re2Engine },
  });
  addFormats(ajv);
  ajv.addKeyword({ keyword: "example" });
  return ajv;
}

let ajv = createAjv();
let compilesOnInstance = 0;

type Compiled = { ok: true; validate: ValidateFunction } | { ok: false; message: string };
// Failures are cached too, so a stored schema that no longer compiles is not retried per event.
// Compiled validators hold generated code and closures: estimated at ten times the
// schema's serialized size, so a few large schemas cannot hold hundreds of megabytes.
const validatorCache = new LruCache<string, Compiled>(VALIDATOR_CACHE_SIZE, { maxBytes: 64 * 1024 * 1024 });

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Compiles a schema once per canonical form; later calls with an equal schema (in any
 * key order) hit the cache. The validator is compiled from a private copy in the
 * author's key order (so errors come out in that order): AJV caches by object identity,
 * and a caller mutating its schema object later must not reach the compiled validator.
 */
function compileSchema(schema: object, canonical: string): Compiled {
  const key = createHash("sha256").update(canonical).digest("base64url");
  const hit = validatorCache.get(key);
  if (hit) return hit;
  if (compilesOnInstance >= AJV_INSTANCE_COMPILES) {
    ajv = createAjv();
    compilesOnInstance = 0;
  }
  compilesOnInstance += 1;
  let compiled: Compiled;
  try {
    const copy = JSON.parse(JSON.stringify(schema)) as object;
    compiled = { ok: true, validate: ajv.compile(copy) };
  } catch (error) {
    compiled = { ok: false, message: errorMessage(error) };
  }
  validatorCache.set(key, compiled, 10 * canonical.length + 4096);
  return compiled;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function supportedDraft(value: unknown): boolean {
  return value === DRAFT_2020_12 || value === `${DRAFT_2020_12}#`;
}

function dedupeAndCap(details: Detail[]): Detail[] {
  const seen = new Set<string>();
  const out: Detail[] = [];
  for (const d of details) {
    const key = `${d.path}\u0000${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
    if (out.length >= MAX_SCHEMA_ERRORS) break;
  }
  return out;
}

/** Where an AJV error points; `required`-like errors point at the missing property itself. */
function errorPath(e: ErrorObject): string {
  const params = e.params as Record<string, unknown>;
  const child =
    e.keyword === "required" || e.keyword === "dependentRequired"
      ? params.missingProperty
      : e.keyword === "additionalProperties"
        ? params.additionalProperty
        : e.keyword === "unevaluatedProperties"
          ? params.unevaluatedProperty
          : undefined;
  return typeof child === "string" ? `${e.instancePath}/${escapePointerToken(child)}` : e.instancePath;
}

function toDetails(errors: readonly ErrorObject[] | null | undefined, prefix: string): Detail[] {
  return dedupeAndCap(
    (errors ?? []).map((e) => ({
      path: `${prefix}${errorPath(e)}`,
      message: e.message ?? `must pass "${e.keyword}" keyword validation`,
    })),
  );
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
    if (!ajv.validateSchema(schema)) {
      const details = toDetails(ajv.errors, basePath);
      if (details.length > 0) return details;
    }
  } catch (error) {
    return [{ path: basePath, message: errorMessage(error) }];
  }
  const compiled = compileSchema(schema, canonical);
  if (!compiled.ok) return [{ path: basePath, message: compiled.message }];
  return [];
}

/**
 * Validates `data` against a schema (compiled once per distinct schema). Error paths are
 * JSON Pointers into `data` (AJV's instancePath), prefixed with `options.pointerPrefix`
 * when given, e.g. the pointer of a mapping's schemaRootPath. `undefined` data (nothing
 * at the schema root) fails with "must be present". Never throws.
 */
export function validateAgainstSchema(schema: object, data: unknown, options: { pointerPrefix?: string } = {}): SchemaValidation {
  const prefix = options.pointerPrefix ?? "";
  if (data === undefined) return { ok: false, errors: [{ path: prefix, message: "must be present" }] };
  const canonical = isPlainObject(schema) ? canonicalJson(schema) : null;
  if (canonical === null) return { ok: false, errors: [{ path: prefix, message: "schema is not a JSON Schema object" }] };
  const compiled = compileSchema(schema, canonical);
  if (!compiled.ok) return { ok: false, errors: [{ path: prefix, message: `schema cannot be compiled: ${compiled.message}` }] };
  try {
    if (compiled.validate(data)) return { ok: true };
    return { ok: false, errors: toDetails(compiled.validate.errors, prefix) };
  } catch (error) {
    return { ok: false, errors: [{ path: prefix, message: `schema validation failed: ${errorMessage(error)}` }] };
  }
}
