#!/usr/bin/env node
// `npm start` / `npm run dev`: serves the app. With DATABASE_URL unset it first starts
// the embedded PostgreSQL (PGlite, files in PROVENANCE_DATA_DIR) behind a loopback
// socket, so the app talks to it with the same `pg` driver and Prisma adapter it uses
// for a real server. The app itself applies migrations and seeds at start-up. On the
// embedded database and under `npm run dev` it also hands the app the key for secrets at
// rest, generated once into the data directory unless PROVENANCE_SECRET_KEY is set
// (scripts/secret-key-file.mjs).
//
// It also supervises the server: if the server dies without being asked to stop (a
// crash, running out of memory, a kill), it is started again after 1 s, then 2, 4, …
// up to 30 s between restarts, one log line each time; a minute of uptime resets the
// delay. A server that keeps dying within a minute of starting (bad configuration, a
// port in use, a database that does not come up) is given up on after 5 tries in a row:
// the launcher exits with the server's exit code for the outer supervisor to see. The
// embedded database lives in the launcher, so it stays up across restarts. SIGINT or
// SIGTERM to the launcher stops the server and the database.
import { spawn } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { pidFileOf, resolveSecretKeys } from "./secret-key-file.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dev = process.argv.includes("--dev");
const childEnv = { ...process.env };
const dataDir = path.resolve(root, process.env.PROVENANCE_DATA_DIR || ".data");
let stopEmbedded = async () => {};

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function startEmbedded() {
  await mkdir(dataDir, { recursive: true });
  // `npm run secrets:reencrypt` opens the same files directly and must not while we run.
  const pidFile = pidFileOf(dataDir);
  await writeFile(pidFile, String(process.pid));
  const { PGlite } = await import("@electric-sql/pglite");
  const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");
  const db = await PGlite.create(path.join(dataDir, "pglite"));
  const port = await freePort();
  const server = new PGLiteSocketServer({ db, port, host: "127.0.0.1", maxConnections: 4 });
  await server.start();
  childEnv.DATABASE_URL = `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
  childEnv.PROVENANCE_EMBEDDED_DB = "1";
  console.log(`[provenance] embedded PostgreSQL (PGlite) at 127.0.0.1:${port}, files in ${dataDir}`);
  stopEmbedded = async () => {
    await server.stop().catch(() => {});
    await db.close().catch(() => {});
    await rm(pidFile, { force: true });
  };
}

const embedded = !process.env.DATABASE_URL;
try {
  const keys = await resolveSecretKeys({ source: process.env, dataDir, useFile: embedded || dev });
  Object.assign(childEnv, keys.env);
  for (const notice of keys.notices) console.log(`[provenance] ${notice}`);
} catch (error) {
  console.error(`[provenance] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
if (embedded) await startEmbedded();

// Development runs `next dev` (the App Router's inbound route handlers answer there);
// production runs scripts/server.mjs, Next.js behind the lean inbound path.
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
const args = dev ? [nextBin, "dev", "-p", String(process.env.PORT || 3000)] : [path.join(root, "scripts", "server.mjs")];
if (dev && process.env.HOSTNAME_BIND) args.push("-H", process.env.HOSTNAME_BIND);
if (!dev) childEnv.NODE_ENV ??= "production";
// V8 sizes its heap to the machine (gigabytes here) and collects lazily, so without a cap
// the server's RSS grows with garbage it would happily have collected (bench/RESULTS.md,
// finding 2). PROVENANCE_HEAP_MB caps the old generation; an explicit
// --max-old-space-size in NODE_OPTIONS wins.
const heapMb = Number(process.env.PROVENANCE_HEAP_MB || 256);
if (!Number.isInteger(heapMb) || heapMb < 64) {
  console.error(`[provenance] PROVENANCE_HEAP_MB must be an integer of at least 64 (got "${process.env.PROVENANCE_HEAP_MB}")`);
  process.exit(2);
}
if (!/--max-old-space-size/.test(childEnv.NODE_OPTIONS ?? "")) {
  childEnv.NODE_OPTIONS = `${childEnv.NODE_OPTIONS ?? ""} --max-old-space-size=${heapMb}`.trim();
}

const RESTART_FIRST_DELAY_MS = 1_000;
const RESTART_MAX_DELAY_MS = 30_000;
/** A server that ran this long counts as started: the next restart waits the first delay again. */
const STABLE_UPTIME_MS = 60_000;
/** Consecutive deaths within STABLE_UPTIME_MS of starting before the launcher gives up. */
const MAX_QUICK_FAILURES = 5;

let child = null;
let stopping = false;
let restartTimer = null;
let restartDelayMs = RESTART_FIRST_DELAY_MS;
let quickFailures = 0;
let restarts = 0;

function startServer() {
  const startedAt = Date.now();
  const server = spawn(process.execPath, args, { cwd: root, env: childEnv, stdio: "inherit" });
  child = server;
  let ended = false;
  const onEnd = (code, signal) => {
    if (ended) return;
    ended = true;
    child = null;
    // A signal to the launcher's process group (Ctrl-C, a service manager) reaches the
    // server too and may be seen here first: let the launcher's own handler run.
    setTimeout(() => afterServerExit(code, signal, Date.now() - startedAt), 50);
  };
  server.on("exit", onEnd);
  server.on("error", (err) => {
    console.error(`[provenance] could not run the server: ${err.message}`);
    onEnd(1, null);
  });
}

async function stopAll(code) {
  await stopEmbedded();
  process.exit(code);
}

function afterServerExit(code, signal, uptimeMs) {
  const exitCode = code ?? (signal ? 1 : 0);
  // Asked to stop, or a clean exit nobody asked the launcher for (an operator stopped the
  // server itself): stop everything.
  if (stopping || (code === 0 && !signal)) return void stopAll(exitCode);
  const how = signal ? `signal ${signal}` : `exit code ${code}`;
  if (uptimeMs >= STABLE_UPTIME_MS) {
    restartDelayMs = RESTART_FIRST_DELAY_MS;
    quickFailures = 0;
  } else {
    quickFailures += 1;
  }
  if (quickFailures >= MAX_QUICK_FAILURES) {
    console.error(
      `[provenance] the server died ${quickFailures} times in a row within ${STABLE_UPTIME_MS / 1000} s of starting (last: ${how}); giving up`,
    );
    return void stopAll(exitCode || 1);
  }
  restarts += 1;
  console.error(
    `[provenance] the server exited unexpectedly (${how}) after ${Math.round(uptimeMs / 1000)} s; restarting in ${restartDelayMs / 1000} s (restart ${restarts})`,
  );
  restartTimer = setTimeout(() => {
    restartTimer = null;
    if (!stopping) startServer();
  }, restartDelayMs);
  restartDelayMs = Math.min(restartDelayMs * 2, RESTART_MAX_DELAY_MS);
}

for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    if (restartTimer) {
      clearTimeout(restartTimer);
      restartTimer = null;
    }
    if (child) child.kill(sig);
    else void stopAll(0);
  });
}

startServer();
