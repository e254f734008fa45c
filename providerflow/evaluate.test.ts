import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { evaluatePackage, evaluationFiles } from "./evaluate";
import { renderGolden } from "./golden";
import type { PackageFiles } from "./load-package";
import { PROVIDERFLOW_VERSION } from "./version";
import { contractText, loadTestPackage, withContractEdits, withFiles } from "./test-packages/packages";
import { secretsFileText, testSecrets, withGoldensFromRun, withScenarios } from "./test-packages/scenarios";

let valid: PackageFiles;
let complete: PackageFiles;

beforeAll(async () => {
  valid = await loadTestPackage("valid-stripe");
  complete = await withGoldensFromRun(withScenarios(valid));
});

describe("evidence", () => {
  test("exactly the §6 shape; sandbox-validated when nothing failed", async () => {
    const run = await evaluatePackage(complete, { secrets: testSecrets });
    const e = run.evidence;
    expect(Object.keys(e).sort()).toEqual(["contract", "fixtures", "package", "scans", "status", "summary", "tool"]);
    expect(e.package).toEqual({ name: "stripe-payments", version: "1.0.0", provider: "stripe", digest: run.digest });
    expect(e.tool).toEqual({ name: "providerflow", version: PROVIDERFLOW_VERSION });
    expect(e.contract).toEqual({ valid: true, errors: [] });
    expect(e.scans).toEqual([]);
    expect(e.fixtures.map((f) => [f.name, f.passed])).toEqual([
      ["charge-refunded", true],
      ["customer-created", true],
      ["forged-signature", true],
      ["negative-amount", true],
      ["payment-succeeded", true],
    ]);
    for (const f of e.fixtures) expect(Object.keys(f).sort()).toEqual(["diff", "name", "passed", "trace"]);
    expect(e.summary).toEqual({ fixtures: 5, passed: 5, failed: 0, scanErrors: 0, scanWarnings: 0 });
    expect(e.status).toBe("sandbox-validated");
    expect(run.scans).toEqual({
      package: e.package,
      tool: e.tool,
      findings: [],
      summary: { errors: 0, warnings: 0 },
    });
  });

  test("a changed golden: the fixture fails with its diff, the package is draft", async () => {
    const golden = JSON.parse(complete.get("goldens/charge-refunded.json")?.toString() ?? "{}");
    golden.status = 202;
    golden.deliveries[1].target = "elsewhere";
    const files = withFiles(complete, { "goldens/charge-refunded.json": renderGolden(golden) });
    const run = await evaluatePackage(files, { secrets: testSecrets });
    const entry = run.evidence.fixtures.find((f) => f.name === "charge-refunded");
    expect(entry?.passed).toBe(false);
    expect(entry?.diff).toEqual([
      { pointer: "/deliveries/1/target", expected: "elsewhere", actual: "billing-audit" },
      { pointer: "/status", expected: 202, actual: 200 },
    ]);
    expect(run.errors).toEqual([
      {
        code: "golden-mismatch",
        message:
          'fixture "charge-refunded" differs from its golden in 2 places; first /deliveries/1/target: expected "elsewhere", got "billing-audit"',
        file: "goldens/charge-refunded.json",
      },
    ]);
    expect(run.evidence.summary).toMatchObject({ fixtures: 5, passed: 4, failed: 1 });
    expect(run.evidence.status).toBe("draft");
  });

  test("missing, unreadable and orphaned goldens are errors", async () => {
    const files = withFiles(complete, {
      "goldens/customer-created.json": null,
      "goldens/negative-amount.json": "{ not json",
      "goldens/gone.json": "{}",
    });
    const run = await evaluatePackage(files, { secrets: testSecrets });
    expect(run.errors.map((e) => [e.code, e.file])).toEqual([
      ["golden-missing", "fixtures/customer-created.json"],
      ["golden-orphan", "goldens/gone.json"],
      ["invalid-json", "goldens/negative-amount.json"],
    ]);
    expect(run.evidence.fixtures.find((f) => f.name === "customer-created")?.diff).toEqual([
      { pointer: "", actual: run.results["customer-created"] },
    ]);
  });

  test("an invalid contract: contract errors in evidence, no fixture run, still a digest and identity", async () => {
    const files = withContractEdits(complete, [["target: data-warehouse\n", "target: nowhere\n"]]);
    const run = await evaluatePackage(files, { secrets: testSecrets });
    expect(run.evidence.contract.valid).toBe(false);
    expect(run.evidence.contract.errors.map((e) => e.code)).toEqual(["unknown-target"]);
    expect(run.evidence.package).toMatchObject({ name: "stripe-payments", version: "1.0.0", digest: run.digest });
    expect(run.results).toEqual({});
    expect(run.evidence.fixtures.every((f) => !f.passed && f.trace[0]?.outcome === "skip")).toBe(true);
    expect(run.evidence.status).toBe("draft");
  });

  test("a valid package without fixtures is not sandbox-validated", async () => {
    const run = await evaluatePackage(
      withFiles(valid, { "fixtures/payment-succeeded.json": null, "goldens/payment-succeeded.json": null }),
      {
        secrets: testSecrets,
      },
    );
    expect(run.errors.map((e) => e.code)).toEqual(["no-fixtures"]);
    expect(run.evidence.status).toBe("draft");
  });

  test("a fixture that does not read is reported where it is wrong and fails", async () => {
    const files = withFiles(complete, {
      "fixtures/customer-created.json":
        '{\n  "headers": {},\n  "body": {},\n  "receivedAt": "2025-01-01T00:00:00",\n  "extra": 1\n}\n',
    });
    const run = await evaluatePackage(files, { secrets: testSecrets });
    expect(run.parts.fixtures.map((e) => [e.code, e.line, e.column])).toEqual([
      ["fixture-invalid", 4, 17],
      ["unknown-key", 5, 3],
    ]);
    expect(run.traces["customer-created"]?.[0]).toMatchObject({
      stage: "request",
      outcome: "fail",
      detail: { error: "fixture-invalid" },
    });
  });

  test("scans.json merges static and fixture scans in location order", async () => {
    const run = await evaluatePackage(valid, { secrets: testSecrets });
    expect(run.scans.findings.map((f) => [f.id, f.location])).toEqual([
      ["condition-not-exercised", "provider-flow.yaml:32:26"],
      ["unreached-flow", "provider-flow.yaml:42:11"],
      ["condition-not-exercised", "provider-flow.yaml:48:15"],
      ["condition-not-exercised", "provider-flow.yaml:51:15"],
      ["condition-not-exercised", "provider-flow.yaml:52:15"],
    ]);
    expect(run.evidence.summary).toMatchObject({ scanErrors: 0, scanWarnings: 5 });
    expect(run.warnings).toHaveLength(5);
    expect(run.evidence.status).toBe("sandbox-validated");
  });
});

describe("determinism", () => {
  test("two evaluations give byte-identical evidence, scans and traces", async () => {
    const a = evaluationFiles(await evaluatePackage(complete, { secrets: testSecrets }));
    const b = evaluationFiles(await evaluatePackage(complete, { secrets: testSecrets }));
    expect([...a.keys()]).toEqual([
      "evidence.json",
      "scans.json",
      "traces/charge-refunded.json",
      "traces/customer-created.json",
      "traces/forged-signature.json",
      "traces/negative-amount.json",
      "traces/payment-succeeded.json",
    ]);
    expect(b).toEqual(a);
    for (const text of a.values()) {
      expect(text.endsWith("}\n")).toBe(true);
      expect(text).not.toContain(process.cwd());
      expect(text).not.toMatch(/"ms"|\d{4}-\d{2}-\d{2}T(?!00:00:00\.000Z)/);
    }
  });

  test("the same bytes from the CLI in another process, time zone and working directory", async () => {
    const here = evaluationFiles(await evaluatePackage(valid, { secrets: testSecrets }));
    const out = await mkdtemp(path.join(tmpdir(), "pf-determinism-"));
    try {
      const secrets = path.join(out, "secrets.env");
      await writeFile(secrets, secretsFileText());
      const dir = path.resolve(import.meta.dirname, "test-packages", "valid-stripe");
      const child = spawnSync(
        process.execPath,
        [
          path.resolve(import.meta.dirname, "cli", "bin.mjs"),
          "evidence",
          dir,
          "--out",
          path.join(out, "evidence"),
          "--secrets",
          secrets,
        ],
        { encoding: "utf8", cwd: tmpdir(), env: { ...process.env, TZ: "Pacific/Chatham", LANG: "de_DE.UTF-8" }, timeout: 60_000 },
      );
      expect(child.status, child.stderr).toBe(0);
      for (const [relative, text] of here) {
        expect(await readFile(path.join(out, "evidence", ...relative.split("/")), "utf8"), relative).toBe(text);
      }
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("secrets in a package's own files", () => {
  test("the digest ignores generated files, so writing evidence does not change it", async () => {
    const run = await evaluatePackage(complete, { secrets: testSecrets });
    const withOutputs = withFiles(complete, Object.fromEntries(evaluationFiles(run)));
    expect((await evaluatePackage(withOutputs, { secrets: testSecrets })).digest).toBe(run.digest);
    expect(contractText(withOutputs)).toBe(contractText(complete));
  });
});
