// Sign-in against the real database and real scrypt: sessions are stored hashed, last
// 14 days, and the two kinds of failure look the same from outside.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { principalFromSession } from "@/lib/auth/authenticate";
import { login, logout, SESSION_TTL_SECONDS } from "@/lib/auth/login";
import { hashPassword } from "@/lib/auth/password";
import { createLoginLimiter } from "@/lib/auth/rate-limit";
import { sha256Hex } from "@/lib/auth/secrets";
import { prisma } from "@/lib/db";

const password = "correct horse battery staple";
let orgId: string;
let orgSlug: string;
let email: string;

beforeAll(async () => {
  orgSlug = `login-${randomBytes(4).toString("hex")}`;
  orgId = (await prisma().org.create({ data: { slug: orgSlug, name: "Login" } })).id;
  email = `${orgSlug}@example.com`;
  await prisma().user.create({ data: { orgId, email, role: "operator", passwordHash: await hashPassword(password) } });
});

afterAll(async () => {
  await prisma().org.delete({ where: { id: orgId } });
});

const fresh = () => ({ limiter: createLoginLimiter() });

describe("login", () => {
  it("creates a 14-day session stored only as a hash, and records the sign-in", async () => {
    const now = new Date("2026-03-01T12:00:00.000Z");
    const result = await login({ email, password, ip: "10.0.0.1" }, { ...fresh(), now: () => now });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.expiresAt.getTime() - now.getTime()).toBe(SESSION_TTL_SECONDS * 1000);
    expect(SESSION_TTL_SECONDS).toBe(14 * 24 * 3600);

    const rows = await prisma().session.findMany({ where: { userId: result.userId } });
    expect(rows.map((r) => r.tokenHash)).toContain(sha256Hex(result.sessionToken));
    expect(rows.some((r) => r.tokenHash === result.sessionToken)).toBe(false);
    const user = await prisma().user.findUniqueOrThrow({ where: { id: result.userId } });
    expect(user.lastLoginAt?.toISOString()).toBe(now.toISOString());
  });

  it("gives a session token that authenticates as the user", async () => {
    const result = await login({ email, password, ip: "10.0.0.1" }, fresh());
    if (!result.ok) throw new Error("login failed");
    const principal = await principalFromSession(result.sessionToken);
    expect(principal).toMatchObject({ kind: "session", orgId, orgSlug, role: "operator", email });
  });

  it("matches the email whatever its case and surrounding spaces", async () => {
    const result = await login({ email: `  ${email.toUpperCase()} `, password, ip: "10.0.0.1" }, fresh());
    expect(result.ok).toBe(true);
  });

  it("answers a wrong password and an unknown email identically, and creates no session", async () => {
    const before = await prisma().session.count();
    const wrong = await login({ email, password: "wrong password", ip: "10.0.0.1" }, fresh());
    const unknown = await login({ email: `nobody-${orgSlug}@example.com`, password, ip: "10.0.0.1" }, fresh());
    expect(wrong).toEqual({ ok: false, reason: "invalid" });
    expect(unknown).toEqual(wrong);
    expect(await prisma().session.count()).toBe(before);
  });

  it("spends a password hash on unknown emails too", async () => {
    const deps = fresh();
    await login({ email: "warm-up@example.com", password: "x", ip: "10.0.0.9" }, deps); // makes the decoy hash once
    const time = async (e: string) => {
      const t = performance.now();
      await login({ email: e, password: "wrong password", ip: "10.0.0.9" }, deps);
      return performance.now() - t;
    };
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 5; i++) {
      known.push(await time(email));
      unknown.push(await time(`ghost-${i}@example.com`));
    }
    // scrypt dominates both; without the decoy an unknown email would return in well under a millisecond.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.4);
  });

  it("refuses with a wait once an account has had 10 failures, even with the right password", async () => {
    const deps = fresh();
    for (let i = 0; i < 10; i++) {
      expect(await login({ email, password: `guess ${i}`, ip: `10.1.0.${i}` }, deps)).toEqual({ ok: false, reason: "invalid" });
    }
    const refused = await login({ email, password, ip: "10.1.1.1" }, deps);
    expect(refused).toMatchObject({ ok: false, reason: "rate_limited" });
    if (refused.ok || refused.reason !== "rate_limited") return;
    expect(refused.retryAfter).toBeGreaterThan(0);
    expect(refused.retryAfter).toBeLessThanOrEqual(15 * 60);
  });

  it("a successful sign-in resets the account's failure count", async () => {
    const deps = fresh();
    for (let i = 0; i < 9; i++) await login({ email, password: "nope", ip: "10.2.0.1" }, deps);
    expect((await login({ email, password, ip: "10.2.0.1" }, deps)).ok).toBe(true);
    for (let i = 0; i < 9; i++) await login({ email, password: "nope", ip: "10.2.0.1" }, deps);
    expect((await login({ email, password, ip: "10.2.0.1" }, deps)).ok).toBe(true);
  });

  it("clears the user's expired sessions when they sign in again", async () => {
    const user = await prisma().user.findUniqueOrThrow({ where: { email } });
    await prisma().session.create({ data: { userId: user.id, tokenHash: sha256Hex(`old-${orgSlug}`), expiresAt: new Date(Date.now() - 1000) } });
    await login({ email, password, ip: "10.0.0.1" }, fresh());
    expect(await prisma().session.count({ where: { userId: user.id, expiresAt: { lte: new Date() } } })).toBe(0);
  });
});

describe("logout", () => {
  it("deletes the session so the token no longer authenticates", async () => {
    const result = await login({ email, password, ip: "10.0.0.1" }, fresh());
    if (!result.ok) throw new Error("login failed");
    await logout(result.sessionToken);
    expect(await principalFromSession(result.sessionToken)).toBeNull();
    expect(await prisma().session.count({ where: { tokenHash: sha256Hex(result.sessionToken) } })).toBe(0);
  });

  it("is a no-op for unknown or empty tokens", async () => {
    await expect(logout("not-a-session-token-at-all")).resolves.toBeUndefined();
    await expect(logout("")).resolves.toBeUndefined();
  });
});
