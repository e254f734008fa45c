// Types of schema-engine.mjs (plain JavaScript so a worker thread loads it with node).
import type { ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import type { RE2 } from "re2-wasm";

export const MAX_SCHEMA_ERRORS: number;
/** AJV options of the meta-schema check (build.mjs generates the CLI's copy with them). */
export const META_AJV_OPTIONS: Readonly<Record<string, unknown>>;

export type SchemaDetail = { path: string; message: string };
export type SchemaValidation = { ok: true } | { ok: false; errors: SchemaDetail[] };
export type Compiled = { ok: true; first: ValidateFunction; all: ValidateFunction } | { ok: false; message: string };

export type SchemaEngine = {
  compile(key: string, schema: object, size: number): Compiled;
  compileError(key: string, schema: object): string | null;
  cached(key: string): Compiled | null;
  metaErrors(schema: object): ErrorObject[] | null;
  validate(compiled: Compiled, data: unknown, prefix: string, onFirst?: (details: SchemaDetail[]) => void): SchemaValidation;
};

export function compileRe2(pattern: string, flags?: string): RE2;
export function describeRe2Error(pattern: string, error: unknown): string;
export function toDetails(errors: readonly ErrorObject[] | null | undefined, prefix: string): SchemaDetail[];
/** A compiled meta-schema validator (AJV standalone output or a compiled function). */
export type MetaValidator = ((schema: unknown) => boolean) & { errors?: ErrorObject[] | null };
/** The meta-schema compiled with allErrors on (`all`) and off (`first`). */
export type MetaValidators = { all: MetaValidator; first: MetaValidator };
export function createSchemaEngine(options?: {
  cacheEntries?: number;
  cacheBytes?: number;
  instanceCompiles?: number;
  metaValidators?: MetaValidators | null;
}): SchemaEngine;
