// A team: admins invite people by a one-time link, change roles, deactivate and remove
// them (never the last admin); an invited person sets a password and is signed in; a
// member changes their own password; org settings. Through the route handlers, with every
// answer checked against the published OpenAPI document.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import * as inviteRoute from "@/app/api/auth/invite/route";
import * as loginRoute from "@/app/api/auth/login/route";
import * as meRoute from "@/app/api/auth/me/route";
import * as passwordRoute from "@/app/api/auth/password/route";
import * as membersRoute from "@/app/api/v1/members/route";
import * as memberRoute from "@/app/api/v1/members/[id]/route";
import * as reinviteRoute from "@/app/api/v1/members/[id]/invite/route";
import * as orgRoute from "@/app/api/v1/org/route";
import { openApiDocument } from "@/lib/api/openapi";
import { SESSION_COOKIE } from "@/lib/auth/authenticate";
import { hashPassword } from "@/lib/auth/password";
import { sha256Hex } from "@/lib/auth/secrets";
import { prisma } from "@/lib/db";
import { call, createOrgWithToken, list, obj, tokenFor, type CallResult } from "./helpers/fixtures";
import { responseChecker } from "./helpers/openapi";

const check = responseChecker(openApiDocument());
const M = "/api/v1/members";
const ORIGIN = "http://localhost";

function documented(res: CallResult, path: string, method: string): CallResult {
  if (res.status !== 204) check(path, method, res.status, res.json);
  return res;
}

let org: { id: string; slug: string };
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

const email = (label: string) => `${label}-${randomBytes(3).toString("hex")}@example.com`;
const ip = () => `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

const invite = async (body: unknown, token = admin) => documented(await call(membersRoute.POST, "POST", M, { token, body }), M, "post");
const update = async (id: string, body: unknown, token = admin) =>
  documented(await call(memberRoute.PATCH, "PATCH", `${M}/${id}`, { token, body, params: { id } }), `${M}/{id}`, "patch");
const remove = async (id: string, token = admin) =>
  documented(await call(memberRoute.DELETE, "DELETE", `${M}/${id}`, { token, params: { id } }), `${M}/{id}`, "delete");
const members = async (token = admin) => list(documented(await call(membersRoute.GET, "GET", M, { token }), M, "get").json);

/** The invitation page's form, from the same origin, as the browser sends it. */
const accept = (body: unknown) =>
  call(inviteRoute.POST, "POST", "/api/auth/invite", { body, headers: { origin: ORIGIN, "x-forwarded-for": ip() } });
const login = (address: string, password: string) =>
  call(loginRoute.POST, "POST", "/api/auth/login", { body: { email: address, password }, headers: { origin: ORIGIN, "x-forwarded-for": ip() } });
const me = (cookie: string) => call(meRoute.GET, "GET", "/api/auth/me", { headers: { cookie } });

function cookieOf(res: CallResult): string {
  const m = /provenance_session=([^;]*)/.exec(res.headers.get("set-cookie") ?? "");
  if (!m) throw new Error(`no session cookie in ${res.status} ${res.text}`);
  return `${SESSION_COOKIE}=${m[1]}`;
}

describe("inviting", () => {
  it("shows a one-time link once, stores only its hash; the person sets a password and is signed in with the role given", async () => {
    const address = email("Rita");
    const res = await invite({ email: address, role: "reviewer", name: "Rita Reviewer" });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = obj(res.json);
    const token = String(body.inviteToken);
    expect(token).toMatch(/^inv_[A-Za-z0-9_-]{43}$/);
    expect(body.inviteUrl).toBe(`http://localhost:3000/invite/${token}`);
    const member = obj(body.member);
    expect(member).toMatchObject({ email: address.toLowerCase(), name: "Rita Reviewer", role: "reviewer", status: "invited", lastLoginAt: null });
    expect(member.invitedBy).toMatch(/^admin token/);
    const row = await prisma().user.findUniqueOrThrow({ where: { id: String(member.id) } });
    expect(row.inviteTokenHash).toBe(sha256Hex(token));
    expect(JSON.stringify(row)).not.toContain(token);
    // Listed (to reviewers too), without the link.
    const listed = await call(membersRoute.GET, "GET", M, { token: reviewer });
    expect(listed.status).toBe(200);
    expect(listed.text).not.toContain(token);
    expect(list(listed.json).find((m) => m.id === member.id)).toMatchObject({ status: "invited" });
    // An invited member cannot sign in before accepting.
    expect((await login(address, "anything at all 123")).status).toBe(401);

    // A short password is a field error, and the link is not spent.
    const short = await accept({ token, password: "short" });
    expect(short.status).toBe(400);
    expect(obj(short.json).details).toEqual([{ path: "/password", message: "must be at least 12 characters" }]);
    const accepted = await accept({ token, password: "a long enough password" });
    expect(accepted.status).toBe(200);
    const cookie = cookieOf(accepted);
    expect(obj((await me(cookie)).json)).toMatchObject({ kind: "session", email: address.toLowerCase(), role: "reviewer" });
    expect((await members()).find((m) => m.id === member.id)).toMatchObject({ status: "active", inviteExpiresAt: null });
    // The link works once.
    const again = await accept({ token, password: "another long password" });
    expect(again.status).toBe(400);
    expect(obj(again.json).details).toEqual([{ path: "/token", message: expect.stringContaining("not valid any more") }]);
    expect((await login(address, "a long enough password")).status).toBe(200);
    expect((await login(address, "another long password")).status).toBe(401);
  });

  it("refuses an email already in use (here or in another org), a bad role, and non-admins", async () => {
    const address = email("dup");
    expect((await invite({ email: address, role: "operator" })).status).toBe(201);
    const dup = await invite({ email: address.toUpperCase(), role: "operator" });
    expect(dup.status).toBe(409);
    expect(obj(dup.json).details).toEqual([{ path: "/email", message: "is already a member of this org" }]);
    const elsewhere = await createOrgWithToken("admin");
    const other = await invite({ email: address, role: "reviewer" }, elsewhere.token);
    expect(other.status).toBe(409);
    expect(obj(other.json).details).toEqual([{ path: "/email", message: "already has an account in another org" }]);
    const bad = await invite({ email: "not-an-email", role: "owner" });
    expect(bad.status).toBe(400);
    expect(obj(bad.json).details).toEqual(
      expect.arrayContaining([
        { path: "/email", message: "must be an email address" },
        { path: "/role", message: "must be one of: admin, operator, reviewer" },
      ]),
    );
    for (const t of [operator, reviewer]) expect((await invite({ email: email("x"), role: "admin" }, t)).status).toBe(403);
  });

  it("an expired link, a re-issued link (the old one stops working), and an unknown link", async () => {
    const first = obj((await invite({ email: email("late"), role: "operator" })).json);
    const id = String(obj(first.member).id);
    await prisma().user.update({ where: { id }, data: { inviteExpiresAt: new Date(Date.now() - 1000) } });
    expect((await accept({ token: first.inviteToken, password: "a long enough password" })).status).toBe(400);
    const re = documented(await call(reinviteRoute.POST, "POST", `${M}/${id}/invite`, { token: admin, params: { id } }), `${M}/{id}/invite`, "post");
    expect(re.status).toBe(201);
    const second = obj(re.json);
    expect(second.inviteToken).not.toBe(first.inviteToken);
    expect((await accept({ token: first.inviteToken, password: "a long enough password" })).status).toBe(400);
    expect((await accept({ token: second.inviteToken, password: "a long enough password" })).status).toBe(200);
    // Once accepted, there is nothing to send again.
    expect((await call(reinviteRoute.POST, "POST", `${M}/${id}/invite`, { token: admin, params: { id } })).status).toBe(409);
    expect((await accept({ token: "inv_unknown-token-of-the-right-size", password: "a long enough password" })).status).toBe(400);
  });

  it("refuses an invitation form posted from another site", async () => {
    const t = obj((await invite({ email: email("csrf"), role: "reviewer" })).json).inviteToken;
    const res = await call(inviteRoute.POST, "POST", "/api/auth/invite", {
      body: { token: t, password: "a long enough password" },
      headers: { origin: "https://evil.example" },
    });
    expect(res.status).toBe(403);
  });
});

describe("roles, deactivation and removal", () => {
  async function activeMember(role: "admin" | "operator" | "reviewer", orgId = org.id) {
    const address = email(role);
    const password = "member password 123";
    const user = await prisma().user.create({ data: { orgId, email: address, role, passwordHash: await hashPassword(password) } });
    const signedIn = await login(address, password);
    expect(signedIn.status).toBe(200);
    return { id: user.id, address, password, cookie: cookieOf(signedIn) };
  }

  it("changes a role at once; deactivation ends every session and refuses sign-in; reactivation lets them back", async () => {
    await activeMember("admin"); // the org keeps another active admin throughout
    const m = await activeMember("operator");
    const promoted = await update(m.id, { role: "admin" });
    expect(promoted.status).toBe(200);
    expect(obj(promoted.json)).toMatchObject({ role: "admin", status: "active" });
    expect(obj((await me(m.cookie)).json).role).toBe("admin");

    const off = await update(m.id, { active: false });
    expect(off.status).toBe(200);
    expect(obj(off.json)).toMatchObject({ status: "deactivated", deactivatedAt: expect.any(String) });
    expect((await me(m.cookie)).status).toBe(401);
    expect(await prisma().session.count({ where: { userId: m.id } })).toBe(0);
    const refused = await login(m.address, m.password);
    expect(refused.status).toBe(401);
    expect(refused.json).toEqual({ error: "Invalid email or password" });

    expect(obj((await update(m.id, { active: true })).json)).toMatchObject({ status: "active", deactivatedAt: null });
    expect((await login(m.address, m.password)).status).toBe(200);
    expect((await update(m.id, {})).status).toBe(400);
  });

  it("never leaves the org without an active admin: demote, deactivate and remove of the last one are 409", async () => {
    const { org: lone, token } = await createOrgWithToken("admin");
    const only = await activeMember("admin", lone.id);
    for (const res of [
      await update(only.id, { role: "operator" }, token),
      await update(only.id, { active: false }, token),
      await remove(only.id, token),
    ]) {
      expect(res.status).toBe(409);
      expect(JSON.stringify(res.json)).toContain("at least one active admin");
    }
    // An invited (not yet active) admin does not count.
    expect((await invite({ email: email("pending"), role: "admin" }, token)).status).toBe(201);
    expect((await update(only.id, { role: "operator" }, token)).status).toBe(409);
    // With a second active admin, the first may go.
    const second = await activeMember("admin", lone.id);
    expect((await update(only.id, { role: "reviewer" }, token)).status).toBe(200);
    expect((await remove(second.id, token)).status).toBe(409);
    expect((await remove(only.id, token)).status).toBe(204);
    expect((await me(only.cookie)).status).toBe(401);
  });

  it("is admin only to change, 404 for another org's member", async () => {
    const m = await activeMember("reviewer");
    for (const t of [operator, reviewer]) {
      expect((await update(m.id, { role: "admin" }, t)).status).toBe(403);
      expect((await remove(m.id, t)).status).toBe(403);
    }
    const elsewhere = await createOrgWithToken("admin");
    expect((await update(m.id, { role: "admin" }, elsewhere.token)).status).toBe(404);
    expect((await remove(m.id, elsewhere.token)).status).toBe(404);
    expect((await update("not-a-uuid", { role: "admin" })).status).toBe(404);
  });
});

describe("own password", () => {
  it("needs the current password; ends the member's other sessions, keeps this one; tokens cannot", async () => {
    const address = email("pw");
    const password = "first password 123";
    await prisma().user.create({ data: { orgId: org.id, email: address, role: "operator", passwordHash: await hashPassword(password) } });
    const here = cookieOf(await login(address, password));
    const elsewhere = cookieOf(await login(address, password));
    const change = (body: unknown, cookie = here) =>
      call(passwordRoute.POST, "POST", "/api/auth/password", { body, headers: { cookie, origin: ORIGIN, "x-forwarded-for": ip() } });

    const wrong = await change({ currentPassword: "not it", newPassword: "second password 456" });
    expect(wrong.status).toBe(400);
    expect(obj(wrong.json).details).toEqual([{ path: "/currentPassword", message: "is not your current password" }]);
    const weak = await change({ currentPassword: password, newPassword: "short" });
    expect(weak.status).toBe(400);
    const ok = await change({ currentPassword: password, newPassword: "second password 456" });
    expect(ok.status).toBe(200);
    expect((await me(here)).status).toBe(200);
    expect((await me(elsewhere)).status).toBe(401);
    expect((await login(address, password)).status).toBe(401);
    expect((await login(address, "second password 456")).status).toBe(200);
    const byToken = await call(passwordRoute.POST, "POST", "/api/auth/password", {
      token: admin,
      body: { currentPassword: "x", newPassword: "second password 456" },
    });
    expect(byToken.status).toBe(403);
  });
});

describe("org settings", () => {
  it("reads for everyone, changes for admins", async () => {
    const read = documented(await call(orgRoute.GET, "GET", "/api/v1/org", { token: reviewer }), "/api/v1/org", "get");
    expect(read.json).toEqual({ slug: org.slug, name: `Org ${org.slug}`, environment: "production", separationOfDuties: true });
    expect((await call(orgRoute.PATCH, "PATCH", "/api/v1/org", { token: operator, body: { separationOfDuties: false } })).status).toBe(403);
    const changed = documented(
      await call(orgRoute.PATCH, "PATCH", "/api/v1/org", { token: admin, body: { separationOfDuties: false } }),
      "/api/v1/org",
      "patch",
    );
    expect(obj(changed.json).separationOfDuties).toBe(false);
    expect((await call(orgRoute.PATCH, "PATCH", "/api/v1/org", { token: admin, body: { separationOfDuties: "no" } })).status).toBe(400);
    await call(orgRoute.PATCH, "PATCH", "/api/v1/org", { token: admin, body: { separationOfDuties: true } });
  });
});
