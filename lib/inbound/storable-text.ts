// PostgreSQL `text` cannot hold U+0000, and `jsonb` refuses both the `\u0000` escape and
// an unpaired surrogate escape (`\ud800`), all of which a sender can put in a JSON
// string that is perfectly valid JavaScript. Provider data that reaches such columns
// (mapped interaction fields, ids and keys read from payloads, error details and stage
// texts that quote them, a target's response body) goes through here on its way in:
// each such character becomes U+FFFD, the replacement character. Nothing is lost: the
// raw request body is stored as bytes and keeps the original.

// A NUL, or a surrogate half without its partner.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const UNSTORABLE_TEST = new RegExp(UNSTORABLE.source);
// What JSON.stringify emits for them: "\u0000" and lone-surrogate escapes (it writes
// paired surrogates as characters). May also match an escaped backslash followed by
// "u0000" text, which only costs the slow path.
const ESCAPE_IN_JSON = /\\u(?:0000|d[89a-f][0-9a-f]{2})/i;

export function hasUnstorableText(s: string): boolean {
  return UNSTORABLE_TEST.test(s);
}

/** The string with every NUL and unpaired surrogate replaced by U+FFFD. */
export function toStorableText(s: string): string {
  return UNSTORABLE_TEST.test(s) ? s.replace(UNSTORABLE, "\ufffd") : s;
}

export function toStorableNullableText(s: string | null): string | null {
  return s === null ? null : toStorableText(s);
}

/** A copy of a JSON value whose strings and keys are storable. */
function storableValue(value: unknown): unknown {
  if (typeof value === "string") return toStorableText(value);
  if (Array.isArray(value)) return value.map(storableValue);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[toStorableText(k)] = storableValue(v);
    return out;
  }
  return value;
}

/** JSON Pointers (at most `max`) of the strings and keys in a JSON value that hold unstorable text. */
export function unstorableTextPointers(root: unknown, max = 20): string[] {
  const found: string[] = [];
  // Iterative: parsed documents can nest deeper than a recursive walk could follow.
  const stack: { value: unknown; pointer: string }[] = [{ value: root, pointer: "" }];
  while (stack.length > 0 && found.length < max) {
    const { value, pointer } = stack.pop()!;
    if (typeof value === "string") {
      if (hasUnstorableText(value)) found.push(pointer);
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    for (const [k, v] of Object.entries(value)) {
      const child = `${pointer}/${toStorableText(k).replace(/~/g, "~0").replace(/\//g, "~1")}`;
      if (hasUnstorableText(k)) found.push(child);
      else stack.push({ value: v, pointer: child });
    }
  }
  return found;
}

/** A JSON value (for a Prisma Json field) whose strings and keys are storable. */
export function storableJsonValue<T>(value: T): T {
  return JSON.parse(storableJson(value)) as T;
}

/** JSON text for a jsonb column: JSON.stringify, with unstorable characters replaced. */
export function storableJson(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined || !ESCAPE_IN_JSON.test(text)) return text;
  return JSON.stringify(storableValue(value));
}
