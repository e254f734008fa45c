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
