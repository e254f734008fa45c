// The sign-in, sign-out and "me" route handlers, called as Next.js would call them.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword, passwordHashGate } from "@/lib/auth/password";
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
    const [cookie, device, ...more] = res.headers.getSetCookie();
    expect(cookie).toMatch(/^provenance_session=[A-Za-z0-9_-]{40,}; HttpOnly; SameSite=Lax; Path=\/; Max-Age=1209600$/);
    // The device cookie goes only to this route, never to a page or another site.
    expect(device).toMatch(/^provenance_device=d1\.[0-9a-f-]{36}\.[A-Za-z0-9_-]{22}\.\d+\.[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/api\/auth\/login; Max-Age=15552000$/);
    expect(more).toEqual([]);
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

  it("429 with Retry-After once one client has failed 10 times for an email; other clients are not locked out", async () => {
    const target = `locked-${randomBytes(3).toString("hex")}@example.com`;
    const attacker = ip();
    for (let i = 0; i < 10; i++) {
      const res = await loginRoute(post("/api/auth/login", { email: target, password: `g${i}` }, { "x-forwarded-for": attacker }), noParams);
      expect(res.status).toBe(401);
    }
    const res = await loginRoute(post("/api/auth/login", { email: target, password: "g10" }, { "x-forwarded-for": attacker }), noParams);
    expect(res.status).toBe(429);
    const body = (await res.json()) as { error: string; retryAfter: number };
    expect(body.error).toBe("Too many attempts");
    expect(body.retryAfter).toBeGreaterThan(0);
    expect(res.headers.get("retry-after")).toBe(String(body.retryAfter));
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect((await loginRoute(post("/api/auth/login", { email: target, password: "g11" }), noParams)).status).toBe(401);
  });

  it("the device cookie from an earlier sign-in gets the owner in from an address that strangers have locked", async () => {
    const home = ip();
    const first = await loginRoute(post("/api/auth/login", { email, password }, { "x-forwarded-for": home }), noParams);
    const device = /provenance_device=([^;]+)/.exec(first.headers.getSetCookie().join("\n"))![1]!;
    for (let i = 0; i < 10; i++) {
      expect((await loginRoute(post("/api/auth/login", { email, password: `g${i}` }, { "x-forwarded-for": home }), noParams)).status).toBe(401);
    }
    expect((await loginRoute(post("/api/auth/login", { email, password }, { "x-forwarded-for": home }), noParams)).status).toBe(429);
    const again = await loginRoute(post("/api/auth/login", { email, password }, { "x-forwarded-for": home, cookie: `provenance_device=${device}` }), noParams);
    expect(again.status).toBe(200);
  }, 30_000);

  it("503 with Retry-After, at once, while the password-hashing gate is full", async () => {
    const gate = passwordHashGate();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const fillers: Promise<unknown>[] = [];
    try {
      for (let i = 0; i < 200; i++) {
        const p = gate.run(() => held);
        if (await Promise.race([p.then(() => false, () => true), new Promise<boolean>((r) => setImmediate(() => r(false)))])) break;
        fillers.push(p);
      }
      const t = performance.now();
      const res = await loginRoute(post("/api/auth/login", { email, password }), noParams);
      expect(performance.now() - t).toBeLessThan(2_000);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ error: "Sign-in is busy, try again shortly", retryAfter: 1 });
      expect(res.headers.get("retry-after")).toBe("1");
      expect(res.headers.getSetCookie()).toEqual([]);
    } finally {
      release();
      await Promise.allSettled(fillers);
    }
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
