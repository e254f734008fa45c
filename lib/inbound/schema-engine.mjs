// @ts-check
// The JSON Schema engine: AJV (draft 2020-12) configured once, shared by the main thread
// (save-time checks, the ProviderFlow sandbox) and the schema workers that validate
// inbound payloads under a time and memory budget (schema-worker.mjs, schema-pool.ts).
// Plain JavaScript so a worker thread can load it with `node` from the project folder;
// lib/inbound/validate-schema.ts is the typed face the rest of the app uses.
//
// AJV configuration, and why:
// - Two validators per schema: one stops at the first error (`first`), one collects
//   every error (`all`). `first` answers the common case (a valid payload) without
//   building a single error object; `all` runs only for a payload already known to be
//   invalid, for the details the contract promises (capped at MAX_SCHEMA_ERRORS after
//   the run: AJV cannot stop early, which is why payload validation runs in a worker).
// - uniqueItems is ours, not AJV's: AJV compares every pair of items (quadratic: 60,000
//   objects took minutes); ours keys each item by its canonical JSON (linear). Same
//   equality (key order ignored, 1 and 1.0 equal) and the same error as AJV.
// - inlineRefs: false, so generated code grows with the schema, not with the number of
//   paths through its `$ref`s (a schema doubling through ten refs inlined 1024 copies).
// - strict mode stays on for what catches real mistakes: unknown keywords (a typo such
//   as "requird" would otherwise silently validate nothing), unknown formats, strict
//   numbers. strictTypes, strictTuples and strictRequired are relaxed because everyday
//   schemas violate them harmlessly. `example` (OpenAPI) is accepted as an annotation.
// - `pattern` and `patternProperties` run on RE2 (re2-wasm), a linear-time engine: no
//   stored pattern can backtrack catastrophically on a hostile payload. Lookaround and
//   backreferences are therefore not available in schema patterns.
// - addUsedSchema: false, so schemas are never registered by `$id`: two sources may use
//   the same `$id` without clashing. No useDefaults / coerceTypes / removeAdditional:
//   validation never mutates payloads.

import Ajv2020Module from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import * as re2wasm from "re2-wasm";

export const MAX_SCHEMA_ERRORS = 100;

/** @type {typeof import("ajv/dist/2020.js").default} */
const Ajv2020 = /** @type {any} */ (Ajv2020Module).default ?? Ajv2020Module;
/** @type {(ajv: any) => void} */
const addFormats = /** @type {any} */ (addFormatsModule).default ?? addFormatsModule;
// Named in every loader: Node's ESM (from the CommonJS module), the bundler, and the
// CLI's CommonJS build.
const { RE2 } = re2wasm;

// re2-wasm keeps each compiled pattern in WebAssembly memory that JS garbage collection
// does not see; free it once the JS wrapper object is collected.
const re2Finalizer = new FinalizationRegistry((/** @type {{ delete?: () => void }} */ wrapper) => {
  try {
    wrapper.delete?.();
  } catch {
    // Already deleted: nothing to free.
  }
});

/** Compiles with RE2 (unicode mode) and registers its native memory for release. Throws on bad syntax. */
export function compileRe2(/** @type {string} */ pattern, flags = "u") {
  const re = new RE2(pattern, flags.includes("u") ? flags : `${flags}u`);
  const wrapper = /** @type {{ wrapper?: { delete?: () => void } }} */ (/** @type {unknown} */ (re)).wrapper;
  if (wrapper) re2Finalizer.register(re, wrapper);
  return re;
}

/** Turns RE2's terse compile errors into a message an operator can act on. */
export function describeRe2Error(/** @type {string} */ pattern, /** @type {unknown} */ error) {
  if (/\(\?<?[=!]/.test(pattern)) {
    return "Lookahead and lookbehind ((?=…), (?!…), (?<=…), (?<!…)) are not supported: patterns run on RE2, a linear-time engine";
  }
  if (/\\[1-9]|\\k</.test(pattern)) {
    return "Backreferences (\\1, \\k<name>) are not supported: patterns run on RE2, a linear-time engine";
  }
  const raw = error instanceof Error ? error.message : String(error);
  // RE2 reports "Invalid regular expression: /<pattern>/u: <reason>"; keep the reason.
  const reason = raw.replace(/^Invalid regular expression: \/[\s\S]*\/[a-z]*: /, "");
  return `Invalid regular expression: ${reason}`;
}

// Satisfies AJV's RegExpEngine: a function with a `code` tag (used only by standalone
// code generation, which we do not use).
const re2Engine = Object.assign(
  (/** @type {string} */ pattern, /** @type {string} */ flags) => {
    try {
      return compileRe2(pattern, flags);
    } catch (error) {
      throw new Error(`pattern "${pattern}": ${describeRe2Error(pattern, error)}`);
    }
  },
  { code: "re2" },
);

/**
 * JSON with object keys sorted: equal for values JSON Schema calls equal. Strings are
 * quoted, so no two kinds of value share a key.
 * @param {unknown} value
 * @returns {string}
 */
function equalityKey(value) {
  if (Array.isArray(value)) return `[${value.map(equalityKey).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const record = /** @type {Record<string, unknown>} */ (value);
    return `{${Object.keys(record)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${equalityKey(record[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * uniqueItems in one pass. Walks from the end like AJV, so the error names the same pair
 * ("items ## 0 and 2 are identical" for [1, 2, 1]).
 * @type {((schemaValue: unknown, data: unknown) => boolean) & { errors?: object[] }}
 */
const uniqueItems = (schemaValue, data) => {
  if (schemaValue !== true || !Array.isArray(data)) return true;
  /** @type {Map<string, number>} */
  const seen = new Map();
  for (let i = data.length - 1; i >= 0; i -= 1) {
    const key = equalityKey(data[i]);
    const j = seen.get(key);
    if (j !== undefined) {
      uniqueItems.errors = [{ keyword: "uniqueItems", message: `must NOT have duplicate items (items ## ${i} and ${j} are identical)`, params: { i, j } }];
      return false;
    }
    seen.set(key, i);
  }
  return true;
};

/**
 * The options `createAjv(true)` checks schemas with, for build.mjs's generated copy of the
 * meta-schema validator (the meta-schema uses neither our regex engine nor uniqueItems on
 * anything but strings, so AJV's defaults give the same answers there).
 */
export const META_AJV_OPTIONS = Object.freeze({
  allErrors: true,
  strict: true,
  strictTypes: false,
  strictTuples: false,
  strictRequired: false,
  allowUnionTypes: true,
  allowMatchingProperties: true,
  addUsedSchema: false,
  inlineRefs: false,
  logger: false,
});

/**
 * @param {boolean} allErrors
 * @param {boolean} [checkMeta] false when the caller checks each schema against the meta-schema itself
 */
function createAjv(allErrors, checkMeta = true) {
  const ajv = new Ajv2020({ ...META_AJV_OPTIONS, allErrors, validateSchema: checkMeta, code: { regExp: re2Engine } });
  addFormats(ajv);
  ajv.addKeyword({ keyword: "example" });
  ajv.removeKeyword("uniqueItems");
  ajv.addKeyword({ keyword: "uniqueItems", type: "array", schemaType: "boolean", errors: true, validate: uniqueItems });
  return ajv;
}

/** @param {unknown} error */
function errorMessage(error) {
  return error instanceof Error ? error.message : String(error);
}

/** @param {string | number} token */
function escapePointerToken(token) {
  return String(token).replace(/~/g, "~0").replace(/\//g, "~1");
}

/**
 * Where an AJV error points; `required`-like errors point at the missing property itself.
 * @param {import("ajv").ErrorObject} e
 */
function errorPath(e) {
  const params = /** @type {Record<string, unknown>} */ (e.params);
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

/**
 * AJV's errors as details under `prefix`: duplicates dropped, at most MAX_SCHEMA_ERRORS.
 * @param {readonly import("ajv").ErrorObject[] | null | undefined} errors
 * @param {string} prefix
 */
export function toDetails(errors, prefix) {
  const seen = new Set();
  /** @type {{ path: string; message: string }[]} */
  const out = [];
  for (const e of errors ?? []) {
    const d = { path: `${prefix}${errorPath(e)}`, message: e.message ?? `must pass "${e.keyword}" keyword validation` };
    const key = `${d.path}\u0000${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
    if (out.length >= MAX_SCHEMA_ERRORS) break;
  }
  return out;
}

/** @typedef {((schema: unknown) => boolean) & { errors?: import("ajv").ErrorObject[] | null }} MetaValidator */
/** @typedef {{ all: MetaValidator; first: MetaValidator }} MetaValidators */

/**
 * The draft 2020-12 meta-schema's validators as code, when the process carries them: the
 * prebuilt ProviderFlow CLI (providerflow/cli/build.mjs) generates them with AJV standalone
 * from `META_AJV_OPTIONS` (allErrors on and off) and sets them before this module loads,
 * since compiling the meta-schema was ~100 ms of each CLI run. Same errors as AJV's own
 * check (schema-engine.test.ts compares).
 * @type {MetaValidators | undefined}
 */
const prebuiltMetaValidators = /** @type {any} */ (globalThis).__provenanceMetaSchemaValidators;

const DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

/**
 * AJV's errorsText, for the message AJV's own compile throws on a schema the meta-schema refuses.
 * @param {readonly import("ajv").ErrorObject[] | null | undefined} errors
 */
function errorsText(errors) {
  if (!errors || errors.length === 0) return "No errors";
  return errors.map((e) => `data${e.instancePath} ${e.message}`).join(", ");
}


/**
 * A generated validator uses AJV's own uniqueItems, whose message for arrays of strings
 * names the pair later-first ("items ## 1 and 0"); ours (above) always names it
 * earlier-first, as AJV does for other arrays. Same pair, our wording.
 * @param {import("ajv").ErrorObject[]} errors
 */
function ourUniqueItemsMessages(errors) {
  return errors.map((e) => {
    if (e.keyword !== "uniqueItems") return e;
    const { i, j } = /** @type {{ i: number; j: number }} */ (e.params);
    return { ...e, message: `must NOT have duplicate items (items ## ${Math.min(i, j)} and ${Math.max(i, j)} are identical)` };
  });
}

/** @param {object} schema */
function isDraft2020(schema) {
  const $schema = /** @type {{ $schema?: unknown }} */ (schema).$schema;
  return $schema === undefined || $schema === DRAFT_2020_12 || $schema === `${DRAFT_2020_12}#`;
}

/**
 * What AJV's compile does first when it checks schemas itself: throws its own error for a
 * schema the meta-schema refuses (another `$schema` is left to AJV, which names it).
 * @param {MetaValidator} metaValidator
 * @param {import("ajv/dist/2020.js").default} ajv
 * @param {object} schema
 */
function assertMetaValid(metaValidator, ajv, schema) {
  if (!isDraft2020(schema)) {
    ajv.validateSchema(schema, true);
    return;
  }
  if (!metaValidator(schema)) throw new Error(`schema is invalid: ${errorsText(ourUniqueItemsMessages(metaValidator.errors ?? []))}`);
}

/**
 * A compiler with a bounded cache of validator pairs, keyed by the caller's key for the
 * schema (the SHA-256 of its canonical JSON). AJV retains every schema it compiled, so
 * both instances are replaced after `instanceCompiles` compilations; old ones are
 * collected once their validators leave the cache.
 * `metaValidators` are compiled draft 2020-12 meta-schema validators (collecting every error,
 * and stopping at the first, as the two AJV instances check) to check schemas with instead
 * of AJV compiling the meta-schema itself (default: the prebuilt ones when the process
 * carries them; null: never).
 * @param {{ cacheEntries?: number; cacheBytes?: number; instanceCompiles?: number; metaValidators?: MetaValidators | null }} [options]
 */
export function createSchemaEngine(options = {}) {
  const metaValidators = options.metaValidators === undefined ? prebuiltMetaValidators : (options.metaValidators ?? undefined);
  const cacheEntries = options.cacheEntries ?? 1000;
  const cacheBytes = options.cacheBytes ?? 64 * 1024 * 1024;
  const instanceCompiles = options.instanceCompiles ?? 500;
  // Each created on first use: a process that only checks schemas (the CLI's `validate`)
  // never builds the stop-at-first-error one.
  /** @type {import("ajv/dist/2020.js").default | null} */
  let first = null;
  /** @type {import("ajv/dist/2020.js").default | null} */
  let all = null;
  let compiles = 0;
  const firstAjv = () => (first ??= createAjv(false, !metaValidators));
  const allAjv = () => (all ??= createAjv(true, !metaValidators));
  /** Counts a compilation, replacing both instances (and what they retain) every `instanceCompiles`. */
  function counted() {
    if (compiles >= instanceCompiles) {
      first = null;
      all = null;
      compiles = 0;
    }
    compiles += 1;
  }
  /** @type {Map<string, { compiled: import("./schema-engine.mjs").Compiled; bytes: number }>} */
  const cache = new Map();
  let bytes = 0;

  /**
   * @param {string} key
   * @param {object} schema
   * @param {number} size serialized size, for the cache's byte bound
   * @returns {import("./schema-engine.mjs").Compiled}
   */
  function compile(key, schema, size) {
    const hit = cache.get(key);
    if (hit) {
      cache.delete(key);
      cache.set(key, hit);
      return hit.compiled;
    }
    counted();
    /** @type {import("./schema-engine.mjs").Compiled} */
    let compiled;
    try {
      // Private copies: AJV caches by object identity, and a caller mutating its schema
      // object later must not reach the compiled validator.
      // AJV compiles with the stop-at-first-error instance first: its check is the one that throws.
      if (metaValidators) assertMetaValid(metaValidators.first, firstAjv(), schema);
      compiled = { ok: true, first: firstAjv().compile(structuredClone(schema)), all: allAjv().compile(structuredClone(schema)) };
    } catch (error) {
      compiled = { ok: false, message: errorMessage(error) };
    }
    // Compiled validators hold generated code and closures: estimated at twenty times
    // the schema's serialized size (two validators), so a few large schemas cannot hold
    // hundreds of megabytes. Failures are cached too: a stored schema that no longer
    // compiles is not retried per event.
    const cost = 20 * size + 8192;
    cache.set(key, { compiled, bytes: cost });
    bytes += cost;
    for (const [k, v] of cache) {
      if (cache.size <= cacheEntries && bytes <= cacheBytes) break;
      if (k === key) continue;
      cache.delete(k);
      bytes -= v.bytes;
    }
    return compiled;
  }

  return {
    compile,
    /**
     * Why a schema does not compile, or null when it does: the save-time check. Compiles
     * one validator instead of the pair (half the cost, for a process that only checks,
     * such as `providerflow validate`) and caches nothing; a cached pair answers at once.
     */
    compileError(/** @type {string} */ key, /** @type {object} */ schema) {
      const hit = cache.get(key);
      if (hit) return hit.compiled.ok ? null : hit.compiled.message;
      counted();
      try {
        if (metaValidators) assertMetaValid(metaValidators.all, allAjv(), schema);
        allAjv().compile(structuredClone(schema));
        return null;
      } catch (error) {
        return errorMessage(error);
      }
    },
    /** The compiled pair for a key already compiled and still cached, else null. */
    cached(/** @type {string} */ key) {
      const hit = cache.get(key);
      if (!hit) return null;
      cache.delete(key);
      cache.set(key, hit);
      return hit.compiled;
    },
    /** Meta-schema check of a user's schema: AJV's errors, or null when it conforms. */
    metaErrors(/** @type {object} */ schema) {
      if (metaValidators && isDraft2020(schema)) {
        return metaValidators.all(schema) ? null : ourUniqueItemsMessages(metaValidators.all.errors ?? []);
      }
      const ajv = allAjv();
      return ajv.validateSchema(schema) ? null : (ajv.errors ?? []);
    },
    /**
     * Validates `data` against a compiled pair. `onFirst` receives the first error's
     * details as soon as they are known, before the (possibly long) all-errors run.
     * @param {import("./schema-engine.mjs").Compiled} compiled
     * @param {unknown} data
     * @param {string} prefix
     * @param {(details: { path: string; message: string }[]) => void} [onFirst]
     * @returns {import("./schema-engine.mjs").SchemaValidation}
     */
    validate(compiled, data, prefix, onFirst) {
      if (!compiled.ok) return { ok: false, errors: [{ path: prefix, message: `schema cannot be compiled: ${compiled.message}` }] };
      try {
        if (compiled.first(data)) return { ok: true };
        onFirst?.(toDetails(compiled.first.errors, prefix));
        compiled.all(data);
        return { ok: false, errors: toDetails(compiled.all.errors, prefix) };
      } catch (error) {
        return { ok: false, errors: [{ path: prefix, message: `schema validation failed: ${errorMessage(error)}` }] };
      }
    },
  };
}
