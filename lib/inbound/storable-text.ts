// Text PostgreSQL can store. `text` columns refuse U+0000, and `jsonb` refuses the
// escapes "\u0000" and an unpaired surrogate ("\ud800"), yet JSON (and so a provider's
// payload or an operator's request) may carry both. Two policies use this module:
//
// - Inbound data was accepted and must not be lost: the pipeline's store writes each
//   mapped string through toStorableText / toStorableJson, which replace those code
//   units with U+FFFD. The raw body is kept as bytes, so the original stays on record.
// - Management input is an operator's to fix: the API refuses it (unstorableTextPointers)
//   with a 400 naming the place, as ProviderFlow's check does for a package.
import { escapePointerToken } from "./paths";

/** U+0000, a high surrogate not followed by a low one, or a low one not preceded by a high one. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, "g");

/**
 * What JSON.stringify writes for those code units: "\u0000" and a lone surrogate escaped
 * (ES2019 well-formed stringify), never raw. A string holding the six characters
 * `\u0000` matches too (as `\\u0000`); that only costs the exact walk below.
 */
const UNSTORABLE_ESCAPE = /\\u(?:0000|d[89a-f][0-9a-f]{2})/i;

export const REPLACEMENT_CHARACTER = "\uFFFD";

export function hasUnstorableText(s: string): boolean {
  return UNSTORABLE.test(s);
}

/** Why a string cannot be stored, for an error message; null when it can. */
export function unstorableTextReason(s: string): string | null {
  const m = UNSTORABLE.exec(s);
  if (!m) return null;
  return m[0] === "\u0000" ? "must not contain U+0000 (NUL)" : "must not contain an unpaired UTF-16 surrogate";
}

/** The string with U+0000 and unpaired surrogates replaced by U+FFFD. */
export function toStorableText(s: string): string {
  return UNSTORABLE.test(s) ? s.replace(UNSTORABLE_ALL, REPLACEMENT_CHARACTER) : s;
}

export type StorableJson = { text: string; altered: boolean };

/**
 * JSON text that a `jsonb` column accepts: JSON.stringify of the value with every
 * string and key passed through toStorableText. Keys that become equal keep the last
 * value, as JSON.parse would. The common case (nothing to replace) is one stringify and
 * one regex scan. Non-JSON values follow JSON.stringify (undefined → "null" at the root).
 */
export function toStorableJson(value: unknown): StorableJson {
  const text = JSON.stringify(value) ?? "null";
  if (!UNSTORABLE_ESCAPE.test(text)) return { text, altered: false };
  const counter = { altered: false };
  const cleaned = JSON.stringify(value, (_key, v: unknown) => cleanValue(v, counter)) ?? "null";
  return { text: cleaned, altered: counter.altered };
}

/**
 * Replacer step: strings are cleaned; objects are copied with cleaned keys (JSON.stringify
 * then visits their values, so the walk is its own and never recursive here).
 */
function cleanValue(v: unknown, counter: { altered: boolean }): unknown {
  if (typeof v === "string") {
    const s = toStorableText(v);
    if (s !== v) counter.altered = true;
    return s;
  }
  if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
  // toJSON (a Date) has already run: v is what would be serialized.
  let copy: Record<string, unknown> | null = null;
  for (const key of Object.keys(v)) {
    if (!hasUnstorableText(key)) continue;
    copy ??= { ...(v as Record<string, unknown>) };
    const value = copy[key];
    delete copy[key];
    copy[toStorableText(key)] = value;
    counter.altered = true;
  }
  return copy ?? v;
}

/** A storable deep copy of a JSON value (for writers that take values, not text: Prisma). */
export function toStorableValue<T>(value: T): T {
  const { text, altered } = toStorableJson(value);
  return altered ? (JSON.parse(text) as T) : value;
}

export type UnstorablePlace = { pointer: string; message: string };

/**
 * Where a JSON value holds a string or an object key that cannot be stored, as JSON
 * Pointers (at most `max` of them). Iterative: JSON.parse accepts nesting deeper than a
 * recursive walk could follow. A key's pointer is the pointer of the member it names.
 */
export function unstorableTextPointers(root: unknown, max = 20): UnstorablePlace[] {
  const found: UnstorablePlace[] = [];
  // Children are pushed last-first so they pop in document order; a key is reported
  // when its member is visited, before anything inside that member.
  const stack: { value: unknown; pointer: string; badKey?: string }[] = [{ value: root, pointer: "" }];
  while (stack.length > 0 && found.length < max) {
    const { value, pointer, badKey } = stack.pop()!;
    if (badKey) found.push({ pointer, message: `key ${badKey}` });
    if (typeof value === "string") {
      const reason = unstorableTextReason(value);
      if (reason) found.push({ pointer, message: reason });
      continue;
    }
    if (!value || typeof value !== "object") continue;
    const keys = Object.keys(value);
    for (let i = keys.length - 1; i >= 0; i -= 1) {
      const key = keys[i]!;
      const badKey = unstorableTextReason(key) ?? undefined;
      stack.push({ value: (value as Record<string, unknown>)[key], pointer: `${pointer}/${escapePointerToken(key)}`, badKey });
    }
  }
  return found.slice(0, max);
}
