// Management API: inbound sources, called through the route handlers as a client would.
import { beforeAll, describe, expect, it } from "vitest";
import * as collection from "@/app/api/v1/inbound-sources/route";
import * as item from "@/app/api/v1/inbound-sources/[id]/route";
import { db, prisma } from "@/lib/db";
import { createSourceLookup } from "@/lib/store/source-lookup";
import { call, createOrgWithToken, list, obj, tokenFor } from "./helpers/fixtures";
import { openStored } from "./helpers/stored-secrets";

const PATH = "/api/v1/inbound-sources";
const SECRET = "s3cr3t-value-that-must-never-leak-9Zq7";
const KIND = "InboundSource.verificationSecret";

let org: { id: string; slug: string };
let admin: string;
let operator: string;
let reviewer: string;
let other: { org: { id: string }; token: string };

beforeAll(async () => {
  const a = await createOrgWithToken("admin");
  org = a.org;
  admin = a.token;
  operator = await tokenFor(org.id, "operator");
  reviewer = await tokenFor(org.id, "reviewer");
  other = await createOrgWithToken("admin");
});

const create = (body: unknown, token = operator) => call(collection.POST, "POST", PATH, { token, body });
const at = (id: string) => ({ path: `${PATH}/${id}`, params: { id } });

describe("inbound sources CRUD", () => {
  it("creates, reads, lists, updates and deletes a source", async () => {
    const created = await create({ title: "Stripe live", mnemonic: "stripe-live", description: "Payments" });
    expect(created.status).toBe(201);
    const src = obj(created.json);
    expect(src).toMatchObject({
      title: "Stripe live",
      mnemonic: "stripe-live",
      description: "Payments",
      active: true,
      verification: null,
      payloadSchema: null,
    });
    expect(src.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof src.createdAt).toBe("string");
    expect(created.headers.get("x-request-id")).toBeTruthy();

    // Its origin exists, named after the source, in the same org.
    const origin = await prisma().origin.findUniqueOrThrow({ where: { id: String(src.originId) } });
    expect(origin).toMatchObject({ orgId: org.id, name: "Stripe live" });

    const got = await call(item.GET, "GET", at(String(src.id)).path, { token: reviewer, params: at(String(src.id)).params });
    expect(got.status).toBe(200);
    expect(got.json).toEqual(src);

    const listed = await call(collection.GET, "GET", PATH, { token: reviewer });
    expect(listed.status).toBe(200);
    expect(list(listed.json).map((s) => s.id)).toContain(src.id);

    const patched = await call(item.PATCH, "PATCH", at(String(src.id)).path, {
      token: operator,
      params: at(String(src.id)).params,
      body: { title: "Stripe (live)", active: false, description: null, payloadSchema: { type: "object", required: ["id"] } },
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({
      id: src.id,
      title: "Stripe (live)",
      mnemonic: "stripe-live",
      active: false,
      description: null,
      payloadSchema: { type: "object", required: ["id"] },
    });
    expect((await prisma().origin.findUniqueOrThrow({ where: { id: String(src.originId) } })).name).toBe("Stripe (live)");

    const deleted = await call(item.DELETE, "DELETE", at(String(src.id)).path, { token: operator, params: at(String(src.id)).params });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");

    const gone = await call(item.GET, "GET", at(String(src.id)).path, { token: reviewer, params: at(String(src.id)).params });
    expect(gone.status).toBe(404);
    expect(gone.json).toEqual({ error: "Not found" });
  });

  it("fills in preset settings and shows only a hint of the secret", async () => {
    const gh = await create({ title: "GitHub", mnemonic: "gh", verification: { preset: "github", secret: SECRET } });
    expect(gh.status).toBe(201);
    expect(obj(gh.json).verification).toEqual({
      preset: "github",
      header: "X-Hub-Signature-256",
      prefix: "sha256=",
      algorithm: "sha256",
      encoding: "hex",
      timestampField: null,
      replayTolerance: null,
      secretHint: "…9Zq7",
    });

    const stripe = await create({ title: "Stripe", mnemonic: "stripe", verification: { preset: "stripe", secret: "whsec_abc" } });
    expect(obj(obj(stripe.json).verification)).toMatchObject({ header: "Stripe-Signature", replayTolerance: 300, secretHint: "…" });

    const hmac = await create({
      title: "Custom",
      mnemonic: "custom",
      verification: { secret: SECRET, prefix: "sha512=", algorithm: "sha512", encoding: "base64", timestampField: "meta.sentAt", replayTolerance: 120 },
    });
    expect(obj(hmac.json).verification).toEqual({
      preset: "hmac",
      header: "X-Signature",
      prefix: "sha512=",
      algorithm: "sha512",
      encoding: "base64",
      timestampField: "meta.sentAt",
      replayTolerance: 120,
      secretHint: `…${SECRET.slice(-4)}`,
    });

    // The secret is stored apart from the settings, which never contain it.
    const row = await prisma().inboundSource.findUniqueOrThrow({ where: { id: String(obj(hmac.json).id) } });
    expect(openStored(KIND, row, row.verificationSecret)).toBe(SECRET);
    expect(row.verificationSecret).not.toContain(SECRET);
    expect(JSON.stringify(row.verification)).not.toContain(SECRET);
  });

  it("never returns the secret from any endpoint, and PATCH without a secret keeps it", async () => {
    const created = await create({ title: "Secretive", mnemonic: "secretive", verification: { preset: "hmac", header: "X-Sig", secret: SECRET } });
    const id = String(obj(created.json).id);
    const responses = [
      created,
      await call(item.GET, "GET", at(id).path, { token: reviewer, params: at(id).params }),
      await call(collection.GET, "GET", PATH, { token: reviewer }),
      await call(item.PATCH, "PATCH", at(id).path, {
        token: operator,
        params: at(id).params,
        body: { verification: { preset: "hmac", header: "X-Other-Sig", encoding: "base64" } },
      }),
    ];
    for (const r of responses) {
      expect(r.status).toBeLessThan(300);
      expect(r.text).not.toContain(SECRET);
      expect(r.text).not.toContain("verificationSecret");
    }
    const patched = obj(obj(responses[3]!.json).verification);
    expect(patched).toMatchObject({ header: "X-Other-Sig", encoding: "base64", secretHint: `…${SECRET.slice(-4)}` });
    expect(openStored(KIND, { id }, (await prisma().inboundSource.findUniqueOrThrow({ where: { id } })).verificationSecret)).toBe(SECRET);

    // A new secret replaces it; null removes verification and the secret together.
    await call(item.PATCH, "PATCH", at(id).path, { token: operator, params: at(id).params, body: { verification: { secret: "another-secret-0001" } } });
    expect(openStored(KIND, { id }, (await prisma().inboundSource.findUniqueOrThrow({ where: { id } })).verificationSecret)).toBe("another-secret-0001");
    const cleared = await call(item.PATCH, "PATCH", at(id).path, { token: operator, params: at(id).params, body: { verification: null } });
    expect(obj(cleared.json).verification).toBeNull();
    expect((await prisma().inboundSource.findUniqueOrThrow({ where: { id } })).verificationSecret).toBeNull();

    // With nothing stored, a verification without a secret is refused.
    const noSecret = await call(item.PATCH, "PATCH", at(id).path, { token: operator, params: at(id).params, body: { verification: { preset: "github" } } });
    expect(noSecret.status).toBe(400);
    expect(noSecret.json).toEqual({
      error: "Validation failed",
      details: [{ path: "/verification/secret", message: "is required: this source has no stored secret" }],
    });
  });

  it("invalidates the inbound source cache on create, update and delete", async () => {
    const lookup = createSourceLookup(db().pool);
    // A miss is cached too; creating the source must not leave it answering 404.
    expect(await lookup.findSource(org.slug, { mnemonic: "cached" })).toBeNull();
    const created = await create({ title: "Cached", mnemonic: "cached" });
    const id = String(obj(created.json).id);
    expect((await lookup.findSource(org.slug, { mnemonic: "cached" }))?.active).toBe(true);

    await call(item.PATCH, "PATCH", at(id).path, { token: operator, params: at(id).params, body: { active: false } });
    expect((await lookup.findSource(org.slug, { mnemonic: "cached" }))?.active).toBe(false);

    await call(item.DELETE, "DELETE", at(id).path, { token: operator, params: at(id).params });
    expect(await lookup.findSource(org.slug, { mnemonic: "cached" })).toBeNull();
  });
});

describe("inbound source validation", () => {
  it("answers 409 with a pointer when the mnemonic is taken, on create and on update", async () => {
    expect((await create({ title: "A", mnemonic: "dup" })).status).toBe(201);
    const again = await create({ title: "B", mnemonic: "dup" });
    expect(again.status).toBe(409);
    expect(again.json).toEqual({
      error: "Conflict",
      details: [{ path: "/mnemonic", message: '"dup" is already used by another source of this organization' }],
    });

    const b = await create({ title: "B", mnemonic: "dup-b" });
    const id = String(obj(b.json).id);
    const renamed = await call(item.PATCH, "PATCH", at(id).path, { token: operator, params: at(id).params, body: { mnemonic: "dup" } });
    expect(renamed.status).toBe(409);
    expect(obj(renamed.json).details).toEqual([{ path: "/mnemonic", message: '"dup" is already used by another source of this organization' }]);

    // Mnemonics are unique per org, not globally.
    expect((await create({ title: "A", mnemonic: "dup" }, other.token)).status).toBe(201);
  });

  it("reports every problem with a JSON Pointer", async () => {
    const res = await create({
      title: "",
      mnemonic: "has space",
      active: "yes",
      verification: { preset: "nope", timestampField: "__proto__.polluted" },
      payloadSchema: { type: "objekt" },
    });
    expect(res.status).toBe(400);
    const body = obj(res.json);
    expect(body.error).toBe("Validation failed");
    const paths = (body.details as { path: string }[]).map((d) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "/title",
        "/mnemonic",
        "/active",
        "/verification/preset",
        "/verification/secret",
        "/verification/timestampField",
        "/payloadSchema/type",
      ]),
    );
    expect(body.details).toContainEqual({ path: "/verification/timestampField", message: 'Path segment "__proto__" is not allowed' });
  });

  it("refuses settings a preset fixes, and malformed standard-webhooks secrets", async () => {
    const res = await create({
      title: "Shopify",
      mnemonic: "shop",
      verification: { preset: "shopify", header: "X-Other", encoding: "hex", secret: SECRET },
    });
    expect(res.status).toBe(400);
    expect(obj(res.json).details).toEqual([
      { path: "/verification/header", message: 'is fixed by the "shopify" preset ("X-Shopify-Hmac-Sha256")' },
      { path: "/verification/encoding", message: 'is fixed by the "shopify" preset ("base64")' },
    ]);

    const sw = await create({ title: "SW", mnemonic: "sw", verification: { preset: "standard-webhooks", secret: "not-whsec" } });
    expect(sw.status).toBe(400);
    expect(obj(sw.json).details).toEqual([
      { path: "/verification/secret", message: 'must be "whsec_" followed by base64 for the standard-webhooks preset' },
    ]);
    const swOk = await create({
      title: "SW",
      mnemonic: "sw",
      verification: { preset: "standard-webhooks", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" },
    });
    expect(swOk.status).toBe(201);
    expect(obj(swOk.json).verification).toMatchObject({ header: "webhook-signature", prefix: "v1,", encoding: "base64", replayTolerance: 300 });

    const half = await create({ title: "Half", mnemonic: "half", verification: { secret: SECRET, replayTolerance: 60 } });
    expect(obj(half.json).details).toEqual([{ path: "/verification/timestampField", message: 'is required when replayTolerance is set (preset "hmac")' }]);
    const zero = await create({ title: "Zero", mnemonic: "zero", verification: { secret: SECRET, timestampField: "ts", replayTolerance: 0 } });
    expect(obj(zero.json).details).toContainEqual({ path: "/verification/replayTolerance", message: "must be at least 1 second" });
  });

  it("answers 400 for bodies that are not JSON, and 413 past 1 MiB", async () => {
    const bad = await call(collection.POST, "POST", PATH, { token: operator, rawBody: "{not json" });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ error: "Validation failed", details: [{ path: "", message: "Invalid JSON body" }] });

    const empty = await call(collection.POST, "POST", PATH, { token: operator, rawBody: "" });
    expect(empty.json).toEqual({ error: "Validation failed", details: [{ path: "", message: "Invalid JSON body" }] });

    const huge = await call(collection.POST, "POST", PATH, {
      token: operator,
      body: { title: "Big", mnemonic: "big", description: "x".repeat(1024 * 1024) },
    });
    expect(huge.status).toBe(413);
    expect(huge.json).toEqual({ error: "Payload too large" });
  });
});

describe("inbound source access", () => {
  it("answers 401 without a token, with a bad token and with a malformed header", async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: "Bearer prv_not-a-real-token-at-all" }, { authorization: "Basic abc" }];
    for (const headers of attempts) {
      const res = await call(collection.GET, "GET", PATH, { headers });
      expect(res.status).toBe(401);
      expect(res.json).toEqual({ error: "Unauthorized" });
    }
  });

  it("lets a reviewer read but not write", async () => {
    const src = obj((await create({ title: "R", mnemonic: "for-reviewer" })).json);
    const id = String(src.id);
    expect((await call(item.GET, "GET", at(id).path, { token: reviewer, params: at(id).params })).status).toBe(200);
    const attempts = [
      await create({ title: "R2", mnemonic: "r2" }, reviewer),
      await call(item.PATCH, "PATCH", at(id).path, { token: reviewer, params: at(id).params, body: { title: "x" } }),
      await call(item.DELETE, "DELETE", at(id).path, { token: reviewer, params: at(id).params }),
    ];
    for (const r of attempts) {
      expect(r.status).toBe(403);
      expect(r.json).toEqual({ error: "Forbidden" });
    }
    expect((await create({ title: "A", mnemonic: "by-admin" }, admin)).status).toBe(201);
  });

  it("treats unknown ids, malformed ids and another org's sources as not found", async () => {
    const theirs = obj((await create({ title: "Theirs", mnemonic: "theirs" }, other.token)).json);
    for (const id of ["00000000-0000-4000-8000-000000000000", "not-a-uuid", "'; DROP TABLE x;--", String(theirs.id)]) {
      const responses = [
        await call(item.GET, "GET", at(id).path, { token: admin, params: at(id).params }),
        await call(item.PATCH, "PATCH", at(id).path, { token: admin, params: at(id).params, body: { title: "mine now" } }),
        await call(item.DELETE, "DELETE", at(id).path, { token: admin, params: at(id).params }),
      ];
      for (const r of responses) {
        expect(r.status).toBe(404);
        expect(r.json).toEqual({ error: "Not found" });
      }
    }
    // Untouched, and not in this org's list.
    const row = await prisma().inboundSource.findUniqueOrThrow({ where: { id: String(theirs.id) } });
    expect(row.title).toBe("Theirs");
    const mine = list((await call(collection.GET, "GET", PATH, { token: admin })).json);
    expect(mine.map((s) => s.id)).not.toContain(theirs.id);
  });
});
