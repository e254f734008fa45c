// Sign-in against the real database and real scrypt: sessions are stored hashed, last
// 14 days, and the two kinds of failure look the same from outside.
import { randomBytes, scryptSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { principalFromSession } from "@/lib/auth/authenticate";
import { login, logout, SESSION_TTL_SECONDS } from "@/lib/auth/login";
import { hashPassword, needsRehash, passwordHashGate } from "@/lib/auth/password";
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
    for (let i = 0; i < 3; i++) {
      known.push(await time(email));
      unknown.push(await time(`ghost-${i}@example.com`));
    }
    // scrypt dominates both; without the decoy an unknown email would return in well under a millisecond.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.4);
  });

  it("ten wrong passwords lock out the client that sent them, not the owner elsewhere (issue 11, item 7)", async () => {
    const deps = fresh();
    // Two real wrong passwords, then the rest of the ten straight into the counter (each real one costs a 128 MiB hash).
    for (let i = 0; i < 2; i++) {
      expect(await login({ email, password: `guess ${i}`, ip: "6.6.6.6" }, deps)).toEqual({ ok: false, reason: "invalid" });
    }
    for (let i = 2; i < 10; i++) deps.limiter.recordFailure({ ip: "6.6.6.6" }, email);
    const refused = await login({ email, password, ip: "6.6.6.6" }, deps);
    expect(refused).toMatchObject({ ok: false, reason: "rate_limited" });
    if (refused.ok || refused.reason !== "rate_limited") return;
    expect(refused.retryAfter).toBeGreaterThan(0);
    expect(refused.retryAfter).toBeLessThanOrEqual(15 * 60);
    expect((await login({ email, password, ip: "198.51.100.9" }, deps)).ok).toBe(true);
  });

  it("a browser that signed in before gets in even when strangers have spent every count", async () => {
    const deps = fresh();
    const first = await login({ email, password, ip: "198.51.100.9" }, deps);
    if (!first.ok) throw new Error("login failed");
    // Strangers fail from a hundred addresses (the account's count) and from the owner's own one.
    for (let i = 0; i < 100; i++) deps.limiter.recordFailure({ ip: `10.3.${i}.1` }, email);
    for (let i = 0; i < 100; i++) deps.limiter.recordFailure({ ip: "198.51.100.9" }, `x${i}@example.com`);
    expect(await login({ email, password, ip: "203.0.113.5" }, deps)).toMatchObject({ ok: false, reason: "rate_limited" });
    expect(await login({ email, password, ip: "198.51.100.9" }, deps)).toMatchObject({ ok: false, reason: "rate_limited" });
    const again = await login({ email, password, ip: "198.51.100.9", deviceCookie: first.deviceCookie }, deps);
    expect(again.ok).toBe(true);
  });

  it("a device cookie of another account, or a forged one, earns no exemption", async () => {
    const deps = fresh();
    const other = `other-${orgSlug}@example.com`;
    await prisma().user.create({ data: { orgId, email: other, role: "operator", passwordHash: await hashPassword("other password") } });
    const theirs = await login({ email: other, password: "other password", ip: "10.4.0.1" }, deps);
    if (!theirs.ok) throw new Error("login failed");
    for (let i = 0; i < 10; i++) deps.limiter.recordFailure({ ip: "10.4.0.1" }, email);
    const forged = theirs.deviceCookie.replace(/\.[^.]+$/, `.${"A".repeat(43)}`);
    for (const deviceCookie of [theirs.deviceCookie, forged, "garbage"]) {
      expect(await login({ email, password, ip: "10.4.0.1", deviceCookie }, deps)).toMatchObject({ ok: false, reason: "rate_limited" });
    }
  });

  it("a successful sign-in resets that client's failure count", async () => {
    const deps = fresh();
    expect(await login({ email, password: "nope", ip: "10.2.0.1" }, deps)).toEqual({ ok: false, reason: "invalid" });
    for (let i = 1; i < 9; i++) deps.limiter.recordFailure({ ip: "10.2.0.1" }, email);
    expect((await login({ email, password, ip: "10.2.0.1" }, deps)).ok).toBe(true);
    for (let i = 0; i < 9; i++) deps.limiter.recordFailure({ ip: "10.2.0.1" }, email);
    expect((await login({ email, password, ip: "10.2.0.1" }, deps)).ok).toBe(true);
  });

  it("upgrades a hash made at the old cost on the next successful sign-in, keeping its sessions", async () => {
    const legacyEmail = `legacy-${orgSlug}@example.com`;
    const salt = Buffer.from("legacy-salt-1234");
    const key = scryptSync("legacy password", salt, 64, { N: 16384, r: 8, p: 1 });
    const legacy = `scrypt$16384$8$1$${salt.toString("base64")}$${key.toString("base64")}`;
    const user = await prisma().user.create({ data: { orgId, email: legacyEmail, role: "operator", passwordHash: legacy } });
    expect((await login({ email: legacyEmail, password: "wrong", ip: "10.5.0.1" }, fresh())).ok).toBe(false);
    expect((await prisma().user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBe(legacy);

    const first = await login({ email: legacyEmail, password: "legacy password", ip: "10.5.0.1" }, fresh());
    expect(first.ok).toBe(true);
    const upgraded = (await prisma().user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash;
    expect(upgraded).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(needsRehash(upgraded)).toBe(false);
    if (!first.ok) return;
    expect(await principalFromSession(first.sessionToken)).not.toBeNull();
    // The device cookie handed out with it is signed with the new hash, and the password still works.
    const second = await login({ email: legacyEmail, password: "legacy password", ip: "10.5.0.1", deviceCookie: first.deviceCookie }, fresh());
    expect(second.ok).toBe(true);
  });

  it("with the hashing gate full, refuses strangers at once as busy, without counting a failure, and lets a known browser queue ahead", async () => {
    const deps = fresh();
    const known = await login({ email, password, ip: "10.6.0.1" }, deps);
    if (!known.ok) throw new Error("login failed");
    const gate = passwordHashGate();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    // Fill every running slot and the strangers' queue.
    const fillers: Promise<unknown>[] = [];
    for (;;) {
      const before = gate.load;
      const p = gate.run(() => held);
      const refused = await Promise.race([p.then(() => false, () => true), new Promise<boolean>((r) => setImmediate(() => r(false)))]);
      if (refused) break;
      fillers.push(p);
      if (fillers.length > 100) throw new Error(`gate never filled: ${JSON.stringify(before)}`);
    }
    try {
      const t = performance.now();
      const busy = await login({ email, password: "whatever", ip: "10.6.0.2" }, deps);
      expect(busy).toEqual({ ok: false, reason: "busy", retryAfter: 1 });
      expect(performance.now() - t).toBeLessThan(1_000);
      const owner = login({ email, password, ip: "10.6.0.1", deviceCookie: known.deviceCookie }, deps);
      release();
      expect((await owner).ok).toBe(true);
    } finally {
      release();
      await Promise.allSettled(fillers);
    }
    // The busy answer was not a failure: after nine more, the tenth wrong password is still checked.
    for (let i = 0; i < 9; i++) deps.limiter.recordFailure({ ip: "10.6.0.2" }, email);
    expect(await login({ email, password: "nope", ip: "10.6.0.2" }, deps)).toEqual({ ok: false, reason: "invalid" });
  }, 60_000);

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
