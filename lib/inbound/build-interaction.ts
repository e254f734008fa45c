// Stage 7 (the pure half): turn a matched payload into the interaction to store.
//
// - resourceId: the value at resourceIdPath as a string (strings as they are, numbers
//   and booleans via String). Missing, null, "" or an object/array is an error: an
//   interaction must name its resource.
// - idempotencyKey: null without idempotencyPath, and null when the path finds nothing
//   (null, missing or "") — such events are simply not deduplicated. Numbers and
//   booleans are stringified; objects and arrays become canonical JSON (sorted keys),
//   so the same value always yields the same key. A key longer than
//   MAX_IDEMPOTENCY_KEY_BYTES (UTF-8) becomes "sha256:" + the hex SHA-256 of it: the
//   unique index deduplication relies on cannot hold an entry past ~2.7 KB, and a
//   digest deduplicates the same way.
// - object: with fieldMappings, `{ field: value at path }` for each entry whose path
//   finds a value (missing ones are omitted; null is kept); without fieldMappings, the
//   whole payload, wrapped as `{ value: payload }` when it is not a JSON object.
// - metadataPaths: each key k becomes "_k" (userId → _userId, sessionId → _sessionId,
//   uowId → _uowId, anything → _anything), omitted when the path finds nothing.
//   Metadata keys are written last and win over a same-named field. `_uowId` is always
//   set: generated with newId() when not mapped or when the mapped value is missing/null
//   (replacing any "_uowId" a whole payload brought along).
// - The object is a deep copy holding only JSON values and no "__proto__" key at any
//   level (toJsonSafe), so it is safe to JSON.stringify, spread or merge later.

import { createHash } from "node:crypto";
import { canonicalJson, toJsonSafe } from "./json-value";
import { NO_REQUEST, pathToPointer, readPath, type RequestParts } from "./paths";
import type { BuildFailureKind } from "./outcomes";
import type { Detail, MappingSpec } from "./types";

export type BuildInteractionResult =
  | { ok: true; action: string; resourceId: string; idempotencyKey: string | null; object: Record<string, unknown> }
  /**
   * The outcome table's row (outcomes.ts): actionNotFound when the action could not be
   * read, else resourceIdNotFound when the id could not, else unbuildable (a value that
   * cannot be stored). details lists every problem found.
   */
  | { ok: false; kind: BuildFailureKind; details: Detail[] };

function scalarToString(value: unknown): string | null {
  if (typeof value === "string") return value === "" ? null : value;
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : null;
  if (typeof value === "boolean") return String(value);
  return null;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The value the mapping schema applies to: at schemaRootPath, or the whole payload. undefined when missing. */
export function extractSchemaRoot(payload: unknown, schemaRootPath: string | null | undefined): unknown {
  if (typeof schemaRootPath !== "string" || schemaRootPath === "") return payload;
  return readPath(payload, schemaRootPath);
}

/** JSON Pointer of the schema root, to prefix schema error paths so they point into the payload. */
export function schemaRootPointer(schemaRootPath: string | null | undefined): string {
  return typeof schemaRootPath === "string" && schemaRootPath !== "" ? pathToPointer(schemaRootPath) : "";
}

/** Longest idempotency key stored as it is; longer ones are stored as their SHA-256 (see above). */
export const MAX_IDEMPOTENCY_KEY_BYTES = 1024;

function boundedKey(key: string | null): string | null {
  if (key === null || Buffer.byteLength(key, "utf8") <= MAX_IDEMPOTENCY_KEY_BYTES) return key;
  return `sha256:${createHash("sha256").update(key, "utf8").digest("hex")}`;
}

/** Longest action name read from a payload (the management API's limit for names). */
export const MAX_ACTION_NAME_LENGTH = 128;

export function buildInteraction(mapping: MappingSpec, payload: unknown, newId: () => string, request: RequestParts = NO_REQUEST): BuildInteractionResult {
  const details: Detail[] = [];

  let action = mapping.action;
  let actionMissing = false;
  if (mapping.actionPath) {
    const raw = readPath(payload, mapping.actionPath, request);
    action = typeof raw === "string" && raw.trim() !== "" && raw.length <= MAX_ACTION_NAME_LENGTH ? raw : null;
    if (action === null) {
      actionMissing = true;
      details.push({ path: pathToPointer(mapping.actionPath), message: "actionPath resolved to no action name (a non-empty string)" });
    }
  }

  const resourceId = scalarToString(readPath(payload, mapping.resourceIdPath, request));
  if (resourceId === null) {
    details.push({ path: pathToPointer(mapping.resourceIdPath), message: "resourceIdPath resolved to no value" });
  }

  let idempotencyKey: string | null = null;
  if (typeof mapping.idempotencyPath === "string" && mapping.idempotencyPath !== "") {
    const raw = readPath(payload, mapping.idempotencyPath, request);
    if (typeof raw === "object" && raw !== null) {
      idempotencyKey = canonicalJson(raw);
      if (idempotencyKey === null) {
        details.push({ path: pathToPointer(mapping.idempotencyPath), message: "idempotencyPath value cannot be serialized" });
      }
    } else {
      idempotencyKey = scalarToString(raw);
    }
    idempotencyKey = boundedKey(idempotencyKey);
  }

  const object: Record<string, unknown> = {};
  const put = (key: string, value: unknown, sourcePath: string): void => {
    if (key === "__proto__") return; // would set the prototype instead of a property
    const safe = toJsonSafe(value);
    if (!safe.ok) {
      details.push({ path: sourcePath, message: `value is ${safe.message}` });
      return;
    }
    object[key] = safe.value;
  };

  if (isPlainObject(mapping.fieldMappings)) {
    for (const [field, path] of Object.entries(mapping.fieldMappings)) {
      if (typeof path !== "string") continue;
      const value = readPath(payload, path, request);
      if (value !== undefined) put(field, value, pathToPointer(path));
    }
  } else if (isPlainObject(payload)) {
    const safe = toJsonSafe(payload);
    if (safe.ok) Object.assign(object, safe.value);
    else details.push({ path: "", message: `payload is ${safe.message}` });
  } else {
    put("value", payload, "");
  }

  let uowMapped = false;
  if (isPlainObject(mapping.metadataPaths)) {
    for (const [key, path] of Object.entries(mapping.metadataPaths)) {
      if (typeof path !== "string") continue;
      const value = readPath(payload, path, request);
      if (value === undefined || (key === "uowId" && value === null)) continue;
      put(`_${key}`, value, pathToPointer(path));
      if (key === "uowId") uowMapped = true;
    }
  }
  // Generated even when a whole-payload object already carries "_uowId": that key
  // belongs to the platform, not to the sender.
  if (!uowMapped) object._uowId = newId();

  if (details.length > 0 || resourceId === null || action === null) {
    const kind: BuildFailureKind = actionMissing || action === null ? "actionNotFound" : resourceId === null ? "resourceIdNotFound" : "unbuildable";
    return { ok: false, kind, details };
  }
  return { ok: true, action, resourceId, idempotencyKey, object };
}
