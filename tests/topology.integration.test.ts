// The org topology: every source, mapping and target with the routes between them, the
// package that manages each, and the last hour's events and deliveries on the edges
// (older ones and other orgs' never counted).
import { beforeAll, describe, expect, it } from "vitest";
import * as mappingsRoute from "@/app/api/v1/inbound-mappings/route";
import * as sourcesRoute from "@/app/api/v1/inbound-sources/route";
import * as routesRoute from "@/app/api/v1/routes/route";
import * as targetsRoute from "@/app/api/v1/targets/route";
import type { RouteHandler } from "@/lib/api/with-api";
import { prisma } from "@/lib/db";
import { managedObjects, managingPackage } from "@/lib/flows/managed";
import { orgTopology } from "@/lib/flows/topology";
import { call, createOrgWithToken, insertDelivery, insertEvent, insertInteraction, obj } from "./helpers/fixtures";

async function post(handler: RouteHandler, path: string, token: string, body: unknown): Promise<string> {
  const res = await call(handler, "POST", path, { token, body });
  expect(res.status, res.text).toBe(201);
  return String(obj(res.json).id);
}

let org: { id: string };
let sourceId: string;
let mappingId: string;
let targetId: string;

beforeAll(async () => {
  const a = await createOrgWithToken("operator");
  org = a.org;
  sourceId = await post(sourcesRoute.POST, "/api/v1/inbound-sources", a.token, { title: "Shop", mnemonic: "shop" });
  mappingId = await post(mappingsRoute.POST, "/api/v1/inbound-mappings", a.token, { sourceId, resourceType: "order", action: "paid", resourceIdPath: "id" });
  targetId = await post(targetsRoute.POST, "/api/v1/targets", a.token, { name: "erp", url: "https://erp.example.com/hook" });
  await post(routesRoute.POST, "/api/v1/routes", a.token, { mappingId, targetId });
  await prisma().target.update({ where: { id: targetId }, data: { managedBy: "shop-orders/erp" } });
});

describe("orgTopology", () => {
  it("draws sources → mappings → targets with the last hour's counts on each edge", async () => {
    const hourAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    for (const status of ["processed", "processed", "failed"] as const) {
      const e = await insertEvent(org.id, sourceId, { status });
      await prisma().inboundEvent.update({ where: { id: e.id }, data: { mappingId } });
    }
    await insertEvent(org.id, sourceId, { status: "unmatched" });
    await insertEvent(org.id, sourceId, { status: "processed", receivedAt: hourAgo }); // too old
    const i1 = await insertInteraction(org.id, mappingId);
    const i2 = await insertInteraction(org.id, mappingId);
    await insertDelivery(org.id, i1.id, targetId, { status: "succeeded" });
    await insertDelivery(org.id, i2.id, targetId, { status: "dead" });
    // Another org's traffic is never counted.
    const other = await createOrgWithToken("operator");
    const theirSource = await post(sourcesRoute.POST, "/api/v1/inbound-sources", other.token, { title: "Theirs", mnemonic: "theirs" });
    await insertEvent(other.org.id, theirSource);

    const t = await orgTopology(org.id);
    expect(t.truncated).toBe(false);
    expect(t.nodes.map((n) => [n.id, n.kind, n.package])).toEqual([
      [`source:${sourceId}`, "source", null],
      [`mapping:${mappingId}`, "mapping", null],
      [`target:${targetId}`, "target", "shop-orders"],
    ]);
    // 3 events handled by the mapping, 1 unmatched, 2 from insertInteraction: 6 received in the hour.
    expect(t.nodes[0]!.counts).toEqual({ events: 6, failed: 1 });
    expect(t.edges).toEqual([
      { id: `sm:${mappingId}`, from: `source:${sourceId}`, to: `mapping:${mappingId}`, kind: "source-mapping", count: 3, failed: 1 },
      { id: expect.stringMatching(/^route:/), from: `mapping:${mappingId}`, to: `target:${targetId}`, kind: "route", count: 2, failed: 1 },
    ]);
    expect(t.nodes.map((n) => n.href)).toEqual([`/sources/${sourceId}`, `/mappings/${mappingId}`, `/targets#target-${targetId}`]);
  });

  it("names the managing package of an object, for its pages and lists", async () => {
    expect(await managingPackage(org.id, "target", targetId)).toBe("shop-orders");
    expect(await managingPackage(org.id, "source", sourceId)).toBeNull();
    expect(await managingPackage(org.id, "target", "not-a-uuid")).toBeNull();
    const other = await createOrgWithToken("operator");
    expect(await managingPackage(other.org.id, "target", targetId)).toBeNull();
    expect([...(await managedObjects(org.id, "target")).entries()]).toEqual([[targetId, "shop-orders"]]);
  });
});
