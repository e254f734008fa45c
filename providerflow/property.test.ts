// Property tests: whatever a user (or an attacker) puts in a package, every stage
// answers with a result or typed, located findings, never an exception.

import fc from "fast-check";
import { stringify } from "yaml";
import { beforeAll, describe, expect, test, vi } from "vitest";
import { checkPackage } from "./check";
import { packageDigest } from "./digest";
import type { Finding } from "./findings";
import { packageFromFiles, type PackageFiles } from "./load-package";
import { parseJson, parseYaml } from "./parse";
import { scanPackage } from "./scan";
import { contractText, loadTestPackage, withFiles } from "./test-packages/packages";

// Thousands of generated cases per test: on a loaded two-core machine they take seconds.
vi.setConfig({ testTimeout: 30_000 });

const RUNS = 200;

let valid: PackageFiles;
let validContract: unknown;

beforeAll(async () => {
  valid = await loadTestPackage("valid-stripe");
  const parsed = parseYaml(contractText(valid), "provider-flow.yaml");
  if (!parsed.ok) throw new Error("valid contract must parse");
  validContract = parsed.value;
});

function expectTypedFinding(f: Finding): void {
  expect(f.code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  expect(typeof f.message).toBe("string");
  expect(f.message.length).toBeGreaterThan(0);
  if (f.line !== undefined) {
    expect(Number.isInteger(f.line) && f.line >= 1).toBe(true);
    expect(Number.isInteger(f.column) && (f.column as number) >= 1).toBe(true);
    expect(typeof f.file).toBe("string");
  }
  if (f.pointer !== undefined) expect(f.pointer === "" || f.pointer.startsWith("/")).toBe(true);
}

/** JSON values without the keys the YAML reader refuses by design (__proto__, plain <<). */
const jsonValue = fc.jsonValue({ maxDepth: 4 }).filter((v) => !/"(__proto__|<<)":/.test(JSON.stringify(v)));

/** Every JSON Pointer in a value, root included. */
function pointers(value: unknown, at = ""): string[] {
  if (typeof value !== "object" || value === null) return [at];
  const children = Array.isArray(value)
    ? value.map((v, i) => pointers(v, `${at}/${i}`))
    : Object.entries(value).map(([k, v]) => pointers(v, `${at}/${k}`));
  return [at, ...children.flat()];
}

/** The contract with one change at one pointer: replaced, deleted, or given an extra key. */
function mutate(contract: unknown, pointer: string, action: "replace" | "delete" | "add", key: string, value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(contract)) as unknown;
  const tokens = pointer.split("/").slice(1);
  if (tokens.length === 0) return action === "replace" ? value : copy;
  let parent = copy as Record<string, unknown>;
  for (const t of tokens.slice(0, -1)) parent = parent[t] as Record<string, unknown>;
  const last = tokens[tokens.length - 1] as string;
  if (action === "replace") parent[last] = value;
  else if (action === "delete") {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else {
    const target = parent[last];
    if (typeof target === "object" && target !== null && !Array.isArray(target) && key !== "__proto__")
      (target as Record<string, unknown>)[key] = value;
  }
  return copy;
}

describe("never an exception", () => {
  test("parseYaml on any text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 400 }), (text) => {
        const result = parseYaml(text, "provider-flow.yaml");
        if (!result.ok) {
          expect(result.findings.length).toBeGreaterThan(0);
          result.findings.forEach(expectTypedFinding);
        }
      }),
      { numRuns: RUNS * 2 },
    );
  });

  test("parseYaml on YAML-ish text built from YAML's own punctuation", () => {
    const token = fc.constantFrom(
      "a",
      "b:",
      " ",
      "\n",
      "  ",
      "- ",
      "[",
      "]",
      "{",
      "}",
      ",",
      "&x ",
      "*x",
      "!!str ",
      "!t ",
      "'",
      '"',
      "#",
      "|",
      ">",
      "? ",
      "<<: ",
      "%YAML 1.1\n",
      "---\n",
      "1",
      ".inf",
      "~",
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 60 }), (tokens) => {
        const result = parseYaml(tokens.join(""), "provider-flow.yaml");
        if (!result.ok) result.findings.forEach(expectTypedFinding);
      }),
      { numRuns: RUNS * 2 },
    );
  });

  test("parseYaml and parseJson on any bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const y = parseYaml(bytes, "provider-flow.yaml");
        if (!y.ok) y.findings.forEach(expectTypedFinding);
        const j = parseJson(bytes, "schemas/a.json");
        if (!j.ok) j.findings.forEach(expectTypedFinding);
      }),
      { numRuns: RUNS },
    );
  });

  test("any JSON value written as YAML reads back as the same value", () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        const result = parseYaml(stringify(value), "provider-flow.yaml");
        if (!result.ok) throw new Error(JSON.stringify(result.findings));
        expect(JSON.stringify(result.value)).toBe(JSON.stringify(value));
      }),
      { numRuns: RUNS },
    );
  });

  test("checkPackage and scanPackage on any object as provider-flow.yaml", () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        const files = withFiles(valid, { "provider-flow.yaml": stringify(value) });
        const result = checkPackage(files);
        expect(result.ok).toBe(false); // nothing random is a whole valid contract
        if (!result.ok) result.findings.forEach(expectTypedFinding);
        for (const s of scanPackage(files)) expect(["error", "warning"]).toContain(s.severity);
      }),
      { numRuns: RUNS },
    );
  });

  test("checkPackage on the valid contract with one random change anywhere", () => {
    const change = fc.record({
      index: fc.nat(),
      action: fc.constantFrom("replace" as const, "delete" as const, "add" as const),
      key: fc.string({ maxLength: 12 }),
      value: jsonValue,
    });
    fc.assert(
      fc.property(change, ({ index, action, key, value }) => {
        const all = pointers(validContract);
        const pointer = all[index % all.length] as string;
        const text = stringify(mutate(validContract, pointer, action, key, value));
        const result = checkPackage(withFiles(valid, { "provider-flow.yaml": text }));
        if (result.ok) {
          expect(result.compiled.mappings.length).toBe(result.package.contract.flows.length);
        } else {
          expect(result.findings.length).toBeGreaterThan(0);
          result.findings.forEach(expectTypedFinding);
        }
      }),
      { numRuns: RUNS * 2 },
    );
  });

  test("packageFromFiles on any paths", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 30 }), fc.string({ maxLength: 20 }), { maxKeys: 8 }), (upload) => {
        const result = packageFromFiles({ ...upload, "provider-flow.yaml": "a: 1\n" });
        if (!result.ok) result.findings.forEach(expectTypedFinding);
        else {
          for (const p of result.files.keys()) {
            expect(p.split("/")).not.toContain("..");
            expect(p.startsWith("/")).toBe(false);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe("digest properties", () => {
  test("equal content gives equal digests; any byte flip in a fixture changes it", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.nat(), (bytes, at) => {
        const one = withFiles(valid, { "fixtures/random.json": bytes });
        const two = withFiles(valid, { "fixtures/random.json": Uint8Array.from(bytes) });
        expect(packageDigest(one)).toBe(packageDigest(two));
        const flipped = Uint8Array.from(bytes);
        const i = at % flipped.length;
        flipped[i] = (flipped[i] as number) ^ 0xff;
        expect(packageDigest(withFiles(valid, { "fixtures/random.json": flipped }))).not.toBe(packageDigest(one));
      }),
      { numRuns: RUNS },
    );
  });
});
