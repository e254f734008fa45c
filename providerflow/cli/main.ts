// `providerflow`: argument parsing (commander) and printing around commands.ts.
//
// Output rules (providerflow.md §9): with --json, stdout carries exactly one JSON
// document `{ ok, command, errors, warnings, ... }`, whatever happens: a usage error, a
// help request or an internal fault included. Without it, people read stderr (coloured
// only when it is a terminal) and stdout carries only a command's product (the graph).
// Exit codes: 0 ok, 1 validation failed or internal fault (code "internal", never a
// stack trace), 2 usage error. Every string printed passes the secret redactor, with
// the values of --secrets, of resolved secretRefs and the API token.

import { Command, CommanderError, Option } from "commander";
import { canonicalJson } from "../digest";
import type { Finding } from "../findings";
import { GRAPH_FORMATS, type GraphFormat } from "../graph";
import { secretRedactor } from "../redact";
import { PROVIDERFLOW_VERSION } from "../version";
import {
  applyCommand,
  approveCommand,
  evidenceCommand,
  EXIT_FAILED,
  EXIT_OK,
  EXIT_USAGE,
  graphCommand,
  initCommand,
  planCommand,
  scanCommand,
  testCommand,
  traceCommand,
  validateCommand,
  type CommandContext,
  type CommandResult,
} from "./commands";
import { colorsFor, findingLines } from "./format";

export type CliIo = {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Colours only on a terminal. */
  stderrIsTTY: boolean;
  fetch: typeof fetch;
};

const SECRETS_HELP =
  "secret values: a JSON object or NAME=VALUE lines (else each secretRef is read from the environment variable of that name)";

/** Fixed, so help text (which the docs copy) does not depend on the terminal's width. */
const HELP_WIDTH = 100;

const COMMAND_NAMES = ["init", "validate", "test", "trace", "scan", "evidence", "graph", "plan", "apply", "approve"] as const;

type Sink = { done: (command: string, result: CommandResult) => void };

/** The command tree. Actions hand their result to `sink`; nothing is printed here. */
export function buildProgram(
  ctx: CommandContext,
  sink: Sink,
  output: { out: (s: string) => void; err: (s: string) => void },
): Command {
  const program = new Command("providerflow")
    .description("Validate, test, trace and apply ProviderFlow packages (webhook configuration as code).")
    .version(PROVIDERFLOW_VERSION, "-V, --version", "print the version")
    .option("--json", "print one JSON document on stdout: { ok, command, errors, warnings, ... }")
    .helpOption("-h, --help", "show help")
    .helpCommand(false)
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false, helpWidth: HELP_WIDTH })
    .configureOutput({ writeOut: output.out, writeErr: output.err, outputError: (s, write) => write(s) })
    .exitOverride();

  program
    .command("init")
    .description("create a minimal valid package (contract, fixtures, goldens) that passes `test`")
    .argument("<dir>", "folder for the package (created when missing; existing files are never overwritten)")
    .requiredOption("--provider <provider>", "the provider the package is for, e.g. stripe (^[a-z0-9][a-z0-9-]{0,62}$)")
    .option("--name <name>", "package name (default: from the folder's name)")
    .action(async (dir: string, opts: { provider: string; name?: string }) =>
      sink.done("init", await initCommand(ctx, dir, opts)),
    );

  program
    .command("validate")
    .description("check the contract and run the static scans; runs no fixture")
    .argument("<dir>", "package folder")
    .action(async (dir: string) => sink.done("validate", await validateCommand(ctx, dir)));

  program
    .command("test")
    .description("run every fixture through the sandbox and compare its result with its golden")
    .argument("<dir>", "package folder")
    .option("--update", "write goldens/<fixture>.json from the results and say which changed")
    .option("--secrets <file>", SECRETS_HELP)
    .action(async (dir: string, opts: { update?: boolean; secrets?: string }) =>
      sink.done("test", await testCommand(ctx, dir, { update: opts.update === true, secrets: opts.secrets })),
    );

  program
    .command("trace")
    .description("show every stage one fixture passes through, with conditions and their actual values")
    .argument("<dir>", "package folder")
    .argument("<fixture>", "fixture name (fixtures/<fixture>.json)")
    .option("--secrets <file>", SECRETS_HELP)
    .action(async (dir: string, fixture: string, opts: { secrets?: string }) =>
      sink.done("trace", await traceCommand(ctx, dir, fixture, opts)),
    );

  program
    .command("scan")
    .description("run every scan (static, and over the fixtures' sandbox runs); warnings alone exit 0")
    .argument("<dir>", "package folder")
    .option("--secrets <file>", SECRETS_HELP)
    .action(async (dir: string, opts: { secrets?: string }) => sink.done("scan", await scanCommand(ctx, dir, opts)));

  program
    .command("evidence")
    .description("validate and test, then write evidence.json, scans.json and traces/<fixture>.json")
    .argument("<dir>", "package folder")
    .option("--out <dir>", "write the files there instead of into the package folder")
    .option("--secrets <file>", SECRETS_HELP)
    .action(async (dir: string, opts: { out?: string; secrets?: string }) =>
      sink.done("evidence", await evidenceCommand(ctx, dir, opts)),
    );

  program
    .command("graph")
    .description("print the package's graph: endpoints → flow steps → targets")
    .argument("<dir>", "package folder")
    .addOption(new Option("--format <format>", "output format").choices([...GRAPH_FORMATS]).default("mermaid"))
    .action(async (dir: string, opts: { format: GraphFormat }) => sink.done("graph", await graphCommand(ctx, dir, opts.format)));

  const server = (name: "plan" | "apply" | "approve", description: string) =>
    program
      .command(name)
      .description(description)
      .argument("<dir>", "package folder")
      .requiredOption("--org <slug>", "the organization (the token must belong to it)")
      .option("--url <url>", "server URL (default: PROVENANCE_URL); the token is read from PROVENANCE_TOKEN");
  server("plan", "show what applying the package to an org would change; changes nothing").action(
    async (dir: string, opts: { org: string; url?: string }) => sink.done("plan", await planCommand(ctx, dir, opts)),
  );
  server(
    "apply",
    "upload the package as a version (once per digest), then apply it; a production org applies only an approved version",
  ).action(async (dir: string, opts: { org: string; url?: string }) => sink.done("apply", await applyCommand(ctx, dir, opts)));
  server("approve", "upload the package as a version (once per digest), then approve it (a reviewer or admin token)")
    .option("--note <text>", "a note recorded with the approval")
    .action(async (dir: string, opts: { org: string; url?: string; note?: string }) =>
      sink.done("approve", await approveCommand(ctx, dir, opts)),
    );

  return program;
}

/** "error: unknown option '--x'" → "unknown option '--x'". */
function commanderMessage(error: CommanderError): string {
  return error.message.replace(/^error:\s*/, "").trim();
}

/** Runs the CLI on `argv` (without node and script). Never throws; returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  // Read before parsing, so that even a usage error is answered in JSON.
  const json = argv.includes("--json");
  const colorsOn = io.stderrIsTTY && !json && io.env.NO_COLOR === undefined;
  const ctx: CommandContext = { cwd: io.cwd, env: io.env, colors: colorsFor(colorsOn), fetch: io.fetch, secretValues: new Set() };
  const out: string[] = [];
  const err: string[] = [];
  let result: CommandResult | null = null;
  let command: string | null = COMMAND_NAMES.find((n) => argv.find((a) => !a.startsWith("-")) === n) ?? null;
  const program = buildProgram(
    ctx,
    {
      done: (name, r) => {
        command = name;
        result = r;
      },
    },
    { out: (s) => out.push(s), err: (s) => err.push(s) },
  );

  let exit: number;
  let errors: Finding[] = [];
  let warnings: Finding[] = [];
  let data: Record<string, unknown> = {};
  let human: string[] = [];
  let product: string | undefined;
  try {
    await program.parseAsync([...argv], { from: "user" });
    const r = result as CommandResult | null;
    if (r === null) throw new Error("no command ran");
    ({ exit, errors, warnings, data, human } = r);
    product = r.stdout;
  } catch (error) {
    if (error instanceof CommanderError && (error.code === "commander.helpDisplayed" || error.code === "commander.version")) {
      exit = EXIT_OK;
      if (json) data = error.code === "commander.version" ? { version: PROVIDERFLOW_VERSION } : { help: out.join("") };
      else product = out.join("");
    } else if (error instanceof CommanderError) {
      exit = EXIT_USAGE;
      // Without a command, commander prints the help (as an error); keep it for people.
      const message = error.code === "commander.help" ? "a command is required" : commanderMessage(error);
      errors = [{ code: "usage", message }];
      human = error.code === "commander.help" ? [err.join("").trimEnd()] : [];
    } else {
      exit = EXIT_FAILED;
      const reason =
        error instanceof Error ? `${error.name}: ${(error.message.split("\n")[0] ?? "").slice(0, 300)}` : String(error);
      errors = [{ code: "internal", message: `internal error (a bug in providerflow, not in the package): ${reason}` }];
      warnings = [];
      data = {};
      human = [];
      product = undefined;
    }
  }

  const redact = secretRedactor(ctx.secretValues);
  if (json) {
    const document = { ...data, ok: exit === EXIT_OK, command, errors, warnings };
    io.stdout(redact(canonicalJson(document, { indent: 2 })));
    return exit;
  }
  if (product !== undefined) io.stdout(redact(product));
  const c = ctx.colors;
  const lines = [...human];
  // Commands print their own findings; usage and internal errors have no lines yet.
  if (human.length === 0 || exit === EXIT_USAGE) lines.push(...findingLines(c, errors, human.length === 0 ? warnings : []));
  if (exit === EXIT_USAGE && command !== null) lines.push(c.dim(`see: providerflow ${command} --help`));
  else if (exit === EXIT_USAGE) lines.push(c.dim("see: providerflow --help"));
  const text = lines.filter((l) => l !== "").join("\n");
  if (text !== "") io.stderr(redact(`${text}\n`));
  return exit;
}
