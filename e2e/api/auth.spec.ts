// The sign-in API as a script or an attacker would meet it.
import { randomBytes } from "node:crypto";
import { E2E_ORG, e2e, expect, test } from "../fixtures";

const sameOrigin = () => ({ origin: e2e.baseUrl });

test("signing in sets an HttpOnly, SameSite=Lax session cookie that /api/auth/me accepts, and a device cookie for sign-in only", async ({ request }) => {
  const res = await request.post("/api/auth/login", { data: e2e.admin, headers: sameOrigin() });
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ ok: true });
  const cookies = res.headersArray().filter((h) => h.name.toLowerCase() === "set-cookie").map((h) => h.value);
  expect(cookies).toHaveLength(2);
  expect(cookies[0]).toMatch(/^provenance_session=[^;]+; HttpOnly; SameSite=Lax; Path=\/; Max-Age=1209600$/);
  // The device cookie that keeps this client from being locked out by strangers' failures: only sent to sign-in.
  expect(cookies[1]).toMatch(/^provenance_device=[^;]+; HttpOnly; SameSite=Strict; Path=\/api\/auth\/login; Max-Age=15552000$/);
  expect(res.headers()["cache-control"]).toBe("no-store");

  const me = await request.get("/api/auth/me");
  expect(me.status()).toBe(200);
  expect(await me.json()).toEqual({ kind: "session", email: e2e.admin.email, role: "admin", org: { slug: E2E_ORG } });
});

test("/api/auth/me without a session is 401", async ({ request }) => {
  const res = await request.get("/api/auth/me");
  expect(res.status()).toBe(401);
  expect(await res.json()).toEqual({ error: "Unauthorized" });
});

test("the bootstrap token is an admin token of the bootstrap org", async ({ request }) => {
  const res = await request.get("/api/auth/me", { headers: { authorization: `Bearer ${e2e.bootstrapToken}` } });
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({ kind: "token", role: "admin", org: { slug: E2E_ORG } });
});

test("a sign-in posted from another site is refused with 403 and sets no cookie", async ({ request }) => {
  const res = await request.post("/api/auth/login", { data: e2e.admin, headers: { origin: "https://evil.example" } });
  expect(res.status()).toBe(403);
  expect(await res.json()).toEqual({ error: "Forbidden" });
  expect(res.headers()["set-cookie"]).toBeUndefined();
});

test("a malformed sign-in body is 400 with details", async ({ request }) => {
  const res = await request.post("/api/auth/login", { data: { email: "not-an-email" }, headers: sameOrigin() });
  expect(res.status()).toBe(400);
  const body = (await res.json()) as { error: string; details: { path: string }[] };
  expect(body.error).toBe("Validation failed");
  expect(body.details.map((d) => d.path).sort()).toEqual(["/email", "/password"]);
});

test("repeated failed sign-ins for one email from one client are answered 429 with Retry-After", async ({ request }) => {
  // An address of its own, so the lock-out touches no other test.
  const email = `locked-${randomBytes(4).toString("hex")}@example.com`;
  for (let i = 0; i < 10; i++) {
    const res = await request.post("/api/auth/login", { data: { email, password: `guess-${i}` }, headers: sameOrigin() });
    expect(res.status()).toBe(401);
    expect(await res.json()).toEqual({ error: "Invalid email or password" });
  }
  const locked = await request.post("/api/auth/login", { data: { email, password: "guess-10" }, headers: sameOrigin() });
  expect(locked.status()).toBe(429);
  const body = (await locked.json()) as { error: string; retryAfter: number };
  expect(body.error).toBe("Too many attempts");
  expect(body.retryAfter).toBeGreaterThan(0);
  expect(body.retryAfter).toBeLessThanOrEqual(15 * 60);
  expect(locked.headers()["retry-after"]).toBe(String(body.retryAfter));
});
