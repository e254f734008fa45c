// Secrets at rest (issue 11): every secret column holds sealed values only, whatever
// wrote it; plain rows from before are sealed at start-up; keys rotate; and a secret that
// is missing or cannot be decrypted fails closed: the source refuses every webhook (401),
// the target's delivery is not sent, and nothing answers 500.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as sources from "@/app/api/v1/inbound-sources/route";
import * as source from "@/app/api/v1/inbound-sources/[id]/route";
import * as targets from "@/app/api/v1/targets/route";
import * as target from "@/app/api/v1/targets/[id]/route";
import * as rotate from "@/app/api/v1/targets/[id]/rotate-secret/route";
import * as secretsList from "@/app/api/v1/secrets/route";
import * as secret from "@/app/api/v1/secrets/[name]/route";
import { sealSecretsAtStart } from "@/lib/boot/seal-secrets";
import { createKeyring, keyIdOf, parseSecretKey } from "@/lib/crypto/secret-box.mjs";
import { db, prisma } from "@/lib/db";
import { log, tapLogs } from "@/lib/log";
import { deliverDue } from "@/lib/queue/delivery-worker";
import { applyMigrations, readMigrations } from "@/lib/store/migrate";
import { SECRET_COLUMNS, secretContext, sealStoredSecrets } from "@/lib/store/secret-columns.mjs";
import { sealSecret, secretKeyring } from "@/lib/store/secret-values";
import { createSourceLookup, invalidateSourceCache } from "@/lib/store/source-lookup";
import { call, createOrgWithToken, obj } from "./helpers/fixtures";
import { createMapping, createOrg, createSource, postInbound } from "./helpers/pipeline-fixtures";
import { openStored, SEALED_RE } from "./helpers/stored-secrets";
import { TEST_SECRET_KEY } from "./app-server.mjs";
import { ADMIN_URL } from "./test-database";

const hint = (s: string) => `…${s.slice(-4)}`;
const lines: string[] = [];
let untap: () => void;
let previousLevel: string;

beforeAll(() => {
  previousLevel = log.level;
  log.level = "warn";
  untap = tapLogs((line) => lines.push(line));
});

afterAll(async () => {
  untap();
  log.level = previousLevel;
  await prisma().$disconnect();
});

/** Every non-null value of the four secret columns that belongs to the org. */
async function storedValues(orgId: string): Promise<{ kind: string; value: string }[]> {
  const out: { kind: string; value: string }[] = [];
  for (const c of SECRET_COLUMNS) {
    const res = await db().pool.query<{ value: string }>(`SELECT "${c.column}" AS "value" FROM "${c.table}" WHERE "orgId" = $1 AND "${c.column}" IS NOT NULL`, [orgId]);
    out.push(...res.rows.map((r) => ({ kind: c.kind, value: r.value })));
  }
  return out;
}

function expectNoPlainText(stored: { kind: string; value: string }[], plains: string[]): void {
  for (const { kind, value } of stored) {
    expect(value, kind).toMatch(SEALED_RE);
    for (const p of plains) {
      expect(value, kind).not.toContain(p);
      expect(value, kind).not.toContain(Buffer.from(p).toString("base64url"));
    }
  }
}

describe("secret columns hold no plain text", () => {
  it("after create, update and rotate through the API, with every response and hint as before", async () => {
    const { org, token } = await createOrgWithToken("admin");
    const plains = [
      `source-secret-${randomBytes(8).toString("hex")}`,
      `source-secret-2-${randomBytes(8).toString("hex")}`,
      `bearer-${randomBytes(12).toString("hex")}`,
      `header-${randomBytes(12).toString("hex")}`,
      `whsec_${randomBytes(32).toString("base64")}`,
      `org-secret-${randomBytes(8).toString("hex")}`,
      `org-secret-2-${randomBytes(8).toString("hex")}`,
    ];
    const [s1, s2, bearer, header, , o1, o2] = plains as [string, string, string, string, string, string, string];
    const texts: string[] = [];
    const record = <T extends { status: number; text: string }>(r: T): T => {
      expect(r.status, r.text).toBeLessThan(300);
      texts.push(r.text);
      return r;
    };

    const created = record(await call(sources.POST, "POST", "/api/v1/inbound-sources", { token, body: { title: "Hooks", mnemonic: "hooks", verification: { preset: "hmac", secret: s1 } } }));
    const sourceId = String(obj(created.json).id);
    expect(obj(obj(created.json).verification).secretHint).toBe(hint(s1));
    const patched = record(
      await call(source.PATCH, "PATCH", `/api/v1/inbound-sources/${sourceId}`, { token, params: { id: sourceId }, body: { verification: { preset: "hmac", secret: s2 } } }),
    );
    expect(obj(obj(patched.json).verification).secretHint).toBe(hint(s2));
    // Settings changed, secret kept: the kept one still opens and keeps its hint.
    const kept = record(
      await call(source.PATCH, "PATCH", `/api/v1/inbound-sources/${sourceId}`, { token, params: { id: sourceId }, body: { verification: { preset: "github" } } }),
    );
    expect(obj(kept.json).verification).toMatchObject({ preset: "github", secretHint: hint(s2) });

    const t = record(await call(targets.POST, "POST", "/api/v1/targets", { token, body: { name: "wh", url: "https://example.com/hook", auth: { type: "bearer", secret: bearer } } }));
    const targetId = String(obj(t.json).id);
    const firstSigning = String(obj(t.json).signingSecret);
    plains.push(firstSigning);
    expect(obj(t.json).auth).toMatchObject({ secretHint: hint(bearer) });
    expect(obj(obj(t.json).signing).signingSecretHint).toBe(hint(firstSigning));
    const toHeader = record(
      await call(target.PATCH, "PATCH", `/api/v1/targets/${targetId}`, { token, params: { id: targetId }, body: { auth: { type: "header", headerName: "X-Key", secret: header } } }),
    );
    expect(obj(toHeader.json).auth).toEqual({ type: "header", headerName: "X-Key", secretHint: hint(header) });
    const rotated = record(await call(rotate.POST, "POST", `/api/v1/targets/${targetId}/rotate-secret`, { token, params: { id: targetId } }));
    const signing = String(obj(rotated.json).signingSecret);
    plains.push(signing);
    expect(obj(obj(rotated.json).signing).signingSecretHint).toBe(hint(signing));

    const put1 = record(await call(secret.PUT, "PUT", "/api/v1/secrets/API_KEY", { token, params: { name: "API_KEY" }, body: { value: o1 } }));
    expect(put1.status).toBe(201);
    expect(obj(put1.json).hint).toBe(hint(o1));
    const put2 = record(await call(secret.PUT, "PUT", "/api/v1/secrets/API_KEY", { token, params: { name: "API_KEY" }, body: { value: o2 } }));
    expect(put2.status).toBe(200);
    expect(obj(put2.json).hint).toBe(hint(o2));
    const listed = record(await call(secretsList.GET, "GET", "/api/v1/secrets", { token }));
    expect(listed.json).toMatchObject({ data: [{ name: "API_KEY", hint: hint(o2) }] });
    const got = record(await call(target.GET, "GET", `/api/v1/targets/${targetId}`, { token, params: { id: targetId } }));
    expect(obj(got.json).auth).toMatchObject({ secretHint: hint(header) });
    expect(obj(obj(got.json).signing).signingSecretHint).toBe(hint(signing));

    // Only the create and rotate answers carry the signing secret, as before; no other secret anywhere.
    for (const text of texts) for (const p of [s1, s2, bearer, header, o1, o2]) expect(text).not.toContain(p);

    const stored = await storedValues(org.id);
    expect(stored.map((s) => s.kind).sort()).toEqual(["InboundSource.verificationSecret", "OrgSecret.value", "Target.authSecret", "Target.signingSecret"]);
    expectNoPlainText(stored, plains);
    // And each opens, for its own row, to the current value.
    const row = await prisma().target.findUniqueOrThrow({ where: { id: targetId } });
    expect(openStored("Target.authSecret", row, row.authSecret)).toBe(header);
    expect(openStored("Target.signingSecret", row, row.signingSecret)).toBe(signing);
    const orgSecret = await prisma().orgSecret.findFirstOrThrow({ where: { orgId: org.id } });
    expect(openStored("OrgSecret.value", orgSecret, orgSecret.value)).toBe(o2);
  });
});

// ---------------------------------------------------------------------------------
// Start-up sealing, unknown keys and rotation, on a database of its own

const SEAL_STAMP = "20261204100000_secrets_at_rest";

describe("stored secrets from before encryption", () => {
  let name: string;
  let client: pg.Client;
  let pool: pg.Pool;
  let url: string;

  beforeAll(async () => {
    name = `provenance_it_seal_${Date.now()}_${randomBytes(3).toString("hex")}`;
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const u = new URL(ADMIN_URL);
    u.pathname = `/${name}`;
    url = u.toString();
    client = new pg.Client({ connectionString: url });
    await client.connect();
    pool = new pg.Pool({ connectionString: url, max: 2 });
    // The schema as it was before this change.
    await applyMigrations(client, (await readMigrations()).filter((m) => m.name < SEAL_STAMP));
  });

  afterAll(async () => {
    await client.end();
    await pool.end();
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  const q = (sql: string, params: unknown[] = []) => client.query(sql, params);

  async function insertPlainRows(label: string, values: { source: string; auth: string; signing: string; org: string }) {
    const org = (await q(`INSERT INTO "Org" ("id", "slug", "name") VALUES (gen_random_uuid(), $1, $1) RETURNING "id"`, [label])).rows[0].id as string;
    const origin = (await q(`INSERT INTO "Origin" ("id", "orgId", "name") VALUES (gen_random_uuid(), $1, 'o') RETURNING "id"`, [org])).rows[0].id as string;
    const src = (
      await q(
        `INSERT INTO "InboundSource" ("id", "orgId", "originId", "title", "mnemonic", "verification", "verificationSecret", "updatedAt")
         VALUES (gen_random_uuid(), $1, $2, 'Stripe', 'stripe', '{"preset":"stripe"}', $3, now()) RETURNING "id"`,
        [org, origin, values.source],
      )
    ).rows[0].id as string;
    const tgt = (
      await q(
        `INSERT INTO "Target" ("id", "orgId", "name", "url", "authType", "authSecret", "signingSecret", "updatedAt")
         VALUES (gen_random_uuid(), $1, 'wh', 'https://example.com/', 'bearer', $2, $3, now()) RETURNING "id"`,
        [org, values.auth, values.signing],
      )
    ).rows[0].id as string;
    await q(`INSERT INTO "OrgSecret" ("id", "orgId", "name", "value", "updatedAt") VALUES (gen_random_uuid(), $1, 'TOKEN', $2, now())`, [org, values.org]);
    return { org, src, tgt };
  }

  const columnsOf = async (org: string) => {
    const s = (await q(`SELECT "id", "verificationSecret" FROM "InboundSource" WHERE "orgId" = $1`, [org])).rows[0];
    const t = (await q(`SELECT "id", "authSecret", "signingSecret" FROM "Target" WHERE "orgId" = $1`, [org])).rows[0];
    const o = (await q(`SELECT "orgId", "name", "value" FROM "OrgSecret" WHERE "orgId" = $1`, [org])).rows[0];
    return { s, t, o };
  };

  it("are sealed at start-up once, keep working, and a plain value that looks sealed is sealed as the text it is", async () => {
    const before = {
      source: `whsec_${randomBytes(16).toString("hex")}`,
      auth: `tok_${randomBytes(12).toString("hex")}`,
      // A tenant's secret that happens to look like a sealed value under some key.
      signing: `enc:v1:${"ab".repeat(8)}:${randomBytes(40).toString("base64url")}`,
      org: `plain:${randomBytes(8).toString("hex")}`,
    };
    const { org, src } = await insertPlainRows("legacy", before);
    // The rest of the migrations (the new one marks plain values), then start-up.
    await applyMigrations(client);
    const report = await sealSecretsAtStart(client);
    expect(report.columns.map((c) => [c.kind, c.sealed])).toEqual([
      ["InboundSource.verificationSecret", 1],
      ["Target.authSecret", 1],
      ["Target.signingSecret", 1],
      ["OrgSecret.value", 1],
    ]);
    const { s, t, o } = await columnsOf(org);
    expect(openStored("InboundSource.verificationSecret", s, s.verificationSecret)).toBe(before.source);
    expect(openStored("Target.authSecret", t, t.authSecret)).toBe(before.auth);
    expect(openStored("Target.signingSecret", t, t.signingSecret)).toBe(before.signing);
    expect(openStored("OrgSecret.value", o, o.value)).toBe(before.org);

    // Idempotent: a second start finds everything current.
    const again = await sealSecretsAtStart(client);
    expect(again.columns.every((c) => c.sealed === 0 && c.current === 1)).toBe(true);
    expect(await columnsOf(org)).toEqual({ s, t, o });

    // The source verifies webhooks with its old secret.
    const found = await createSourceLookup(pool).findSource("legacy", { id: src });
    expect(found?.verification).toMatchObject({ preset: "stripe", secret: before.source });
    expect(found?.verificationProblem).toBeUndefined();
  });

  it("refuse to start when a secret is under a key that is not configured, naming the column and key id, never the value", async () => {
    const lost = createKeyring({ current: randomBytes(32) });
    const { org, tgt } = await insertPlainRows("lostkey", { source: "s", auth: "a", signing: "whsec_x", org: "o" });
    const plainAuth = `tok_${randomBytes(12).toString("hex")}`;
    await q(`UPDATE "Target" SET "authSecret" = $2 WHERE "id" = $1`, [tgt, lost.seal(plainAuth, secretContext("Target.authSecret", tgt))]);
    await q(`DELETE FROM "OrgSecret" WHERE "orgId" = $1`, [org]);
    const failure = await sealSecretsAtStart(client).then(
      () => null,
      (error: Error) => error.message,
    );
    expect(failure).toContain(`not configured: ${lost.currentKid} (Target.authSecret ×1)`);
    expect(failure).toContain(secretKeyring().currentKid);
    expect(failure).toContain("PROVENANCE_SECRET_KEY_PREVIOUS");
    expect(failure).not.toContain(plainAuth);
    await q(`DELETE FROM "Org" WHERE "id" = $1`, [org]);
  });

  it("move to a new key with the re-encryption, which is idempotent and can forget what no key opens", async () => {
    const current = secretKeyring();
    const { org, tgt } = await insertPlainRows("rotating", { source: "s-rot", auth: "a-rot", signing: "whsec_rot", org: "o-rot" });
    await sealSecretsAtStart(client);
    const newKey = randomBytes(32);

    // A ring without the old key opens nothing: the dry run says so and writes nothing.
    const blind = await sealStoredSecrets(client, createKeyring({ current: newKey }), { rotate: true, dryRun: true });
    for (const c of blind.columns) expect(c.unreadable).toEqual({ [`key ${current.currentKid}`]: c.total });
    const unchanged = await columnsOf(org);

    // With the old key as a previous one (PROVENANCE_SECRET_KEY_PREVIOUS) everything moves, page by page.
    const ring = createKeyring({ current: newKey, previous: [parseSecretKey(TEST_SECRET_KEY)] });
    const rotated = await sealStoredSecrets(client, ring, { rotate: true, batchSize: 1 });
    const totals = rotated.columns.map((c) => c.total);
    expect(totals.every((n) => n >= 1)).toBe(true);
    expect(rotated.columns.map((c) => c.rotated)).toEqual(totals);
    const { s, t, o } = await columnsOf(org);
    expect(s.verificationSecret).not.toBe(unchanged.s.verificationSecret);
    for (const v of [s.verificationSecret, t.authSecret, t.signingSecret, o.value]) expect(v.split(":")[2]).toBe(keyIdOf(newKey));
    const newOnly = createKeyring({ current: newKey });
    expect(newOnly.open(t.authSecret, secretContext("Target.authSecret", tgt))).toMatchObject({ ok: true, value: "a-rot" });
    expect(newOnly.open(o.value, secretContext("OrgSecret.value", `${org}:TOKEN`))).toMatchObject({ ok: true, value: "o-rot" });

    // Again: nothing to do.
    const twice = await sealStoredSecrets(client, ring, { rotate: true });
    expect(twice.columns.map((c) => [c.rotated, c.current])).toEqual(totals.map((n) => [0, n]));

    // A lost key: forgetting clears the nullable columns and deletes the org secrets.
    const forgot = await sealStoredSecrets(client, current, { rotate: true, forgetUnreadable: true });
    expect(forgot.columns.map((c) => c.forgotten)).toEqual(totals);
    const after = await columnsOf(org);
    expect(after.s.verificationSecret).toBeNull();
    expect(after.t).toMatchObject({ authSecret: null, signingSecret: null });
    expect(after.o).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------
// Fail closed

function stripeHeader(body: string, secretValue: string) {
  return { "stripe-signature": Stripe.webhooks.generateTestHeaderString({ payload: body, secret: secretValue }) };
}

describe("verification fails closed", () => {
  const SECRET = `whsec_${randomBytes(16).toString("hex")}`;
  const body = JSON.stringify({ id: "evt_1", type: "x" });

  async function sourceWith(stored: (id: string) => string | null) {
    const org = await createOrg("fc");
    const s = await createSource(org.id, { verification: { preset: "stripe" }, secret: null });
    await prisma().inboundSource.update({ where: { id: s.id }, data: { verificationSecret: stored(s.id) } });
    await createMapping(org.id, s.id, { resourceType: "order", action: "created", resourceIdPath: "id" });
    return { org, s };
  }

  async function expectRefused(slug: string, id: string, detail: RegExp) {
    const res = await postInbound(slug, { id }, body, stripeHeader(body, SECRET));
    expect(res.status).toBe(401);
    expect(res.body.error).toBe("Signature verification failed");
    const event = await prisma().inboundEvent.findUniqueOrThrow({ where: { id: String(res.body.eventId) } });
    expect(event.status).toBe("failed");
    expect(event.stages).toContainEqual({ stage: "signature", outcome: "failed", detail: expect.stringMatching(detail) });
    expect(await prisma().interaction.count({ where: { eventId: event.id } })).toBe(0);
    return event;
  }

  it("a source with verification settings but no stored secret refuses every request (401), warning once", async () => {
    const { org, s } = await sourceWith(() => null);
    lines.length = 0;
    for (let i = 0; i < 3; i++) {
      // Looked up afresh each time (another process, an expired cache entry): still one warning.
      invalidateSourceCache(s.id);
      await expectRefused(org.slug, s.id, /^Signature verification failed: no signing secret is stored for this source$/);
    }
    // Unsigned too: "no secret" never means "no check".
    expect((await postInbound(org.slug, { id: s.id }, body)).status).toBe(401);
    const warnings = lines.filter((l) => l.includes(s.id));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0]!)).toMatchObject({ level: 40, column: "InboundSource.verificationSecret", id: s.id, reason: "missing" });
  });

  it("a secret under a key that is not configured, or moved from another row, refuses every request (401)", async () => {
    const other = createKeyring({ current: randomBytes(32) });
    const unknown = await sourceWith((id) => other.seal(SECRET, secretContext("InboundSource.verificationSecret", id)));
    await expectRefused(unknown.org.slug, unknown.s.id, new RegExp(`key id ${other.currentKid}, which is not configured$`));

    // The sealed secret of one source copied into another row does not open there.
    const donor = await sourceWith((id) => sealSecret("InboundSource.verificationSecret", { id }, SECRET));
    expect((await postInbound(donor.org.slug, { id: donor.s.id }, body, stripeHeader(body, SECRET))).status).toBe(200);
    const donorRow = await prisma().inboundSource.findUniqueOrThrow({ where: { id: donor.s.id } });
    const copied = await sourceWith(() => donorRow.verificationSecret);
    await expectRefused(copied.org.slug, copied.s.id, /does not decrypt/);

    // A value that is not sealed at all (written around the app) is no secret either.
    const plain = await sourceWith(() => SECRET);
    await expectRefused(plain.org.slug, plain.s.id, /not encrypted yet/);
    for (const l of lines) expect(l).not.toContain(SECRET);
  });

  it("the management API still answers for such a source, with a bare hint, and a new secret heals it", async () => {
    const { org, token } = await createOrgWithToken("admin");
    const other = createKeyring({ current: randomBytes(32) });
    const created = await call(sources.POST, "POST", "/api/v1/inbound-sources", { token, body: { title: "S", mnemonic: "s", verification: { preset: "stripe", secret: SECRET } } });
    const id = String(obj(created.json).id);
    await prisma().inboundSource.update({ where: { id }, data: { verificationSecret: other.seal(SECRET, secretContext("InboundSource.verificationSecret", id)) } });
    const got = await call(source.GET, "GET", `/api/v1/inbound-sources/${id}`, { token, params: { id } });
    expect(got.status).toBe(200);
    expect(obj(obj(got.json).verification).secretHint).toBe("…");
    // Keeping a secret that cannot be read is refused with a clear 400.
    const keep = await call(source.PATCH, "PATCH", `/api/v1/inbound-sources/${id}`, { token, params: { id }, body: { verification: { preset: "stripe" } } });
    expect(keep.status).toBe(400);
    expect(keep.json).toEqual({ error: "Validation failed", details: [{ path: "/verification/secret", message: "is required: this source's stored secret cannot be decrypted" }] });
    const healed = await call(source.PATCH, "PATCH", `/api/v1/inbound-sources/${id}`, { token, params: { id }, body: { verification: { preset: "stripe", secret: SECRET } } });
    expect(obj(obj(healed.json).verification).secretHint).toBe(hint(SECRET));
    expect((await postInbound(org.slug, { id }, body, stripeHeader(body, SECRET))).status).toBe(200);
  });
});

describe("delivery fails closed", () => {
  let server: http.Server;
  let url: string;
  const received: http.IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      received.push(req.headers);
      req.resume();
      req.on("end", () => res.writeHead(204).end());
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  async function deliverOnce(data: { authType?: string; authSecret?: (id: string) => string | null; signingEnabled?: boolean; signingSecret?: (id: string) => string | null }) {
    const org = await createOrg("dfc");
    const s = await createSource(org.id);
    const m = await createMapping(org.id, s.id, { resourceType: "order", action: "created", resourceIdPath: "id" });
    const t = await prisma().target.create({ data: { orgId: org.id, name: "t", url, authType: data.authType ?? "none", signingEnabled: data.signingEnabled ?? true } });
    await prisma().target.update({
      where: { id: t.id },
      data: { authSecret: data.authSecret?.(t.id) ?? null, signingSecret: data.signingSecret?.(t.id) ?? null },
    });
    await prisma().route.create({ data: { orgId: org.id, mappingId: m.id, targetId: t.id } });
    const res = await postInbound(org.slug, { id: s.id }, JSON.stringify({ id: "o1" }));
    expect(res.status).toBe(200);
    const before = received.length;
    for (let n = -1; n !== 0; ) n = await deliverDue({ pool: db().pool, allowPrivate: true, batchSize: 8 });
    const delivery = await prisma().delivery.findFirstOrThrow({ where: { targetId: t.id } });
    return { delivery, sent: received.length - before };
  }

  it("signing enabled without a usable signing secret: not sent (never unsigned), the attempt says why", async () => {
    const missing = await deliverOnce({ signingSecret: () => null });
    expect(missing.sent).toBe(0);
    expect(missing.delivery.status).toBe("failed");
    expect(missing.delivery.attempts).toEqual([expect.objectContaining({ error: expect.stringMatching(/^Not sent: signing is enabled but the signing secret is missing/) })]);

    const other = createKeyring({ current: randomBytes(32) });
    const unknown = await deliverOnce({ signingSecret: (id) => other.seal(`whsec_${randomBytes(32).toString("base64")}`, secretContext("Target.signingSecret", id)) });
    expect(unknown.sent).toBe(0);
  });

  it("auth of a type other than none without a usable secret: not sent (never unauthenticated)", async () => {
    const r = await deliverOnce({ authType: "bearer", authSecret: () => "plain-token-written-around-the-app", signingEnabled: false });
    expect(r.sent).toBe(0);
    expect(r.delivery.attempts).toEqual([expect.objectContaining({ error: expect.stringMatching(/^Not sent: the target's bearer auth secret/) })]);
    // Sealed properly, the same target is sent, with its token.
    const ok = await deliverOnce({ authType: "bearer", authSecret: (id) => sealSecret("Target.authSecret", { id }, "tok_good"), signingEnabled: false });
    expect(ok.sent).toBe(1);
    expect(received.at(-1)?.authorization).toBe("Bearer tok_good");
  });
});
