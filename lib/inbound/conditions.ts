// Mapping conditions: `{ path, op, value? }`, all of which must pass for a mapping to
// be selected. `actual` is the value at `path` in the payload (getPath: undefined when
// missing). Evaluation never throws; a condition that cannot apply is simply false.
//
//   eq / neq          JSON-value equality (jsonEqual): objects and arrays compared
//                     structurally, key order ignored, no coercion (1 ≠ "1"). A missing
//                     actual (or a missing value) equals nothing, so eq fails and neq
//                     passes. neq is always exactly the negation of eq.
//   in / nin          value must be an array; in passes when actual equals (as eq) one
//                     of its elements. nin is the negation of in, except that both are
//                     false when value is not an array (a misconfigured list matches
//                     nothing). A missing actual is in no list.
//   exists            actual !== undefined; null counts as existing. notExists reverses it.
//   contains          actual string includes value string, or actual array holds an
//                     element equal (as eq) to value. Otherwise false.
//   startsWith        both strings. endsWith likewise.
//   matches           actual string tested against the value pattern with RE2
//                     (regexTest: linear time; a pattern that does not compile is false).
//   gt gte lt lte     both finite numbers: numeric order. Both strings that are ISO 8601
//                     dates (a bare date = UTC midnight, a date-time needs a zone):
//                     compared as instants. Other pairs of strings: UTF-16 code-unit
//                     (lexicographic) order, so "10" < "9". Anything else, including a
//                     number against a numeric string, is false.

import { jsonEqual } from "./json-value";
import { NO_REQUEST, parseRequestPath, readPath, type RequestParts } from "./paths";
import { checkRegex, regexTest } from "./safe-regex";
import { parseIso8601 } from "./timestamps";
import { CONDITION_OPS, type Condition, type ConditionOp, type Detail } from "./types";

export type ConditionResult = { path: string; op: ConditionOp; value: unknown; actual: unknown; pass: boolean };

export const MAX_CONDITIONS = 100;

const VALUELESS_OPS: ReadonlySet<string> = new Set<ConditionOp>(["exists", "notExists"]);

function equals(actual: unknown, value: unknown): boolean {
  if (actual === undefined || value === undefined) return false;
  return jsonEqual(actual, value);
}

function isIn(actual: unknown, list: unknown[]): boolean {
  return list.some((item) => equals(actual, item));
}

/** -1, 0 or 1 for comparable pairs (see the header), null otherwise. */
function compare(actual: unknown, value: unknown): number | null {
  if (typeof actual === "number" && typeof value === "number") {
    if (!Number.isFinite(actual) || !Number.isFinite(value)) return null;
    return Math.sign(actual - value);
  }
  if (typeof actual === "string" && typeof value === "string") {
    const a = parseIso8601(actual, { allowDateOnly: true });
    const b = a === null ? null : parseIso8601(value, { allowDateOnly: true });
    if (a !== null && b !== null) return Math.sign(a - b);
    return actual < value ? -1 : actual > value ? 1 : 0;
  }
  return null;
}

function applyOp(op: unknown, actual: unknown, value: unknown): boolean {
  switch (op) {
    case "eq":
      return equals(actual, value);
    case "neq":
      return !equals(actual, value);
    case "in":
      return Array.isArray(value) && isIn(actual, value);
    case "nin":
      return Array.isArray(value) && !isIn(actual, value);
    case "exists":
      return actual !== undefined;
    case "notExists":
      return actual === undefined;
    case "contains":
      if (typeof actual === "string") return typeof value === "string" && actual.includes(value);
      if (Array.isArray(actual)) return actual.some((item) => equals(item, value));
      return false;
    case "startsWith":
      return typeof actual === "string" && typeof value === "string" && actual.startsWith(value);
    case "endsWith":
      return typeof actual === "string" && typeof value === "string" && actual.endsWith(value);
    case "matches":
      return typeof actual === "string" && typeof value === "string" && regexTest(value, actual);
    case "gt":
    case "gte":
    case "lt":
    case "lte": {
      const c = compare(actual, value);
      if (c === null) return false;
      if (op === "gt") return c > 0;
      if (op === "gte") return c >= 0;
      if (op === "lt") return c < 0;
      return c <= 0;
    }
    default:
      return false; // an unknown op never matches
  }
}

export function evaluateCondition(cond: Condition, payload: unknown, request: RequestParts = NO_REQUEST): ConditionResult {
  // Conditions come from storage as JSON; guard the shape rather than trust the type.
  const raw: Partial<Record<keyof Condition, unknown>> = typeof cond === "object" && cond !== null ? cond : {};
  const path = typeof raw.path === "string" ? raw.path : "";
  const op = raw.op as ConditionOp;
  const value = raw.value;
  const actual = readPath(payload, path, request);
  let pass: boolean;
  try {
    pass = applyOp(op, actual, value);
  } catch {
    pass = false; // exotic, non-JSON inputs only
  }
  return { path, op, value, actual, pass };
}

/** All conditions are evaluated (for the mapping tester); pass when every one passes. */
export function evaluateConditions(
  conds: readonly Condition[],
  payload: unknown,
  request: RequestParts = NO_REQUEST,
): { pass: boolean; results: ConditionResult[] } {
  const list = Array.isArray(conds) ? conds : [];
  const results = list.map((c) => evaluateCondition(c, payload, request));
  return { pass: results.every((r) => r.pass), results };
}

function isPlainRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Create-time validation of a mapping's `conditions`. Detail paths are JSON Pointers
 * under `basePath` (default "/conditions"), e.g. "/conditions/0/value".
 */
export function validateConditions(conds: unknown, basePath = "/conditions"): Detail[] {
  if (!Array.isArray(conds)) return [{ path: basePath, message: "must be an array" }];
  if (conds.length > MAX_CONDITIONS) {
    return [{ path: basePath, message: `must have at most ${MAX_CONDITIONS} conditions` }];
  }
  const details: Detail[] = [];
  conds.forEach((cond: unknown, i) => {
    const at = `${basePath}/${i}`;
    if (!isPlainRecord(cond)) {
      details.push({ path: at, message: "must be an object" });
      return;
    }
    for (const key of Object.keys(cond)) {
      if (key !== "path" && key !== "op" && key !== "value") {
        details.push({
          path: `${at}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`,
          message: "is not a known property (path, op, value)",
        });
      }
    }

    if (typeof cond.path !== "string") {
      details.push({ path: `${at}/path`, message: "must be a string" });
    } else {
      const parsed = parseRequestPath(cond.path);
      if (!parsed.ok) details.push({ path: `${at}/path`, message: parsed.message });
    }

    const op = cond.op;
    if (typeof op !== "string" || !(CONDITION_OPS as readonly string[]).includes(op)) {
      details.push({ path: `${at}/op`, message: `must be one of: ${CONDITION_OPS.join(", ")}` });
      return;
    }

    const hasValue = Object.hasOwn(cond, "value") && cond.value !== undefined;
    const value = cond.value;
    const valueAt = `${at}/value`;
    if (VALUELESS_OPS.has(op)) {
      if (hasValue) details.push({ path: valueAt, message: `must not be set for op "${op}"` });
      return;
    }
    if (!hasValue) {
      details.push({ path: valueAt, message: `is required for op "${op}"` });
      return;
    }
    switch (op as ConditionOp) {
      case "in":
      case "nin":
        if (!Array.isArray(value)) details.push({ path: valueAt, message: `must be an array for op "${op}"` });
        break;
      case "startsWith":
      case "endsWith":
        if (typeof value !== "string") details.push({ path: valueAt, message: `must be a string for op "${op}"` });
        break;
      case "matches":
        if (typeof value !== "string") {
          details.push({ path: valueAt, message: 'must be a string (a regular expression) for op "matches"' });
        } else {
          const check = checkRegex(value);
          if (!check.ok) details.push({ path: valueAt, message: check.message });
        }
        break;
      case "gt":
      case "gte":
      case "lt":
      case "lte":
        if (!(typeof value === "number" && Number.isFinite(value)) && typeof value !== "string") {
          details.push({ path: valueAt, message: `must be a number or a string for op "${op}"` });
        }
        break;
      default:
        break; // eq, neq, contains: any JSON value
    }
  });
  return details;
}
