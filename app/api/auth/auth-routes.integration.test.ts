// The sign-in, sign-out and "me" route handlers, called as Next.js would call them.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { sha256Hex } from "@/lib/auth/secrets";
import { prisma } from "@/lib/db";
import { POST as loginRoute } from "./login/route";
import { POST as logoutRoute } from "./logout/route";
import { GET as meRoute } from "./me/route";

const ORIGIN = "http://localhost:3000";
const password = "route test password";
let orgId: string;
let slug: string;
let email: string;

beforeAll(async () => {
  slug = `routes-${randomBytes(4).toString("hex")}`;
  orgId = (await prisma().org.create({ data: { slug, name: "Routes" } })).id;
  email = `admin@${slug}.example.com`;
  await prisma().user.create({ data: { orgId, email, role: "admin", passwordHash: await hashPassword(password) } });
});

afterAll(async () => {
  await prisma().org.delete({ where: { id: orgId } });
});

const noParams = { params: Promise.resolve({}) };
// Each test gets its own client address so the per-IP limit of one test cannot leak into another.
const ip = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

function post(path: string, body: unknown, headers: Record<string, string> = {}): Request {
  return new Request(`${ORIGIN}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: ORIGIN, host: "localhost:3000", "x-forwarded-for": ip(), ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

function sessionFrom(res: Response): string {
  const m = /provenance_session=([^;]*)/.exec(res.headers.get("set-cookie") ?? "");
  if (!m) throw new Error("no session cookie");
  return decodeURIComponent(m[1]!);
}

describe("POST /api/auth/login", () => {
  it("signs in: 200, and an HttpOnly, SameSite=Lax, 14-day cookie holding a session token", async () => {
    const res = await loginRoute(post("/api/auth/login", { email, password }), noParams);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^provenance_session=[A-Za-z0-9_-]{40,}; HttpOnly; SameSite=Lax; Path=\/; Max-Age=1209600$/);
    const token = sessionFrom(res);
    expect(await prisma().session.count({ where: { tokenHash: sha256Hex(token) } })).toBe(1);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("401 with one message for a wrong password and for an unknown email", async () => {
    for (const body of [{ email, password: "wrong" }, { email: `ghost@${slug}.example.com`, password }]) {
      const res = await loginRoute(post("/api/auth/login", body), noParams);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: "Invalid email or password" });
      expect(res.headers.get("set-cookie")).toBeNull();
    }
  });

  it("400 with details for a malformed body", async () => {
    const res = await loginRoute(post("/api/auth/login", { email: "not an email" }), noParams);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; details: { path: string; message: string }[] };
    expect(body.error).toBe("Validation failed");
    expect(body.details.map((d) => d.path).sort()).toEqual(["/email", "/password"]);

    const notJson = await loginRoute(post("/api/auth/login", "{nope"), noParams);
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: "Validation failed" });
  });

  it("403 for a request from another site, before any password check", async () => {
    const res = await loginRoute(post("/api/auth/login", { email, password }, { origin: "https://evil.example" }), noParams);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: "Forbidden" });
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("429 with Retry-After once an email has failed 10 times", async () => {
    const target = `locked-${randomBytes(3).toString("hex")}@example.com`;
    for (let i = 0; i < 10; i++) {
      expect((await loginRoute(post("/api/auth/login", { email: target, password: `g${i}` }), noParams)).status).toBe(401);
    }
    const res = await loginRoute(post("/api/auth/login", { email: target, password: "g10" }), noParams);
    expect(res.status).toBe(429);
    const body = (await res.json()) as { error: string; retryAfter: number };
    expect(body.error).toBe("Too many attempts");
    expect(body.retryAfter).toBeGreaterThan(0);
    expect(res.headers.get("retry-after")).toBe(String(body.retryAfter));
  });
});

describe("GET /api/auth/me and POST /api/auth/logout", () => {
  it("me names the signed-in operator; after logout the cookie is cleared and the session is gone", async () => {
    const token = sessionFrom(await loginRoute(post("/api/auth/login", { email, password }), noParams));
    const cookie = `provenance_session=${encodeURIComponent(token)}`;

    const me = await meRoute(new Request(`${ORIGIN}/api/auth/me`, { headers: { cookie } }), noParams);
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ kind: "session", email, role: "admin", org: { slug } });

    const out = await logoutRoute(post("/api/auth/logout", "", { cookie }), noParams);
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toBe("provenance_session=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0");
    expect(await prisma().session.count({ where: { tokenHash: sha256Hex(token) } })).toBe(0);

    const after = await meRoute(new Request(`${ORIGIN}/api/auth/me`, { headers: { cookie } }), noParams);
    expect(after.status).toBe(401);
    expect(await after.json()).toEqual({ error: "Unauthorized" });
  });

  it("logout refuses another site and keeps the session", async () => {
    const token = sessionFrom(await loginRoute(post("/api/auth/login", { email, password }), noParams));
    const res = await logoutRoute(
      post("/api/auth/logout", "", { cookie: `provenance_session=${token}`, origin: "https://evil.example" }),
      noParams,
    );
    expect(res.status).toBe(403);
    expect(await prisma().session.count({ where: { tokenHash: sha256Hex(token) } })).toBe(1);
  });

  it("me answers 401 without a session", async () => {
    const res = await meRoute(new Request(`${ORIGIN}/api/auth/me`), noParams);
    expect(res.status).toBe(401);
  });
});
