#!/usr/bin/env node
// Evidence for bench/RESULTS.md, not part of `npm run bench`: how fast the worker's SQL can
// go on this machine, without the app around it. Replays, on a throwaway database with a
// backlog of queued 1 KiB events, (a) the statements lib/queue/embedded-worker.ts
// processBatch sends today — per event SAVEPOINT, INSERT "Interaction", INSERT "Delivery"
// … FROM "Route", UPDATE "InboundEvent", RELEASE — and (b) the same work set-based: one
// INSERT … FROM unnest(…), one INSERT "Delivery", one UPDATE … FROM unnest(…) per batch.
// The interaction is built in plain JS here (mapping stages are not what is measured).
//   node bench/worker-sql.mjs [events per variant, default 5000]
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { startApp } from "../tests/app-server.mjs";
import { makeEvent } from "./event.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const PER_VARIANT = Number(process.argv[2] ?? 5000);
const VARIANTS = [
  ["per event (today)", 50],
  ["set-based", 50],
  ["set-based", 200],
  ["set-based", 500],
];

const CLAIM = `SELECT e."id", e."orgId", e."sourceId", s."originId", e."body", e."stages", e."attempts"
  FROM "InboundEvent" e JOIN "InboundSource" s ON s."id" = e."sourceId"
  WHERE e."status" = 'queued' AND e."availableAt" <= now() - make_interval(secs => $2)
  ORDER BY e."availableAt", e."receivedAt" LIMIT $1 FOR UPDATE OF e SKIP LOCKED`;
const STAGES = JSON.stringify([{ stage: "mapping", outcome: "passed" }]);

const name = `provenance_workersql_${Date.now()}`;
const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
await admin.query(`CREATE DATABASE "${name}"`);
await admin.end();
const u = new URL(ADMIN_URL);
u.pathname = `/${name}`;
const url = u.toString();
const db = new pg.Pool({ connectionString: url, max: 2 });
db.on("error", () => {});

try {
  // The app migrates the database and creates the source and mapping like any user would.
  const token = `prv_workersql_${randomUUID()}`;
  const app = await startApp({ root: ROOT, databaseUrl: url, env: { PROVENANCE_BOOTSTRAP_ORG: "w", PROVENANCE_BOOTSTRAP_TOKEN: token, PROVENANCE_WORKER: "0" } });
  const api = async (p, body) =>
    (await fetch(`${app.baseUrl}${p}`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) })).json();
  const source = await api("/api/v1/inbound-sources", { title: "s", mnemonic: "stripe" });
  await api("/api/v1/inbound-mappings", { sourceId: source.id, resourceType: "payment", action: "succeeded", idempotencyPath: "id", resourceIdPath: "data.object.id" });
  await app.stop();

  const src = (await db.query(`SELECT "id", "orgId", "originId" FROM "InboundSource"`)).rows[0];
  const map = (await db.query(`SELECT "id", "resourceTypeId", "actionId" FROM "InboundMapping"`)).rows[0];
  const total = PER_VARIANT * VARIANTS.length;
  for (let off = 0; off < total; off += 2000) {
    const ids = [];
    const bodies = [];
    for (let i = 0; i < Math.min(2000, total - off); i++) {
      ids.push(randomUUID());
      bodies.push(Buffer.from(makeEvent(off + i, "w")));
    }
    await db.query(
      `INSERT INTO "InboundEvent" ("id","orgId","sourceId","status","headers","body","stages","receivedAt","availableAt")
       SELECT u.id, $3, $4, 'queued', '{}'::jsonb, u.body, '[]'::jsonb, t.at, t.at
         FROM unnest($1::uuid[], $2::bytea[]) WITH ORDINALITY AS u(id, body, n),
              LATERAL (SELECT now() - make_interval(secs => ($5::int - $6::int - u.n) / 1000.0) AS at) t`,
      [ids, bodies, src.orgId, src.id, total, off],
    );
  }
  const build = (row) => {
    const p = JSON.parse(row.body.toString("utf8"));
    return { id: randomUUID(), resourceId: p.data.object.id, key: p.id, object: JSON.stringify({ ...p.data.object, _uowId: randomUUID() }) };
  };

  async function perEvent(client, rows) {
    for (const row of rows) {
      const i = build(row);
      await client.query("SAVEPOINT ev");
      await client.query(
        `INSERT INTO "Interaction" ("id","orgId","originId","sourceId","mappingId","eventId","resourceTypeId","actionId","resourceType","action","resourceId","idempotencyKey","object")
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,'payment','succeeded',$9,$10,$11::jsonb)
         ON CONFLICT ("orgId","resourceTypeId","actionId","idempotencyKey") DO NOTHING RETURNING "id"`,
        [i.id, row.orgId, row.originId, row.sourceId, map.id, row.id, map.resourceTypeId, map.actionId, i.resourceId, i.key, i.object],
      );
      await client.query(
        `INSERT INTO "Delivery" ("id","orgId","interactionId","targetId","status","nextAttemptAt","updatedAt")
         SELECT gen_random_uuid(), r."orgId", $2, r."targetId", 'pending', now(), now()
           FROM "Route" r JOIN "Target" t ON t."id" = r."targetId"
          WHERE r."orgId" = $1 AND r."mappingId" = $3 AND r."active" AND t."active"`,
        [row.orgId, i.id, map.id],
      );
      await client.query(
        `UPDATE "InboundEvent" SET "status"='processed', "stages"=$2::jsonb, "interactionId"=$3, "mappingId"=$4,
                "attempts"="attempts"+1, "processedAt"=now() WHERE "id"=$1`,
        [row.id, STAGES, i.id, map.id],
      );
      await client.query("RELEASE SAVEPOINT ev");
    }
  }

  async function setBased(client, rows) {
    const built = rows.map(build);
    const created = await client.query(
      `INSERT INTO "Interaction" ("id","orgId","originId","sourceId","mappingId","eventId","resourceTypeId","actionId","resourceType","action","resourceId","idempotencyKey","object")
       SELECT u.id, $1, $2, $3, $4, u.event_id, $5, $6, 'payment', 'succeeded', u.resource_id, u.key, u.object
         FROM unnest($7::uuid[], $8::uuid[], $9::text[], $10::text[], $11::jsonb[]) AS u(id, event_id, resource_id, key, object)
       ON CONFLICT ("orgId","resourceTypeId","actionId","idempotencyKey") DO NOTHING RETURNING "id", "eventId"`,
      [src.orgId, src.originId, src.id, map.id, map.resourceTypeId, map.actionId, built.map((b) => b.id), rows.map((r) => r.id), built.map((b) => b.resourceId), built.map((b) => b.key), built.map((b) => b.object)],
    );
    const byEvent = new Map(created.rows.map((r) => [r.eventId, r.id]));
    await client.query(
      `INSERT INTO "Delivery" ("id","orgId","interactionId","targetId","status","nextAttemptAt","updatedAt")
       SELECT gen_random_uuid(), r."orgId", u.iid, r."targetId", 'pending', now(), now()
         FROM unnest($2::uuid[], $3::uuid[]) AS u(iid, mid)
         JOIN "Route" r ON r."mappingId" = u.mid JOIN "Target" t ON t."id" = r."targetId"
        WHERE r."orgId" = $1 AND r."active" AND t."active"`,
      [src.orgId, [...byEvent.values()], [...byEvent.values()].map(() => map.id)],
    );
    await client.query(
      `UPDATE "InboundEvent" e
          SET "status" = u.status::"EventStatus", "stages" = u.stages, "interactionId" = u.iid, "mappingId" = $1,
              "attempts" = e."attempts" + 1, "processedAt" = now()
         FROM unnest($2::uuid[], $3::text[], $4::jsonb[], $5::uuid[]) AS u(id, status, stages, iid)
        WHERE e."id" = u.id`,
      [map.id, rows.map((r) => r.id), rows.map((r) => (byEvent.has(r.id) ? "processed" : "duplicate")), rows.map(() => STAGES), rows.map((r) => byEvent.get(r.id) ?? null)],
    );
  }

  for (const [label, batch] of VARIANTS) {
    let done = 0;
    const t0 = performance.now();
    while (done < PER_VARIANT) {
      const client = await db.connect();
      try {
        await client.query("BEGIN");
        const rows = (await client.query(CLAIM, [Math.min(batch, PER_VARIANT - done), 0])).rows;
        await client.query(`SELECT 1 FROM "InboundMapping" WHERE "sourceId" = $1`, [src.id]); // the mappings load
        await (label.startsWith("per event") ? perEvent(client, rows) : setBased(client, rows));
        await client.query("COMMIT");
        done += rows.length;
        if (rows.length === 0) break;
      } finally {
        client.release();
      }
    }
    const ms = performance.now() - t0;
    console.log(`${label}, batches of ${batch}: ${done} events in ${Math.round(ms)} ms = ${Math.round((done / ms) * 1000)} interactions/s`);
  }
} finally {
  await db.end();
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await c.end();
}
