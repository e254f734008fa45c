// The CLIs without devDependencies (../shared/spec/clients.md, "ProviderFlow CLI"): a copy of
// the repository as a user has it after `npm ci && npm run build` (the tracked files, the
// generated Prisma client and the prebuilt CLI), then `npm ci --omit=dev` in that copy.
// `providerflow` must run from its prebuilt output with no TypeScript compiler, esbuild or
// other devDependency installed, and `provenance-mcp` must load.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "./harness";

let copy: string;

function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  const res = spawnSync(cmd, args, { cwd: copy, env: { ...process.env, ...env }, encoding: "utf8", timeout: 120_000 });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

beforeAll(() => {
  copy = fs.mkdtempSync(path.join(os.tmpdir(), "provenance-omit-dev-"));
  const tracked = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: ROOT,
    encoding: "utf8",
  })
    .split("\0")
    .filter(Boolean);
  for (const file of tracked) {
    const from = path.join(ROOT, file);
    if (!fs.existsSync(from)) continue; // deleted in the working tree
    fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    fs.copyFileSync(from, path.join(copy, file));
  }
  // What `npm run build` made (and the generated Prisma client the install made).
  for (const dir of ["providerflow/cli/dist", "lib/generated"])
    fs.cpSync(path.join(ROOT, dir), path.join(copy, dir), { recursive: true });
  const install = run("npm", ["ci", "--omit=dev", "--no-audit", "--no-fund", "--prefer-offline"]);
  expect(install.code, install.stderr.slice(-3000)).toBe(0);
  // npm installs @prisma/client's peers (prisma, and with it typescript) even with
  // --omit=dev; remove the compiler so nothing can lean on it.
  fs.rmSync(path.join(copy, "node_modules", "typescript"), { recursive: true, force: true });
}, 300_000);

afterAll(() => {
  if (copy) fs.rmSync(copy, { recursive: true, force: true });
});

describe("after npm ci --omit=dev", () => {
  it("has no compiler, bundler or test runner installed (the premise)", () => {
    // (prettier is not among them: monaco-yaml, a production dependency, brings it.)
    for (const dev of ["typescript", "esbuild", "vitest", "eslint"]) {
      expect(fs.existsSync(path.join(copy, "node_modules", dev)), dev).toBe(false);
    }
    expect(fs.existsSync(path.join(copy, "node_modules", "yaml"))).toBe(true);
  });

  it("providerflow validates an example package, in words and as JSON", () => {
    const pkg = "providerflow/packages/stripe-payments";
    const human = run("node", ["providerflow/cli/bin.mjs", "validate", pkg]);
    expect(human, human.stderr).toMatchObject({ code: 0, stdout: "", stderr: "✓ valid: no errors, no warnings\n" });
    const json = run("node", ["providerflow/cli/bin.mjs", "validate", pkg, "--json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, command: "validate", errors: [] });
    const graph = run("node", ["providerflow/cli/bin.mjs", "graph", pkg]);
    expect(graph.code).toBe(0);
    expect(graph.stdout.startsWith("flowchart LR\n")).toBe(true);
  });

  it("providerflow reports a broken package with exit 1 and the spec's JSON errors", () => {
    const broken = path.join(copy, "broken-package");
    fs.cpSync(path.join(copy, "providerflow/packages/stripe-payments"), broken, { recursive: true });
    const yamlPath = path.join(broken, "provider-flow.yaml");
    fs.writeFileSync(yamlPath, `${fs.readFileSync(yamlPath, "utf8")}\nnotAKey: true\n`);
    const res = run("node", ["providerflow/cli/bin.mjs", "validate", broken, "--json"]);
    expect(res.code).toBe(1);
    const doc = JSON.parse(res.stdout) as { ok: boolean; errors: { code: string; message: string }[] };
    expect(doc.ok).toBe(false);
    expect(doc.errors.length).toBeGreaterThan(0);
  });

  it("without the prebuilt output it says to run npm run build (no compiler to fall back on)", () => {
    const dist = path.join(copy, "providerflow/cli/dist");
    const aside = path.join(copy, "dist-aside");
    fs.renameSync(dist, aside);
    try {
      const res = run("node", ["providerflow/cli/bin.mjs", "validate", "providerflow/packages/stripe-payments"]);
      expect(res.code).toBe(1);
      expect(res.stderr).toBe(
        "providerflow: the CLI is not built: run `npm run build` (with the devDependencies installed) first\n",
      );
    } finally {
      fs.renameSync(aside, dist);
    }
  });

  it("provenance-mcp loads and names its missing settings", () => {
    const res = run("node", ["bin/provenance-mcp.mjs"], { PROVENANCE_URL: "", PROVENANCE_TOKEN: "" });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("set PROVENANCE_URL");
    expect(res.stderr).not.toContain("ERR_MODULE_NOT_FOUND");
  });
});
