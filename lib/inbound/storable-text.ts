// Text PostgreSQL can store. `text` columns refuse U+0000, and `jsonb` refuses the
// escapes "\u0000" and an unpaired surrogate ("\ud800"), yet JSON (and so a provider's
// payload or an operator's request) may carry both. Two policies use this module:
//
// - Inbound data was accepted and must not be lost: the pipeline's store writes each
//   mapped string through toStorableText / toStorableJson, which replace those code
//   units with U+FFFD. The raw body is kept as bytes, so the original stays on record.
// - Management input is an operator's to fix: the API wrapper refuses it with a 400
//   naming the place (unstorableTextReason), as ProviderFlow's check does for a package
//   (unstorableTextPointers).
import { escapePointerToken } from "./paths";

// ES2024's String.prototype.isWellFormed / toWellFormed (native since Node 20; about
// 70 times faster than a regex over the string); tsconfig's lib stops at ES2023.
type WellFormed = { isWellFormed(): boolean; toWellFormed(): string };
const isWellFormed = (s: string): boolean => (s as unknown as WellFormed).isWellFormed();
const toWellFormed = (s: string): string => (s as unknown as WellFormed).toWellFormed();

/**
 * What JSON.stringify writes for those code units: "\u0000" and a lone surrogate escaped
 * (ES2019 well-formed stringify), never raw. A string holding the six characters
 * `\u0000` matches too (as `\\u0000`); that only costs the exact walk below.
 */
const UNSTORABLE_ESCAPE = /\\u(?:0000|d[89a-f][0-9a-f]{2})/i;

export const REPLACEMENT_CHARACTER = "\uFFFD";

/** U+0000, or a high surrogate not followed by a low one, or a low one not preceded by a high one. */
export function hasUnstorableText(s: string): boolean {
  return s.includes("\u0000") || !isWellFormed(s);
}

/** Why a string cannot be stored, for an error message; null when it can. */
export function unstorableTextReason(s: string): string | null {
  if (s.includes("\u0000")) return "must not contain U+0000 (NUL)";
  return isWellFormed(s) ? null : "must not contain an unpaired UTF-16 surrogate";
}

/** The string with U+0000 and unpaired surrogates replaced by U+FFFD. */
export function toStorableText(s: string): string {
  return hasUnstorableText(s) ? toWellFormed(s).replaceAll("\u0000", REPLACEMENT_CHARACTER) : s;
}

export type StorableJson = { text: string; altered: boolean };

/**
 * JSON text that a `jsonb` column accepts: JSON.stringify of the value with every
 * string and key passed through toStorableText. Keys that become equal keep the last
 * value, as JSON.parse would. The common case (nothing to replace) is one stringify and
 * one substring search. Non-JSON values follow JSON.stringify (undefined → "null" at the root).
 */
export function toStorableJson(value: unknown): StorableJson {
  const text = JSON.stringify(value) ?? "null";
  if (!text.includes("\\u") || !UNSTORABLE_ESCAPE.test(text)) return { text, altered: false };
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
