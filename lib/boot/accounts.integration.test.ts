// Start-up accounts against their own empty database: "the database has no users" must
// mean exactly that, whatever other test files have created in the shared one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { principalFromToken } from "@/lib/auth/authenticate";
import { login } from "@/lib/auth/login";
import { verifyPassword } from "@/lib/auth/password";
import { createLoginLimiter } from "@/lib/auth/rate-limit";
import { sha256Hex } from "@/lib/auth/secrets";
import { createDb, prisma, setDb } from "@/lib/db";
import { createApiToken } from "@/lib/store/api-tokens";
import { ensureAdmin, ensureBootstrapToken, ensureOrg } from "@/lib/boot/accounts";
import { createTestDatabase } from "@/tests/test-database";

let dropDb: () => Promise<void>;
let ownDb: ReturnType<typeof createDb>;

beforeAll(async () => {
  const t = await createTestDatabase("accounts");
  dropDb = t.drop;
  ownDb = createDb(t.url, 4);
  setDb(ownDb);
});

afterAll(async () => {
  setDb(undefined);
  await ownDb.prisma.$disconnect();
  await ownDb.pool.end();
  await dropDb();
});

const signIn = (email: string, password: string) => login({ email, password, ip: "10.0.0.1" }, { limiter: createLoginLimiter() });

describe("ensureOrg", () => {
  it("creates the org once and keeps an existing org's name", async () => {
    const a = await ensureOrg("acme", "Acme");
    const b = await ensureOrg("acme", "Another name");
    expect(b.id).toBe(a.id);
    expect(b.name).toBe("Acme");
    expect(await prisma().org.count({ where: { slug: "acme" } })).toBe(1);
  });

  it("survives several processes starting at once", async () => {
    const orgs = await Promise.all([1, 2, 3, 4].map(() => ensureOrg("racing", "Racing")));
    expect(new Set(orgs.map((o) => o.id)).size).toBe(1);
  });
});

describe("ensureBootstrapToken", () => {
  const token = "prv_bootstrap_0123456789abcdef";

  it("stores only the hash as an admin token named bootstrap, with a 12-character prefix", async () => {
    const org = await ensureOrg("acme", "Acme");
    expect(await ensureBootstrapToken(org.id, token)).toEqual({ created: true, revoked: 0 });
    const rows = await prisma().apiToken.findMany({ where: { orgId: org.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: "bootstrap", role: "admin", prefix: "prv_bootstra", tokenHash: sha256Hex(token), bootstrap: true });
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it("is idempotent and makes the token authenticate for its org", async () => {
    const org = await ensureOrg("acme", "Acme");
    expect(await ensureBootstrapToken(org.id, token)).toEqual({ created: false, revoked: 0 });
    expect(await prisma().apiToken.count({ where: { orgId: org.id } })).toBe(1);
    expect(await principalFromToken(token)).toMatchObject({ kind: "token", orgId: org.id, orgSlug: "acme", role: "admin" });
  });

  it("refuses a token that another org made through the API", async () => {
    const other = await ensureOrg("other", "Other");
    const made = await createApiToken(other.id, { name: "ci", role: "admin" });
    const acme = await ensureOrg("acme", "Acme");
    await expect(ensureBootstrapToken(acme.id, made.token)).rejects.toThrow(/another org/);
    // The refusal changed nothing: the configured token and the other org's token both still work.
    expect(await principalFromToken(token)).toMatchObject({ orgSlug: "acme" });
    expect(await principalFromToken(made.token)).toMatchObject({ orgSlug: "other" });
  });

  it("moves to the configured org when only the org changed", async () => {
    const other = await ensureOrg("other", "Other");
    expect(await ensureBootstrapToken(other.id, token)).toEqual({ created: true, revoked: 1 });
    expect(await principalFromToken(token)).toMatchObject({ orgSlug: "other" });
    const acme = await ensureOrg("acme", "Acme");
    expect(await ensureBootstrapToken(acme.id, token)).toEqual({ created: true, revoked: 1 });
  });

  it("several processes starting at once with different values leave exactly one bootstrap token", async () => {
    const org = await ensureOrg("acme", "Acme");
    const values = [1, 2, 3, 4].map((i) => `prv_racing_${i}_0123456789abcdef`);
    await Promise.all(values.map((v) => ensureBootstrapToken(org.id, v)));
    const rows = await prisma().apiToken.findMany({ where: { bootstrap: true } });
    expect(rows).toHaveLength(1);
    expect(values.map(sha256Hex)).toContain(rows[0]!.tokenHash);
    await ensureBootstrapToken(org.id, token);
  });
});

describe("ensureAdmin", () => {
  it("on an empty database, creates admin@<slug>.local with a generated password that signs in", async () => {
    const org = await ensureOrg("acme", "Acme");
    const first = await ensureAdmin(org.id, {});
    expect(first).toMatchObject({ email: "admin@acme.local", created: true, passwordReset: false });
    expect(first.generatedPassword).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const user = await prisma().user.findUniqueOrThrow({ where: { email: "admin@acme.local" } });
    expect(user).toMatchObject({ orgId: org.id, role: "admin" });
    expect(user.passwordHash).not.toContain(first.generatedPassword!);
    expect((await signIn("admin@acme.local", first.generatedPassword!)).ok).toBe(true);
  });

  it("with users present and nothing configured, changes nothing and names the org's admin", async () => {
    const org = await ensureOrg("acme", "Acme");
    const before = await prisma().user.findMany({ orderBy: { email: "asc" } });
    expect(await ensureAdmin(org.id, {})).toEqual({ email: "admin@acme.local", created: false, passwordReset: false });
    expect(await prisma().user.findMany({ orderBy: { email: "asc" } })).toEqual(before);
  });

  it("with a configured email that has no account yet, creates it as an admin", async () => {
    const org = await ensureOrg("acme", "Acme");
    const r = await ensureAdmin(org.id, { email: "Ops@Example.com", password: "first password" });
    expect(r).toEqual({ email: "ops@example.com", created: true, passwordReset: false });
    expect(await prisma().user.findUniqueOrThrow({ where: { email: "ops@example.com" } })).toMatchObject({ role: "admin", orgId: org.id });
  });

  it("with the account's current password configured, leaves it and its sessions alone", async () => {
    const org = await ensureOrg("acme", "Acme");
    const session = await signIn("ops@example.com", "first password");
    expect(session.ok).toBe(true);
    const hashBefore = (await prisma().user.findUniqueOrThrow({ where: { email: "ops@example.com" } })).passwordHash;
    expect(await ensureAdmin(org.id, { email: "ops@example.com", password: "first password" })).toEqual({
      email: "ops@example.com",
      created: false,
      passwordReset: false,
    });
    const user = await prisma().user.findUniqueOrThrow({ where: { email: "ops@example.com" } });
    expect(user.passwordHash).toBe(hashBefore);
    expect(await prisma().session.count({ where: { userId: user.id } })).toBe(1);
  });

  it("with a new password configured for an existing account, resets it and ends its sessions", async () => {
    const org = await ensureOrg("acme", "Acme");
    const r = await ensureAdmin(org.id, { email: "ops@example.com", password: "second password" });
    expect(r).toEqual({ email: "ops@example.com", created: false, passwordReset: true });
    const user = await prisma().user.findUniqueOrThrow({ where: { email: "ops@example.com" } });
    expect(await verifyPassword("second password", user.passwordHash)).toBe(true);
    expect(await prisma().session.count({ where: { userId: user.id } })).toBe(0);
    expect((await signIn("ops@example.com", "first password")).ok).toBe(false);
    expect((await signIn("ops@example.com", "second password")).ok).toBe(true);
  });

  it("refuses an email without a password", async () => {
    const org = await ensureOrg("acme", "Acme");
    await expect(ensureAdmin(org.id, { email: "x@example.com" })).rejects.toThrow(/together/);
  });
});

describe("ensureAdmin on an empty database with configured credentials", () => {
  it("creates exactly one admin when several processes start at once", async () => {
    await prisma().user.deleteMany({});
    const org = await ensureOrg("acme", "Acme");
    const results = await Promise.all(
      [1, 2, 3].map(() => ensureAdmin(org.id, { email: "root@example.com", password: "configured password" })),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(results.every((r) => r.email === "root@example.com" && r.generatedPassword === undefined)).toBe(true);
    expect(await prisma().user.count()).toBe(1);
    expect((await signIn("root@example.com", "configured password")).ok).toBe(true);
  });
});
