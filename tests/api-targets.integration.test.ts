// Management API: delivery targets, called through the route handlers as a client would.
// Every response is also checked against the published OpenAPI document.
import { beforeAll, describe, expect, it } from "vitest";
import * as collection from "@/app/api/v1/targets/route";
import * as item from "@/app/api/v1/targets/[id]/route";
import * as rotate from "@/app/api/v1/targets/[id]/rotate-secret/route";
import * as sourcesRoute from "@/app/api/v1/inbound-sources/route";
import * as mappingsRoute from "@/app/api/v1/inbound-mappings/route";
import { openApiDocument } from "@/lib/api/openapi";
import { TargetCreate } from "@/lib/schemas/targets";
import { secretHint } from "@/lib/delivery/sign-outbound";
import { prisma } from "@/lib/db";
import { env } from "@/lib/env";
import { createTarget, updateTarget } from "@/lib/store/targets";
import { call, createOrgWithToken, insertDelivery, insertInteraction, list, obj, tokenFor, type CallResult } from "./helpers/fixtures";
import { responseChecker } from "./helpers/openapi";
import { openStored } from "./helpers/stored-secrets";

const PATH = "/api/v1/targets";
const URL_OK = "https://hooks.example.com/x";
const BEARER = "bearer-token-that-must-never-leak-4f2K";
const WHSEC_RE = /^whsec_[A-Za-z0-9+/]{43}=$/;

const check = responseChecker(openApiDocument());

let org: { id: string };
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
  other = await createOrgWithToken("operator");
});

/** The response, after checking it against the operation's documented schema. */
function documented(res: CallResult, path: string, method: string): CallResult {
  if (res.status !== 204) check(path, method, res.status, res.json);
  return res;
}

const create = async (body: unknown, token = operator) => documented(await call(collection.POST, "POST", PATH, { token, body }), PATH, "post");
const at = (id: string) => ({ path: `${PATH}/${id}`, params: { id } });
const get = async (id: string, token = reviewer) =>
  documented(await call(item.GET, "GET", at(id).path, { token, params: at(id).params }), `${PATH}/{id}`, "get");
const patch = async (id: string, body: unknown, token = operator) =>
  documented(await call(item.PATCH, "PATCH", at(id).path, { token, params: at(id).params, body }), `${PATH}/{id}`, "patch");
const remove = async (id: string, token = operator) =>
  documented(await call(item.DELETE, "DELETE", at(id).path, { token, params: at(id).params }), `${PATH}/{id}`, "delete");
const rotateSecret = async (id: string, token = operator) =>
  documented(
    await call(rotate.POST, "POST", `${PATH}/${id}/rotate-secret`, { token, params: { id } }),
    `${PATH}/{id}/rotate-secret`,
    "post",
  );
const listAll = async (query = "", token = reviewer) => documented(await call(collection.GET, "GET", `${PATH}${query}`, { token }), PATH, "get");

describe("targets CRUD", () => {
  it("creates with defaults, shows the signing secret once, then reads, lists, updates and deletes", async () => {
    const created = await create({ name: "billing", url: URL_OK });
    expect(created.status).toBe(201);
    const t = obj(created.json);
    expect(t).toMatchObject({
      name: "billing",
      url: URL_OK,
      active: true,
      auth: { type: "none", headerName: null, secretHint: null },
      signing: { type: "standard-webhooks", enabled: true },
      retry: { maxAttempts: 8, backoff: "exponential", initialDelaySeconds: 5 },
      timeoutSeconds: 10,
    });
    const signingSecret = String(t.signingSecret);
    expect(signingSecret).toMatch(WHSEC_RE);
    expect(obj(t.signing).signingSecretHint).toBe(secretHint(signingSecret));
    const id = String(t.id);
    const row = await prisma().target.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ orgId: org.id, authType: "none", authSecret: null });
    expect(openStored("Target.signingSecret", row, row.signingSecret)).toBe(signingSecret);

    const got = await get(id);
    expect(got.status).toBe(200);
    // The same target, minus the secret shown once.
    const withoutSecret = { ...t };
    delete withoutSecret.signingSecret;
    expect(got.json).toEqual(withoutSecret);

    const listed = await listAll();
    expect(list(listed.json).map((x) => x.id)).toContain(id);

    const patched = await patch(id, {
      name: "billing-v2",
      active: false,
      url: "https://hooks.example.com/v2",
      signing: { enabled: false },
      retry: { maxAttempts: 3 },
      timeoutSeconds: 30,
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({
      id,
      name: "billing-v2",
      url: "https://hooks.example.com/v2",
      active: false,
      signing: { enabled: false, signingSecretHint: secretHint(signingSecret) },
      // retry is merged: the fields not sent are kept.
      retry: { maxAttempts: 3, backoff: "exponential", initialDelaySeconds: 5 },
      timeoutSeconds: 30,
    });

    for (const r of [got, listed, patched]) expect(r.text).not.toContain(signingSecret);
    for (const r of [got, listed, patched]) expect(r.text).not.toContain('"signingSecret"');

    const deleted = await remove(id);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    const gone = await get(id);
    expect(gone.status).toBe(404);
    expect(gone.json).toEqual({ error: "Not found" });
  });

  it("stores every setting given on create", async () => {
    const created = await create({
      name: "tuned",
      url: URL_OK,
      active: false,
      signing: { type: "standard-webhooks", enabled: false },
      retry: { maxAttempts: 20, backoff: "fixed", initialDelaySeconds: 3600 },
      timeoutSeconds: 1,
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      active: false,
      signing: { enabled: false },
      retry: { maxAttempts: 20, backoff: "fixed", initialDelaySeconds: 3600 },
      timeoutSeconds: 1,
    });
    // A secret exists even while signing is off, so turning it on needs no extra step.
    expect(String(obj(created.json).signingSecret)).toMatch(WHSEC_RE);
  });

  it("pages newest first", async () => {
    const { token } = await createOrgWithToken("operator");
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push(String(obj((await create({ name: `t${i}`, url: URL_OK }, token)).json).id));
    const seen: string[] = [];
    let query = "?limit=2";
    for (let i = 0; i < 10; i += 1) {
      const page = obj((await listAll(query, token)).json);
      seen.push(...list(page).map((x) => String(x.id)));
      if (page.nextCursor === null) break;
      query = `?limit=2&cursor=${encodeURIComponent(String(page.nextCursor))}`;
    }
    expect(seen).toEqual([...ids].reverse());
  });

  it("deletes its routes and deliveries with it", async () => {
    const src = obj((await call(sourcesRoute.POST, "POST", "/api/v1/inbound-sources", { token: operator, body: { title: "S", mnemonic: "del-src" } })).json);
    const mapping = obj(
      (
        await call(mappingsRoute.POST, "POST", "/api/v1/inbound-mappings", {
          token: operator,
          body: { sourceId: src.id, resourceType: "payment", action: "succeeded", resourceIdPath: "id" },
        })
      ).json,
    );
    const target = obj((await create({ name: "doomed", url: URL_OK })).json);
    const targetId = String(target.id);
    const route = await prisma().route.create({ data: { orgId: org.id, mappingId: String(mapping.id), targetId } });
    const interaction = await insertInteraction(org.id, String(mapping.id));
    const delivery = await insertDelivery(org.id, interaction.id, targetId, { status: "dead" });

    expect((await remove(targetId)).status).toBe(204);
    expect(await prisma().route.findUnique({ where: { id: route.id } })).toBeNull();
    expect(await prisma().delivery.findUnique({ where: { id: delivery.id } })).toBeNull();
    // The interaction is business history and stays.
    expect(await prisma().interaction.findUnique({ where: { id: interaction.id } })).not.toBeNull();
  });
});

describe("target auth", () => {
  it("keeps each secret write-only and shows a hint", async () => {
    const cases = [
      { auth: { type: "bearer", secret: BEARER }, headerName: null },
      { auth: { type: "basic", secret: "svc-user:pa:ss-word-with-colons" }, headerName: null },
      { auth: { type: "header", headerName: "X-Api-Key", secret: "key-0123456789-abcd" }, headerName: "X-Api-Key" },
      { auth: { type: "header", headerName: "Authorization", secret: "Token abcdefghijkl" }, headerName: "Authorization" },
    ];
    for (const [i, c] of cases.entries()) {
      const created = await create({ name: `auth-${i}`, url: URL_OK, auth: c.auth });
      expect(created.status).toBe(201);
      expect(obj(created.json).auth).toEqual({ type: c.auth.type, headerName: c.headerName, secretHint: secretHint(c.auth.secret) });
      const id = String(obj(created.json).id);
      const responses = [created, await get(id), await listAll(), await patch(id, { active: false })];
      for (const r of responses) {
        expect(r.status).toBeLessThan(300);
        expect(r.text).not.toContain(c.auth.secret);
        expect(r.text).not.toContain("authSecret");
      }
      const row = await prisma().target.findUniqueOrThrow({ where: { id } });
      expect(row).toMatchObject({ authType: c.auth.type, authHeaderName: c.headerName });
      expect(openStored("Target.authSecret", row, row.authSecret)).toBe(c.auth.secret);
    }
  });

  it("PATCH replaces auth as a whole; an omitted secret is kept only for the same type", async () => {
    const id = String(obj((await create({ name: "auth-patch", url: URL_OK, auth: { type: "bearer", secret: BEARER } })).json).id);
    const stored = async () => prisma().target.findUniqueOrThrow({ where: { id } });
    const storedAuth = async () => openStored("Target.authSecret", { id }, (await stored()).authSecret);

    // Same type, no secret: kept.
    expect((await patch(id, { auth: { type: "bearer" } })).status).toBe(200);
    expect(await storedAuth()).toBe(BEARER);

    // Another type needs its own secret.
    const noSecret = await patch(id, { auth: { type: "header", headerName: "X-Key" } });
    expect(noSecret.status).toBe(400);
    expect(noSecret.json).toEqual({
      error: "Validation failed",
      details: [{ path: "/auth/secret", message: 'is required when changing the auth type to "header"' }],
    });
    expect((await stored()).authType).toBe("bearer");

    const toHeader = await patch(id, { auth: { type: "header", headerName: "X-Key", secret: "header-secret-000001" } });
    expect(obj(toHeader.json).auth).toEqual({ type: "header", headerName: "X-Key", secretHint: "…0001" });
    // Same type, new header name, secret kept.
    const renamed = await patch(id, { auth: { type: "header", headerName: "X-Other-Key" } });
    expect(obj(renamed.json).auth).toEqual({ type: "header", headerName: "X-Other-Key", secretHint: "…0001" });
    expect(await stored()).toMatchObject({ authHeaderName: "X-Other-Key" });
    expect(await storedAuth()).toBe("header-secret-000001");

    // none forgets the secret and the header name.
    const none = await patch(id, { auth: { type: "none" } });
    expect(obj(none.json).auth).toEqual({ type: "none", headerName: null, secretHint: null });
    expect(await stored()).toMatchObject({ authType: "none", authSecret: null, authHeaderName: null });
    const back = await patch(id, { auth: { type: "none" } });
    expect(back.status).toBe(200);
    const bearerAgain = await patch(id, { auth: { type: "bearer" } });
    expect(obj(bearerAgain.json).details).toEqual([{ path: "/auth/secret", message: 'is required when changing the auth type to "bearer"' }]);
  });

  it("refuses auth settings a type does not use, and unusable secrets", async () => {
    const cases: [unknown, { path: string; message: string }[]][] = [
      [{ type: "bearer" }, [{ path: "/auth/secret", message: 'is required when type is "bearer"' }]],
      [{ type: "none", secret: "x" }, [{ path: "/auth/secret", message: 'must be omitted when type is "none"' }]],
      [{ type: "basic", secret: "no-colon" }, [{ path: "/auth/secret", message: 'must be "user:password"' }]],
      [{ type: "basic", secret: ":password-only" }, [{ path: "/auth/secret", message: 'must be "user:password"' }]],
      [{ type: "bearer", secret: "line\r\nX-Injected: 1" }, [{ path: "/auth/secret", message: "must be printable ASCII (it is sent as a header value)" }]],
      [{ type: "header", secret: "v" }, [{ path: "/auth/headerName", message: 'is required when type is "header"' }]],
      [{ type: "bearer", secret: "v", headerName: "X-Key" }, [{ path: "/auth/headerName", message: 'is only used when type is "header"' }]],
      [{ type: "header", secret: "v", headerName: "Bad Header" }, [{ path: "/auth/headerName", message: "must be an HTTP header name" }]],
      [{ type: "header", secret: "v", headerName: "Webhook-Signature" }, [{ path: "/auth/headerName", message: "is set by the platform and cannot carry auth" }]],
      [{ type: "oauth", secret: "v" }, [{ path: "/auth/type", message: "must be one of: none, bearer, basic, header" }]],
    ];
    for (const [auth, details] of cases) {
      const res = await create({ name: "bad-auth", url: URL_OK, auth });
      expect(res.status, JSON.stringify(auth)).toBe(400);
      expect(res.json).toEqual({ error: "Validation failed", details });
    }
    expect(await prisma().target.count({ where: { orgId: org.id, name: "bad-auth" } })).toBe(0);
  });
});

describe("target validation", () => {
  it("answers 409 with a pointer when the name is taken, on create and on update", async () => {
    expect((await create({ name: "dup", url: URL_OK })).status).toBe(201);
    const again = await create({ name: "dup", url: URL_OK });
    expect(again.status).toBe(409);
    expect(again.json).toEqual({ error: "Conflict", details: [{ path: "/name", message: '"dup" is already used by another target of this organization' }] });

    const b = String(obj((await create({ name: "dup-b", url: URL_OK })).json).id);
    const renamed = await patch(b, { name: "dup" });
    expect(renamed.status).toBe(409);
    expect(obj(renamed.json).details).toEqual([{ path: "/name", message: '"dup" is already used by another target of this organization' }]);

    // Names are unique per org, not globally.
    expect((await create({ name: "dup", url: URL_OK }, other.token)).status).toBe(201);
  });

  it("reports every problem with a JSON Pointer", async () => {
    const res = await create({
      name: " ",
      url: 42,
      active: "yes",
      signing: { type: "hmac", enabled: "on" },
      retry: { maxAttempts: 21, backoff: "linear", initialDelaySeconds: 0 },
      timeoutSeconds: 31,
    });
    expect(res.status).toBe(400);
    const details = obj(res.json).details as { path: string; message: string }[];
    expect(details.map((d) => d.path).sort()).toEqual(
      [
        "/name",
        "/url",
        "/active",
        "/signing/type",
        "/signing/enabled",
        "/retry/maxAttempts",
        "/retry/backoff",
        "/retry/initialDelaySeconds",
        "/timeoutSeconds",
      ].sort(),
    );
    expect(details).toContainEqual({ path: "/retry/maxAttempts", message: "must be at most 20" });
    expect(details).toContainEqual({ path: "/retry/backoff", message: "must be one of: exponential, fixed" });
    expect(details).toContainEqual({ path: "/retry/initialDelaySeconds", message: "must be at least 1 second" });
    expect(details).toContainEqual({ path: "/timeoutSeconds", message: "must be at most 30 seconds" });
    const missing = await create({});
    expect((obj(missing.json).details as { path: string }[]).map((d) => d.path).sort()).toEqual(["/name", "/url"]);
  });

  it("refuses plain http, private, loopback and link-local URLs (PROVENANCE_ALLOW_PRIVATE_TARGETS is off here)", async () => {
    expect(env().PROVENANCE_ALLOW_PRIVATE_TARGETS).toBe(false);
    const cases: [string, string][] = [
      ["http://hooks.example.com/x", "URL scheme must be https"],
      ["https://10.0.0.1/x", "Address 10.0.0.1 is private, loopback, link-local or reserved; private targets are not allowed"],
      ["https://169.254.169.254/", "Address 169.254.169.254 is private, loopback, link-local or reserved; private targets are not allowed"],
      ["https://[::1]/x", "Address ::1 is private, loopback, link-local or reserved; private targets are not allowed"],
      ["https://localhost/x", "Host localhost is local; private targets are not allowed"],
      ["http://127.0.0.1:8080/x", "URL scheme must be https"],
      ["https://user:pw@hooks.example.com/x", "URL must not contain credentials; configure the target's auth instead"],
      ["ftp://hooks.example.com/x", "URL scheme must be https (got ftp)"],
      ["not a url", "URL is not a valid absolute URL"],
    ];
    for (const [url, message] of cases) {
      const res = await create({ name: "ssrf", url });
      expect(res.status, url).toBe(400);
      expect(res.json).toEqual({ error: "Validation failed", details: [{ path: "/url", message }] });
    }
    expect(await prisma().target.count({ where: { orgId: org.id, name: "ssrf" } })).toBe(0);

    // Updates are checked the same way, and the stored URL stays.
    const id = String(obj((await create({ name: "ssrf-update", url: URL_OK })).json).id);
    const moved = await patch(id, { url: "https://192.168.1.10/hook" });
    expect(moved.status).toBe(400);
    expect(obj(moved.json).details).toEqual([
      { path: "/url", message: "Address 192.168.1.10 is private, loopback, link-local or reserved; private targets are not allowed" },
    ]);
    expect((await prisma().target.findUniqueOrThrow({ where: { id } })).url).toBe(URL_OK);
  });

  it("accepts private and loopback targets when the deployment allows them", async () => {
    const allow = { allowPrivate: true };
    const privateTarget = await createTarget(org.id, TargetCreate.parse({ name: "lan", url: "https://10.0.0.1/x" }), allow);
    expect(privateTarget.url).toBe("https://10.0.0.1/x");
    const local = await createTarget(org.id, TargetCreate.parse({ name: "dev", url: "http://127.0.0.1:8080/hook" }), allow);
    expect(local.url).toBe("http://127.0.0.1:8080/hook");
    const moved = await updateTarget(org.id, local.id, { url: "http://localhost:9000/hook" }, allow);
    expect(moved.url).toBe("http://localhost:9000/hook");
    // Plain http off the loopback stays refused even then: secrets would cross the network in the clear.
    await expect(createTarget(org.id, TargetCreate.parse({ name: "lan-http", url: "http://10.0.0.1/x" }), allow)).rejects.toMatchObject({
      code: "validation_failed",
      details: [{ path: "/url", message: "URL scheme must be https (http is allowed only for loopback hosts)" }],
    });
  });
});

describe("signing secret rotation", () => {
  it("replaces the secret, shows the new one once, and never again", async () => {
    const created = obj((await create({ name: "rotating", url: URL_OK })).json);
    const id = String(created.id);
    const first = String(created.signingSecret);

    const rotated = await rotateSecret(id);
    expect(rotated.status).toBe(200);
    const body = obj(rotated.json);
    const second = String(body.signingSecret);
    expect(second).toMatch(WHSEC_RE);
    expect(second).not.toBe(first);
    expect(body).toMatchObject({ id, name: "rotating", signing: { enabled: true, signingSecretHint: secretHint(second) } });
    expect(openStored("Target.signingSecret", { id }, (await prisma().target.findUniqueOrThrow({ where: { id } })).signingSecret)).toBe(second);

    const later = [await get(id), await listAll(), await patch(id, { timeoutSeconds: 5 })];
    for (const r of later) {
      expect(r.text).not.toContain(first);
      expect(r.text).not.toContain(second);
      expect(r.text).not.toContain('"signingSecret"');
    }
    expect(obj(obj(later[0]!.json).signing).signingSecretHint).toBe(secretHint(second));
    // The document's checks are not vacuous: a read carrying the secret would not match.
    expect(() => check(`${PATH}/{id}`, "get", 200, body)).toThrow(/does not match/);
  });
});

describe("target access", () => {
  it("answers 401 without a token or with a bad one, on every operation", async () => {
    const id = String(obj((await create({ name: "access-401", url: URL_OK })).json).id);
    const unauthenticated: Record<string, string>[] = [{}, { authorization: "Bearer prv_not-a-real-token-at-all" }];
    for (const headers of unauthenticated) {
      const responses = [
        documented(await call(collection.GET, "GET", PATH, { headers }), PATH, "get"),
        documented(await call(collection.POST, "POST", PATH, { headers, body: { name: "x", url: URL_OK } }), PATH, "post"),
        documented(await call(item.GET, "GET", at(id).path, { headers, params: at(id).params }), `${PATH}/{id}`, "get"),
        documented(await call(item.PATCH, "PATCH", at(id).path, { headers, params: at(id).params, body: {} }), `${PATH}/{id}`, "patch"),
        documented(await call(item.DELETE, "DELETE", at(id).path, { headers, params: at(id).params }), `${PATH}/{id}`, "delete"),
        documented(await call(rotate.POST, "POST", `${at(id).path}/rotate-secret`, { headers, params: at(id).params }), `${PATH}/{id}/rotate-secret`, "post"),
      ];
      for (const r of responses) {
        expect(r.status).toBe(401);
        expect(r.json).toEqual({ error: "Unauthorized" });
      }
    }
  });

  it("lets a reviewer read but not write", async () => {
    const id = String(obj((await create({ name: "for-reviewer", url: URL_OK })).json).id);
    expect((await get(id, reviewer)).status).toBe(200);
    expect((await listAll("", reviewer)).status).toBe(200);
    const attempts = [await create({ name: "r2", url: URL_OK }, reviewer), await patch(id, { name: "x" }, reviewer), await remove(id, reviewer), await rotateSecret(id, reviewer)];
    for (const r of attempts) {
      expect(r.status).toBe(403);
      expect(r.json).toEqual({ error: "Forbidden" });
    }
    expect((await create({ name: "by-admin", url: URL_OK }, admin)).status).toBe(201);
  });

  it("treats unknown ids, malformed ids and another org's targets as not found", async () => {
    const theirs = obj((await create({ name: "theirs", url: URL_OK }, other.token)).json);
    for (const id of ["00000000-0000-4000-8000-000000000000", "not-a-uuid", String(theirs.id)]) {
      const responses = [await get(id, admin), await patch(id, { name: "mine now", url: "https://10.0.0.1/" }, admin), await remove(id, admin), await rotateSecret(id, admin)];
      for (const r of responses) {
        expect(r.status).toBe(404);
        expect(r.json).toEqual({ error: "Not found" });
      }
    }
    // Untouched (name and signing secret), and not in this org's list.
    const row = await prisma().target.findUniqueOrThrow({ where: { id: String(theirs.id) } });
    expect(row).toMatchObject({ name: "theirs" });
    expect(openStored("Target.signingSecret", row, row.signingSecret)).toBe(theirs.signingSecret);
    expect(list((await listAll("?limit=200", admin)).json).map((x) => x.id)).not.toContain(theirs.id);
  });
});

describe("the OpenAPI document for targets", () => {
  it("publishes the auth secret only as a write-only request field, and signingSecret only on create and rotate", () => {
    const doc = openApiDocument();
    const schemas = obj(obj(doc.components).schemas);
    const props = (name: string) => Object.keys(obj(obj(schemas[name]).properties));
    expect(props("TargetAuth")).not.toContain("secret");
    expect(props("TargetAuth")).toContain("secretHint");
    expect(props("Target")).not.toContain("signingSecret");
    expect(props("TargetWithSigningSecret")).toContain("signingSecret");
    expect(obj(obj(obj(schemas.TargetAuthInput).properties).secret).writeOnly).toBe(true);
    expect(obj(obj(obj(schemas.TargetAuthUpdate).properties).secret).writeOnly).toBe(true);

    const paths = obj(doc.paths);
    const okSchema = (path: string, method: string, status: string) =>
      obj(obj(obj(obj(obj(obj(obj(paths[path])[method]).responses)[status]).content)["application/json"]).schema);
    expect(okSchema("/api/v1/targets", "post", "201")).toEqual({ $ref: "#/components/schemas/TargetWithSigningSecret" });
    expect(okSchema("/api/v1/targets/{id}/rotate-secret", "post", "200")).toEqual({ $ref: "#/components/schemas/TargetWithSigningSecret" });
    expect(okSchema("/api/v1/targets/{id}", "get", "200")).toEqual({ $ref: "#/components/schemas/Target" });
    expect(okSchema("/api/v1/targets/{id}", "patch", "200")).toEqual({ $ref: "#/components/schemas/Target" });
  });
});
