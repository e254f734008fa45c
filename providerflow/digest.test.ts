import { createHash } from "node:crypto";
import { beforeAll, describe, expect, test } from "vitest";
import { canonicalJson, digestManifest, isDigestedPath, packageDigest } from "./digest";
import type { PackageFiles } from "./load-package";
import { loadTestPackage, withFiles } from "./test-packages/packages";

let valid: PackageFiles;
let digest: string;

beforeAll(async () => {
  valid = withFiles(await loadTestPackage("valid-stripe"), {
    "goldens/payment-succeeded.json": '{ "status": 200 }\n',
  });
  digest = packageDigest(valid);
});

/** The digest spelled out independently of the implementation: §9 word for word. */
function referenceDigest(files: PackageFiles): string {
  const included = [...files.keys()].filter(
    (p) => p === "provider-flow.yaml" || p === "README.md" || /^(schemas|fixtures|goldens)\/[^/]+$/.test(p),
  );
  const lines = included
    .map(
      (p) =>
        `${p}\0${createHash("sha256")
          .update(files.get(p) as Buffer)
          .digest("hex")}\n`,
    )
    .sort();
  return createHash("sha256").update(lines.join("")).digest("hex");
}

describe("packageDigest", () => {
  test("is the sha256 of the sorted <path>\\0<sha256>\\n lines", () => {
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(digest).toBe(referenceDigest(valid));
    expect(digestManifest(valid).map((e) => e.path)).toEqual([
      "README.md",
      "fixtures/payment-succeeded.json",
      "goldens/payment-succeeded.json",
      "provider-flow.yaml",
      "schemas/payment-intent.json",
      "schemas/stripe-event.json",
    ]);
  });

  test("is identical across two loads and two runs", async () => {
    const again = withFiles(await loadTestPackage("valid-stripe"), { "goldens/payment-succeeded.json": '{ "status": 200 }\n' });
    expect(packageDigest(again)).toBe(digest);
    expect(packageDigest(valid)).toBe(digest);
  });

  test.each([
    "provider-flow.yaml",
    "README.md",
    "schemas/stripe-event.json",
    "fixtures/payment-succeeded.json",
    "goldens/payment-succeeded.json",
  ])("changes when one byte of %s changes", (file) => {
    const bytes = Buffer.from(valid.get(file) as Buffer);
    const last = bytes.length - 1;
    bytes[last] = (bytes[last] as number) ^ 0x01;
    expect(packageDigest(withFiles(valid, { [file]: bytes }))).not.toBe(digest);
  });

  test("changes when a digested file is added, removed or renamed", () => {
    expect(packageDigest(withFiles(valid, { "fixtures/another.json": "{}" }))).not.toBe(digest);
    expect(packageDigest(withFiles(valid, { "README.md": null }))).not.toBe(digest);
    const golden = valid.get("goldens/payment-succeeded.json") as Buffer;
    expect(packageDigest(withFiles(valid, { "goldens/payment-succeeded.json": null, "goldens/renamed.json": golden }))).not.toBe(
      digest,
    );
  });

  test("is unchanged by generated files (traces, scans.json, evidence.json)", () => {
    const generated = withFiles(valid, {
      "traces/payment-succeeded.json": '{"stages": []}',
      "scans.json": "[]",
      "evidence.json": `{"digest": "${digest}"}`,
    });
    expect(packageDigest(generated)).toBe(digest);
    expect(isDigestedPath("traces/payment-succeeded.json")).toBe(false);
    expect(isDigestedPath("evidence.json")).toBe(false);
    expect(isDigestedPath("goldens/x.json")).toBe(true);
  });
});

describe("canonicalJson", () => {
  const value = { b: [3, { z: 1, a: null }], a: "x", "10": true, "2": false, skip: undefined };

  test("sorts keys at every level, compact by default", () => {
    expect(canonicalJson(value)).toBe('{"10":true,"2":false,"a":"x","b":[3,{"a":null,"z":1}]}');
  });

  test("gives identical bytes for equal values built in different orders", () => {
    const other = { a: "x", "2": false, b: [3, { a: null, z: 1 }], "10": true };
    expect(canonicalJson(other)).toBe(canonicalJson(value));
    expect(canonicalJson(other, { indent: 2 })).toBe(canonicalJson(value, { indent: 2 }));
  });

  test("indented form keeps the same order (integer-like keys included) and ends with a newline", () => {
    expect(canonicalJson(value, { indent: 2 })).toBe(
      '{\n  "10": true,\n  "2": false,\n  "a": "x",\n  "b": [\n    3,\n    {\n      "a": null,\n      "z": 1\n    }\n  ]\n}\n',
    );
    expect(JSON.parse(canonicalJson(value, { indent: 2 }))).toEqual(JSON.parse(canonicalJson(value)));
    expect(canonicalJson({ e: {}, f: [] }, { indent: 1 })).toBe('{\n "e": {},\n "f": []\n}\n');
  });

  test("refuses what is not JSON", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(TypeError);
    expect(() => canonicalJson(cyclic, { indent: 2 })).toThrow(TypeError);
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
  });

  test("shared (non-cyclic) references are fine", () => {
    const shared = { k: 1 };
    expect(canonicalJson({ a: shared, b: shared }, { indent: 2 })).toBe(
      '{\n  "a": {\n    "k": 1\n  },\n  "b": {\n    "k": 1\n  }\n}\n',
    );
  });
});
