// Payload paths: dot notation with array indexes (`data.object.id`, `items[0].sku`,
// `a.b[2][1].c`). A path may start with an index (`[0].id`) when the payload is an array.
//
// Grammar: a key is one or more characters other than `.`, `[` and `]` (so keys with
// spaces, dashes or non-ASCII letters work; keys containing those three characters
// cannot be addressed). An index is `[n]` with n a non-negative integer without leading
// zeros. Dots select object keys, brackets select array elements: `items.0` looks for a
// key "0" in an object and never indexes an array, and `items.length` is undefined.
//
// Paths come from operators and are evaluated against provider payloads, so they must
// never reach the prototype chain: `__proto__`, `constructor` and `prototype` are
// rejected as keys, and getPath only reads own data properties.

import { LruCache, stringBytes } from "./lru-cache";

export type PathSegment = string | number;
export type ParsedPath = { ok: true; segments: PathSegment[] } | { ok: false; message: string };

export const MAX_PATH_LENGTH = 512;
export const MAX_PATH_SEGMENTS = 64;
export const FORBIDDEN_PATH_KEYS: readonly string[] = Object.freeze(["__proto__", "constructor", "prototype"]);

const PATH_CACHE_SIZE = 1000;
const PATH_CACHE_BYTES = 4 * 1024 * 1024;
// The key, and its segments (about as much again, plus an array per path).
const pathCache = new LruCache<string, ParsedPath>(PATH_CACHE_SIZE, { maxBytes: PATH_CACHE_BYTES, sizeOf: (key) => 2 * stringBytes(key) + 256 });

function fail(message: string): ParsedPath {
  return { ok: false, message };
}

export function parsePath(path: string): ParsedPath {
  if (typeof path !== "string") return fail("Path must be a string");
  if (path.length === 0) return fail("Path must not be empty");
  if (path.length > MAX_PATH_LENGTH) return fail(`Path must be at most ${MAX_PATH_LENGTH} characters`);

  const segments: PathSegment[] = [];
  let i = 0;
  // `expectKey` is true at the start and after a dot: a key (or, at the start only, an
  // index) must follow.
  let expectKey = true;
  while (i < path.length) {
    const ch = path[i];
    if (ch === "[") {
      if (expectKey && i > 0) return fail(`Empty segment at position ${i}`);
      const close = path.indexOf("]", i + 1);
      const digits = close === -1 ? "" : path.slice(i + 1, close);
      if (close === -1 || !/^(0|[1-9][0-9]*)$/.test(digits)) {
        return fail(`Malformed array index at position ${i}: expected [n] with n a non-negative integer`);
      }
      const index = Number(digits);
      if (!Number.isSafeInteger(index)) return fail(`Array index too large at position ${i}`);
      segments.push(index);
      i = close + 1;
      expectKey = false;
      if (i < path.length && path[i] !== "." && path[i] !== "[") {
        return fail(`Expected "." or "[" after "]" at position ${i}`);
      }
    } else if (ch === ".") {
      if (expectKey) return fail(`Empty segment at position ${i}`);
      expectKey = true;
      i += 1;
      if (i === path.length) return fail(`Empty segment at position ${i}`);
    } else if (ch === "]") {
      return fail(`Unexpected "]" at position ${i}`);
    } else {
      if (!expectKey) return fail(`Expected "." or "[" at position ${i}`);
      let end = i;
      while (end < path.length && path[end] !== "." && path[end] !== "[" && path[end] !== "]") end += 1;
      const key = path.slice(i, end);
      if (FORBIDDEN_PATH_KEYS.includes(key)) return fail(`Path segment "${key}" is not allowed`);
      segments.push(key);
      i = end;
      expectKey = false;
    }
    if (segments.length > MAX_PATH_SEGMENTS) return fail(`Path must have at most ${MAX_PATH_SEGMENTS} segments`);
  }
  return { ok: true, segments };
}

function parsePathCached(path: string): ParsedPath {
  // Over-long strings are rejected by parsePath anyway; keeping them out of the cache
  // keeps its memory bounded by size x MAX_PATH_LENGTH.
  if (typeof path !== "string" || path.length > MAX_PATH_LENGTH) return parsePath(path);
  const hit = pathCache.get(path);
  if (hit) return hit;
  const parsed = parsePath(path);
  pathCache.set(path, parsed);
  return parsed;
}

/** Reads an own data property, never a getter or anything inherited. */
function ownDataValue(container: object, key: string | number): { found: true; value: unknown } | { found: false } {
  const desc = Object.getOwnPropertyDescriptor(container, key);
  if (!desc || !("value" in desc)) return { found: false };
  return { found: true, value: desc.value };
}

/** Walks already-parsed segments; undefined when any step is missing. Never throws. */
export function getSegments(value: unknown, segments: readonly PathSegment[]): unknown {
  let current: unknown = value;
  try {
    for (const segment of segments) {
      if (current === null || typeof current !== "object") return undefined;
      const isArray = Array.isArray(current);
      if (typeof segment === "number") {
        if (!isArray) return undefined;
      } else if (isArray) {
        return undefined;
      }
      const step = ownDataValue(current, segment);
      if (!step.found) return undefined;
      current = step.value;
    }
  } catch {
    // Only exotic objects (a throwing Proxy) get here; JSON payloads never do.
    return undefined;
  }
  return current;
}

/** The value at `path` in `value`, or undefined when the path is invalid or missing. */
export function getPath(value: unknown, path: string): unknown {
  const parsed = parsePathCached(path);
  if (!parsed.ok) return undefined;
  return getSegments(value, parsed.segments);
}

/** Builds the dot/bracket path for segments; null when a key cannot be written. */
export function formatPath(segments: readonly PathSegment[]): string | null {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") {
      if (!Number.isSafeInteger(segment) || segment < 0) return null;
      out += `[${segment}]`;
    } else {
      if (segment.length === 0 || /[.[\]]/.test(segment) || FORBIDDEN_PATH_KEYS.includes(segment)) return null;
      out += out.length === 0 ? segment : `.${segment}`;
    }
  }
  return out.length === 0 ? null : out;
}

/** Escapes one JSON Pointer reference token (RFC 6901: `~` → `~0`, `/` → `~1`). */
export function escapePointerToken(token: string | number): string {
  return String(token).replace(/~/g, "~0").replace(/\//g, "~1");
}

export function segmentsToPointer(segments: readonly PathSegment[]): string {
  return segments.map((s) => `/${escapePointerToken(s)}`).join("");
}

/**
 * The JSON Pointer for a path ("items[0].sku" → "/items/0/sku"). An invalid path still
 * gets a best-effort pointer (split on dots and brackets) because this is used to
 * label error details, and labelling must not fail.
 */
export function pathToPointer(path: string): string {
  if (typeof path !== "string" || path.length === 0) return "";
  const parsed = parsePathCached(path);
  if (parsed.ok) return segmentsToPointer(parsed.segments);
  return segmentsToPointer(path.split(/[.[\]]+/).filter((s) => s.length > 0));
}

// ---------------------------------------------------------------------------------
// Request paths (inbound-api.md §2): a path may read the request as well as the body.
// `$headers.<name>` is a header (name case-insensitive; repeated headers arrive joined
// with ", "), `$query.<name>` the inbound URL's query parameter (its first value), and
// `$body.<path>` the body explicitly (needed only for a body key that begins with `$`).
// Any other first segment beginning with `$` is refused. Headers are read as stored:
// signature and credential headers are redacted there, and refused at create time.

export type RequestParts = {
  /** Header names lower-cased (as Node gives them and as events store them). */
  headers: Readonly<Record<string, string>>;
  query: Readonly<Record<string, string>>;
};

export const NO_REQUEST: RequestParts = Object.freeze({ headers: Object.freeze({}), query: Object.freeze({}) });

export type RequestPath =
  | { ok: true; from: "body"; segments: PathSegment[] }
  | { ok: true; from: "header" | "query"; name: string }
  | { ok: false; message: string };

/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME_RE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const MAX_NAME_LENGTH = 256;

/** Whether a path reads the request rather than the body (`$headers.…`, `$query.…`). */
export function isRequestPath(path: string): boolean {
  return typeof path === "string" && (path.startsWith("$headers.") || path.startsWith("$query."));
}

export function parseRequestPath(path: string): RequestPath {
  if (typeof path !== "string" || !path.startsWith("$")) {
    const parsed = parsePathCached(path);
    return parsed.ok ? { ok: true, from: "body", segments: parsed.segments } : parsed;
  }
  const dot = path.indexOf(".");
  const root = dot === -1 ? path : path.slice(0, dot);
  const rest = dot === -1 ? "" : path.slice(dot + 1);
  if (root !== "$headers" && root !== "$query" && root !== "$body") {
    return { ok: false, message: `"${root}" is not a request path: use $headers.<name>, $query.<name> or $body.<path>` };
  }
  if (rest === "") return { ok: false, message: `${root} needs a name after it, e.g. ${root === "$body" ? "$body.id" : `${root}.x-request-id`}` };
  if (root === "$body") {
    const parsed = parsePathCached(rest);
    return parsed.ok ? { ok: true, from: "body", segments: parsed.segments } : parsed;
  }
  if (rest.length > MAX_NAME_LENGTH) return { ok: false, message: `${root} name must be at most ${MAX_NAME_LENGTH} characters` };
  if (root === "$headers") {
    if (!HEADER_NAME_RE.test(rest)) return { ok: false, message: `"${rest}" is not a header name` };
    return { ok: true, from: "header", name: rest.toLowerCase() };
  }
  if (FORBIDDEN_PATH_KEYS.includes(rest)) return { ok: false, message: `Query parameter "${rest}" is not allowed` };
  return { ok: true, from: "query", name: rest };
}

function ownString(record: Readonly<Record<string, unknown>>, key: string): string | undefined {
  if (!Object.prototype.hasOwnProperty.call(record, key)) return undefined;
  const value = record[key];
  if (typeof value === "string") return value;
  // Stored header values are strings; an array (repeated header) is joined as HTTP does.
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value.join(", ");
  return undefined;
}

function headerValue(headers: Readonly<Record<string, unknown>>, lowerName: string): string | undefined {
  const direct = ownString(headers, lowerName);
  if (direct !== undefined) return direct;
  // Headers from somewhere that kept their case (a fixture, a test request).
  for (const key of Object.keys(headers)) if (key.toLowerCase() === lowerName) return ownString(headers, key);
  return undefined;
}

/** The value a path reads: from the body, or (request paths) from the request's headers or query. */
export function readPath(payload: unknown, path: string, request: RequestParts = NO_REQUEST): unknown {
  if (typeof path !== "string" || !path.startsWith("$")) return getPath(payload, path);
  const parsed = parseRequestPath(path);
  if (!parsed.ok) return undefined;
  if (parsed.from === "body") return getSegments(payload, parsed.segments);
  if (parsed.from === "header") return headerValue(request.headers, parsed.name);
  return ownString(request.query, parsed.name);
}

/** Headers no path may read: they prove identity, and events store them redacted. */
const UNREADABLE_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"]);
const UNREADABLE_PARTS = ["token", "secret", "signature", "api-key", "apikey", "password"];

/**
 * Why a request path may not be used, or null: a header that carries a signature or a
 * credential (`signatureHeaders` are the source's own, lower-cased).
 */
export function unreadableHeaderReason(path: string, signatureHeaders: readonly string[] = []): string | null {
  const parsed = parseRequestPath(path);
  if (!parsed.ok || parsed.from !== "header") return null;
  const name = parsed.name;
  if (UNREADABLE_HEADERS.has(name) || UNREADABLE_PARTS.some((p) => name.includes(p)) || signatureHeaders.includes(name)) {
    return `header "${name}" carries a signature or a credential: it is stored redacted and cannot be read`;
  }
  return null;
}

/** Query parameters kept with an event at most (the rest are dropped, not refused). */
export const MAX_QUERY_PARAMS = 64;
const MAX_QUERY_VALUE_LENGTH = 2048;

/** An inbound URL's query (`a=1&b=2`, with or without "?") as request paths read it: the first value of each name. */
export function queryParams(search: string): Record<string, string> {
  const out: Record<string, string> = {};
  let kept = 0;
  for (const [name, value] of new URLSearchParams(search)) {
    if (kept >= MAX_QUERY_PARAMS) break;
    if (name === "" || name.length > MAX_NAME_LENGTH || Object.prototype.hasOwnProperty.call(out, name) || FORBIDDEN_PATH_KEYS.includes(name)) continue;
    // Stored in a JSONB column: text PostgreSQL refuses (U+0000) is left out rather than failing the request.
    if (value.length > MAX_QUERY_VALUE_LENGTH || name.includes("\u0000") || value.includes("\u0000")) continue;
    out[name] = value;
    kept += 1;
  }
  return out;
}
