// Operator-supplied regular expressions (the `matches` condition, JSON Schema `pattern`)
// run against attacker-controlled payloads. They are executed with RE2 (re2-wasm), a
// linear-time engine, so no stored pattern can stall the process. At create time we
// also reject patterns safe-regex2 flags, so the accepted language stays portable:
//
//   accepted = at most 1000 characters, valid in JavaScript (`u` flag) AND in RE2, and
//              not flagged by safe-regex2 (star height > 1, e.g. `(a+)+$`, or more than
//              25 repetitions).
//
// RE2-only syntax (`(?i)`, `(?P<name>…)`) and JS-only syntax (lookaround,
// backreferences) are both refused with a message saying why.
//
// regexTest tests at most the first MAX_REGEX_INPUT_LENGTH UTF-16 code units (1 MiB) of
// its input: inbound bodies are capped at 1 MiB, so no legitimate field is longer. It
// answers false for a pattern that does not compile or is longer than MAX_REGEX_LENGTH
// (such a pattern cannot have passed checkRegex).

import type { RE2 } from "re2-wasm";
import safeRegex from "safe-regex2";
import { LruCache, stringBytes } from "./lru-cache";
import { compileRe2, describeRe2Error } from "./schema-engine.mjs";

export const MAX_REGEX_LENGTH = 1000;
export const MAX_REGEX_INPUT_LENGTH = 1024 * 1024;
const REGEX_CACHE_SIZE = 500;
// RE2 keeps each compiled program (and its DFA cache) in WebAssembly memory we cannot
// measure: estimated as 64 bytes per pattern character plus 16 KiB.
const REGEX_CACHE_BYTES = 16 * 1024 * 1024;

export type RegexCheck = { ok: true } | { ok: false; message: string };

// compileRe2 (RE2 in unicode mode, its WebAssembly memory freed with its wrapper) and
// describeRe2Error live in schema-engine.mjs, which schema workers load as well.
export { compileRe2, describeRe2Error };

export function checkRegex(pattern: string): RegexCheck {
  if (typeof pattern !== "string") return { ok: false, message: "Regular expression must be a string" };
  if (pattern.length > MAX_REGEX_LENGTH) {
    return { ok: false, message: `Regular expression must be at most ${MAX_REGEX_LENGTH} characters` };
  }
  try {
    compileRe2(pattern);
  } catch (error) {
    return { ok: false, message: describeRe2Error(pattern, error) };
  }
  try {
    new RegExp(pattern, "u");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      message: `Regular expression must also be valid JavaScript (u flag): ${reason}`,
    };
  }
  if (!safeRegex(pattern)) {
    return {
      ok: false,
      message:
        "Regular expression may backtrack catastrophically (nested quantifiers such as (a+)+, or more than 25 repetitions)",
    };
  }
  return { ok: true };
}

// null records a pattern that does not compile, so a bad stored pattern is not
// recompiled (and its failed native allocation not repeated) on every event.
const regexCache = new LruCache<string, RE2 | null>(REGEX_CACHE_SIZE, {
  maxBytes: REGEX_CACHE_BYTES,
  sizeOf: (pattern, re) => stringBytes(pattern) + (re ? 64 * pattern.length + 16 * 1024 : 0),
});

function cachedRe2(pattern: string): RE2 | null {
  const hit = regexCache.get(pattern);
  if (hit !== undefined) return hit;
  let compiled: RE2 | null;
  try {
    compiled = compileRe2(pattern);
  } catch {
    compiled = null;
  }
  regexCache.set(pattern, compiled);
  return compiled;
}

/** Tests `input` against `pattern` with RE2; false when the pattern does not compile. Never throws. */
export function regexTest(pattern: string, input: string): boolean {
  if (typeof pattern !== "string" || typeof input !== "string") return false;
  if (pattern.length > MAX_REGEX_LENGTH) return false;
  const re = cachedRe2(pattern);
  if (!re) return false;
  let subject = input;
  if (subject.length > MAX_REGEX_INPUT_LENGTH) {
    subject = subject.slice(0, MAX_REGEX_INPUT_LENGTH);
    // Do not leave half a surrogate pair at the cut.
    const last = subject.charCodeAt(subject.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) subject = subject.slice(0, -1);
  }
  try {
    // A fresh lastIndex is irrelevant without the g/y flags, but reset defensively:
    // the RE2 object is shared through the cache.
    re.lastIndex = 0;
    return re.test(subject);
  } catch {
    return false;
  }
}
