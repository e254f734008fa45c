// The real `providerflow` executable, spawned with plain `node` as npm's bin link runs
// it: built on first run in a checkout, exit codes, one JSON document on stdout, usage on --help.

import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { TEST_PACKAGES_DIR, VALID_STRIPE_DIR } from "../test-packages/packages";
import { secretsFileText, TEST_SECRETS } from "../test-packages/scenarios";

const BIN = path.resolve(import.meta.dirname, "bin.mjs");
const ROOT = path.resolve(import.meta.dirname, "..", "..");

type Spawned = { code: number | null; stdout: string; stderr: string };

function run(args: string[], opts: { cwd?: string; env?: Record<string, string>; bin?: string } = {}): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [opts.bin ?? BIN, ...args], {
      cwd: opts.cwd ?? work,
      env: { ...process.env, ...opts.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

let work: string;
let secrets: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "providerflow-bin-"));
  secrets = path.join(work, "secrets.env");
  await writeFile(secrets, secretsFileText());
  // The first run may build the CLI (dist/ is made by `npm run build`); later ones use it.
  const first = await run(["--version"]);
  expect(first, first.stderr).toMatchObject({ code: 0, stdout: "0.1.0\n" });
}, 120_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("providerflow (spawned with node)", () => {
  test("exit 0: validate and test a valid package", async () => {
    const validate = await run(["validate", VALID_STRIPE_DIR]);
    expect(validate).toEqual({ code: 0, stdout: "", stderr: "✓ valid: no errors, no warnings\n" });
    const tested = await run(["test", VALID_STRIPE_DIR, "--secrets", secrets]);
    expect(tested.code, tested.stderr).toBe(0);
    expect(tested.stderr).toContain("✓ 1/1 fixtures match their goldens");
  }, 30_000);

  test("exit 1: a broken package; exit 2: a usage error; --json gives exactly one document on stdout", async () => {
    const broken = await run(["validate", path.join(TEST_PACKAGES_DIR, "unknown-keys"), "--json"]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toBe("");
    const doc = JSON.parse(broken.stdout) as { ok: boolean; command: string; errors: { code: string }[] };
    expect(doc).toMatchObject({ ok: false, command: "validate" });
    expect(doc.errors.length).toBeGreaterThan(0);
    const usage = await run(["validate", "--json", "--nope"]);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout)).toEqual({
      ok: false,
      command: "validate",
      errors: [{ code: "usage", message: "unknown option '--nope'" }],
      warnings: [],
    });
    const human = await run(["frobnicate"]);
    expect(human).toEqual({
      code: 2,
      stdout: "",
      stderr: "error usage: unknown command 'frobnicate'\nsee: providerflow --help\n",
    });
  }, 30_000);

  test("evidence writes its files; graph prints Mermaid; no secret reaches any stream", async () => {
    const out = path.join(work, "evidence");
    const evidence = await run(["evidence", VALID_STRIPE_DIR, "--out", out, "--secrets", secrets, "--json"]);
    expect(evidence.code, evidence.stderr).toBe(0);
    expect(JSON.parse(evidence.stdout)).toMatchObject({ ok: true, status: "sandbox-validated" });
    expect((await readdir(out)).sort()).toEqual(["evidence.json", "scans.json", "traces"]);
    const graph = await run(["graph", VALID_STRIPE_DIR]);
    expect(graph.code).toBe(0);
    expect(graph.stdout.startsWith("flowchart LR\n")).toBe(true);
    const written = ["evidence.json", "scans.json", "traces/payment-succeeded.json"].map((f) =>
      readFileSync(path.join(out, f), "utf8"),
    );
    for (const text of [evidence.stdout, evidence.stderr, graph.stdout, ...written]) {
      for (const secret of Object.values(TEST_SECRETS)) expect(text).not.toContain(secret);
    }
  }, 30_000);

  test("V8's code cache: written by a run, and a damaged one is replaced without changing the answer", async () => {
    const cacheDir = path.join(ROOT, "providerflow", "cli", "dist", ".v8-cache");
    const first = await run(["validate", VALID_STRIPE_DIR]);
    expect(first.code, first.stderr).toBe(0);
    const files = readdirSync(cacheDir).filter((f) => f.endsWith(".bin"));
    expect(files.length).toBeGreaterThan(0);
    const [newest] = files.map((f) => path.join(cacheDir, f)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
    if (newest === undefined) throw new Error("no code cache written");
    await writeFile(newest, "not a code cache");
    const damaged = await run(["validate", VALID_STRIPE_DIR]);
    expect(damaged).toEqual(first);
    expect(statSync(newest).size).toBeGreaterThan(100_000);
    const again = await run(["validate", VALID_STRIPE_DIR]);
    expect(again).toEqual(first);
  }, 30_000);

  test("--help prints the usage of the program and of each command", async () => {
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout.split("\n")[0]).toBe("Usage: providerflow [options] [command]");
    const test = await run(["test", "--help"]);
    expect(test.code).toBe(0);
    expect(test.stdout).toContain("Usage: providerflow test [options] <dir>");
    expect(test.stdout).toContain("--update");
    expect(test.stdout).toContain("--secrets <file>");
  }, 30_000);

  test("through a symlink, as npm links bins into node_modules/.bin, from any working directory", async () => {
    const link = path.join(work, "providerflow");
    await symlink(BIN, link);
    const r = await run(["validate", VALID_STRIPE_DIR], { bin: link, cwd: tmpdir() });
    expect(r.code, r.stderr).toBe(0);
  }, 30_000);

  test("the prebuilt CLI (its contract validator generated at build time) reports exactly what the sources do", async () => {
    const { runCli } = await import("./main");
    const dirs = [
      ...readdirSync(TEST_PACKAGES_DIR, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => path.join(TEST_PACKAGES_DIR, d.name)),
      path.join(ROOT, "providerflow", "packages", "stripe-payments"),
    ];
    expect(dirs.length).toBeGreaterThan(3);
    for (const dir of dirs) {
      let stdout = "";
      const code = await runCli(["validate", dir, "--json"], {
        stdout: (t: string) => (stdout += t),
        stderr: () => {},
        env: {},
        cwd: work,
        stderrIsTTY: false,
        fetch: globalThis.fetch,
      });
      const spawned = await run(["validate", dir, "--json"]);
      expect({ code: spawned.code, doc: JSON.parse(spawned.stdout) as unknown }, dir).toEqual({
        code,
        doc: JSON.parse(stdout) as unknown,
      });
    }
  }, 60_000);

  test("runs the prebuilt dist/providerflow.cjs, built from the CLI's sources and no devDependency", async () => {
    const { INPUTS, OUTPUT, isFresh } = await import("./build.mjs");
    expect(existsSync(OUTPUT)).toBe(true);
    const built = JSON.parse(readFileSync(INPUTS, "utf8")) as { inputs: string[]; packages: string[] };
    expect(built.inputs).toContain("providerflow/cli/main.ts");
    expect(built.inputs).toContain("lib/inbound/handle-inbound.ts");
    expect(built.inputs.every((f) => !f.endsWith(".test.ts"))).toBe(true);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
      dependencies: object;
      devDependencies: object;
    };
    const devOnly = Object.keys(pkg.devDependencies).filter((d) => !Object.keys(pkg.dependencies).includes(d));
    expect(built.packages).toEqual(expect.arrayContaining(["yaml", "ajv", "zod", "re2-wasm"]));
    expect(built.packages.filter((p) => devOnly.includes(p))).toEqual([]);
    expect(isFresh()).toBe(true);
  });
});
