// Starts the built app against a throwaway PostgreSQL database for the e2e run, and
// returns the teardown that stops it and drops the database. Tests find the server and
// its credentials in E2E_* environment variables (see e2e/fixtures.ts).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import type { FullConfig } from "@playwright/test";
import { createTestDatabase } from "../tests/test-database";
import { E2E_ORG } from "./constants";

const HEALTH_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 15_000;
const OUTPUT_KEEP_CHARS = 200_000;
const OUTPUT_SHOWN_CHARS = 8_000;
// Next.js keeps serving (every request a 500) when instrumentation fails; no point waiting.
const BOOT_FAILED = "An error occurred while loading instrumentation hook";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      srv.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Stops the launcher and the `next start` it spawned: they share a process group. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const group = -child.pid;
  try {
    process.kill(group, "SIGTERM");
  } catch {
    return;
  }
  const timedOut = await Promise.race([exited(child).then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), STOP_TIMEOUT_MS))]);
  if (timedOut) {
    try {
      process.kill(group, "SIGKILL");
    } catch {
      // Already gone.
    }
    await exited(child);
  }
}

async function waitForHealth(url: string, child: ChildProcess, out: { full: () => string; shown: () => string }): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`The app exited (${child.exitCode ?? child.signalCode}) before /api/health answered.\n${out.shown()}`);
    }
    if (out.full().includes(BOOT_FAILED)) throw new Error(`The app failed to start.\n${out.shown()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (res.status === 200) return;
      last = `HTTP ${res.status} ${await res.text().catch(() => "")}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`/api/health did not answer 200 within ${HEALTH_TIMEOUT_MS / 1000} s (last: ${last}).\n${out.shown()}`);
}

export default async function globalSetup(config: FullConfig): Promise<() => Promise<void>> {
  const root = config.configFile ? path.dirname(config.configFile) : process.cwd();
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
    throw new Error("No production build found: run `npm run build` before the e2e suite.");
  }

  const database = await createTestDatabase("e2e");
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const admin = { email: "admin@e2e.example.com", password: `e2e-${randomBytes(12).toString("base64url")}` };
  const bootstrapToken = `prv_e2e_${randomBytes(24).toString("base64url")}`;

  let output = "";
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    cwd: root,
    detached: true, // its own process group, so teardown stops `next start` too
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      PORT: String(port),
      HOSTNAME_BIND: "127.0.0.1",
      DATABASE_URL: database.url,
      NODE_ENV: "production",
      PROVENANCE_PUBLIC_URL: baseUrl,
      PROVENANCE_ALLOW_SYNC: "1",
      PROVENANCE_DEMO: "0",
      PROVENANCE_ADMIN_EMAIL: admin.email,
      PROVENANCE_ADMIN_PASSWORD: admin.password,
      PROVENANCE_BOOTSTRAP_ORG: E2E_ORG,
      PROVENANCE_BOOTSTRAP_TOKEN: bootstrapToken,
      PROVENANCE_LOG_LEVEL: "warn",
    },
  });
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-OUTPUT_KEEP_CHARS);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);

  const redact = (text: string) => text.replaceAll(admin.password, "[admin password]").replaceAll(bootstrapToken, "[bootstrap token]");
  const teardown = async () => {
    await stop(child);
    // The server's output, for reading after a failed run (the output dir is cleared at the start of the next one).
    const dir = path.join(root, "test-results");
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "e2e-server.log"), redact(output));
    if (process.env.KEEP_E2E_DB !== "1") await database.drop();
  };

  // Minified stack frames make the full output long: the error shows its end, the log file has it all.
  const shown = () =>
    `--- server output (last ${OUTPUT_SHOWN_CHARS} characters; all of it in test-results/e2e-server.log) ---\n${redact(output.slice(-OUTPUT_SHOWN_CHARS))}`;
  try {
    await waitForHealth(`${baseUrl}/api/health`, child, { full: () => output, shown });
  } catch (error) {
    await teardown();
    throw error;
  }

  process.env.E2E_BASE_URL = baseUrl;
  process.env.E2E_ADMIN_EMAIL = admin.email;
  process.env.E2E_ADMIN_PASSWORD = admin.password;
  process.env.E2E_BOOTSTRAP_TOKEN = bootstrapToken;
  process.env.E2E_DATABASE_URL = database.url;
  return teardown;
}
