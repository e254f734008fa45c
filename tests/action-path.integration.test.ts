// Mappings whose action is read from the payload (ProviderFlow's `action: { path }`).
import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import * as mappings from "@/app/api/v1/inbound-mappings/route";
import * as mappingTest from "@/app/api/v1/inbound-mappings/[id]/test/route";
import { call, createOrgWithToken } from "./helpers/fixtures";
import { createSource, postInbound } from "./helpers/pipeline-fixtures";

afterAll(async () => {
  await prisma().$disconnect();
});

describe("actionPath", () => {
  it("creates interactions whose action comes from the payload, deduplicated per action", async () => {
    const { org, token } = await createOrgWithToken("operator");
    const source = await createSource(org.id);
    const both = await call(mappings.POST, "POST", "/api/v1/inbound-mappings", {
      token,
      body: { sourceId: source.id, resourceType: "payment", action: "x", actionPath: "type", resourceIdPath: "id" },
    });
    expect(both.status).toBe(400);
    expect((both.json as { details: { path: string }[] }).details[0]!.path).toBe("/action");
    const neither = await call(mappings.POST, "POST", "/api/v1/inbound-mappings", {
      token,
      body: { sourceId: source.id, resourceType: "payment", resourceIdPath: "id" },
    });
    expect(neither.status).toBe(400);

    const created = await call(mappings.POST, "POST", "/api/v1/inbound-mappings", {
      token,
      body: { sourceId: source.id, resourceType: "payment", actionPath: "type", resourceIdPath: "data.id", idempotencyPath: "id" },
    });
    expect(created.status).toBe(201);
    const m = created.json as { id: string; action: string | null; actionId: string | null; actionPath: string; title: string };
    expect(m).toMatchObject({ action: null, actionId: null, actionPath: "type", title: "payment.<type>" });

    const send = (id: string, type: unknown) => postInbound(org.slug, { id: source.id }, JSON.stringify({ id, type, data: { id: "pi_1" } }));
    const a = await send("evt_1", "succeeded");
    const b = await send("evt_2", "refunded");
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    const rows = await prisma().interaction.findMany({ where: { orgId: org.id }, orderBy: { action: "asc" } });
    expect(rows.map((r) => r.action)).toEqual(["refunded", "succeeded"]);
    expect(await prisma().action.count({ where: { orgId: org.id } })).toBe(2);
    // Same key, same action: duplicate; same key under another action is its own interaction.
    expect((await send("evt_1", "succeeded")).body.duplicate).toBe(true);
    expect((await send("evt_1", "refunded")).body.interactionId).toBeTruthy();

    const missing = await send("evt_3", 42);
    expect(missing.status).toBe(422);
    expect(missing.body).toMatchObject({ error: "Action not found", details: [{ path: "/type" }] });

    const dry = await call(mappingTest.POST, "POST", `/api/v1/inbound-mappings/${m.id}/test`, {
      token,
      params: { id: m.id },
      body: { payload: { id: "evt_1", type: "succeeded", data: { id: "pi_1" } } },
    });
    expect(dry.json).toMatchObject({ matched: true, duplicate: true, interaction: { action: "succeeded", resourceId: "pi_1" } });
  });
});
