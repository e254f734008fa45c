// The CLI in-process (runCli with captured streams): every command, --json, exit codes,
// redaction, colours, and plan/apply against a local HTTP server speaking the
// management API's contract.

import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { canonicalJson } from "../digest";
import { evaluatePackage } from "../evaluate";
import { loadPackage, type PackageFiles } from "../load-package";
import { loadTestPackage, withContractEdits, withFiles, TEST_PACKAGES_DIR, VALID_STRIPE_DIR } from "../test-packages/packages";
import { secretsFileText, TEST_SECRETS, testSecrets, withScenarios, writePackage } from "../test-packages/scenarios";
import { runCli } from "./main";

let work: string;
let secretsFile: string;
/** Everything any run printed, to prove no secret ever reached a stream. */
const printed: string[] = [];

type Run = { code: number; stdout: string; stderr: string; json: () => Record<string, unknown> };

async function cli(
  args: string[],
  opts: { env?: Record<string, string | undefined>; tty?: boolean; fetch?: typeof fetch; cwd?: string } = {},
): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
    env: opts.env ?? {},
    cwd: opts.cwd ?? work,
    stderrIsTTY: opts.tty ?? false,
    fetch: opts.fetch ?? fetch,
  });
  const stdout = out.join("");
  const stderr = err.join("");
  printed.push(stdout, stderr);
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, unknown> };
}

/** A fresh copy of a package in the work folder. */
async function copy(name: string, files: PackageFiles): Promise<string> {
  const dir = path.join(work, name);
  await writePackage(dir, files);
  return dir;
}

let valid: PackageFiles;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "providerflow-cli-"));
  secretsFile = path.join(work, "secrets.env");
  await writeFile(secretsFile, secretsFileText());
  valid = await loadTestPackage("valid-stripe");
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  const all = printed.join("\n");
  for (const secret of Object.values(TEST_SECRETS)) expect(all).not.toContain(secret);
});

describe("validate", () => {
  test("a valid package: exit 0, a human line on stderr, nothing on stdout", async () => {
    const r = await cli(["validate", VALID_STRIPE_DIR]);
    expect(r).toMatchObject({ code: 0, stdout: "" });
    expect(r.stderr).toBe("✓ valid: no errors, no warnings\n");
  });

  test("--json: exactly one JSON document, before or after the command", async () => {
    for (const args of [
      ["validate", VALID_STRIPE_DIR, "--json"],
      ["--json", "validate", VALID_STRIPE_DIR],
    ]) {
      const r = await cli(args);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe("");
      const doc = r.json();
      expect(doc).toMatchObject({ ok: true, command: "validate", errors: [], warnings: [] });
      expect(doc.package).toMatchObject({ name: "stripe-payments", version: "1.0.0", provider: "stripe" });
    }
  });

  test("a broken package: exit 1, findings with file, line and column", async () => {
    const r = await cli(["validate", path.join(TEST_PACKAGES_DIR, "dangling-reference"), "--json"]);
    expect(r.code).toBe(1);
    const doc = r.json();
    expect(doc.ok).toBe(false);
    expect(doc.errors).toContainEqual({
      code: "unknown-endpoint",
      file: "provider-flow.yaml",
      line: 13,
      column: 15,
      pointer: "/flows/0/endpoint",
      message: 'flows[0].endpoint: flow "pushes" reads from endpoint "push-hooks", which is not declared (endpoints: push-hook)',
    });
    const human = await cli(["validate", path.join(TEST_PACKAGES_DIR, "broken-syntax")]);
    expect(human.code).toBe(1);
    expect(human.stderr).toMatch(/^error provider-flow\.yaml:\d+:\d+ yaml-/m);
  });
});

describe("usage errors exit 2 and still answer in JSON", () => {
  test.each([
    [["bogus", "--json"], "unknown command 'bogus'", null],
    [["validate", "--json"], "missing required argument 'dir'", "validate"],
    [["test", "x", "--frobnicate", "--json"], "unknown option '--frobnicate'", "test"],
    [
      ["graph", "x", "--format", "png", "--json"],
      "option '--format <format>' argument 'png' is invalid. Allowed choices are mermaid, dot, json.",
      "graph",
    ],
    [["init", "x", "--json"], "required option '--provider <provider>' not specified", "init"],
    [["plan", "x", "--json"], "required option '--org <slug>' not specified", "plan"],
  ])("%j", async (args, message, command) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("");
    expect(r.json()).toEqual({ ok: false, command, errors: [{ code: "usage", message }], warnings: [] });
  });

  test("a folder that is not there, a fixture the package lacks, an unreadable secrets file", async () => {
    expect((await cli(["validate", "no/such/dir", "--json"])).json().errors).toEqual([
      { code: "package-not-found", message: "no/such/dir is not a folder" },
    ]);
    const trace = await cli(["trace", VALID_STRIPE_DIR, "nope", "--secrets", secretsFile, "--json"]);
    expect(trace.code).toBe(2);
    expect(trace.json().errors).toEqual([
      { code: "unknown-fixture", message: 'the package has no fixture "nope" (fixtures: payment-succeeded)' },
    ]);
    await writeFile(path.join(work, "bad.env"), `STRIPE_WEBHOOK_SECRET=${TEST_SECRETS.STRIPE_WEBHOOK_SECRET}\nnot a pair\n`);
    const secrets = await cli(["test", VALID_STRIPE_DIR, "--secrets", "bad.env"]);
    expect(secrets.code).toBe(2);
    expect(secrets.stderr).toBe(
      "error secrets-file-invalid: --secrets bad.env: line 2: expected NAME=VALUE\nsee: providerflow test --help\n",
    );
  });

  test("no command: the help, as a usage error", async () => {
    const r = await cli([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Usage: providerflow [options] [command]");
    expect(r.stderr).toContain("error usage: a command is required");
  });
});

describe("help and version", () => {
  test("--help prints usage on stdout and exits 0, for the program and each command", async () => {
    const top = await cli(["--help"]);
    expect(top.code).toBe(0);
    expect(top.stdout.startsWith("Usage: providerflow [options] [command]\n")).toBe(true);
    for (const [command, usage] of [
      ["init", "Usage: providerflow init [options] <dir>"],
      ["validate", "Usage: providerflow validate [options] <dir>"],
      ["test", "Usage: providerflow test [options] <dir>"],
      ["trace", "Usage: providerflow trace [options] <dir> <fixture>"],
      ["scan", "Usage: providerflow scan [options] <dir>"],
      ["evidence", "Usage: providerflow evidence [options] <dir>"],
      ["graph", "Usage: providerflow graph [options] <dir>"],
      ["plan", "Usage: providerflow plan [options] <dir>"],
      ["apply", "Usage: providerflow apply [options] <dir>"],
      ["approve", "Usage: providerflow approve [options] <dir>"],
    ]) {
      const r = await cli([command as string, "--help"]);
      expect(r.code, command).toBe(0);
      expect(r.stdout.split("\n")[0]).toBe(usage);
      expect(r.stdout).toContain("--json");
    }
  });

  test("with --json, help and version are JSON documents too", async () => {
    expect((await cli(["--version", "--json"])).json()).toEqual({
      ok: true,
      command: null,
      errors: [],
      warnings: [],
      version: "0.1.0",
    });
    const help = (await cli(["scan", "--help", "--json"])).json();
    expect(help).toMatchObject({ ok: true, command: "scan", errors: [] });
    expect(help.help).toContain("Usage: providerflow scan [options] <dir>");
  });
});

describe("test", () => {
  test("missing goldens fail; --update writes them, says which changed, and exits 0; a changed golden shows its diff", async () => {
    const dir = await copy("scenarios", withScenarios(valid));
    const first = await cli(["test", dir, "--secrets", secretsFile, "--json"]);
    expect(first.code).toBe(1);
    expect((first.json().errors as { code: string }[]).map((e) => e.code)).toEqual(Array(4).fill("golden-missing"));

    const update = await cli(["test", dir, "--update", "--secrets", secretsFile, "--json"]);
    expect(update.code).toBe(0);
    expect(update.json()).toMatchObject({
      ok: true,
      errors: [],
      updated: [
        { fixture: "charge-refunded", file: "goldens/charge-refunded.json", change: "created" },
        { fixture: "customer-created", file: "goldens/customer-created.json", change: "created" },
        { fixture: "forged-signature", file: "goldens/forged-signature.json", change: "created" },
        { fixture: "negative-amount", file: "goldens/negative-amount.json", change: "created" },
        { fixture: "payment-succeeded", file: "goldens/payment-succeeded.json", change: "unchanged" },
      ],
      summary: { fixtures: 5, passed: 5, failed: 0 },
    });
    const again = await cli(["test", dir, "--update", "--secrets", secretsFile]);
    expect(again.stderr).toContain("goldens already up to date");

    const goldenFile = path.join(dir, "goldens", "customer-created.json");
    const golden = JSON.parse(await readFile(goldenFile, "utf8"));
    golden.body.message = "changed";
    await writeFile(goldenFile, JSON.stringify(golden));
    const failing = await cli(["test", dir, "--secrets", secretsFile, "--json"]);
    expect(failing.code).toBe(1);
    expect((failing.json().fixtures as { name: string }[]).find((f) => f.name === "customer-created")).toEqual({
      name: "customer-created",
      passed: false,
      diff: [{ pointer: "/body/message", expected: "changed", actual: "No matching mapping found" }],
    });
    const human = await cli(["test", dir, "--secrets", secretsFile]);
    expect(human.stderr).toContain('    · /body/message: expected "changed", got "No matching mapping found"');
    const fixed = await cli(["test", dir, "--update", "--secrets", secretsFile, "--json"]);
    expect(fixed.code).toBe(0);
    expect((fixed.json().updated as { change: string }[]).filter((u) => u.change === "updated")).toHaveLength(1);
  });

  test("secrets from environment variables named by the secretRef", async () => {
    const r = await cli(["test", VALID_STRIPE_DIR], { env: { STRIPE_WEBHOOK_SECRET: TEST_SECRETS.STRIPE_WEBHOOK_SECRET } });
    expect(r.code).toBe(0);
    const none = await cli(["test", VALID_STRIPE_DIR, "--json"]);
    expect(none.code).toBe(1);
    expect((none.json().errors as { code: string }[]).map((e) => e.code)).toEqual(["secret-missing"]);
  });
});

describe("trace, scan, evidence, graph", () => {
  test("trace: every stage, in JSON and for people", async () => {
    const r = await cli(["trace", VALID_STRIPE_DIR, "payment-succeeded", "--secrets", secretsFile, "--json"]);
    expect(r.code).toBe(0);
    const doc = r.json();
    expect(doc).toMatchObject({ ok: true, command: "trace", fixture: "payment-succeeded", passed: true, diff: [] });
    expect((doc.trace as { stage: string }[]).map((s) => s.stage)).toEqual([
      "request",
      "source",
      "signature",
      "sourceSchema",
      "mappingSelection",
      "mappingSchema",
      "dedup",
      "interaction",
      "delivery",
      "response",
    ]);
    const human = await cli(["trace", VALID_STRIPE_DIR, "payment-succeeded", "--secrets", secretsFile]);
    expect(human.stderr).toContain(
      '✓ type startsWith "payment_intent." (actual "payment_intent.succeeded") provider-flow.yaml:32:26',
    );
    expect(human.stderr).toContain("✓ matches its golden");
  });

  test("scan: warnings alone exit 0; a signature that does not verify is an error", async () => {
    const ok = await cli(["scan", VALID_STRIPE_DIR, "--secrets", secretsFile, "--json"]);
    expect(ok.code).toBe(0);
    expect(ok.json()).toMatchObject({ ok: true, errors: [], summary: { errors: 0, warnings: 5 } });
    const fixture = JSON.parse(valid.get("fixtures/payment-succeeded.json")?.toString() ?? "{}");
    fixture.headers["stripe-signature"] = "t=1735689600,v1=00";
    const dir = await copy("forged", withFiles(valid, { "fixtures/payment-succeeded.json": JSON.stringify(fixture) }));
    const bad = await cli(["scan", dir, "--secrets", secretsFile, "--json"]);
    expect(bad.code).toBe(1);
    expect((bad.json().errors as { code: string }[]).map((e) => e.code)).toEqual(["signature-failed"]);
  });

  test("evidence: writes evidence.json, scans.json and traces/ (or into --out), removes stale traces, exit by status", async () => {
    const dir = await copy("evidence", valid);
    await writePackage(dir, withFiles(valid, { "traces/old.json": "{}" }));
    const r = await cli(["evidence", dir, "--secrets", secretsFile, "--json"]);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({
      status: "sandbox-validated",
      written: ["evidence.json", "scans.json", "traces/payment-succeeded.json"],
      removed: ["traces/old.json"],
    });
    expect((await readdir(path.join(dir, "traces"))).sort()).toEqual(["payment-succeeded.json"]);
    const loaded = await loadPackage(dir);
    if (!loaded.ok) throw new Error("does not load");
    const evidence = JSON.parse(await readFile(path.join(dir, "evidence.json"), "utf8"));
    const expected = await evaluatePackage(loaded.files, { secrets: testSecrets });
    expect(evidence).toEqual(expected.evidence);
    expect(await readFile(path.join(dir, "evidence.json"), "utf8")).toBe(canonicalJson(expected.evidence, { indent: 2 }));

    const out = await cli(["evidence", dir, "--out", "elsewhere", "--json"]);
    expect(out.code).toBe(1);
    expect(out.json()).toMatchObject({ ok: false, status: "draft" });
    expect((await readdir(path.join(work, "elsewhere"))).sort()).toEqual(["evidence.json", "scans.json", "traces"]);
  });

  test("graph: Mermaid on stdout by default; --format json --json carries the graph", async () => {
    const r = await cli(["graph", VALID_STRIPE_DIR]);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith("flowchart LR\n")).toBe(true);
    expect(r.stderr).toBe("");
    const dot = await cli(["graph", VALID_STRIPE_DIR, "--format", "dot"]);
    expect(dot.stdout.startsWith('digraph "stripe-payments" {')).toBe(true);
    const json = (await cli(["graph", VALID_STRIPE_DIR, "--format", "json", "--json"])).json();
    expect(json).toMatchObject({ ok: true, command: "graph", format: "json", graph: { package: "stripe-payments" } });
    expect(json).not.toHaveProperty("output");
    const broken = await cli(["graph", path.join(TEST_PACKAGES_DIR, "dangling-reference")]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toBe("");
  });
});

describe("init", () => {
  test("creates a package that passes test; never overwrites", async () => {
    const dir = path.join(work, "My Acme Flows");
    const r = await cli(["init", dir, "--provider", "acme", "--json"]);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ package: { name: "my-acme-flows", provider: "acme" } });
    expect((await cli(["test", dir])).code).toBe(0);
    const again = await cli(["init", dir, "--provider", "acme", "--json"]);
    expect(again.code).toBe(2);
    expect((again.json().errors as { code: string }[])[0]?.code).toBe("init-exists");
    expect((await cli(["init", path.join(work, "x"), "--provider", "Not Valid"])).code).toBe(2);
  });
});

describe("file system refusals are findings, not internal faults", () => {
  test("evidence --out onto a file: exit 1, write-failed; init onto a file: exit 2", async () => {
    const file = path.join(work, "a-file");
    await writeFile(file, "x");
    const r = await cli(["evidence", VALID_STRIPE_DIR, "--out", "a-file", "--secrets", secretsFile, "--json"]);
    expect(r.code).toBe(1);
    expect(r.json().errors).toEqual([
      { code: "write-failed", message: "cannot write evidence.json in a-file (EEXIST)", file: "evidence.json" },
    ]);
    const init = await cli(["init", "a-file", "--provider", "acme", "--json"]);
    expect(init.code).toBe(2);
    expect(init.json().errors).toEqual([{ code: "invalid-argument", message: "a-file exists and is not a folder" }]);
  });
});

describe("output hygiene", () => {
  test("colour only when stderr is a terminal and NO_COLOR is unset", async () => {
    const dir = path.join(TEST_PACKAGES_DIR, "dangling-reference");
    expect((await cli(["validate", dir], { tty: true })).stderr).toContain("\u001b[");
    expect((await cli(["validate", dir], { tty: false })).stderr).not.toContain("\u001b[");
    expect((await cli(["validate", dir], { tty: true, env: { NO_COLOR: "1" } })).stderr).not.toContain("\u001b[");
  });

  test("an internal fault: exit 1, code internal, one line, no stack trace", async () => {
    const env = new Proxy<Record<string, string | undefined>>(
      {},
      {
        get(_, key) {
          if (key === "PROVENANCE_TOKEN") throw new TypeError("boom\n    at somewhere (file.ts:1:1)");
          return undefined;
        },
      },
    );
    const r = await cli(["plan", VALID_STRIPE_DIR, "--org", "acme", "--url", "http://127.0.0.1:9", "--json"], { env });
    expect(r.code).toBe(1);
    expect(r.json()).toEqual({
      ok: false,
      command: "plan",
      errors: [{ code: "internal", message: "internal error (a bug in providerflow, not in the package): TypeError: boom" }],
      warnings: [],
    });
    const human = await cli(["plan", VALID_STRIPE_DIR, "--org", "acme", "--url", "http://127.0.0.1:9"], { env });
    expect(human.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("plan and apply against a server", () => {
  type Seen = { method: string; url: string; headers: IncomingMessage["headers"]; body: { files: Record<string, string> } };
  let server: Server;
  let base: string;
  const seen: Seen[] = [];
  type Reply = { status: number; body: unknown };
  let reply: Reply = { status: 200, body: {} };
  // Answers by request path; any other path gets `reply`.
  let replies: Record<string, Reply> = {};

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        seen.push({
          method: req.method ?? "",
          url: req.url ?? "",
          headers: req.headers,
          body: JSON.parse(Buffer.concat(chunks).toString()),
        });
        const answer = replies[req.url ?? ""] ?? reply;
        res.writeHead(answer.status, { "content-type": "application/json" });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const env = () => ({ PROVENANCE_URL: base, PROVENANCE_TOKEN: "pvn_test_token_0000" });

  test("plan: POSTs the package's files (base64, generated files left out) with the token, prints the changes", async () => {
    const dir = await copy("plan", withFiles(valid, { "evidence.json": "{}", "traces/payment-succeeded.json": "{}" }));
    reply = {
      status: 200,
      body: {
        changes: [
          { action: "create", kind: "source", name: "payment-webhook" },
          {
            action: "update",
            kind: "target",
            name: "data-warehouse",
            diff: [{ path: "/url", from: "https://a", to: "https://b" }],
          },
          { action: "unchanged", kind: "mapping", name: "refunds" },
          { action: "delete", kind: "route", name: "refunds->old" },
        ],
      },
    };
    seen.length = 0;
    const r = await cli(["plan", dir, "--org", "acme"], { env: env() });
    expect(r.code).toBe(0);
    expect(seen).toHaveLength(1);
    const request = seen[0] as Seen;
    expect(request.method).toBe("POST");
    expect(request.url).toBe("/api/v1/providerflow/plan");
    expect(request.headers.authorization).toBe("Bearer pvn_test_token_0000");
    expect(request.headers["x-provenance-org"]).toBe("acme");
    expect(Object.keys(request.body.files).sort()).toEqual([...valid.keys()].sort());
    expect(Buffer.from(request.body.files["provider-flow.yaml"] as string, "base64")).toEqual(valid.get("provider-flow.yaml"));
    expect(r.stderr).toContain("plan for org acme (nothing was changed):");
    expect(r.stderr).toContain('      /url: "https://a" → "https://b"');
    expect(r.stderr).toContain("1 to create, 1 to update, 1 to delete, 1 unchanged");
    expect(r.stderr).not.toContain("pvn_test_token_0000");
    expect((await cli(["plan", dir, "--org", "acme", "--json"], { env: env() })).json()).toMatchObject({
      ok: true,
      command: "plan",
      org: "acme",
      changes: reply.body && (reply.body as { changes: unknown }).changes,
    });
  });

  const VERSION = {
    id: "3f6c2a4e-0000-4000-8000-000000000001",
    package: "stripe-payments",
    version: "1.0.0",
    digest: "sha256:0123456789abcdef0123456789abcdef",
    status: "approved",
    approvals: [{ by: "rita@example.com" }],
  };
  const VERSIONS = "/api/v1/providerflow/versions";

  test("apply: uploads the version first, then applies; prints the changes and the inbound URLs to give the provider", async () => {
    replies = { [VERSIONS]: { status: 200, body: VERSION } };
    reply = {
      status: 200,
      body: {
        applied: [{ action: "create", kind: "source", name: "payment-webhook" }],
        inboundUrls: { "payment-webhook": "https://provenance.example/api/inbound/acme/payment-webhook" },
        version: { id: VERSION.id, status: "prod-revalidated" },
      },
    };
    seen.length = 0;
    const r = await cli(["apply", VALID_STRIPE_DIR, "--org", "acme", "--url", base], {
      env: { PROVENANCE_TOKEN: "pvn_test_token_0000" },
    });
    expect(r.code).toBe(0);
    expect(seen.map((x) => x.url)).toEqual([VERSIONS, "/api/v1/providerflow/apply"]);
    expect(seen[0]?.body.files).toEqual(seen[1]?.body.files);
    expect(seen.every((x) => x.headers["x-provenance-org"] === "acme")).toBe(true);
    expect(r.stderr).toContain(`already uploaded: stripe-payments@1.0.0 version ${VERSION.id} (approved, sha256:0123456789ab…)`);
    expect(r.stderr).toContain("  payment-webhook: https://provenance.example/api/inbound/acme/payment-webhook");
    expect(r.stderr).toContain(`version ${VERSION.id} is now prod-revalidated`);
    reply = {
      status: 200,
      body: {
        applied: [],
        inboundUrls: {},
        version: {
          id: VERSION.id,
          status: "approved",
          revalidation: {
            passed: false,
            fixtures: [
              { name: "payment-intent-succeeded", passed: false, diff: [] },
              { name: "refund", passed: true, diff: [] },
            ],
          },
        },
      },
    };
    const failedRevalidation = await cli(["apply", VALID_STRIPE_DIR, "--org", "acme"], { env: env() });
    expect(failedRevalidation.code).toBe(1);
    const failedJson = (await cli(["apply", VALID_STRIPE_DIR, "--org", "acme", "--json"], { env: env() })).json();
    expect(failedJson).toMatchObject({ ok: false, errors: [{ code: "prod-revalidation-failed" }] });
    expect(failedRevalidation.stderr).toContain(`version ${VERSION.id} is now approved`);
    expect(failedRevalidation.stderr).toContain(
      "prod revalidation failed for payment-intent-succeeded (see the version's revalidation)",
    );
  });

  test("apply of a version not yet approved stops at the server's 409 and says how to approve it", async () => {
    replies = {
      [VERSIONS]: { status: 201, body: { ...VERSION, status: "sandbox-validated", approvals: [] } },
      "/api/v1/providerflow/apply": {
        status: 409,
        body: {
          error: "Conflict",
          details: [
            {
              path: "",
              message: `Version ${VERSION.id} is sandbox-validated; a production organization applies only an approved version.`,
            },
          ],
        },
      },
    };
    const r = await cli(["apply", VALID_STRIPE_DIR, "--org", "acme"], { env: env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error api-conflict: the server answered 409 Conflict");
    expect(r.stderr).toContain(`uploaded: stripe-payments@1.0.0 version ${VERSION.id} (sandbox-validated`);
    expect(r.stderr).toContain(`approves it with: providerflow approve ${VALID_STRIPE_DIR} --org acme`);
    const json = (await cli(["apply", VALID_STRIPE_DIR, "--org", "acme", "--json"], { env: env() })).json();
    expect(json).toMatchObject({ ok: false, command: "apply", uploaded: { id: VERSION.id, status: "sandbox-validated" } });
    // A draft cannot be approved: the hint points at its evidence instead.
    replies[VERSIONS] = { status: 200, body: { ...VERSION, status: "draft", approvals: [] } };
    const draft = await cli(["apply", VALID_STRIPE_DIR, "--org", "acme"], { env: env() });
    expect(draft.stderr).toContain(
      `its sandbox run on the server did not pass (often a secret the org has not set); read why in ${VERSIONS}/${VERSION.id}/evidence`,
    );
    expect(draft.stderr).not.toContain("providerflow approve");
  });

  test("approve: uploads the version (once per digest), then approves that id with the note", async () => {
    const approveUrl = `${VERSIONS}/${VERSION.id}/approve`;
    replies = {
      [VERSIONS]: { status: 200, body: { ...VERSION, status: "sandbox-validated", approvals: [] } },
      [approveUrl]: { status: 200, body: VERSION },
    };
    seen.length = 0;
    const r = await cli(["approve", VALID_STRIPE_DIR, "--org", "acme", "--note", "checked the evidence"], { env: env() });
    expect(r.code).toBe(0);
    expect(seen.map((x) => x.url)).toEqual([VERSIONS, approveUrl]);
    expect(seen[1]?.body).toEqual({ note: "checked the evidence" });
    expect(r.stderr).toContain(`approved in org acme: version ${VERSION.id} is approved (1 approval)`);
    replies = { [VERSIONS]: replies[VERSIONS] as Reply, [approveUrl]: { status: 403, body: { error: "Forbidden" } } };
    const refused = await cli(["approve", VALID_STRIPE_DIR, "--org", "acme", "--json"], { env: env() });
    expect(refused.code).toBe(1);
    expect((refused.json().errors as { code: string }[])[0]?.code).toBe("api-forbidden");
  });

  test("the API's error table, readably: 409 with details, 401, a malformed answer", async () => {
    replies = { [VERSIONS]: { status: 200, body: VERSION } };
    reply = {
      status: 409,
      body: {
        error: "Conflict",
        details: [{ path: "", message: 'No uploaded version of package "stripe-payments" has digest abc; upload it first.' }],
      },
    };
    const conflict = await cli(["apply", VALID_STRIPE_DIR, "--org", "acme", "--json"], { env: env() });
    expect(conflict.code).toBe(1);
    expect(conflict.json().errors).toEqual([
      { code: "api-conflict", message: "the server answered 409 Conflict" },
      { code: "api-conflict", message: 'No uploaded version of package "stripe-payments" has digest abc; upload it first.' },
    ]);
    reply = {
      status: 400,
      body: { error: "Validation failed", details: [{ path: "/files/schemas~1x.json", message: "is not valid base64" }] },
    };
    const invalid = (await cli(["plan", VALID_STRIPE_DIR, "--org", "acme", "--json"], { env: env() })).json();
    expect(invalid.errors).toContainEqual({
      code: "api-validation-failed",
      message: "/files/schemas~1x.json: is not valid base64",
      pointer: "/files/schemas~1x.json",
      file: "schemas/x.json",
    });
    reply = { status: 401, body: { error: "Unauthorized" } };
    const unauthorized = await cli(["plan", VALID_STRIPE_DIR, "--org", "acme"], { env: env() });
    expect(unauthorized.stderr).toBe("error api-unauthorized: the server answered 401 Unauthorized (check PROVENANCE_TOKEN)\n");
    reply = { status: 200, body: { nothing: true } };
    expect((await cli(["plan", VALID_STRIPE_DIR, "--org", "acme", "--json"], { env: env() })).json().errors).toEqual([
      expect.objectContaining({ code: "api-bad-response" }),
    ]);
  });

  test("no server, no token, an unreachable server, a package that does not validate (never sent)", async () => {
    expect((await cli(["plan", VALID_STRIPE_DIR, "--org", "acme", "--json"])).json().errors).toEqual([
      { code: "missing-url", message: "no server: pass --url <url> or set PROVENANCE_URL" },
    ]);
    const noToken = await cli(["plan", VALID_STRIPE_DIR, "--org", "acme", "--url", base, "--json"]);
    expect(noToken.code).toBe(2);
    expect((noToken.json().errors as { code: string }[])[0]?.code).toBe("missing-token");
    // A port that was just free: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const closed = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const down = await cli(["plan", VALID_STRIPE_DIR, "--org", "acme", "--json"], {
      env: { ...env(), PROVENANCE_URL: `http://127.0.0.1:${closed}` },
    });
    expect(down.code).toBe(1);
    expect(down.json().errors).toEqual([
      { code: "network-error", message: `cannot reach http://127.0.0.1:${closed}: ECONNREFUSED` },
    ]);
    seen.length = 0;
    const broken = await copy("broken", withContractEdits(valid, [["target: data-warehouse\n", "target: nowhere\n"]]));
    const refused = await cli(["apply", broken, "--org", "acme"], { env: env() });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("not sent: fix the errors first");
    expect(seen).toEqual([]);
  });
});
