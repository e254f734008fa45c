// Management API: deliveries (newest first, filters, cursor pagination), one delivery,
// and retries (single and bulk). Deliveries are inserted as the pipeline and worker
// would have stored them; every response is checked against the OpenAPI document.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as collection from "@/app/api/v1/deliveries/route";
import * as item from "@/app/api/v1/deliveries/[id]/route";
import * as retryOne from "@/app/api/v1/deliveries/[id]/retry/route";
import * as retryMany from "@/app/api/v1/deliveries/retry/route";
import * as sourcesRoute from "@/app/api/v1/inbound-sources/route";
import * as mappingsRoute from "@/app/api/v1/inbound-mappings/route";
import * as targetsRoute from "@/app/api/v1/targets/route";
import type { RouteHandler } from "@/lib/api/with-api";
import { openApiDocument } from "@/lib/api/openapi";
import { prisma } from "@/lib/db";
import type { DeliveryStatus } from "@/lib/generated/prisma/enums";
import {
  call,
  createOrgWithToken,
  insertDelivery,
  insertInteraction,
  list,
  obj,
  tokenFor,
  type CallResult,
  type StoredAttempt,
} from "./helpers/fixtures";
import { responseChecker } from "./helpers/openapi";

const PATH = "/api/v1/deliveries";
const check = responseChecker(openApiDocument());

const FAILED_ATTEMPTS: StoredAttempt[] = [
  { at: "2026-01-01T00:00:00.000Z", status: 503, ms: 41, responseBody: "busy" },
  { at: "2026-01-01T00:00:05.000Z", error: "Connection refused by hooks.example.com", ms: 3, responseBody: "" },
];

type Org = { id: string; operator: string; reviewer: string; mappingId: string; targetA: string; targetB: string };

let mine: Org;
let theirs: Org;

async function post(handler: RouteHandler, path: string, token: string, body: unknown): Promise<string> {
  const res = await call(handler, "POST", path, { token, body });
  expect(res.status).toBe(201);
  return String(obj(res.json).id);
}

const orgIds: string[] = [];

async function orgWithTargets(): Promise<Org> {
  const { org, token } = await createOrgWithToken("operator");
  orgIds.push(org.id);
  const sourceId = await post(sourcesRoute.POST, "/api/v1/inbound-sources", token, { title: "S", mnemonic: "s" });
  return {
    id: org.id,
    operator: token,
    reviewer: await tokenFor(org.id, "reviewer"),
    mappingId: await post(mappingsRoute.POST, "/api/v1/inbound-mappings", token, { sourceId, resourceType: "payment", action: "succeeded", resourceIdPath: "id" }),
    targetA: await post(targetsRoute.POST, "/api/v1/targets", token, { name: "a", url: "https://a.example.com/hook" }),
    targetB: await post(targetsRoute.POST, "/api/v1/targets", token, { name: "b", url: "https://b.example.com/hook" }),
  };
}

/** A delivery of a fresh interaction (deliveries are unique per interaction and target). */
async function delivery(o: Org, fields: Parameters<typeof insertDelivery>[3] & { target?: "A" | "B" } = {}) {
  const interaction = await insertInteraction(o.id, o.mappingId);
  return insertDelivery(o.id, interaction.id, fields.target === "B" ? o.targetB : o.targetA, fields);
}

beforeAll(async () => {
  mine = await orgWithTargets();
  theirs = await orgWithTargets();
});

// The rows inserted here are due now, to targets that do not exist. Test files share one
// database, and a worker pass in another file would spend its batch on them.
afterAll(async () => {
  await prisma().delivery.deleteMany({ where: { orgId: { in: orgIds } } });
});

function documented(res: CallResult, path: string, method: string): CallResult {
  check(path, method, res.status, res.json);
  return res;
}

const listDeliveries = async (query = "", token = mine.reviewer) =>
  documented(await call(collection.GET, "GET", `${PATH}${query}`, { token }), PATH, "get");
const get = async (id: string, token = mine.reviewer) =>
  documented(await call(item.GET, "GET", `${PATH}/${id}`, { token, params: { id } }), `${PATH}/{id}`, "get");
const retry = async (id: string, token = mine.operator) =>
  documented(await call(retryOne.POST, "POST", `${PATH}/${id}/retry`, { token, params: { id } }), `${PATH}/{id}/retry`, "post");
const retryAll = async (body: unknown, token = mine.operator) =>
  documented(await call(retryMany.POST, "POST", `${PATH}/retry`, { token, body }), `${PATH}/retry`, "post");

const row = (id: string) => prisma().delivery.findUniqueOrThrow({ where: { id } });

describe("listing and reading deliveries", () => {
  const ids: string[] = [];
  let listOrg: Org;

  beforeAll(async () => {
    listOrg = await orgWithTargets();
    // Two share one millisecond, so the id tie-break is exercised.
    const t0 = Date.parse("2026-02-01T00:00:00.000Z");
    const specs: [number, DeliveryStatus, "A" | "B"][] = [
      [t0, "succeeded", "A"],
      [t0 + 1000, "failed", "B"],
      [t0 + 1000, "dead", "A"],
      [t0 + 2000, "pending", "B"],
      [t0 + 3000, "dead", "B"],
    ];
    for (const [t, status, target] of specs) {
      const attempts = status === "pending" ? [] : status === "succeeded" ? [{ at: new Date(t).toISOString(), status: 204, ms: 12, responseBody: "" }] : FAILED_ATTEMPTS;
      ids.push((await delivery(listOrg, { status, target, attempts, createdAt: new Date(t) })).id);
    }
    await delivery(theirs, { status: "dead" });
  });

  it("pages newest first with no duplicates or gaps, and only the org's own", async () => {
    const seen: string[] = [];
    const sizes: number[] = [];
    let query = "?limit=2";
    for (let i = 0; i < 10; i += 1) {
      const page = obj((await listDeliveries(query, listOrg.reviewer)).json);
      sizes.push(list(page).length);
      seen.push(...list(page).map((d) => String(d.id)));
      if (page.nextCursor === null) break;
      query = `?limit=2&cursor=${encodeURIComponent(String(page.nextCursor))}`;
    }
    expect(sizes).toEqual([2, 2, 1]);
    const rows = await prisma().delivery.findMany({ where: { orgId: listOrg.id }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
    expect(seen).toEqual(rows.map((r) => r.id));
    expect([...seen].sort()).toEqual([...ids].sort());
  });

  it("filters by status, target and interaction", async () => {
    const dead = list((await listDeliveries("?status=dead", listOrg.reviewer)).json);
    expect(dead.map((d) => d.id)).toEqual([ids[4], ids[2]]);
    const toB = list((await listDeliveries(`?targetId=${listOrg.targetB}`, listOrg.reviewer)).json);
    expect(toB.map((d) => d.id)).toEqual([ids[4], ids[3], ids[1]]);
    const deadToB = list((await listDeliveries(`?status=dead&targetId=${listOrg.targetB}`, listOrg.reviewer)).json);
    expect(deadToB.map((d) => d.id)).toEqual([ids[4]]);
    const one = await row(ids[0]!);
    const byInteraction = list((await listDeliveries(`?interactionId=${one.interactionId}`, listOrg.reviewer)).json);
    expect(byInteraction.map((d) => d.id)).toEqual([ids[0]]);
    // Another org's target or interaction filters to nothing.
    expect((await listDeliveries(`?targetId=${theirs.targetA}`, listOrg.reviewer)).json).toEqual({ data: [], nextCursor: null });
  });

  it("shows a delivery with its attempts, in the documented shape", async () => {
    const failed = await row(ids[1]!);
    const res = await get(failed.id, listOrg.reviewer);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      id: failed.id,
      interactionId: failed.interactionId,
      targetId: listOrg.targetB,
      status: "failed",
      attempts: FAILED_ATTEMPTS,
      nextAttemptAt: failed.nextAttemptAt!.toISOString(),
      createdAt: "2026-02-01T00:00:01.000Z",
      updatedAt: failed.updatedAt.toISOString(),
    });
    const dead = obj((await get(ids[4]!, listOrg.reviewer)).json);
    expect(dead.nextAttemptAt).toBeNull();
  });

  it("keeps only well-formed attempts a worker could have written", async () => {
    const d = await delivery(mine, { status: "dead" });
    await prisma().delivery.update({
      where: { id: d.id },
      data: {
        attempts: [
          { at: "2026-01-01T00:00:00Z", status: 500, ms: 10, responseBody: "oops" },
          { at: "not a date", ms: 1, responseBody: "" },
          "junk",
          null,
          { at: "2026-01-01T00:01:00.000Z", status: "500", error: 7 },
        ],
      },
    });
    expect(obj((await get(d.id)).json).attempts).toEqual([
      { at: "2026-01-01T00:00:00.000Z", status: 500, ms: 10, responseBody: "oops" },
      { at: "2026-01-01T00:01:00.000Z", ms: 0, responseBody: "" },
    ]);
  });

  it("rejects bad filters with /query pointers", async () => {
    for (const [q, path, message] of [
      ["status=lost", "/query/status", "must be one of: pending, succeeded, failed, dead"],
      ["targetId=1", "/query/targetId", "must be a UUID"],
      ["interactionId=x", "/query/interactionId", "must be a UUID"],
      ["cursor=garbage!", "/query/cursor", "Invalid cursor"],
      ["limit=201", "/query/limit", "must be at most 200"],
    ] as const) {
      const res = await listDeliveries(`?${q}`);
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ error: "Validation failed", details: [{ path, message }] });
    }
  });
});

describe("retrying one delivery", () => {
  it("queues a dead one with a fresh budget and keeps its attempts", async () => {
    const d = await delivery(mine, { status: "dead", attempts: FAILED_ATTEMPTS, budgetAttempts: 8, nextAttemptAt: null });
    const before = Date.now();
    const res = await retry(d.id);
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ queued: true, deliveryId: d.id });
    const after = await row(d.id);
    expect(after).toMatchObject({ status: "pending", budgetAttempts: 0, leaseUntil: null, attempts: FAILED_ATTEMPTS });
    expect(after.nextAttemptAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(after.nextAttemptAt!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);

    // It is pending now: a second retry conflicts.
    const again = await retry(d.id);
    expect(again.status).toBe(409);
    expect(again.json).toEqual({
      error: "Conflict",
      details: [{ path: "", message: "Only a failed or dead delivery can be retried; this one is pending (an attempt is already due)" }],
    });
  });

  it("queues a failed one at once, and one whose lease has expired", async () => {
    const later = new Date(Date.now() + 3600_000);
    const failed = await delivery(mine, { status: "failed", attempts: FAILED_ATTEMPTS, budgetAttempts: 2, nextAttemptAt: later });
    expect((await retry(failed.id)).status).toBe(202);
    expect(await row(failed.id)).toMatchObject({ status: "pending", budgetAttempts: 0 });
    expect((await row(failed.id)).nextAttemptAt!.getTime()).toBeLessThan(later.getTime());

    // A worker that crashed mid-attempt left an expired lease behind: it does not block.
    const stale = await delivery(mine, { status: "failed", attempts: FAILED_ATTEMPTS, leaseUntil: new Date(Date.now() - 60_000) });
    expect((await retry(stale.id)).status).toBe(202);
    expect(await row(stale.id)).toMatchObject({ status: "pending", leaseUntil: null });
  });

  it("answers 409 for a pending or succeeded delivery, and for one with an attempt in progress", async () => {
    const pending = await delivery(mine, { status: "pending" });
    const succeeded = await delivery(mine, { status: "succeeded", attempts: [{ at: "2026-01-01T00:00:00.000Z", status: 200, ms: 5, responseBody: "ok" }] });
    const leased = await delivery(mine, { status: "failed", attempts: FAILED_ATTEMPTS, leaseUntil: new Date(Date.now() + 60_000) });
    const cases: [string, string][] = [
      [pending.id, "Only a failed or dead delivery can be retried; this one is pending (an attempt is already due)"],
      [succeeded.id, "Only a failed or dead delivery can be retried; this one has succeeded"],
      [leased.id, "An attempt for this delivery is in progress; retry it once the attempt has finished"],
    ];
    for (const [id, message] of cases) {
      const before = await row(id);
      const res = await retry(id);
      expect(res.status).toBe(409);
      expect(res.json).toEqual({ error: "Conflict", details: [{ path: "", message }] });
      expect(await row(id)).toEqual(before);
    }
  });

  it("queues a delivery once when two retries race", async () => {
    const d = await delivery(mine, { status: "dead", attempts: FAILED_ATTEMPTS });
    const results = await Promise.all([retry(d.id), retry(d.id)]);
    expect(results.map((r) => r.status).sort()).toEqual([202, 409]);
  });

  it("answers with the canonical id when the path spells it in upper case", async () => {
    const d = await delivery(mine, { status: "dead" });
    const res = await retry(d.id.toUpperCase());
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ queued: true, deliveryId: d.id });
  });
});

describe("bulk retry", () => {
  it("queues every dead delivery of the org, optionally to one target, and nothing of another org", async () => {
    const o = await orgWithTargets();
    const deadA = [await delivery(o, { status: "dead", attempts: FAILED_ATTEMPTS }), await delivery(o, { status: "dead", attempts: FAILED_ATTEMPTS })];
    const deadB = await delivery(o, { status: "dead", attempts: FAILED_ATTEMPTS, target: "B" });
    const failedA = await delivery(o, { status: "failed", attempts: FAILED_ATTEMPTS });
    const leasedDead = await delivery(o, { status: "dead", attempts: FAILED_ATTEMPTS, leaseUntil: new Date(Date.now() + 60_000) });
    const succeeded = await delivery(o, { status: "succeeded" });
    const theirDead = await delivery(theirs, { status: "dead", attempts: FAILED_ATTEMPTS });
    const theirsBefore = await row(theirDead.id);

    const toB = await retryAll({ status: "dead", targetId: o.targetB }, o.operator);
    expect(toB.status).toBe(202);
    expect(toB.json).toEqual({ queued: 1 });
    expect(await row(deadB.id)).toMatchObject({ status: "pending", budgetAttempts: 0, attempts: FAILED_ATTEMPTS });
    expect((await row(deadA[0]!.id)).status).toBe("dead");

    const all = await retryAll({ status: "dead" }, o.operator);
    expect(all.json).toEqual({ queued: 2 });
    for (const d of deadA) expect(await row(d.id)).toMatchObject({ status: "pending", budgetAttempts: 0, leaseUntil: null, attempts: FAILED_ATTEMPTS });
    // Not dead, or leased by a worker right now: left alone.
    expect((await row(failedA.id)).status).toBe("failed");
    expect((await row(leasedDead.id)).status).toBe("dead");
    expect((await row(succeeded.id)).status).toBe("succeeded");
    expect(await row(theirDead.id)).toEqual(theirsBefore);

    expect((await retryAll({ status: "failed" }, o.operator)).json).toEqual({ queued: 1 });
    expect((await row(failedA.id)).status).toBe("pending");
    expect((await retryAll({ status: "dead" }, o.operator)).json).toEqual({ queued: 0 });
  });

  it("validates the body", async () => {
    const cases: [unknown, { path: string; message: string }[]][] = [
      [{}, [{ path: "/status", message: "must be one of: dead, failed" }]],
      [{ status: "pending" }, [{ path: "/status", message: "must be one of: dead, failed" }]],
      [{ status: "dead", targetId: "x" }, [{ path: "/targetId", message: "must be a UUID" }]],
      // Another org's target is as unknown as a made-up one.
      [{ status: "dead", targetId: theirs.targetA }, [{ path: "/targetId", message: "Target not found" }]],
      [{ status: "dead", targetId: "00000000-0000-4000-8000-000000000000" }, [{ path: "/targetId", message: "Target not found" }]],
    ];
    for (const [body, details] of cases) {
      const res = await retryAll(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json).toEqual({ error: "Validation failed", details });
    }
  });
});

describe("delivery access", () => {
  it("answers 401 without a token or with a bad one", async () => {
    const d = await delivery(mine, { status: "dead" });
    const unauthenticated: Record<string, string>[] = [{}, { authorization: "Bearer prv_not-a-real-token-at-all" }];
    for (const headers of unauthenticated) {
      const responses = [
        documented(await call(collection.GET, "GET", PATH, { headers }), PATH, "get"),
        documented(await call(item.GET, "GET", `${PATH}/${d.id}`, { headers, params: { id: d.id } }), `${PATH}/{id}`, "get"),
        documented(await call(retryOne.POST, "POST", `${PATH}/${d.id}/retry`, { headers, params: { id: d.id } }), `${PATH}/{id}/retry`, "post"),
        documented(await call(retryMany.POST, "POST", `${PATH}/retry`, { headers, body: { status: "dead" } }), `${PATH}/retry`, "post"),
      ];
      for (const r of responses) {
        expect(r.status).toBe(401);
        expect(r.json).toEqual({ error: "Unauthorized" });
      }
    }
    expect((await row(d.id)).status).toBe("dead");
  });

  it("lets a reviewer read but not retry", async () => {
    const d = await delivery(mine, { status: "dead" });
    expect((await get(d.id, mine.reviewer)).status).toBe(200);
    expect((await listDeliveries("", mine.reviewer)).status).toBe(200);
    for (const r of [await retry(d.id, mine.reviewer), await retryAll({ status: "dead" }, mine.reviewer)]) {
      expect(r.status).toBe(403);
      expect(r.json).toEqual({ error: "Forbidden" });
    }
    expect((await row(d.id)).status).toBe("dead");
  });

  it("treats unknown ids, malformed ids and another org's deliveries as not found", async () => {
    const theirDead = await delivery(theirs, { status: "dead" });
    for (const id of ["00000000-0000-4000-8000-000000000000", "not-a-uuid", theirDead.id]) {
      for (const res of [await get(id), await retry(id)]) {
        expect(res.status).toBe(404);
        expect(res.json).toEqual({ error: "Not found" });
      }
    }
    expect((await row(theirDead.id)).status).toBe("dead");
    expect(list((await listDeliveries("?limit=200")).json).map((d) => d.id)).not.toContain(theirDead.id);
  });
});
