import { mkdtemp, mkdir, rm, symlink, truncate, writeFile, cp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import {
  MAX_CONTRACT_BYTES,
  MAX_FILE_BYTES,
  checkRelativePath,
  classifyPath,
  filesOfKind,
  isGeneratedPath,
  loadPackage,
  packageFromFiles,
} from "./load-package";
import { VALID_STRIPE_DIR } from "./test-packages/packages";

let dir: string;
let outside: string;

beforeEach(async () => {
  const base = await mkdtemp(path.join(tmpdir(), "providerflow-load-"));
  dir = path.join(base, "pkg");
  outside = path.join(base, "outside");
  await cp(VALID_STRIPE_DIR, dir, { recursive: true });
  await mkdir(outside);
  await writeFile(path.join(outside, "secret.json"), '{"stolen": true}');
});

afterEach(async () => {
  await rm(path.dirname(dir), { recursive: true, force: true });
});

describe("loadPackage", () => {
  test("loads the considered files of a folder, in path order, and lists what it ignored", async () => {
    await writeFile(path.join(dir, "notes.txt"), "not part of the format");
    await mkdir(path.join(dir, "schemas", "nested"));
    await writeFile(path.join(dir, "schemas", "nested", "deep.json"), "{}");
    await writeFile(path.join(dir, "schemas", "readme.txt"), "x");
    await mkdir(path.join(dir, "traces"));
    await writeFile(path.join(dir, "traces", "payment-succeeded.json"), "{}");
    await writeFile(path.join(dir, "evidence.json"), "{}");

    const result = await loadPackage(dir);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect([...result.files.keys()]).toEqual([
      "README.md",
      "evidence.json",
      "fixtures/payment-succeeded.json",
      "goldens/payment-succeeded.json",
      "provider-flow.yaml",
      "schemas/payment-intent.json",
      "schemas/stripe-event.json",
      "traces/payment-succeeded.json",
    ]);
    expect(result.ignored).toEqual(["notes.txt", "schemas/nested", "schemas/readme.txt"]);
    expect(result.files.get("provider-flow.yaml")?.toString("utf8")).toContain("apiVersion: providerflow/v1");
  });

  test("a 50 MB provider-flow.yaml is refused from its size alone, without reading it", async () => {
    const contract = path.join(dir, "provider-flow.yaml");
    await truncate(contract, 50 * 1024 * 1024); // sparse: reading it would take real time and memory
    const started = performance.now();
    const result = await loadPackage(dir);
    const elapsed = performance.now() - started;
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.findings).toContainEqual({
      code: "file-too-large",
      message: "provider-flow.yaml is 50 MiB; provider-flow.yaml may be at most 1 MiB",
      file: "provider-flow.yaml",
    });
    expect(elapsed).toBeLessThan(1000);
  });

  test("provider-flow.yaml of exactly 1 MiB loads; one byte more does not", async () => {
    const contract = path.join(dir, "provider-flow.yaml");
    await writeFile(contract, Buffer.alloc(MAX_CONTRACT_BYTES, 0x20));
    expect((await loadPackage(dir)).ok).toBe(true);
    await writeFile(contract, Buffer.alloc(MAX_CONTRACT_BYTES + 1, 0x20));
    const result = await loadPackage(dir);
    expect(result.ok ? [] : result.findings.map((f) => f.code)).toEqual(["file-too-large"]);
  });

  test("any other file over 5 MiB is refused", async () => {
    await truncate(path.join(dir, "fixtures", "payment-succeeded.json"), MAX_FILE_BYTES + 1);
    const result = await loadPackage(dir);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.findings).toEqual([
      {
        code: "file-too-large",
        message: "fixtures/payment-succeeded.json is 5.0 MiB; a package file may be at most 5 MiB",
        file: "fixtures/payment-succeeded.json",
      },
    ]);
  });

  test("a package over 20 MiB in total is refused", async () => {
    for (let i = 0; i < 5; i += 1) {
      const file = path.join(dir, "fixtures", `big-${i}.json`);
      await writeFile(file, "");
      await truncate(file, 4.5 * 1024 * 1024);
    }
    const result = await loadPackage(dir);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.findings.map((f) => f.code)).toEqual(["package-too-large"]);
    expect(result.findings[0]?.message).toBe("the package's files together exceed 20 MiB (at fixtures/big-4.json)");
  });

  test("a symlink pointing outside the package is refused", async () => {
    await symlink(path.join(outside, "secret.json"), path.join(dir, "schemas", "evil.json"));
    const result = await loadPackage(dir);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.findings).toEqual([
      {
        code: "symlink-outside",
        message: "schemas/evil.json is a symbolic link to a file outside the package",
        file: "schemas/evil.json",
      },
    ]);
  });

  test("a relative symlink climbing out with .. is refused the same way", async () => {
    await symlink("../../outside/secret.json", path.join(dir, "fixtures", "climb.json"));
    const result = await loadPackage(dir);
    expect(result.ok ? [] : result.findings.map((f) => [f.code, f.file])).toEqual([["symlink-outside", "fixtures/climb.json"]]);
  });

  test("a symlinked folder pointing outside is refused", async () => {
    await rm(path.join(dir, "schemas"), { recursive: true });
    await symlink(outside, path.join(dir, "schemas"));
    const result = await loadPackage(dir);
    expect(result.ok ? [] : result.findings).toEqual([
      { code: "symlink-outside", message: "schemas is a symbolic link to a folder outside the package", file: "schemas" },
    ]);
  });

  test("provider-flow.yaml itself as a symlink out of the package is refused", async () => {
    await writeFile(path.join(outside, "provider-flow.yaml"), "apiVersion: providerflow/v1\n");
    await rm(path.join(dir, "provider-flow.yaml"));
    await symlink(path.join(outside, "provider-flow.yaml"), path.join(dir, "provider-flow.yaml"));
    const result = await loadPackage(dir);
    expect(result.ok ? [] : result.findings.map((f) => f.code)).toEqual(["symlink-outside"]);
  });

  test("a symlink that stays inside the package is followed", async () => {
    await symlink("../schemas/stripe-event.json", path.join(dir, "fixtures", "alias.json"));
    const result = await loadPackage(dir);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.files.get("fixtures/alias.json")).toEqual(result.files.get("schemas/stripe-event.json"));
  });

  test("a dangling symlink is reported", async () => {
    await mkdir(path.join(dir, "goldens"), { recursive: true });
    await symlink(path.join(dir, "nowhere.json"), path.join(dir, "goldens", "gone.json"));
    const result = await loadPackage(dir);
    expect(result.ok ? [] : result.findings.map((f) => f.code)).toEqual(["symlink-broken"]);
  });

  test("a .json file with a name outside the allowed characters is an error, not silently skipped", async () => {
    await writeFile(path.join(dir, "schemas", "my schema.json"), "{}");
    const result = await loadPackage(dir);
    expect(result.ok ? [] : result.findings.map((f) => [f.code, f.file])).toEqual([
      ["file-name-invalid", "schemas/my schema.json"],
    ]);
  });

  test("a folder without provider-flow.yaml, and a path that is no folder", async () => {
    await rm(path.join(dir, "provider-flow.yaml"));
    const missing = await loadPackage(dir);
    expect(missing.ok ? [] : missing.findings.map((f) => f.code)).toEqual(["missing-contract"]);
    const notFolder = await loadPackage(path.join(dir, "README.md"));
    expect(notFolder.ok ? [] : notFolder.findings.map((f) => f.code)).toEqual(["package-not-found"]);
    const absent = await loadPackage(path.join(dir, "absent"));
    expect(absent.ok ? [] : absent.findings.map((f) => f.code)).toEqual(["package-not-found"]);
  });
});

describe("packageFromFiles (uploads)", () => {
  const contract = "apiVersion: providerflow/v1\n";

  test("builds the same PackageFiles from a record or a Map, copying the bytes", () => {
    const bytes = new Uint8Array([123, 125]);
    const fromRecord = packageFromFiles({ "provider-flow.yaml": contract, "schemas/a.json": bytes });
    const fromMap = packageFromFiles(
      new Map<string, string | Uint8Array>([
        ["schemas/a.json", bytes],
        ["provider-flow.yaml", contract],
      ]),
    );
    expect(fromRecord.ok && fromMap.ok).toBe(true);
    if (!fromRecord.ok || !fromMap.ok) return;
    expect([...fromRecord.files]).toEqual([...fromMap.files]);
    bytes[0] = 0;
    expect(fromRecord.files.get("schemas/a.json")?.toString()).toBe("{}");
  });

  test.each([
    ["../provider-flow.yaml", "path-traversal"],
    ["schemas/../../etc/passwd", "path-traversal"],
    ["/etc/passwd", "path-absolute"],
    ["C:/Windows/win.ini", "path-absolute"],
    ["\\\\server\\share", "path-absolute"],
    ["schemas\\a.json", "path-invalid"],
    ["schemas//a.json", "path-invalid"],
    ["./provider-flow.yaml", "path-invalid"],
    ["", "path-invalid"],
  ])("refuses the path %j (%s)", (bad, code) => {
    const result = packageFromFiles({ "provider-flow.yaml": contract, [bad]: "{}" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.findings.map((f) => f.code)).toEqual([code]);
  });

  test("ignores paths the format does not know, and refuses bad names in package folders", () => {
    const result = packageFromFiles({ "provider-flow.yaml": contract, Makefile: "x", "fixtures/a b.json": "{}" });
    expect(result.ok ? [] : result.findings.map((f) => f.code)).toEqual(["file-name-invalid"]);
    const ok = packageFromFiles({ "provider-flow.yaml": contract, Makefile: "x", "docs/x.md": "y" });
    expect(ok).toEqual({
      ok: true,
      files: new Map([["provider-flow.yaml", Buffer.from(contract)]]),
      ignored: ["Makefile", "docs/x.md"],
    });
  });

  test("applies the same size limits as the folder loader", () => {
    const big = packageFromFiles({ "provider-flow.yaml": "#".repeat(MAX_CONTRACT_BYTES + 1) });
    expect(big.ok ? [] : big.findings.map((f) => f.code)).toEqual(["file-too-large"]);
    const total = packageFromFiles({
      "provider-flow.yaml": contract,
      ...Object.fromEntries([0, 1, 2, 3, 4].map((i) => [`fixtures/f${i}.json`, new Uint8Array(4.5 * 1024 * 1024)])),
    });
    expect(total.ok ? [] : total.findings.map((f) => f.code)).toEqual(["package-too-large"]);
  });

  test("a path given twice and a missing contract are errors", () => {
    const twice = packageFromFiles([
      ["provider-flow.yaml", contract],
      ["schemas/a.json", "{}"],
      ["schemas/a.json", "[]"],
    ]);
    expect(twice.ok ? [] : twice.findings.map((f) => f.code)).toEqual(["duplicate-file"]);
    const none = packageFromFiles({ "schemas/a.json": "{}" });
    expect(none.ok ? [] : none.findings.map((f) => f.code)).toEqual(["missing-contract"]);
  });
});

describe("path helpers", () => {
  test("classifyPath knows the layout of §1", () => {
    expect(classifyPath("provider-flow.yaml")).toBe("contract");
    expect(classifyPath("README.md")).toBe("readme");
    expect(classifyPath("schemas/event.json")).toBe("schema");
    expect(classifyPath("fixtures/a.b-c_d.json")).toBe("fixture");
    expect(classifyPath("goldens/a.json")).toBe("golden");
    expect(classifyPath("traces/a.json")).toBe("trace");
    expect(classifyPath("scans.json")).toBe("scans");
    expect(classifyPath("evidence.json")).toBe("evidence");
    expect(classifyPath("schemas/sub/a.json")).toBeNull();
    expect(classifyPath("schemas/a.yaml")).toBeNull();
    expect(classifyPath("readme.md")).toBeNull();
    expect(classifyPath("schemas/-a.json")).toBe("invalid-name");
    expect(isGeneratedPath("traces/a.json")).toBe(true);
    expect(isGeneratedPath("goldens/a.json")).toBe(false);
  });

  test("checkRelativePath accepts plain relative paths", () => {
    expect(checkRelativePath("schemas/a.json")).toEqual({ ok: true });
    expect(checkRelativePath("a..b/c")).toEqual({ ok: true });
  });

  test("filesOfKind lists one kind in path order", async () => {
    const loaded = await loadPackage(VALID_STRIPE_DIR);
    if (!loaded.ok) throw new Error("valid package did not load");
    expect(filesOfKind(loaded.files, "schema").map(([p]) => p)).toEqual([
      "schemas/payment-intent.json",
      "schemas/stripe-event.json",
    ]);
  });
});
