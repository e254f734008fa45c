// `npm run secrets:*` (scripts/secrets.mjs) as an operator runs it, with plain node: on
// the embedded database (PGlite files in the data directory, its generated key), and
// its refusals: a database in use, a database not yet migrated, no key.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKeyring, generateSecretKey, keyIdOf, parseSecretKey } from "@/lib/crypto/secret-box.mjs";
import { readMigrations, applyMigrations } from "@/lib/store/migrate";
import { secretContext } from "@/lib/store/secret-columns.mjs";
import { ADMIN_URL } from "./test-database";

const ROOT = path.resolve(import.meta.dirname, "..");
const STAMP = "20261204100000_secrets_at_rest";
const run = promisify(execFile);

async function secrets(args: string[], env: Record<string, string>) {
  const base = { NODE_ENV: "production" as const, PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };
  try {
    const { stdout, stderr } = await run(process.execPath, ["scripts/secrets.mjs", ...args], { cwd: ROOT, env: { ...base, ...env }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The migrations up to (not including) `before`, with the app's bookkeeping, on PGlite. */
async function migratePglite(db: PGlite, filter: (name: string) => boolean) {
  await db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" ("id" VARCHAR(36) PRIMARY KEY, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ, "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
  for (const m of (await readMigrations()).filter((x) => filter(x.name))) {
    await db.exec(m.sql);
    await db.query(`INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name") VALUES (gen_random_uuid(), $1, now(), $2)`, [m.checksum, m.name]);
  }
}

describe("the secrets command", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "prov-cmd-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("generates keys and prints key ids, never the keys", async () => {
    const gen = await secrets(["generate-key"], {});
    expect(gen.code).toBe(0);
    const key = parseSecretKey(gen.stdout);
    const other = generateSecretKey();
    const ids = await secrets(["key-id"], { PROVENANCE_SECRET_KEY: gen.stdout.trim(), PROVENANCE_SECRET_KEY_PREVIOUS: other, PROVENANCE_DATA_DIR: dir });
    expect(ids.code, ids.stderr).toBe(0);
    expect(ids.stdout).toContain(`PROVENANCE_SECRET_KEY           ${keyIdOf(key)}`);
    expect(ids.stdout).toContain(`PROVENANCE_SECRET_KEY_PREVIOUS  ${keyIdOf(parseSecretKey(other))}   (entry 1)`);
    expect(ids.stdout + ids.stderr).not.toContain(gen.stdout.trim());
    expect(ids.stdout + ids.stderr).not.toContain(other);

    const none = await secrets(["reencrypt"], { DATABASE_URL: "postgresql://127.0.0.1:1/none", PROVENANCE_DATA_DIR: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("PROVENANCE_SECRET_KEY is not set");
  });

  it("seals the embedded database's plain secrets with its generated key, and refuses while the app holds it", async () => {
    const dataDir = path.join(dir, "embedded");
    await mkdir(dataDir);
    const db = await PGlite.create(path.join(dataDir, "pglite"));
    await migratePglite(db, (name) => name < STAMP);
    await db.exec(`INSERT INTO "Org" ("id", "slug", "name") VALUES ('11111111-1111-4111-8111-111111111111', 'emb', 'emb')`);
    await db.query(`INSERT INTO "OrgSecret" ("id", "orgId", "name", "value", "updatedAt") VALUES (gen_random_uuid(), '11111111-1111-4111-8111-111111111111', 'API', $1, now())`, [
      "plain-before-upgrade",
    ]);
    await migratePglite(db, (name) => name >= STAMP);
    await db.close();
    const key = generateSecretKey();
    await writeFile(path.join(dataDir, "secret-key"), `${key}\n`, { mode: 0o600 });

    // The launcher's pid file with a live pid: the files are in use.
    await writeFile(path.join(dataDir, "pglite.pid"), String(process.pid));
    const busy = await secrets(["reencrypt"], { PROVENANCE_DATA_DIR: dataDir });
    expect(busy.code).toBe(2);
    expect(busy.stderr).toContain(`is in use (pid ${process.pid}): stop the app first`);
    // A stale one (the launcher was killed) does not stand in the way.
    await writeFile(path.join(dataDir, "pglite.pid"), "2147483646");

    const sealed = await secrets(["reencrypt"], { PROVENANCE_DATA_DIR: dataDir });
    expect(sealed.code, sealed.stderr).toBe(0);
    expect(sealed.stdout).toMatch(/OrgSecret\.value +1 stored: 0 current, 1 sealed from plain text, 0 re-sealed/);
    expect(sealed.stdout).not.toContain("plain-before-upgrade");

    const reopened = await PGlite.create(path.join(dataDir, "pglite"));
    const row = (await reopened.query<{ value: string }>(`SELECT "value" FROM "OrgSecret"`)).rows[0]!;
    await reopened.close();
    const opened = createKeyring({ current: parseSecretKey(key) }).open(row.value, secretContext("OrgSecret.value", "11111111-1111-4111-8111-111111111111:API"));
    expect(opened).toEqual({ ok: true, value: "plain-before-upgrade", kid: keyIdOf(parseSecretKey(key)) });
  });

  it("refuses a database the app has not migrated yet (sealing first would have the values marked plain again)", async () => {
    const name = `provenance_it_cmd_${Date.now()}_${randomBytes(3).toString("hex")}`;
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    const u = new URL(ADMIN_URL);
    u.pathname = `/${name}`;
    const client = new pg.Client({ connectionString: u.toString() });
    await client.connect();
    try {
      await applyMigrations(client, (await readMigrations()).filter((m) => m.name < STAMP));
      const r = await secrets(["reencrypt"], { DATABASE_URL: u.toString(), PROVENANCE_SECRET_KEY: generateSecretKey(), PROVENANCE_DATA_DIR: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`not migrated to ${STAMP} yet: start the app once`);
    } finally {
      await client.end();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  });
});
