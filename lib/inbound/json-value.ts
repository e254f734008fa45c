// JSON-value helpers shared by conditions, schema caching and interaction building.
// Payloads come from JSON.parse, whose parser is iterative and so accepts nesting deep
// enough to overflow any recursive walk; every walk here stops at MAX_JSON_DEPTH and
// reports it instead of throwing RangeError.

export const MAX_JSON_DEPTH = 1000;

class TooDeep extends Error {}

function isObjectLike(v: unknown): v is object {
  return typeof v === "object" && v !== null;
}

/**
 * Structural equality of JSON values: same type, arrays element-wise, objects by key set
 * regardless of order, numbers with === (so 1 and "1" differ, and 0 equals -0).
 * False when either side nests deeper than MAX_JSON_DEPTH. Never throws.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  try {
    return equalAt(a, b, 0);
  } catch {
    return false;
  }
}

function equalAt(a: unknown, b: unknown, depth: number): boolean {
  if (a === b) return true;
  if (!isObjectLike(a) || !isObjectLike(b)) return false;
  if (depth >= MAX_JSON_DEPTH) return false;
  const aArr = Array.isArray(a);
  if (aArr !== Array.isArray(b)) return false;
  if (aArr) {
    const aa = a as unknown[];
    const bb = b as unknown[];
    if (aa.length !== bb.length) return false;
    for (let i = 0; i < aa.length; i += 1) if (!equalAt(aa[i], bb[i], depth + 1)) return false;
    return true;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const aKeys = Object.keys(ao);
  if (aKeys.length !== Object.keys(bo).length) return false;
  for (const k of aKeys) {
    if (!Object.hasOwn(bo, k)) return false;
    if (!equalAt(ao[k], bo[k], depth + 1)) return false;
  }
  return true;
}

/**
 * JSON text with object keys sorted, so equal values always serialize identically
 * (cache keys, idempotency keys). Follows JSON.stringify for non-JSON values (undefined
 * and functions dropped from objects, null in arrays; non-finite numbers → null).
 * Null when the value cannot be serialized (too deep, cyclic, BigInt).
 */
export function canonicalJson(value: unknown): string | null {
  try {
    return canonicalAt(value, 0) ?? null;
  } catch {
    return null;
  }
}

function canonicalAt(value: unknown, depth: number): string | undefined {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? JSON.stringify(value) : "null";
    case "bigint":
      throw new TypeError("BigInt is not JSON");
    case "object":
      break;
    default:
      return undefined; // undefined, function, symbol
  }
  if (depth >= MAX_JSON_DEPTH) throw new TooDeep();
  if (Array.isArray(value)) {
    return `[${value.map((v) => canonicalAt(v, depth + 1) ?? "null").join(",")}]`;
  }
  const obj = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const k of Object.keys(obj).sort()) {
    const v = canonicalAt(obj[k], depth + 1);
    if (v !== undefined) parts.push(`${JSON.stringify(k)}:${v}`);
  }
  return `{${parts.join(",")}}`;
}

/**
 * A deep copy holding only JSON values, without any "__proto__" key (JSON.parse turns
 * `{"__proto__": …}` into an own property, which a later spread or merge elsewhere could
 * turn into prototype pollution). Non-JSON values follow JSON.stringify's rules.
 */
export function toJsonSafe(value: unknown): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    const out = safeAt(value, 0);
    return { ok: true, value: out === undefined ? null : out };
  } catch (error) {
    if (error instanceof TooDeep) return { ok: false, message: `nested deeper than ${MAX_JSON_DEPTH} levels` };
    return { ok: false, message: "not representable as JSON" };
  }
}

function safeAt(value: unknown, depth: number): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : null;
    case "object":
      break;
    default:
      return undefined; // undefined, function, symbol, bigint
  }
  if (depth >= MAX_JSON_DEPTH) throw new TooDeep();
  if (Array.isArray(value)) return value.map((v) => safeAt(v, depth + 1) ?? null);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    if (k === "__proto__") continue;
    const v = safeAt((value as Record<string, unknown>)[k], depth + 1);
    if (v !== undefined) out[k] = v;
  }
  return out;
}
