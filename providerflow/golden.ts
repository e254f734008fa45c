// Goldens (providerflow.md §3): the expected result of a fixture, compared structurally
// and reported as a list of differences, each at the JSON Pointer where the two values
// part. Object keys are visited in sorted order and array items by index, so the same
// two values always give the same list in the same order.
//
// A key present on one side only is a difference whose other side is absent (the entry
// has no `expected` or no `actual`): JSON has no `undefined` to write there. An array
// item beyond the other array's end is reported the same way, one entry per item.
// Leaves (and values of different kinds, e.g. an object against an array) are compared
// with the pipeline's own JSON equality (jsonEqual: no coercion, 1 ≠ "1").

import { jsonEqual } from "../lib/inbound/json-value";
import { canonicalJson } from "./digest";
import { pointerFrom } from "./findings";

export type GoldenDifference = { pointer: string; expected?: unknown; actual?: unknown };
export type GoldenComparison = { passed: boolean; diff: GoldenDifference[] };

/** Marks "no value on this side"; never part of a result. */
const ABSENT: unique symbol = Symbol("absent");

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A path as a parent-linked list, so descending one level costs O(1) at any depth. */
type PathNode = { parent: PathNode | null; token: string | number } | null;

function pathOf(node: PathNode): (string | number)[] {
  const out: (string | number)[] = [];
  for (let n = node; n !== null; n = n.parent) out.push(n.token);
  return out.reverse();
}

type Pending = { e: unknown; a: unknown; path: PathNode };

/** Differences between a golden (`expected`) and a sandbox result (`actual`), by pointer. */
export function compareGolden(expected: unknown, actual: unknown): GoldenComparison {
  const diff: GoldenDifference[] = [];
  // Iterative, so a deeply nested golden cannot overflow the stack.
  const stack: Pending[] = [{ e: expected, a: actual, path: null }];
  while (stack.length > 0) {
    const { e, a, path } = stack.pop() as Pending;
    const children: Pending[] = [];
    if (isRecord(e) && isRecord(a)) {
      const keys = [...new Set([...Object.keys(e), ...Object.keys(a)])].sort();
      for (const key of keys) {
        const child: PathNode = { parent: path, token: key };
        children.push({ e: Object.hasOwn(e, key) ? e[key] : ABSENT, a: Object.hasOwn(a, key) ? a[key] : ABSENT, path: child });
      }
    } else if (Array.isArray(e) && Array.isArray(a)) {
      for (let i = 0; i < Math.max(e.length, a.length); i += 1) {
        children.push({ e: i < e.length ? e[i] : ABSENT, a: i < a.length ? a[i] : ABSENT, path: { parent: path, token: i } });
      }
    } else if (e === ABSENT || a === ABSENT || !jsonEqual(e, a)) {
      const entry: GoldenDifference = { pointer: pointerFrom(pathOf(path)) };
      if (e !== ABSENT) entry.expected = e;
      if (a !== ABSENT) entry.actual = a;
      diff.push(entry);
    }
    // Reverse, so the stack pops children in key / index order.
    for (let i = children.length - 1; i >= 0; i -= 1) stack.push(children[i] as Pending);
  }
  return { passed: diff.length === 0, diff };
}

/** The bytes of a golden file: canonical JSON (sorted keys), 2-space indent, trailing newline. */
export function renderGolden(result: unknown): string {
  return canonicalJson(result, { indent: 2 });
}

export type GoldenChange = "created" | "updated" | "unchanged";

/** What writing `next` over a golden file holding `previous` (undefined: none) does. */
export function goldenChange(previous: Uint8Array | undefined, next: string): GoldenChange {
  if (previous === undefined) return "created";
  return Buffer.from(previous).equals(Buffer.from(next, "utf8")) ? "unchanged" : "updated";
}

/** One line for a human: "/status: expected 200, got 401". Long values are shortened. */
export function describeDifference(d: GoldenDifference, maxValueLength = 120): string {
  const show = (v: unknown): string => {
    const text = canonicalJson(v);
    return text.length > maxValueLength ? `${text.slice(0, maxValueLength - 1)}…` : text;
  };
  const where = d.pointer === "" ? "(the whole result)" : d.pointer;
  if (!("expected" in d)) return `${where}: not in the golden, got ${show(d.actual)}`;
  if (!("actual" in d)) return `${where}: expected ${show(d.expected)}, missing from the result`;
  return `${where}: expected ${show(d.expected)}, got ${show(d.actual)}`;
}
