// Hostile inbound input (issue 11): URLs that cannot name a source, and sources whose
// verification cannot be checked. Through the real route handlers and a real PostgreSQL.
// (Client data PostgreSQL cannot store: tests/client-data.integration.test.ts.)
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { sourceCacheStats } from "@/lib/store/source-lookup";
import { createMapping, createOrg, createSource, postInbound } from "./helpers/pipeline-fixtures";

const stripe = new Stripe("sk_test_dummy");
const SECRET = "whsec_hostile_inbound_secret_0123";

let org: Awaited<ReturnType<typeof createOrg>>;

beforeAll(async () => {
  org = await createOrg("hostile");
});

afterAll(async () => {
  await prisma().$disconnect();
});

describe("URLs that cannot name a source", () => {
  it("are 404 without reaching the source cache, however long or odd", async () => {
    const before = sourceCacheStats();
    const long = (i: number) => `${"a".repeat(15_000)}\u0416${i}`;
    const cases: [string, { id: string } | { mnemonic: string }][] = [
      [long(1), { id: "00000000-0000-4000-8000-000000000000" }],
      [long(2), { mnemonic: "stripe" }],
      ["UPPER", { mnemonic: "stripe" }],
      ["-leading-dash", { mnemonic: "stripe" }],
      [org.slug, { mnemonic: "m".repeat(65) }],
      [org.slug, { mnemonic: "dots.are.not.allowed" }],
      [org.slug, { mnemonic: `x${"\u0000"}` }],
      [org.slug, { id: `00000000-0000-4000-8000-00000000000${"\u00e9"}` }],
    ];
    for (const [slug, key] of cases) {
      expect(await postInbound(slug, key, "{}")).toEqual({ status: 404, body: { error: "Source not found" } });
    }
    expect(sourceCacheStats()).toEqual(before);
  });

  it("well-formed unknown keys are cached apart from found sources, within their bounds", async () => {
    const source = await createSource(org.id, { mnemonic: "known" });
    await createMapping(org.id, source.id, { resourceIdPath: "id" });
    expect((await postInbound(org.slug, { mnemonic: "known" }, JSON.stringify({ id: "k1" }))).status).toBe(200);
    const found = sourceCacheStats().entries;
    for (let i = 0; i < 50; i++) {
      expect((await postInbound(org.slug, { mnemonic: `unknown-${i}` }, "{}")).status).toBe(404);
    }
    const after = sourceCacheStats();
    expect(after.entries).toBe(found);
    expect(after.negativeEntries).toBeGreaterThanOrEqual(50);
    expect(after.bytes + after.negativeBytes).toBeLessThan(40 * 1024 * 1024);
  });
});

describe("verification that cannot be checked fails closed", () => {
  it("settings without a stored secret refuse every request, signed or not, and say why", async () => {
    const source = await createSource(org.id, { mnemonic: "nosecret", verification: { preset: "stripe" }, secret: null });
    await createMapping(org.id, source.id, { resourceIdPath: "id" });
    const body = JSON.stringify({ id: "evt_closed_1" });
    const unsigned = await postInbound(org.slug, { mnemonic: "nosecret" }, body);
    expect(unsigned).toMatchObject({ status: 401, body: { error: "Signature verification failed" } });
    const signedAnyhow = await postInbound(org.slug, { mnemonic: "nosecret" }, body, {
      "stripe-signature": stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRET }),
    });
    expect(signedAnyhow.status).toBe(401);
    const ev = await prisma().inboundEvent.findUniqueOrThrow({ where: { id: unsigned.body.eventId as string } });
    expect(ev.status).toBe("failed");
    expect(ev.stages).toContainEqual({ stage: "signature", outcome: "failed", detail: "Signature verification failed: no signing secret is stored for this source" });
    expect(await prisma().interaction.count({ where: { sourceId: source.id } })).toBe(0);
  });
});
