#!/usr/bin/env node
// Operator commands for secrets at rest (plain JavaScript: runs on a fresh clone with no
// build). Reads the same settings as the app: DATABASE_URL (unset: the embedded database
// in PROVENANCE_DATA_DIR, which must not be in use), PROVENANCE_SECRET_KEY and
// PROVENANCE_SECRET_KEY_PREVIOUS (unset: the key generated in the data directory).
//
//   npm run secrets:generate-key     print a new key for PROVENANCE_SECRET_KEY
//   npm run secrets:key-id           print the ids of the configured keys
//   npm run secrets:reencrypt [-- --dry-run] [-- --forget-unreadable] [-- --batch-size N]
//       seal every stored secret under PROVENANCE_SECRET_KEY (plain ones and ones under
//       older keys); idempotent; prints counts, never a value; exits 1 while secrets
//       remain that no configured key opens.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createKeyring, generateSecretKey, keyIdOf, parseSecretKey, parseSecretKeyList } from "../lib/crypto/secret-box.mjs";
import { sealStoredSecrets } from "../lib/store/secret-columns.mjs";
import { KEY_FILE_NAME, pidFileOf, resolveSecretKeys } from "./secret-key-file.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** The SQL migration that marks plain values; sealing before it would have them marked again. */
const REQUIRED_MIGRATION = "20261204100000_secrets_at_rest";

const USAGE = `Usage: node scripts/secrets.mjs <command>
  generate-key                 print a new random key (base64 of 32 bytes) for PROVENANCE_SECRET_KEY
  key-id                       print the key ids of PROVENANCE_SECRET_KEY and PROVENANCE_SECRET_KEY_PREVIOUS
  reencrypt [options]          seal every stored secret under PROVENANCE_SECRET_KEY
      --dry-run                count what would change, change nothing
      --forget-unreadable      clear secrets no configured key opens (a lost key), to be set again
      --batch-size N           rows per transaction (default 500)`;

class UsageError extends Error {}

function fail(message, code = 1) {
  console.error(`secrets: ${message}`);
  process.exit(code);
}

function parseArgs(argv) {
  const [command, ...rest] = argv;
  const opts = { dryRun: false, forgetUnreadable: false, batchSize: 500 };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === "--dry-run") opts.dryRun = true;
    else if (a === "--forget-unreadable") opts.forgetUnreadable = true;
    else if (a === "--batch-size") {
      const n = Number(rest[++i]);
      if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new UsageError("--batch-size takes an integer from 1 to 10000");
      opts.batchSize = n;
    } else throw new UsageError(`unknown option ${a}`);
  }
  return { command, opts };
}

/** The keys the launcher would give the app (scripts/start.mjs), without creating a key file. */
async function configuredKeys(dataDir) {
  const source = { ...process.env };
  Object.assign(source, (await resolveSecretKeys({ source, dataDir, useFile: true, create: false })).env);
  if (!(source.PROVENANCE_SECRET_KEY ?? "").trim()) {
    throw new UsageError(`PROVENANCE_SECRET_KEY is not set (and there is no generated key in ${path.join(dataDir, KEY_FILE_NAME)})`);
  }
  return {
    current: parseSecretKey(source.PROVENANCE_SECRET_KEY),
    previous: parseSecretKeyList(source.PROVENANCE_SECRET_KEY_PREVIOUS),
  };
}

/** A single connection: pg to DATABASE_URL, or the embedded database opened in-process. */
async function connect(dataDir) {
  if (process.env.DATABASE_URL) {
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    return { db: client, close: () => client.end() };
  }
  const pidFile = pidFileOf(dataDir);
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, "utf8"));
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = true;
    } catch (error) {
      alive = error.code === "EPERM";
    }
    if (alive) {
      throw new UsageError(`the embedded database in ${dataDir} is in use (pid ${pid}): stop the app first (or remove ${pidFile} if no app runs)`);
    }
  }
  if (!existsSync(path.join(dataDir, "pglite"))) throw new UsageError(`no embedded database in ${dataDir} (and DATABASE_URL is unset)`);
  const { PGlite } = await import("@electric-sql/pglite");
  const db = await PGlite.create(path.join(dataDir, "pglite"));
  return { db, close: () => db.close() };
}

async function assertMigrated(db) {
  let applied = false;
  try {
    const res = await db.query(`SELECT 1 FROM "_prisma_migrations" WHERE "migration_name" = $1 AND "finished_at" IS NOT NULL`, [REQUIRED_MIGRATION]);
    applied = res.rows.length > 0;
  } catch {
    applied = false;
  }
  if (!applied) throw new UsageError(`the database is not migrated to ${REQUIRED_MIGRATION} yet: start the app once (it migrates), then run this again`);
}

function printReport(report) {
  const lines = [`current key id: ${report.currentKid}${report.dryRun ? "   (dry run: nothing written)" : ""}`];
  for (const c of report.columns) {
    const older = Object.entries(c.older).map(([kid, n]) => `${n} under ${kid}`);
    const unreadable = Object.entries(c.unreadable).map(([why, n]) => `${n} ${why}`);
    lines.push(
      `  ${c.kind.padEnd(34)} ${String(c.total).padStart(6)} stored: ${c.current} current, ${c.sealed} sealed from plain text, ` +
        `${c.rotated} re-sealed` +
        (older.length ? `, left under older keys: ${older.join(", ")}` : "") +
        (unreadable.length ? `, UNREADABLE: ${unreadable.join(", ")}` : "") +
        (c.forgotten ? `, ${c.forgotten} cleared` : "") +
        (c.changedMeanwhile ? `, ${c.changedMeanwhile} changed meanwhile (left as written)` : ""),
    );
    for (const r of c.unreadableRows) lines.push(`      row ${r.id}: ${r.reason === "unknown-key" ? `key id ${r.kid} is not configured` : `does not decrypt under key id ${r.kid}`}`);
  }
  console.log(lines.join("\n"));
}

async function reencrypt(opts) {
  const dataDir = path.resolve(root, process.env.PROVENANCE_DATA_DIR || ".data");
  const keyring = createKeyring(await configuredKeys(dataDir));
  const { db, close } = await connect(dataDir);
  try {
    await assertMigrated(db);
    const report = await sealStoredSecrets(db, keyring, { rotate: true, ...opts });
    printReport(report);
    const left = report.columns.reduce((n, c) => n + Object.values(c.unreadable).reduce((a, b) => a + b, 0) - c.forgotten, 0);
    if (left > 0 && !opts.dryRun) {
      console.error(
        `secrets: ${left} stored secret(s) open under no configured key: add the missing key to PROVENANCE_SECRET_KEY_PREVIOUS, ` +
          "or clear them with --forget-unreadable and set them again",
      );
      return 1;
    }
    return 0;
  } finally {
    await close();
  }
}

async function main() {
  const { command, opts } = parseArgs(process.argv.slice(2));
  switch (command) {
    case "generate-key":
      console.log(generateSecretKey());
      return 0;
    case "key-id": {
      const dataDir = path.resolve(root, process.env.PROVENANCE_DATA_DIR || ".data");
      const keys = await configuredKeys(dataDir);
      console.log(`PROVENANCE_SECRET_KEY           ${keyIdOf(keys.current)}`);
      keys.previous.forEach((k, i) => console.log(`PROVENANCE_SECRET_KEY_PREVIOUS  ${keyIdOf(k)}   (entry ${i + 1})`));
      return 0;
    }
    case "reencrypt":
      return reencrypt(opts);
    case undefined:
    case "help":
    case "--help":
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof UsageError) fail(`${error.message}\n${USAGE}`, 2);
  // Messages of ours and of the driver name settings and rows, never a value.
  fail(error instanceof Error ? error.message : String(error));
}
