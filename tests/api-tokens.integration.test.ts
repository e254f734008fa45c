// Management API: API tokens (admin only), bearer authentication, and the CSRF rule for
// cookie sessions.
import { beforeAll, describe, expect, it } from "vitest";
import * as tokens from "@/app/api/v1/api-tokens/route";
import * as token from "@/app/api/v1/api-tokens/[id]/route";
import * as sources from "@/app/api/v1/inbound-sources/route";
import { prisma } from "@/lib/db";
import { sha256Hex } from "@/lib/auth/secrets";
import { call, createOrgWithToken, createSessionCookie, list, obj, tokenFor } from "./helpers/fixtures";

const PATH = "/api/v1/api-tokens";

let org: { id: string };
let admin: string;
let operator: string;
let reviewer: string;

beforeAll(async () => {
  const a = await createOrgWithToken("admin");
  org = a.org;
  admin = a.token;
  operator = await tokenFor(org.id, "operator");
  reviewer = await tokenFor(org.id, "reviewer");
});

describe("API tokens", () => {
  it("shows a new token once, accepts it at once, lists only its prefix, and revokes it", async () => {
    const created = await call(tokens.POST, "POST", PATH, { token: admin, body: { name: "CI deploys", role: "operator" } });
    expect(created.status).toBe(201);
    const t = obj(created.json);
    expect(t).toMatchObject({ name: "CI deploys", role: "operator", lastUsedAt: null });
    const secret = String(t.token);
    expect(secret).toMatch(/^prv_[A-Za-z0-9_-]{43}$/);
    expect(t.prefix).toBe(secret.slice(0, 12));
    expect(Object.keys(t).sort()).toEqual(["createdAt", "id", "lastUsedAt", "name", "prefix", "role", "token"]);

    // Stored hashed, never in clear.
    const row = await prisma().apiToken.findUniqueOrThrow({ where: { id: String(t.id) } });
    expect(row.tokenHash).toBe(sha256Hex(secret));
    expect(JSON.stringify(row)).not.toContain(secret);

    // Works as a bearer right away, with the role it was given.
    const used = await call(sources.POST, "POST", "/api/v1/inbound-sources", { token: secret, body: { title: "Via new token", mnemonic: "via-new" } });
    expect(used.status).toBe(201);
    expect((await call(tokens.GET, "GET", PATH, { token: secret })).status).toBe(403);

    const listed = await call(tokens.GET, "GET", PATH, { token: admin });
    expect(listed.status).toBe(200);
    expect(listed.text).not.toContain(secret);
    expect(listed.text).not.toContain(row.tokenHash);
    const entry = list(listed.json).find((x) => x.id === t.id);
    expect(entry).toEqual({ id: t.id, name: "CI deploys", role: "operator", prefix: t.prefix, createdAt: t.createdAt, lastUsedAt: expect.any(String) });

    const del = await call(token.DELETE, "DELETE", `${PATH}/${t.id}`, { token: admin, params: { id: String(t.id) } });
    expect(del.status).toBe(204);
    expect(del.text).toBe("");
    const after = await call(sources.GET, "GET", "/api/v1/inbound-sources", { token: secret });
    expect(after.status).toBe(401);
    expect(after.json).toEqual({ error: "Unauthorized" });
  });

  it("is admin only, for every method", async () => {
    const victim = obj((await call(tokens.POST, "POST", PATH, { token: admin, body: { name: "victim", role: "reviewer" } })).json);
    for (const t of [operator, reviewer]) {
      for (const r of [
        await call(tokens.GET, "GET", PATH, { token: t }),
        await call(tokens.POST, "POST", PATH, { token: t, body: { name: "escalate", role: "admin" } }),
        await call(token.DELETE, "DELETE", `${PATH}/${victim.id}`, { token: t, params: { id: String(victim.id) } }),
      ]) {
        expect(r.status).toBe(403);
        expect(r.json).toEqual({ error: "Forbidden" });
      }
    }
    expect(await prisma().apiToken.count({ where: { id: String(victim.id) } })).toBe(1);
    expect(await prisma().apiToken.count({ where: { orgId: org.id, name: "escalate" } })).toBe(0);
  });

  it("validates the body", async () => {
    const res = await call(tokens.POST, "POST", PATH, { token: admin, body: { name: " ", role: "owner" } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      error: "Validation failed",
      details: [
        { path: "/name", message: "must not be empty" },
        { path: "/role", message: "must be one of: admin, operator, reviewer" },
      ],
    });
  });

  it("treats another org's token, an unknown id and a malformed id as not found", async () => {
    const other = await createOrgWithToken("admin");
    const theirs = await prisma().apiToken.findFirstOrThrow({ where: { orgId: other.org.id } });
    for (const id of [theirs.id, "00000000-0000-4000-8000-000000000000", "zzz"]) {
      const r = await call(token.DELETE, "DELETE", `${PATH}/${id}`, { token: admin, params: { id } });
      expect(r.status).toBe(404);
      expect(r.json).toEqual({ error: "Not found" });
    }
    expect((await call(sources.GET, "GET", "/api/v1/inbound-sources", { token: other.token })).status).toBe(200);
    expect(list((await call(tokens.GET, "GET", PATH, { token: admin })).json).map((x) => x.id)).not.toContain(theirs.id);
  });
});

describe("session cookies", () => {
  it("accept same-origin writes and refuse cross-origin ones (CSRF)", async () => {
    const cookie = await createSessionCookie(org.id, "operator");
    const write = (headers: Record<string, string>, mnemonic: string) =>
      call(sources.POST, "POST", "/api/v1/inbound-sources", { headers: { cookie, ...headers }, body: { title: "Cookie", mnemonic } });

    const foreign = await write({ origin: "https://evil.example" }, "csrf-1");
    expect(foreign.status).toBe(403);
    expect(foreign.json).toEqual({ error: "Forbidden" });
    expect((await write({ "sec-fetch-site": "cross-site" }, "csrf-2")).status).toBe(403);
    expect((await write({}, "csrf-3")).status).toBe(403);
    expect(await prisma().inboundSource.count({ where: { orgId: org.id, mnemonic: { startsWith: "csrf-" } } })).toBe(0);

    const same = await write({ origin: "http://localhost" }, "csrf-ok");
    expect(same.status).toBe(201);
    expect((await write({ "sec-fetch-site": "same-origin" }, "csrf-ok-2")).status).toBe(201);

    // Reads need no origin proof; a cookie session keeps its user's role.
    expect((await call(sources.GET, "GET", "/api/v1/inbound-sources", { headers: { cookie } })).status).toBe(200);
    const tokensAsOperator = await call(tokens.GET, "GET", PATH, { headers: { cookie, origin: "http://localhost" } });
    expect(tokensAsOperator.status).toBe(403);
  });

  it("ignore expired or unknown sessions", async () => {
    const res = await call(sources.GET, "GET", "/api/v1/inbound-sources", { headers: { cookie: "provenance_session=unknown-session-token-value" } });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: "Unauthorized" });
  });

  it("prefer a bearer token, to which the origin rule does not apply", async () => {
    const res = await call(sources.POST, "POST", "/api/v1/inbound-sources", {
      token: operator,
      headers: { origin: "https://elsewhere.example" },
      body: { title: "Bearer", mnemonic: "bearer-cross-origin" },
    });
    expect(res.status).toBe(201);
  });
});

describe("request ids", () => {
  it("sets x-request-id on every response, keeping a sane one from the caller", async () => {
    const own = await call(sources.GET, "GET", "/api/v1/inbound-sources", { token: reviewer, headers: { "x-request-id": "trace-123" } });
    expect(own.headers.get("x-request-id")).toBe("trace-123");
    const unauth = await call(sources.GET, "GET", "/api/v1/inbound-sources", { headers: { "x-request-id": "bad id with spaces" } });
    expect(unauth.status).toBe(401);
    expect(unauth.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
