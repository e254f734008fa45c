// The embedded database (PGlite, what `npm start` runs without DATABASE_URL) takes every
// migration, the source-change trigger's PL/pgSQL included, and the writes that fire it.
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "./app-server.mjs";
import { applyMigrations } from "@/lib/store/migrate";
import { runRetention } from "@/lib/store/retention";

let db: PGlite;
let server: PGLiteSocketServer;
let pool: pg.Pool;

beforeAll(async () => {
  db = await PGlite.create();
  const port = await freePort();
  server = new PGLiteSocketServer({ db, port, host: "127.0.0.1", maxConnections: 1 });
  await server.start();
  pool = new pg.Pool({ connectionString: `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`, max: 1 });
});

afterAll(async () => {
  await pool?.end();
  await server?.stop();
  await db?.close();
});

describe("migrations on the embedded database", () => {
  it("apply, and sources can be written (the trigger notifies no one) and retention runs", async () => {
    const client = await pool.connect();
    try {
      expect((await applyMigrations(client)).length).toBeGreaterThan(0);
    } finally {
      client.release();
    }
    const org = await pool.query<{ id: string }>(`INSERT INTO "Org" ("id","slug","name") VALUES (gen_random_uuid(), 'embedded', 'E') RETURNING "id"`);
    const origin = await pool.query<{ id: string }>(`INSERT INTO "Origin" ("id","orgId","name") VALUES (gen_random_uuid(), $1, 'o') RETURNING "id"`, [org.rows[0]!.id]);
    const src = await pool.query<{ id: string }>(
      `INSERT INTO "InboundSource" ("id","orgId","originId","title","mnemonic","updatedAt") VALUES (gen_random_uuid(), $1, $2, 'S', 's', now()) RETURNING "id"`,
      [org.rows[0]!.id, origin.rows[0]!.id],
    );
    await pool.query(`UPDATE "InboundSource" SET "active" = false WHERE "id" = $1`, [src.rows[0]!.id]);
    await pool.query(`DELETE FROM "InboundSource" WHERE "id" = $1`, [src.rows[0]!.id]);
    expect((await pool.query(`SELECT count(*)::int AS n FROM "InboundSource"`)).rows[0]).toEqual({ n: 0 });
    expect(await runRetention(pool, { bodyDays: 30, failedDays: 7 })).toEqual({ deletedFailed: 0, purgedBodies: 0, deletedCounts: 0, skipped: false });
  });
});
