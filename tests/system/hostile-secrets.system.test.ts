// Hostile-input proof for secrets at rest, against the BUILT app (`npm run build` first):
// secrets written through the management API are used where they are needed (a
// Stripe-signed webhook verifies, the delivery carries the bearer token and a Standard
// Webhooks signature made with the rotated signing secret) and appear nowhere else: not
// in a response (except the signing secret, once, in create and rotate answers, as the
// contract says), not in the server's output, not in plain in the database. Meanwhile a
// flood of forged webhooks, webhooks to a source whose secret is gone (fail closed) and
// list reads that decrypt every hint must leave the app up, bystanders answered within
// BYSTANDER_LIMIT_MS, no 5xx, and RSS bounded.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BYSTANDER_LIMIT_MS, appRssMb, findSecrets, underAbuse } from "./abuse";
import { createMapping, runBounded, send, startSystem, stripeSignature, waitUntil, type System } from "./harness";

/** The flood may grow the app this much over its resting RSS (list reads build 100-target pages). */
const FLOOD_RSS_HEADROOM_MB = 200;
const FLOOD_REQUESTS = 1_200;
const TARGETS = 60;
const SEALED_RE = /^enc:v1:[0-9a-f]{16}:[A-Za-z0-9_-]+$/;

type Received = { headers: Record<string, string>; body: string };
let sys: System;
let receiver: http.Server;
let receiverUrl: string;
const received: Received[] = [];

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
  sys = await startSystem("hsec");
});

afterAll(async () => {
  await sys?.close();
  await new Promise<void>((r) => receiver.close(() => r()));
});

describe("secrets at rest, against the built app", () => {
  it("are used where needed and appear nowhere else, while floods of forged and fail-closed webhooks change nothing", async () => {
    const stripeSecret = `whsec_${randomBytes(24).toString("hex")}`;
    const firstStripeSecret = `whsec_${randomBytes(24).toString("hex")}`;
    const bearer = `tok_${randomBytes(20).toString("hex")}`;
    const orgValues = [`org-secret-${randomBytes(12).toString("hex")}`, `org-secret-${randomBytes(12).toString("hex")}`];
    const closedSecret = `whsec_${randomBytes(24).toString("hex")}`;
    const never = [stripeSecret, firstStripeSecret, bearer, closedSecret, ...orgValues, sys.secretKey];
    const responses: string[] = [];
    const api = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown, expectStatus?: number[]) => {
      const r = await sys.api<T>(method, path, body, expectStatus);
      responses.push(JSON.stringify(r));
      return r;
    };

    // Written through the API: a source (its secret then replaced), a target with auth, a
    // rotated signing secret, org secrets, and a source whose secret will be gone.
    const source = await api<{ id: string }>("POST", "/api/v1/inbound-sources", { title: "Stripe", mnemonic: "stripe", verification: { preset: "stripe", secret: firstStripeSecret } });
    await api("PATCH", `/api/v1/inbound-sources/${source.id}`, { verification: { preset: "stripe", secret: stripeSecret } });
    const mappingId = await createMapping(sys, source.id);
    const target = await api<{ id: string; signingSecret: string }>("POST", "/api/v1/targets", { name: "receiver", url: receiverUrl, auth: { type: "bearer", secret: bearer } });
    const rotated = await api<{ signingSecret: string }>("POST", `/api/v1/targets/${target.id}/rotate-secret`);
    const signingSecrets = [target.signingSecret, rotated.signingSecret];
    await api("POST", "/api/v1/routes", { mappingId, targetId: target.id });
    for (const [i, value] of orgValues.entries()) await api("PUT", `/api/v1/secrets/KEY_${i}`, { value }, [201]);
    const closed = await api<{ id: string }>("POST", "/api/v1/inbound-sources", { title: "Closed", mnemonic: "closed", verification: { preset: "stripe", secret: closedSecret } });
    // Gone behind the app's back (a restore without it, a hand edit): verification must not switch off.
    await sys.db.query(`UPDATE "InboundSource" SET "verificationSecret" = NULL WHERE "id" = $1`, [closed.id]);
    // Targets enough that one list page decrypts 200 secrets for its hints.
    const moreSigning = await runBounded(TARGETS, 4, async (i) =>
      (await api<{ signingSecret: string }>("POST", "/api/v1/targets", { name: `t-${i}`, url: receiverUrl, auth: { type: "bearer", secret: `${bearer}-${i}` } })).signingSecret,
    );
    never.push(...Array.from({ length: TARGETS }, (_, i) => `${bearer}-${i}`));

    // Used where needed: the webhook verifies and the delivery is authenticated and signed.
    const body = JSON.stringify({ id: "evt_ok_1", type: "order.created" });
    const ok = await send(sys.app.baseUrl, `/api/inbound/${sys.orgSlug}/${source.id}?sync=true`, body, { headers: { "stripe-signature": stripeSignature(body, stripeSecret) } });
    expect(ok.status, ok.text).toBe(200);
    await waitUntil("the delivery", 20_000, async () => [received.length >= 1, `${received.length} received`]);
    expect(received[0]!.headers.authorization).toBe(`Bearer ${bearer}`);
    expect(new Webhook(rotated.signingSecret).verify(received[0]!.body, received[0]!.headers)).toMatchObject({ resourceId: "evt_ok_1" });
    expect(() => new Webhook(target.signingSecret).verify(received[0]!.body, received[0]!.headers)).toThrow();

    // The flood.
    const restingRssMb = appRssMb(sys);
    const statuses: Record<string, number> = {};
    const { bystander, peakRssMb } = await underAbuse(sys, () =>
      runBounded(FLOOD_REQUESTS, 12, async (i) => {
        const kind = ["forged", "closed", "closed-signed", "list", "secrets"][i % 5]!;
        let status: number;
        if (kind === "forged" || kind === "closed" || kind === "closed-signed") {
          const b = JSON.stringify({ id: `evt_${i}`, type: "order.created" });
          const sig = kind === "forged" ? stripeSignature(b, `whsec_${randomBytes(8).toString("hex")}`) : stripeSignature(b, closedSecret);
          const id = kind === "forged" ? source.id : closed.id;
          status = (await send(sys.app.baseUrl, `/api/inbound/${sys.orgSlug}/${id}`, b, { headers: kind === "closed" ? {} : { "stripe-signature": sig } })).status;
        } else {
          const path = kind === "list" ? "/api/v1/targets?limit=100" : "/api/v1/secrets";
          const text = JSON.stringify(await sys.api("GET", path));
          responses.push(text);
          status = 200;
        }
        statuses[`${kind} ${status}`] = (statuses[`${kind} ${status}`] ?? 0) + 1;
      }),
    );
    console.log(
      `hostile-secrets: ${JSON.stringify(statuses)}; bystander max ${Math.round(bystander.maxMs)} ms over ${bystander.count}; ` +
        `RSS resting ${Math.round(restingRssMb)} MB, peak ${Math.round(peakRssMb)} MB`,
    );
    // Forged signatures and every request to the source without its secret: 401, nothing else.
    expect(statuses).toEqual({ "forged 401": FLOOD_REQUESTS / 5, "closed 401": FLOOD_REQUESTS / 5, "closed-signed 401": FLOOD_REQUESTS / 5, "list 200": FLOOD_REQUESTS / 5, "secrets 200": FLOOD_REQUESTS / 5 });
    expect(bystander.failures).toEqual([]);
    expect(bystander.maxMs).toBeLessThan(BYSTANDER_LIMIT_MS);
    expect(peakRssMb).toBeLessThan(restingRssMb + FLOOD_RSS_HEADROOM_MB);

    // The fail-closed events say why, to the operator only.
    const events = await sys.db.query<{ stages: { stage: string; detail?: string }[] }>(
      `SELECT "stages" FROM "InboundEvent" WHERE "sourceId" = $1 ORDER BY "receivedAt" DESC LIMIT 1`,
      [closed.id],
    );
    expect(events.rows[0]!.stages).toContainEqual({ stage: "signature", outcome: "failed", detail: "Signature verification failed: no signing secret is stored for this source" });
    // No interaction came from the closed source or a forged request.
    const interactions = await sys.db.query<{ n: string }>(`SELECT count(*) AS "n" FROM "Interaction"`);
    expect(Number(interactions.rows[0]!.n)).toBe(1);

    // Nowhere else: responses (signing secrets only in their create and rotate answers) ...
    const signingAnswers = responses.filter((r) => signingSecrets.concat(moreSigning).some((s) => r.includes(s)));
    expect(signingAnswers.length).toBe(2 + TARGETS);
    for (const r of signingAnswers) expect(r).toMatch(/"signingSecret":"whsec_/);
    expect(findSecrets(responses.join("\n"), never)).toEqual([]);
    // ... the server's output ...
    const output = sys.app.output();
    expect(findSecrets(output, [...never, ...signingSecrets, ...moreSigning])).toEqual([]);
    expect(output).toContain("Provenance is ready");
    // ... and the database, where every secret column holds sealed values only.
    const columns = await sys.db.query<{ value: string }>(
      `SELECT "verificationSecret" AS "value" FROM "InboundSource" WHERE "verificationSecret" IS NOT NULL
       UNION ALL SELECT "authSecret" FROM "Target" WHERE "authSecret" IS NOT NULL
       UNION ALL SELECT "signingSecret" FROM "Target" WHERE "signingSecret" IS NOT NULL
       UNION ALL SELECT "value" FROM "OrgSecret"`,
    );
    expect(columns.rows.length).toBe(1 + 2 * (1 + TARGETS) + orgValues.length);
    for (const { value } of columns.rows) expect(value).toMatch(SEALED_RE);
    const everywhere = await sys.db.query<{ text: string }>(
      `SELECT string_agg(t, E'\\n') AS "text" FROM (
         SELECT "headers"::text || "stages"::text || coalesce("error", '') AS t FROM "InboundEvent"
         UNION ALL SELECT "attempts"::text FROM "Delivery"
         UNION ALL SELECT coalesce("verification"::text, '') FROM "InboundSource"
         UNION ALL SELECT "authSecret" || "signingSecret" FROM "Target"
         UNION ALL SELECT "value" FROM "OrgSecret") x`,
    );
    expect(findSecrets(everywhere.rows[0]!.text, [...never, ...signingSecrets, ...moreSigning])).toEqual([]);
  });
});
