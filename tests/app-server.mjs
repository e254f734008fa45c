// Runs the BUILT app (`npm run build` first) the way an operator does, `node
// scripts/start.mjs` (which spawns scripts/server.mjs), against a given PostgreSQL
// database, and waits for /api/health. The launcher gets its own process group, so
// stop() and kill() reach the server it spawns as well. Plain JavaScript (types in app-server.d.mts) because three kinds of
// callers share it: the Playwright global setup, the system tests (tests/system/) and
// the benchmark (bench/run.mjs, run by plain node).
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";

const DEFAULT_HEALTH_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 15_000;
const OUTPUT_KEEP_CHARS = 200_000;
const OUTPUT_SHOWN_CHARS = 8_000;
// Next.js keeps serving (every request a 500) when instrumentation fails; no point waiting.
const BOOT_FAILED = "An error occurred while loading instrumentation hook";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * The key for secrets at rest that test apps run with unless a test passes its own
 * (PROVENANCE_SECRET_KEY in `env`): fixed, so a kept test database stays readable.
 * Tests only: it is public.
 */
export const TEST_SECRET_KEY = "L0BYBa3bEw2VezLA1Sery7PegG2yiVF3KnQNyZHIsdk=";

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      srv.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export function assertBuilt(root) {
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
    throw new Error(`No production build in ${root}: run \`npm run build\` first.`);
  }
}

/** Live processes whose process group is `pgid`, from /proc/<pid>/stat (Linux). */
export function processGroupPids(pgid) {
  const pids = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid && fields[0] !== "Z") pids.push(Number(entry));
    } catch {
      // Exited while we looked.
    }
  }
  return pids;
}

function exited(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

export async function startApp(opts) {
  assertBuilt(opts.root);
  const port = opts.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  let output = "";
  // With node options (e.g. --cpu-prof, which NODE_OPTIONS refuses) the server the
  // launcher would spawn (scripts/server.mjs) is run directly, so they reach it: with
  // DATABASE_URL set the launcher adds nothing else.
  const args = opts.nodeArgs ? [...opts.nodeArgs, path.join("scripts", "server.mjs")] : ["scripts/start.mjs"];
  const child = spawn(process.execPath, args, {
    cwd: opts.root,
    detached: true, // its own process group, so stop() and kill() reach the server it spawns too
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOSTNAME_BIND: "127.0.0.1",
      DATABASE_URL: opts.databaseUrl,
      PROVENANCE_PUBLIC_URL: baseUrl,
      PROVENANCE_DEMO: "0",
      PROVENANCE_LOG_LEVEL: "warn",
      PROVENANCE_SECRET_KEY: TEST_SECRET_KEY,
      NEXT_TELEMETRY_DISABLED: "1",
      ...opts.env,
    },
  });
  if (child.pid === undefined) throw new Error(`Could not start ${args.join(" ")}`);
  const pgid = child.pid;
  const collect = (chunk) => {
    output = (output + chunk.toString("utf8")).slice(-OUTPUT_KEEP_CHARS);
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);

  const secrets = (opts.secrets ?? []).filter(Boolean);
  const redact = (text) => secrets.reduce((t, s) => t.replaceAll(s, "[secret]"), text);
  const alive = () => child.exitCode === null && child.signalCode === null;
  const shownOutput = () => `--- server output (last ${OUTPUT_SHOWN_CHARS} characters) ---\n${redact(output.slice(-OUTPUT_SHOWN_CHARS))}`;
  const signalGroup = (signal) => {
    try {
      process.kill(-pgid, signal);
    } catch {
      // Already gone.
    }
  };
  /** True once the launcher has exited and no process of its group is left. */
  const groupGone = async (withinMs) => {
    const until = Date.now() + withinMs;
    await Promise.race([exited(child), sleep(withinMs)]);
    while (processGroupPids(pgid).length > 0) {
      if (Date.now() > until) return false;
      await sleep(50);
    }
    return true;
  };

  const server = {
    baseUrl,
    port,
    pid: pgid,
    output: () => redact(output),
    shownOutput,
    alive,
    groupPids: () => processGroupPids(pgid),
    async stop() {
      if (!alive() && processGroupPids(pgid).length === 0) return;
      signalGroup("SIGTERM");
      if (!(await groupGone(STOP_TIMEOUT_MS))) {
        signalGroup("SIGKILL");
        await groupGone(STOP_TIMEOUT_MS);
      }
    },
    async kill() {
      signalGroup("SIGKILL");
      if (!(await groupGone(STOP_TIMEOUT_MS))) {
        throw new Error(`Processes of group ${pgid} survived SIGKILL: ${processGroupPids(pgid).join(", ")}`);
      }
    },
  };

  try {
    await waitForHealth(server, opts.healthTimeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS);
  } catch (error) {
    await server.stop();
    // The whole output, for callers that keep a log file (the message shows only its end).
    if (error instanceof Error) error.serverOutput = server.output();
    throw error;
  }
  return server;
}

async function waitForHealth(server, timeoutMs) {
  const url = `${server.baseUrl}/api/health`;
  const deadline = Date.now() + timeoutMs;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    if (!server.alive()) throw new Error(`The app exited before /api/health answered.\n${server.shownOutput()}`);
    if (server.output().includes(BOOT_FAILED)) throw new Error(`The app failed to start.\n${server.shownOutput()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (res.status === 200) return;
      last = `HTTP ${res.status} ${await res.text().catch(() => "")}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(250);
  }
  throw new Error(`/api/health did not answer 200 within ${timeoutMs / 1000} s (last: ${last}).\n${server.shownOutput()}`);
}
