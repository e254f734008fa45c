import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { principalFromToken } from "@/lib/auth/authenticate";
import { DEMO_SLUG, seedDemo } from "./demo-seed";

afterAll(async () => {
  await prisma().$disconnect();
});

describe("demo seed", () => {
  it("creates sources, mappings, a working admin token and events that went through the real pipeline, once", async () => {
    const first = await seedDemo();
    expect(first.created).toBe(true);
    expect(first.apiToken).toMatch(/^prv_/);
    const principal = await principalFromToken(first.apiToken!);
    expect(principal).toMatchObject({ orgSlug: DEMO_SLUG, role: "admin" });

    const org = await prisma().org.findUniqueOrThrow({ where: { slug: DEMO_SLUG } });
    const sources = await prisma().inboundSource.findMany({ where: { orgId: org.id }, orderBy: { mnemonic: "asc" } });
    expect(sources.map((s) => s.mnemonic)).toEqual(["github", "stripe"]);
    expect(await prisma().inboundMapping.count({ where: { orgId: org.id } })).toBe(4);

    const events = await prisma().inboundEvent.findMany({ where: { orgId: org.id } });
    const byStatus = (s: string) => events.filter((e) => e.status === s).length;
    expect(events).toHaveLength(8);
    expect(byStatus("processed")).toBe(5);
    expect(byStatus("duplicate")).toBe(1);
    expect(byStatus("unmatched")).toBe(1);
    expect(byStatus("failed")).toBe(1);
    expect(events.find((e) => e.status === "failed")?.error).toBe("Signature verification failed");

    const interactions = await prisma().interaction.findMany({ where: { orgId: org.id } });
    expect(interactions.map((i) => `${i.resourceType}.${i.action}`).sort()).toEqual([
      "payment.failed",
      "payment.succeeded",
      "payment.succeeded",
      "pull_request.opened",
      "repository.pushed",
    ]);

    // A second start leaves the demo org as it is.
    expect(await seedDemo()).toEqual({ created: false });
    expect(await prisma().inboundEvent.count({ where: { orgId: org.id } })).toBe(8);
  });
});
