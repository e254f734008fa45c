// The CLI's commands (providerflow.md §7, §9), each a function from parsed arguments to
// a CommandResult: exit code, findings, the command's data for --json, and lines for a
// human. main.ts does the argument parsing and the printing; nothing here writes to
// stdout or stderr, so every command is testable in-process.
//
// Exit codes: 0 ok, 1 validation failed (or an internal fault, reported by main.ts),
// 2 usage error: a bad argument, a package folder that does not exist, an unreadable
// --secrets file, a fixture name the package does not have, missing --url/token.

import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { checkPackage } from "../check";
import { packageDigest } from "../digest";
import { evaluatePackage, evaluationFiles, type Evaluation } from "../evaluate";
import { normalizeFindings, type Finding } from "../findings";
import { renderGolden, goldenChange, type GoldenChange } from "../golden";
import { packageGraph, renderGraph, type GraphFormat } from "../graph";
import { initPackage, packageNameFrom } from "../init";
import { loadPackage, type PackageFiles } from "../load-package";
import { validatePackage } from "../validate-package";
import {
  APPLY_PATH,
  PLAN_PATH,
  VERSIONS_PATH,
  approvePath,
  parseApply,
  parsePlan,
  parseVersion,
  postJson,
  postPackage,
  type ServerConnection,
  type VersionResponse,
} from "./api-client";
import { changeLines, diffLines, findingLines, plural, summaryLine, traceLines, type Colors } from "./format";
import { MAX_SECRETS_FILE_BYTES, parseSecretsFile, secretResolver } from "./secrets-file";

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export type ExitCode = typeof EXIT_OK | typeof EXIT_FAILED | typeof EXIT_USAGE;

export type CommandResult = {
  exit: ExitCode;
  errors: Finding[];
  warnings: Finding[];
  /** Command-specific fields of the --json document. */
  data: Record<string, unknown>;
  /** Lines for a human, on stderr. */
  human: string[];
  /** The command's product on stdout when not --json (graph output). */
  stdout?: string;
};

export type CommandContext = {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  colors: Colors;
  fetch: typeof fetch;
  /** Values read from --secrets, so main.ts can keep them out of an internal error's message. */
  secretValues: Set<string>;
};

/** Writes files (package-relative path → text) under `dir`; a file-system refusal is a finding, not a crash. */
async function writeAll(
  dir: string,
  shown: string,
  files: Iterable<readonly [string, string]>,
  flag: "w" | "wx" = "w",
): Promise<Finding | null> {
  for (const [relative, text] of files) {
    const file = path.join(dir, ...relative.split("/"));
    try {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, text, { flag });
    } catch (error) {
      const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "error";
      return { code: "write-failed", message: `cannot write ${relative} in ${shown} (${code})`, file: relative };
    }
  }
  return null;
}

function usage(code: string, message: string): CommandResult {
  return { exit: EXIT_USAGE, errors: [{ code, message }], warnings: [], data: {}, human: [] };
}

function failed(errors: Finding[], warnings: Finding[] = [], data: Record<string, unknown> = {}): CommandResult {
  return { exit: EXIT_FAILED, errors, warnings, data, human: [] };
}

type Loaded = { ok: true; files: PackageFiles; dir: string } | { ok: false; result: CommandResult };

async function load(ctx: CommandContext, dir: string): Promise<Loaded> {
  const absolute = path.resolve(ctx.cwd, dir);
  const loaded = await loadPackage(absolute);
  if (loaded.ok) return { ok: true, files: loaded.files, dir: absolute };
  // A folder that is not there is a wrong argument; anything else is the package's fault.
  if (loaded.findings.some((f) => f.code === "package-not-found")) {
    return { ok: false, result: usage("package-not-found", `${dir} is not a folder`) };
  }
  return { ok: false, result: failed(loaded.findings) };
}

type Resolver = { ok: true; secrets: (ref: string) => string | undefined } | { ok: false; result: CommandResult };

async function resolver(ctx: CommandContext, secretsFile: string | undefined): Promise<Resolver> {
  let fromFile = new Map<string, string>();
  if (secretsFile !== undefined) {
    const file = path.resolve(ctx.cwd, secretsFile);
    let text: string;
    try {
      const info = await stat(file);
      if (!info.isFile()) return { ok: false, result: usage("secrets-file-invalid", `--secrets ${secretsFile} is not a file`) };
      if (info.size > MAX_SECRETS_FILE_BYTES) {
        return { ok: false, result: usage("secrets-file-invalid", `--secrets ${secretsFile} is larger than 1 MiB`) };
      }
      text = await readFile(file, "utf8");
    } catch {
      return { ok: false, result: usage("secrets-file-invalid", `--secrets ${secretsFile} cannot be read`) };
    }
    const parsed = parseSecretsFile(text);
    if (!parsed.ok) return { ok: false, result: usage("secrets-file-invalid", `--secrets ${secretsFile}: ${parsed.message}`) };
    fromFile = parsed.secrets;
    for (const v of fromFile.values()) if (v !== "") ctx.secretValues.add(v);
  }
  const lookup = secretResolver(fromFile, ctx.env);
  return {
    ok: true,
    secrets: (ref) => {
      const value = lookup(ref);
      if (value !== undefined) ctx.secretValues.add(value);
      return value;
    },
  };
}

async function evaluate(ctx: CommandContext, dir: string, secretsFile: string | undefined) {
  const loaded = await load(ctx, dir);
  if (!loaded.ok) return loaded;
  const secrets = await resolver(ctx, secretsFile);
  if (!secrets.ok) return secrets;
  const evaluation = await evaluatePackage(loaded.files, { secrets: secrets.secrets });
  return { ok: true as const, evaluation, files: loaded.files, dir: loaded.dir };
}

function identity(e: Evaluation): Record<string, unknown> {
  return { package: e.evidence.package };
}

function packageLine(c: Colors, e: Evaluation): string {
  const p = e.evidence.package;
  return `${c.bold(p.name || "(unnamed package)")} ${p.version} ${c.dim(`digest ${p.digest.slice(0, 12)}…`)}`;
}

// ---------------------------------------------------------------------------------

export async function validateCommand(ctx: CommandContext, dir: string): Promise<CommandResult> {
  const loaded = await load(ctx, dir);
  if (!loaded.ok) return loaded.result;
  const report = validatePackage(loaded.files);
  const c = ctx.colors;
  const name = report.checked?.compiled.package;
  const human = [
    ...findingLines(c, report.errors, report.warnings),
    `${report.ok ? c.green("✓ valid") : c.red("✗ not valid")}: ${summaryLine(c, report.errors.length, report.warnings.length)}`,
  ];
  return {
    exit: report.ok ? EXIT_OK : EXIT_FAILED,
    errors: report.errors,
    warnings: report.warnings,
    data: {
      package: name
        ? { name: name.name, version: name.version, provider: name.provider, digest: packageDigest(loaded.files) }
        : { digest: packageDigest(loaded.files) },
    },
    human,
  };
}

const GOLDEN_CODES = new Set(["golden-missing", "golden-mismatch", "golden-orphan"]);

function testFindings(e: Evaluation): Finding[] {
  return normalizeFindings([...e.parts.contract, ...e.parts.fixtures]);
}

export async function testCommand(
  ctx: CommandContext,
  dir: string,
  opts: { update: boolean; secrets?: string },
): Promise<CommandResult> {
  const run = await evaluate(ctx, dir, opts.secrets);
  if (!run.ok) return run.result;
  const c = ctx.colors;
  let evaluation = run.evaluation;
  const updates: { fixture: string; file: string; change: GoldenChange }[] = [];

  if (opts.update) {
    if (!evaluation.evidence.contract.valid) {
      return failed(testFindings(evaluation), [], { ...identity(evaluation), updated: [] });
    }
    for (const name of Object.keys(evaluation.results).sort()) {
      const file = `goldens/${name}.json`;
      const next = renderGolden(evaluation.results[name]);
      const change = goldenChange(run.files.get(file), next);
      if (change !== "unchanged") {
        const problem = await writeAll(run.dir, dir, [[file, next]]);
        if (problem) return failed([problem], [], { ...identity(evaluation), updated: updates });
      }
      updates.push({ fixture: name, file, change });
    }
    // Evaluate what is now on disk, so the report is about the goldens just written.
    const again = await evaluate(ctx, dir, opts.secrets);
    if (!again.ok) return again.result;
    evaluation = again.evaluation;
  }

  const errors = testFindings(evaluation);
  const fixtures = evaluation.evidence.fixtures.map((f) => ({ name: f.name, passed: f.passed, diff: f.diff }));
  const passed = fixtures.filter((f) => f.passed).length;
  const human: string[] = [packageLine(c, evaluation)];
  if (opts.update) {
    for (const u of updates) {
      const mark = u.change === "unchanged" ? c.dim("=") : u.change === "created" ? c.green("+") : c.yellow("~");
      human.push(`  ${mark} ${u.file} ${c.dim(u.change)}`);
    }
    const changed = updates.filter((u) => u.change !== "unchanged").length;
    human.push(
      changed === 0 ? "goldens already up to date" : `${plural(changed, "golden")} written; review the diff before committing`,
    );
  }
  for (const f of fixtures) {
    human.push(
      `  ${f.passed ? c.green("✓") : c.red("✗")} ${f.name}${f.passed ? "" : c.dim(` ${plural(f.diff.length, "difference")}`)}`,
    );
    if (!f.passed) human.push(...diffLines(c, f.diff));
  }
  human.push(
    ...findingLines(
      c,
      errors.filter((e) => !(e.code === "golden-mismatch")),
      [],
    ),
  );
  human.push(
    `${errors.length === 0 ? c.green("✓") : c.red("✗")} ${passed}/${fixtures.length} fixtures match their goldens` +
      (errors.length > 0 ? `; ${summaryLine(c, errors.length, 0)}` : ""),
  );
  const data: Record<string, unknown> = {
    ...identity(evaluation),
    fixtures,
    summary: { fixtures: fixtures.length, passed, failed: fixtures.length - passed },
  };
  if (opts.update) data.updated = updates;
  return { exit: errors.length === 0 ? EXIT_OK : EXIT_FAILED, errors, warnings: [], data, human };
}

export async function traceCommand(
  ctx: CommandContext,
  dir: string,
  fixture: string,
  opts: { secrets?: string },
): Promise<CommandResult> {
  const run = await evaluate(ctx, dir, opts.secrets);
  if (!run.ok) return run.result;
  const e = run.evaluation;
  const names = Object.keys(e.traces).sort();
  if (!Object.hasOwn(e.traces, fixture)) {
    if (!e.evidence.contract.valid) return failed(e.parts.contract, [], identity(e));
    return usage(
      "unknown-fixture",
      `the package has no fixture "${fixture}"${names.length > 0 ? ` (fixtures: ${names.join(", ")})` : " (it has no fixtures)"}`,
    );
  }
  const trace = e.traces[fixture] ?? [];
  const entry = e.evidence.fixtures.find((f) => f.name === fixture);
  const result = Object.hasOwn(e.results, fixture) ? e.results[fixture] : null;
  // What kept this fixture from running: the contract, its file, a missing secret.
  const mine = (f: Finding) =>
    f.file === `fixtures/${fixture}.json` || (f.code === "secret-missing" && trace[0]?.detail.error === "secret-missing");
  const errors = result === null ? normalizeFindings([...e.parts.contract, ...e.parts.fixtures.filter(mine)]) : [];
  const c = ctx.colors;
  const human = [`${c.bold(`trace ${fixture}`)} ${c.dim(`(${packageLine(c, e)})`)}`, ...traceLines(c, trace)];
  if (entry && result !== null) {
    human.push(
      entry.passed
        ? c.green("✓ matches its golden")
        : c.red(`✗ differs from its golden (${plural(entry.diff.length, "difference")})`),
    );
    if (!entry.passed) human.push(...diffLines(c, entry.diff, "  "));
  }
  human.push(...findingLines(c, errors, []));
  return {
    exit: result === null ? EXIT_FAILED : EXIT_OK,
    errors,
    warnings: [],
    data: { ...identity(e), fixture, trace, result, passed: entry?.passed ?? false, diff: entry?.diff ?? [] },
    human,
  };
}

export async function scanCommand(ctx: CommandContext, dir: string, opts: { secrets?: string }): Promise<CommandResult> {
  const run = await evaluate(ctx, dir, opts.secrets);
  if (!run.ok) return run.result;
  const e = run.evaluation;
  // Goldens are test's business; everything else that keeps a scan from being complete is reported.
  const errors = e.errors.filter((f) => !GOLDEN_CODES.has(f.code));
  const c = ctx.colors;
  return {
    exit: errors.length === 0 ? EXIT_OK : EXIT_FAILED,
    errors,
    warnings: e.warnings,
    data: { ...identity(e), scans: e.scans.findings, summary: e.scans.summary },
    human: [packageLine(c, e), ...findingLines(c, errors, e.warnings), summaryLine(c, errors.length, e.warnings.length)],
  };
}

export async function evidenceCommand(
  ctx: CommandContext,
  dir: string,
  opts: { out?: string; secrets?: string },
): Promise<CommandResult> {
  const run = await evaluate(ctx, dir, opts.secrets);
  if (!run.ok) return run.result;
  const e = run.evaluation;
  const out = opts.out === undefined ? run.dir : path.resolve(ctx.cwd, opts.out);
  const outputs = evaluationFiles(e);
  const problem = await writeAll(out, opts.out ?? dir, outputs);
  if (problem) return { ...failed([problem]), human: findingLines(ctx.colors, [problem], []) };
  await mkdir(path.join(out, "traces"), { recursive: true });
  // traces/ holds generated files only: a trace of a fixture that no longer exists is stale.
  const removed: string[] = [];
  for (const name of (await readdir(path.join(out, "traces"))).sort()) {
    const relative = `traces/${name}`;
    if (name.endsWith(".json") && !outputs.has(relative)) {
      await rm(path.join(out, "traces", name), { force: true });
      removed.push(relative);
    }
  }
  const c = ctx.colors;
  const written = [...outputs.keys()];
  const validated = e.evidence.status === "sandbox-validated";
  const s = e.evidence.summary;
  const human = [
    packageLine(c, e),
    ...findingLines(c, e.errors, e.warnings),
    `fixtures ${s.passed}/${s.fixtures} passed, scans ${plural(s.scanErrors, "error")} and ${plural(s.scanWarnings, "warning")}`,
    `wrote ${written.length} files to ${opts.out === undefined ? dir : opts.out}${removed.length > 0 ? ` (removed ${removed.length} stale)` : ""}`,
    validated ? c.green("✓ status: sandbox-validated") : c.red("✗ status: draft"),
  ];
  return {
    exit: validated ? EXIT_OK : EXIT_FAILED,
    errors: e.errors,
    warnings: e.warnings,
    data: { ...identity(e), status: e.evidence.status, digest: e.digest, summary: s, written, removed },
    human,
  };
}

export async function graphCommand(ctx: CommandContext, dir: string, format: GraphFormat): Promise<CommandResult> {
  const loaded = await load(ctx, dir);
  if (!loaded.ok) return loaded.result;
  const check = checkPackage(loaded.files);
  if (!check.ok) {
    return {
      ...failed(check.findings),
      human: [...findingLines(ctx.colors, check.findings, []), "the graph needs a valid contract"],
    };
  }
  const graph = packageGraph(check.package.contract);
  const output = renderGraph(graph, format);
  return {
    exit: EXIT_OK,
    errors: [],
    warnings: [],
    data: format === "json" ? { format, graph } : { format, graph, output },
    human: [],
    stdout: output,
  };
}

export async function initCommand(
  ctx: CommandContext,
  dir: string,
  opts: { provider: string; name?: string },
): Promise<CommandResult> {
  const absolute = path.resolve(ctx.cwd, dir);
  const name = opts.name ?? packageNameFrom(path.basename(absolute)) ?? packageNameFrom(`${opts.provider}-package`) ?? "package";
  const init = await initPackage({ name, provider: opts.provider });
  if (!init.ok) return usage("invalid-argument", init.message);
  try {
    if (!(await stat(absolute)).isDirectory()) return usage("invalid-argument", `${dir} exists and is not a folder`);
  } catch {
    // Not there yet: created below.
  }
  const existing: string[] = [];
  for (const relative of init.files.keys()) {
    try {
      await stat(path.join(absolute, ...relative.split("/")));
      existing.push(relative);
    } catch {
      // Not there: it will be created.
    }
  }
  if (existing.length > 0) {
    return usage("init-exists", `${dir} already holds ${existing.join(", ")}; init never overwrites files`);
  }
  // "wx": a file that appeared since the check above is still never overwritten.
  const problem = await writeAll(absolute, dir, init.files, "wx");
  if (problem) return failed([problem]);
  const created = [...init.files.keys()];
  const c = ctx.colors;
  return {
    exit: EXIT_OK,
    errors: [],
    warnings: [],
    data: { package: { name, provider: opts.provider }, created },
    human: [
      `${c.green("✓")} created package ${c.bold(name)} in ${dir}:`,
      ...created.map((f) => `  + ${f}`),
      `next: providerflow test ${dir}`,
    ],
  };
}

type ServerOptions = { org: string; url?: string };

function serverSettings(
  ctx: CommandContext,
  opts: ServerOptions,
): { ok: true; url: string; token: string } | { ok: false; result: CommandResult } {
  const url = opts.url ?? ctx.env.PROVENANCE_URL;
  if (url === undefined || url === "") {
    return { ok: false, result: usage("missing-url", "no server: pass --url <url> or set PROVENANCE_URL") };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, result: usage("invalid-argument", `--url ${url} is not a URL`) };
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    return { ok: false, result: usage("invalid-argument", `--url must be http(s), not ${parsed.protocol}`) };
  }
  const token = ctx.env.PROVENANCE_TOKEN;
  if (token === undefined || token === "") {
    return { ok: false, result: usage("missing-token", "no API token: set PROVENANCE_TOKEN to an operator token of the org") };
  }
  ctx.secretValues.add(token);
  return { ok: true, url, token };
}

/** Plan and apply send only a package that validates locally: the server would refuse it anyway. */
async function loadValid(ctx: CommandContext, dir: string): Promise<Loaded> {
  const loaded = await load(ctx, dir);
  if (!loaded.ok) return loaded;
  const report = validatePackage(loaded.files);
  if (!report.ok) {
    return {
      ok: false,
      result: {
        ...failed(report.errors, report.warnings),
        human: [...findingLines(ctx.colors, report.errors, report.warnings), "not sent: fix the errors first"],
      },
    };
  }
  return loaded;
}

export const SERVER_TIMEOUT_MS = 120_000;

/** The server's address, the token and a locally valid package: what every server command needs. */
type Prepared = { ok: true; conn: ServerConnection; files: PackageFiles } | { ok: false; result: CommandResult };

async function prepare(ctx: CommandContext, dir: string, opts: ServerOptions): Promise<Prepared> {
  const server = serverSettings(ctx, opts);
  if (!server.ok) return server;
  const loaded = await loadValid(ctx, dir);
  if (!loaded.ok) return loaded;
  const conn = { baseUrl: server.url, token: server.token, org: opts.org, fetch: ctx.fetch, timeoutMs: SERVER_TIMEOUT_MS };
  return { ok: true, conn, files: loaded.files };
}

const callFailed = (c: Colors, findings: Finding[], extra: string[] = []): CommandResult => ({
  ...failed(findings),
  human: [...findingLines(c, findings, []), ...extra],
});

/** Uploads the package as a version (201 new, 200 the one with this digest already). */
const upload = (prepared: { conn: ServerConnection; files: PackageFiles }) =>
  postPackage(VERSIONS_PATH, { ...prepared.conn, files: prepared.files }, parseVersion);

const versionLine = (c: Colors, v: VersionResponse, created: boolean) =>
  `${created ? "uploaded" : "already uploaded"}: ${c.bold(`${v.package}@${v.version}`)} version ${v.id} (${v.status}, ${v.digest.slice(0, 19)}…)`;

export async function planCommand(ctx: CommandContext, dir: string, opts: ServerOptions): Promise<CommandResult> {
  const prepared = await prepare(ctx, dir, opts);
  if (!prepared.ok) return prepared.result;
  const call = await postPackage(PLAN_PATH, { ...prepared.conn, files: prepared.files }, parsePlan);
  const c = ctx.colors;
  if (!call.ok) return callFailed(c, call.findings);
  return {
    exit: EXIT_OK,
    errors: [],
    warnings: [],
    data: { org: opts.org, changes: call.body.changes },
    human: [`plan for org ${c.bold(opts.org)} (nothing was changed):`, ...changeLines(c, call.body.changes)],
  };
}

/**
 * Uploads the package (a no-op for content uploaded before), then applies that version.
 * A production org applies only an approved digest: the first apply of new content there
 * stops at 409 with the version's id, for a reviewer to approve (`providerflow approve`).
 */
export async function applyCommand(ctx: CommandContext, dir: string, opts: ServerOptions): Promise<CommandResult> {
  const prepared = await prepare(ctx, dir, opts);
  if (!prepared.ok) return prepared.result;
  const c = ctx.colors;
  const uploaded = await upload(prepared);
  if (!uploaded.ok) return callFailed(c, uploaded.findings);
  const v = uploaded.body;
  const uploadedLine = versionLine(c, v, uploaded.status === 201);
  const call = await postPackage(APPLY_PATH, { ...prepared.conn, files: prepared.files }, parseApply);
  if (!call.ok) {
    const hint =
      call.status !== 409
        ? []
        : v.status === "sandbox-validated"
          ? [`a reviewer or admin of org ${opts.org} approves it with: providerflow approve ${dir} --org ${opts.org}`]
          : v.status === "draft"
            ? [
                `its sandbox run on the server did not pass (often a secret the org has not set); read why in ${VERSIONS_PATH}/${v.id}/evidence`,
              ]
            : [];
    return { ...callFailed(c, call.findings, [uploadedLine, ...hint]), data: { org: opts.org, uploaded: v } };
  }
  const urls = Object.entries(call.body.inboundUrls).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const data: Record<string, unknown> = {
    org: opts.org,
    uploaded: v,
    applied: call.body.applied,
    inboundUrls: call.body.inboundUrls,
  };
  if (call.body.version) data.version = call.body.version;
  // Applied, but the org does not treat the fixtures as the sandbox did: exit 1, as for
  // any validation that failed, so a pipeline running apply notices.
  const revalidation = call.body.version?.revalidation;
  const revalidationFailed =
    typeof revalidation === "object" && revalidation !== null && (revalidation as { passed?: unknown }).passed === false;
  const errors: Finding[] = revalidationFailed
    ? [
        {
          code: "prod-revalidation-failed",
          message: "applied, but prod revalidation failed: a fixture re-run against the org differs from its golden",
        },
      ]
    : [];
  return {
    exit: revalidationFailed ? EXIT_FAILED : EXIT_OK,
    errors,
    warnings: [],
    data,
    human: [
      uploadedLine,
      `applied to org ${c.bold(opts.org)}:`,
      ...changeLines(c, call.body.applied),
      ...(urls.length > 0
        ? ["inbound URLs to give the provider:", ...urls.map(([endpoint, url]) => `  ${endpoint}: ${url}`)]
        : []),
      ...revalidationLines(c, call.body.version),
    ],
  };
}

/** The version's status after the apply, and the fixtures prod revalidation found different. */
function revalidationLines(c: Colors, version: Record<string, unknown> | undefined): string[] {
  if (!version || typeof version.status !== "string") return [];
  const lines = [`version ${String(version.id)} is now ${c.bold(version.status)}`];
  const r = version.revalidation;
  const fixtures =
    typeof r === "object" && r !== null && Array.isArray((r as { fixtures?: unknown }).fixtures)
      ? (r as { fixtures: unknown[] }).fixtures
      : [];
  const failedNames = fixtures
    .filter(
      (f): f is { name: string; passed: boolean } =>
        typeof f === "object" && f !== null && (f as { passed?: unknown }).passed === false,
    )
    .map((f) => String(f.name));
  if (failedNames.length > 0)
    lines.push(`prod revalidation failed for ${failedNames.join(", ")} (see the version's revalidation)`);
  return lines;
}

/** Uploads the package (a no-op for content uploaded before), then approves that digest. */
export async function approveCommand(
  ctx: CommandContext,
  dir: string,
  opts: ServerOptions & { note?: string },
): Promise<CommandResult> {
  const prepared = await prepare(ctx, dir, opts);
  if (!prepared.ok) return prepared.result;
  const c = ctx.colors;
  const uploaded = await upload(prepared);
  if (!uploaded.ok) return callFailed(c, uploaded.findings);
  const uploadedLine = versionLine(c, uploaded.body, uploaded.status === 201);
  const payload = opts.note === undefined ? {} : { note: opts.note };
  const call = await postJson(approvePath(uploaded.body.id), prepared.conn, payload, parseVersion);
  if (!call.ok) return { ...callFailed(c, call.findings, [uploadedLine]), data: { org: opts.org, uploaded: uploaded.body } };
  const v = call.body;
  return {
    exit: EXIT_OK,
    errors: [],
    warnings: [],
    data: { org: opts.org, version: v },
    human: [
      uploadedLine,
      `approved in org ${c.bold(opts.org)}: version ${v.id} is ${v.status} (${plural(v.approvals.length, "approval")})`,
    ],
  };
}
