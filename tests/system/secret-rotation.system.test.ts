// Key rotation against the BUILT app (`npm run build` first), as an operator does it:
// start under key A; restart with B as the current key and A as a previous one (old
// secrets still verify and sign); run `npm run secrets:reencrypt` (plain node, no build
// step needed) to move every stored secret to B; restart with B alone. At each step a
// Stripe-signed webhook verifies and the delivery carries the target's bearer token and a
// Standard Webhooks signature. Then the refusals: the old key alone (secrets under a key
// id that is not configured), no key at all in production, and a malformed key, each a
// clear message at start-up that names no secret.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyIdOf, parseSecretKey } from "@/lib/crypto/secret-box.mjs";
import { findSecrets } from "./abuse";
import { ROOT, createMapping, send, startSystem, stripeSignature, waitUntil, type System } from "./harness";

const run = promisify(execFile);
let sys: System;
let receiver: http.Server;
let receiverUrl: string;
let dataDir: string;
const received: { headers: Record<string, string>; body: string }[] = [];

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])), body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  // The command's data directory: empty, so no generated key of this checkout joins in.
  dataDir = await mkdtemp(path.join(tmpdir(), "prov-rot-"));
  sys = await startSystem("rot");
});

afterAll(async () => {
  await sys?.close();
  await new Promise<void>((r) => receiver.close(() => r()));
  await rm(dataDir, { recursive: true, force: true });
});

/** Runs the secrets command against the app's database; resolves with its output and exit code. */
async function secretsCommand(args: string[], keys: Record<string, string>, viaNpm = false) {
  const env = { NODE_ENV: "production" as const, PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DATABASE_URL: sys.databaseUrl, PROVENANCE_DATA_DIR: dataDir, ...keys };
  const [file, argv] = viaNpm ? ["npm", ["run", "--silent", `secrets:${args[0]}`, "--", ...args.slice(1)]] : [process.execPath, ["scripts/secrets.mjs", ...args]];
  try {
    const { stdout, stderr } = await run(file, argv, { cwd: ROOT, env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function startFails(env: Record<string, string>): Promise<string> {
  return sys.restart(env).then(
    () => {
      throw new Error("the app started");
    },
    (error: Error & { serverOutput?: string }) => error.serverOutput ?? error.message,
  );
}

async function kidsInUse(): Promise<string[]> {
  const res = await sys.db.query<{ kid: string }>(
    `SELECT DISTINCT split_part(v, ':', 3) AS "kid" FROM (
       SELECT "verificationSecret" AS v FROM "InboundSource" WHERE "verificationSecret" IS NOT NULL
       UNION ALL SELECT "authSecret" FROM "Target" WHERE "authSecret" IS NOT NULL
       UNION ALL SELECT "signingSecret" FROM "Target" WHERE "signingSecret" IS NOT NULL
       UNION ALL SELECT "value" FROM "OrgSecret") x ORDER BY 1`,
  );
  return res.rows.map((r) => r.kid);
}

describe("rotating the secret key", () => {
  it("keeps verifying webhooks and signing deliveries through a rotation, and refuses to start without the right key", async () => {
    const keyA = sys.secretKey;
    const keyB = randomBytes(32).toString("hex");
    const [kidA, kidB] = [keyIdOf(parseSecretKey(keyA)), keyIdOf(parseSecretKey(keyB))];
    const stripeSecret = `whsec_${randomBytes(24).toString("hex")}`;
    const bearer = `tok_${randomBytes(20).toString("hex")}`;
    const orgSecret = `org-${randomBytes(12).toString("hex")}`;
    const source = await sys.api<{ id: string }>("POST", "/api/v1/inbound-sources", { title: "Stripe", mnemonic: "stripe", verification: { preset: "stripe", secret: stripeSecret } });
    const mappingId = await createMapping(sys, source.id);
    const target = await sys.api<{ id: string; signingSecret: string }>("POST", "/api/v1/targets", { name: "receiver", url: receiverUrl, auth: { type: "bearer", secret: bearer } });
    await sys.api("POST", "/api/v1/routes", { mappingId, targetId: target.id });
    await sys.api("PUT", "/api/v1/secrets/TOKEN", { value: orgSecret });
    const never = [keyA, keyB, stripeSecret, bearer, orgSecret, target.signingSecret];

    /** A signed webhook is accepted and its delivery arrives authenticated and signed. */
    const roundTrip = async (n: number) => {
      const body = JSON.stringify({ id: `evt_${n}`, type: "order.created" });
      const res = await send(sys.app.baseUrl, `/api/inbound/${sys.orgSlug}/${source.id}?sync=true`, body, { headers: { "stripe-signature": stripeSignature(body, stripeSecret) } });
      expect(res.status, res.text).toBe(200);
      await waitUntil(`delivery ${n}`, 20_000, async () => [received.length >= n, `${received.length} received`]);
      const got = received[n - 1]!;
      expect(got.headers.authorization).toBe(`Bearer ${bearer}`);
      expect(new Webhook(target.signingSecret).verify(got.body, got.headers)).toMatchObject({ resourceId: `evt_${n}` });
    };

    await roundTrip(1);
    expect(await kidsInUse()).toEqual([kidA]);

    // B current, A still readable: nothing moves at start-up, everything still works, new writes use B.
    await sys.app.stop();
    await sys.restart({ PROVENANCE_SECRET_KEY: keyB, PROVENANCE_SECRET_KEY_PREVIOUS: keyA });
    await roundTrip(2);
    await sys.api("PUT", "/api/v1/secrets/LATER", { value: `later-${orgSecret}` });
    expect(await kidsInUse()).toEqual([kidA, kidB].sort());
    const listed = await sys.api<{ data: { name: string; hint: string }[] }>("GET", "/api/v1/secrets");
    expect(listed.data.find((s) => s.name === "TOKEN")?.hint).toBe(`…${orgSecret.slice(-4)}`);

    // The command: a dry run through npm changes nothing; the run moves every secret to B; again is a no-op.
    const keys = { PROVENANCE_SECRET_KEY: keyB, PROVENANCE_SECRET_KEY_PREVIOUS: keyA };
    const dry = await secretsCommand(["reencrypt", "--dry-run"], keys, true);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`current key id: ${kidB}   (dry run: nothing written)`);
    expect(await kidsInUse()).toEqual([kidA, kidB].sort());
    const moved = await secretsCommand(["reencrypt"], keys);
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stdout).toMatch(/InboundSource\.verificationSecret +1 stored: 0 current, 0 sealed from plain text, 1 re-sealed/);
    expect(moved.stdout).toMatch(/Target\.signingSecret +1 stored: 0 current, 0 sealed from plain text, 1 re-sealed/);
    expect(moved.stdout).toMatch(/OrgSecret\.value +2 stored: 1 current, 0 sealed from plain text, 1 re-sealed/);
    expect(await kidsInUse()).toEqual([kidB]);
    const again = await secretsCommand(["reencrypt"], keys);
    expect(again.stdout).toMatch(/Target\.authSecret +1 stored: 1 current, 0 sealed from plain text, 0 re-sealed/);
    expect(findSecrets([dry, moved, again].map((r) => r.stdout + r.stderr).join("\n"), never)).toEqual([]);

    // B alone.
    await sys.app.stop();
    await sys.restart({ PROVENANCE_SECRET_KEY: keyB, PROVENANCE_SECRET_KEY_PREVIOUS: "" });
    await roundTrip(3);
    await sys.app.stop();

    // The old key alone: refused at start-up, naming the key id and where it is used.
    const oldOnly = await startFails({ PROVENANCE_SECRET_KEY: keyA, PROVENANCE_SECRET_KEY_PREVIOUS: "" });
    expect(oldOnly).toContain(`Stored secrets are encrypted under key ids that are not configured: ${kidB} (InboundSource.verificationSecret ×1, Target.authSecret ×1, Target.signingSecret ×1, OrgSecret.value ×2)`);
    // Production without a key, and with a malformed one.
    const noKey = await startFails({ PROVENANCE_SECRET_KEY: "" });
    expect(noKey).toMatch(/start-up failed: PROVENANCE_SECRET_KEY is not set\. .*npm run secrets:generate-key/);
    const badKey = "zz-not-a-key-zz";
    const malformed = await startFails({ PROVENANCE_SECRET_KEY: badKey });
    expect(malformed).toMatch(/PROVENANCE_SECRET_KEY: must be 32 random bytes written as 64 hex characters or as base64 \(got neither hex nor base64\)/);
    expect(malformed).not.toContain(badKey);
    expect(findSecrets([oldOnly, noKey, malformed, sys.app.output()].join("\n"), never)).toEqual([]);
  });
});
