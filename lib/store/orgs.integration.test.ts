// The console home's summary counts and lists only the org's own rows.
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { createOrgIfMissing, orgOverview } from "@/lib/store/orgs";

const created: string[] = [];

async function org() {
  const slug = `ov-${randomBytes(4).toString("hex")}`;
  const { org } = await createOrgIfMissing(slug, slug);
  created.push(org.id);
  return org;
}

async function source(orgId: string, mnemonic: string, active = true) {
  const origin = await prisma().origin.create({ data: { orgId, name: mnemonic } });
  return prisma().inboundSource.create({ data: { orgId, originId: origin.id, title: `Source ${mnemonic}`, mnemonic, active } });
}

afterAll(async () => {
  await prisma().org.deleteMany({ where: { id: { in: created } } });
});

describe("orgOverview", () => {
  it("counts and lists only the org's rows, newest events first, ten at most", async () => {
    const mine = await org();
    const theirs = await org();
    const a = await source(mine.id, "stripe");
    await source(mine.id, "github", false);
    const foreign = await source(theirs.id, "stripe");
    const base = Date.now() - 60_000;
    for (let i = 0; i < 12; i++) {
      await prisma().inboundEvent.create({
        data: {
          orgId: mine.id,
          sourceId: a.id,
          status: i === 11 ? "failed" : "processed",
          error: i === 11 ? "Signature verification failed" : null,
          headers: {},
          body: Buffer.from("{}"),
          receivedAt: new Date(base + i * 1000),
        },
      });
    }
    await prisma().inboundEvent.create({
      data: { orgId: theirs.id, sourceId: foreign.id, status: "queued", headers: {}, body: Buffer.from("{}") },
    });

    const o = await orgOverview(mine.id);
    expect(o.counts).toEqual({ sources: 2, mappings: 0, events: 12, interactions: 0 });
    expect(o.sources.map((s) => [s.mnemonic, s.active])).toEqual([
      ["stripe", true],
      ["github", false],
    ]);
    expect(o.recentEvents).toHaveLength(10);
    expect(o.recentEvents[0]).toMatchObject({ status: "failed", error: "Signature verification failed", source: { mnemonic: "stripe" } });
    const times = o.recentEvents.map((e) => e.receivedAt.getTime());
    expect(times).toEqual([...times].sort((x, y) => y - x));

    expect((await orgOverview(theirs.id)).counts).toEqual({ sources: 1, mappings: 0, events: 1, interactions: 0 });
  });

  it("createOrgIfMissing reports whether it created the org", async () => {
    const slug = `ov-${randomBytes(4).toString("hex")}`;
    const first = await createOrgIfMissing(slug, "First");
    created.push(first.org.id);
    const again = await createOrgIfMissing(slug, "Second");
    expect([first.created, again.created]).toEqual([true, false]);
    expect(again.org).toEqual(first.org);
  });
});
