// Management API: routes (mapping → target), called through the route handlers as a
// client would. Every response is also checked against the published OpenAPI document.
import { beforeAll, describe, expect, it } from "vitest";
import * as collection from "@/app/api/v1/routes/route";
import * as item from "@/app/api/v1/routes/[id]/route";
import * as sourcesRoute from "@/app/api/v1/inbound-sources/route";
import * as mappingsRoute from "@/app/api/v1/inbound-mappings/route";
import * as mappingRoute from "@/app/api/v1/inbound-mappings/[id]/route";
import * as targetsRoute from "@/app/api/v1/targets/route";
import type { RouteHandler } from "@/lib/api/with-api";
import { openApiDocument } from "@/lib/api/openapi";
import { prisma } from "@/lib/db";
import { call, createOrgWithToken, insertDelivery, insertInteraction, list, obj, tokenFor, type CallResult } from "./helpers/fixtures";
import { responseChecker } from "./helpers/openapi";

const PATH = "/api/v1/routes";
const check = responseChecker(openApiDocument());

let org: { id: string };
let operator: string;
let reviewer: string;
let mappingA: string;
let mappingB: string;
let targetX: string;
let targetY: string;
let other: { org: { id: string }; token: string };
let theirMapping: string;
let theirTarget: string;

async function post(handler: RouteHandler, path: string, token: string, body: unknown): Promise<string> {
  const res = await call(handler, "POST", path, { token, body });
  expect(res.status).toBe(201);
  return String(obj(res.json).id);
}

/** A source with one mapping, and two targets, in the org of `token`. */
async function setup(token: string, label: string) {
  const sourceId = await post(sourcesRoute.POST, "/api/v1/inbound-sources", token, { title: label, mnemonic: label });
  const mapping = (action: string) => ({ sourceId, resourceType: "payment", action, resourceIdPath: "id" });
  return {
    mappingA: await post(mappingsRoute.POST, "/api/v1/inbound-mappings", token, mapping("succeeded")),
    mappingB: await post(mappingsRoute.POST, "/api/v1/inbound-mappings", token, mapping("refunded")),
    targetX: await post(targetsRoute.POST, "/api/v1/targets", token, { name: `${label}-x`, url: "https://x.example.com/hook" }),
    targetY: await post(targetsRoute.POST, "/api/v1/targets", token, { name: `${label}-y`, url: "https://y.example.com/hook" }),
  };
}

beforeAll(async () => {
  const a = await createOrgWithToken("operator");
  org = a.org;
  operator = a.token;
  reviewer = await tokenFor(org.id, "reviewer");
  ({ mappingA, mappingB, targetX, targetY } = await setup(operator, "mine"));
  other = await createOrgWithToken("operator");
  const theirs = await setup(other.token, "theirs");
  theirMapping = theirs.mappingA;
  theirTarget = theirs.targetX;
});

function documented(res: CallResult, path: string, method: string): CallResult {
  if (res.status !== 204) check(path, method, res.status, res.json);
  return res;
}

const create = async (body: unknown, token = operator) => documented(await call(collection.POST, "POST", PATH, { token, body }), PATH, "post");
const listRoutes = async (query = "", token = reviewer) => documented(await call(collection.GET, "GET", `${PATH}${query}`, { token }), PATH, "get");
const remove = async (id: string, token = operator) =>
  documented(await call(item.DELETE, "DELETE", `${PATH}/${id}`, { token, params: { id } }), `${PATH}/{id}`, "delete");

describe("routes", () => {
  it("creates, lists newest first with filters and pages, and deletes", async () => {
    const ax = await create({ mappingId: mappingA, targetId: targetX });
    expect(ax.status).toBe(201);
    const route = obj(ax.json);
    expect(route).toMatchObject({ mappingId: mappingA, targetId: targetX, active: true });
    expect(Object.keys(route).sort()).toEqual(["active", "createdAt", "id", "mappingId", "targetId"]);
    const ay = obj((await create({ mappingId: mappingA, targetId: targetY, active: false })).json);
    expect(ay.active).toBe(false);
    const bx = obj((await create({ mappingId: mappingB, targetId: targetX })).json);

    const all = await listRoutes();
    expect(obj(all.json).nextCursor).toBeNull();
    expect(list(all.json).map((r) => r.id)).toEqual([bx.id, ay.id, route.id]);

    const byMapping = await listRoutes(`?mappingId=${mappingA}`);
    expect(list(byMapping.json).map((r) => r.id)).toEqual([ay.id, route.id]);
    const byTarget = await listRoutes(`?targetId=${targetX}`);
    expect(list(byTarget.json).map((r) => r.id)).toEqual([bx.id, route.id]);

    const first = obj((await listRoutes("?limit=2")).json);
    expect(list(first).map((r) => r.id)).toEqual([bx.id, ay.id]);
    const second = obj((await listRoutes(`?limit=2&cursor=${encodeURIComponent(String(first.nextCursor))}`)).json);
    expect(second).toEqual({ data: [route], nextCursor: null });

    for (const r of [route, ay, bx]) {
      const deleted = await remove(String(r.id));
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe("");
    }
    expect((await listRoutes()).json).toEqual({ data: [], nextCursor: null });
  });

  it("answers 409 when the mapping already routes to the target", async () => {
    const first = await create({ mappingId: mappingB, targetId: targetY });
    expect(first.status).toBe(201);
    const again = await create({ mappingId: mappingB, targetId: targetY, active: false });
    expect(again.status).toBe(409);
    expect(again.json).toEqual({ error: "Conflict", details: [{ path: "/targetId", message: "This mapping already routes to this target" }] });
    expect(await prisma().route.count({ where: { mappingId: mappingB, targetId: targetY } })).toBe(1);
    await remove(String(obj(first.json).id));
  });

  it("refuses a mapping or target that is unknown or of another org", async () => {
    const unknown = "00000000-0000-4000-8000-000000000000";
    const cases: [unknown, { path: string; message: string }[]][] = [
      [{ mappingId: theirMapping, targetId: targetX }, [{ path: "/mappingId", message: "Mapping not found" }]],
      [{ mappingId: mappingA, targetId: theirTarget }, [{ path: "/targetId", message: "Target not found" }]],
      [
        { mappingId: unknown, targetId: unknown },
        [
          { path: "/mappingId", message: "Mapping not found" },
          { path: "/targetId", message: "Target not found" },
        ],
      ],
      [
        { mappingId: "x", targetId: 1, active: "yes" },
        [
          { path: "/mappingId", message: "must be a UUID" },
          { path: "/targetId", message: "must be a UUID" },
          { path: "/active", message: "Invalid input: expected boolean, received string" },
        ],
      ],
    ];
    for (const [body, details] of cases) {
      const res = await create(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json).toEqual({ error: "Validation failed", details });
    }
    // Their own org may route them.
    expect((await create({ mappingId: theirMapping, targetId: theirTarget }, other.token)).status).toBe(201);
    expect(await prisma().route.count({ where: { orgId: org.id } })).toBe(0);
  });

  it("rejects bad filters, cursors and limits with /query pointers", async () => {
    for (const [q, path, message] of [
      ["mappingId=1", "/query/mappingId", "must be a UUID"],
      ["targetId=nope", "/query/targetId", "must be a UUID"],
      ["cursor=garbage!", "/query/cursor", "Invalid cursor"],
      ["limit=0", "/query/limit", "must be at least 1"],
    ] as const) {
      const res = await listRoutes(`?${q}`);
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ error: "Validation failed", details: [{ path, message }] });
    }
  });

  it("goes away with its mapping; deleting a route keeps the deliveries it made", async () => {
    const sourceId = await post(sourcesRoute.POST, "/api/v1/inbound-sources", operator, { title: "Short-lived", mnemonic: "short" });
    const mapping = await post(mappingsRoute.POST, "/api/v1/inbound-mappings", operator, {
      sourceId,
      resourceType: "order",
      action: "created",
      resourceIdPath: "id",
    });
    const withMapping = obj((await create({ mappingId: mapping, targetId: targetX })).json);
    const deleted = await call(mappingRoute.DELETE, "DELETE", `/api/v1/inbound-mappings/${mapping}`, { token: operator, params: { id: mapping } });
    expect(deleted.status).toBe(204);
    expect(await prisma().route.findUnique({ where: { id: String(withMapping.id) } })).toBeNull();

    const route = obj((await create({ mappingId: mappingA, targetId: targetX })).json);
    const interaction = await insertInteraction(org.id, mappingA);
    const delivery = await insertDelivery(org.id, interaction.id, targetX, { status: "succeeded" });
    expect((await remove(String(route.id))).status).toBe(204);
    expect(await prisma().delivery.findUnique({ where: { id: delivery.id } })).not.toBeNull();
  });
});

describe("route access", () => {
  it("answers 401 without a token or with a bad one", async () => {
    const unauthenticated: Record<string, string>[] = [{}, { authorization: "Bearer prv_not-a-real-token-at-all" }];
    for (const headers of unauthenticated) {
      const responses = [
        documented(await call(collection.GET, "GET", PATH, { headers }), PATH, "get"),
        documented(await call(collection.POST, "POST", PATH, { headers, body: { mappingId: mappingA, targetId: targetX } }), PATH, "post"),
        documented(await call(item.DELETE, "DELETE", `${PATH}/${mappingA}`, { headers, params: { id: mappingA } }), `${PATH}/{id}`, "delete"),
      ];
      for (const r of responses) {
        expect(r.status).toBe(401);
        expect(r.json).toEqual({ error: "Unauthorized" });
      }
    }
  });

  it("lets a reviewer read but not write", async () => {
    const route = obj((await create({ mappingId: mappingB, targetId: targetX })).json);
    expect((await listRoutes("", reviewer)).status).toBe(200);
    for (const r of [await create({ mappingId: mappingB, targetId: targetY }, reviewer), await remove(String(route.id), reviewer)]) {
      expect(r.status).toBe(403);
      expect(r.json).toEqual({ error: "Forbidden" });
    }
    expect(await prisma().route.findUnique({ where: { id: String(route.id) } })).not.toBeNull();
  });

  it("treats unknown ids, malformed ids and another org's routes as not found, and lists only the org's own", async () => {
    const theirs = obj((await create({ mappingId: theirMapping, targetId: await post(targetsRoute.POST, "/api/v1/targets", other.token, { name: "theirs-z", url: "https://z.example.com/" }) }, other.token)).json);
    for (const id of ["00000000-0000-4000-8000-000000000000", "not-a-uuid", String(theirs.id)]) {
      const res = await remove(id);
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ error: "Not found" });
    }
    expect(await prisma().route.findUnique({ where: { id: String(theirs.id) } })).not.toBeNull();
    expect(list((await listRoutes("?limit=200")).json).map((r) => r.id)).not.toContain(theirs.id);
    expect(list((await listRoutes(`?mappingId=${theirMapping}`)).json)).toEqual([]);
  });
});
