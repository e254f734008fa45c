#!/usr/bin/env node
// `npm start` / `npm run dev`: serves the app. With DATABASE_URL unset it first starts
// the embedded PostgreSQL (PGlite, files in PROVENANCE_DATA_DIR) behind a loopback
// socket, so the app talks to it with the same `pg` driver and Prisma adapter it uses
// for a real server. The app itself applies migrations and seeds at start-up. On the
// embedded database and under `npm run dev` it also hands the app the key for secrets at
// rest, generated once into the data directory unless PROVENANCE_SECRET_KEY is set
// (scripts/secret-key-file.mjs).
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
const child = spawn(process.execPath, args, { cwd: root, env: childEnv, stdio: "inherit" });

let stopping = false;
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    child.kill(sig);
  });
}
child.on("exit", async (code, signal) => {
  await stopEmbedded();
  process.exit(code ?? (signal ? 1 : 0));
});
