// Management API: interactions and events (newest first, cursor pagination, filters),
// event detail and replay.
import { beforeAll, describe, expect, it } from "vitest";
import * as sourcesRoute from "@/app/api/v1/inbound-sources/route";
import * as mappingsRoute from "@/app/api/v1/inbound-mappings/route";
import * as interactions from "@/app/api/v1/interactions/route";
import * as interaction from "@/app/api/v1/interactions/[id]/route";
import * as events from "@/app/api/v1/events/route";
import * as event from "@/app/api/v1/events/[id]/route";
import * as replay from "@/app/api/v1/events/[id]/replay/route";
import type { RouteHandler } from "@/lib/api/with-api";
import { prisma } from "@/lib/db";
import { call, createOrgWithToken, insertEvent, insertInteraction, list, obj, tokenFor } from "./helpers/fixtures";

let org: { id: string };
let operator: string;
let reviewer: string;
let sourceA: string;
let sourceB: string;
let mappingPay: string;
let mappingRefund: string;
let other: { org: { id: string }; token: string };

async function post(handler: RouteHandler, path: string, token: string, body: unknown): Promise<string> {
  const res = await call(handler, "POST", path, { token, body });
  expect(res.status).toBe(201);
  return String(obj(res.json).id);
}

beforeAll(async () => {
  const a = await createOrgWithToken("operator");
  org = a.org;
  operator = a.token;
  reviewer = await tokenFor(org.id, "reviewer");
  sourceA = await post(sourcesRoute.POST, "/api/v1/inbound-sources", operator, { title: "A", mnemonic: "a" });
  sourceB = await post(sourcesRoute.POST, "/api/v1/inbound-sources", operator, { title: "B", mnemonic: "b" });
  const mapping = (sourceId: string, action: string) => ({ sourceId, resourceType: "payment", action, resourceIdPath: "id" });
  mappingPay = await post(mappingsRoute.POST, "/api/v1/inbound-mappings", operator, mapping(sourceA, "succeeded"));
  mappingRefund = await post(mappingsRoute.POST, "/api/v1/inbound-mappings", operator, mapping(sourceB, "refunded"));
  other = await createOrgWithToken("operator");
});

/** Follows nextCursor to the end; returns every page's ids. */
async function walk(handler: RouteHandler, path: string, token: string): Promise<string[][]> {
  const pages: string[][] = [];
  let url = path;
  for (let i = 0; i < 50; i += 1) {
    const res = await call(handler, "GET", url, { token });
    expect(res.status).toBe(200);
    const body = obj(res.json);
    pages.push(list(body).map((r) => String(r.id)));
    if (body.nextCursor === null) return pages;
    expect(typeof body.nextCursor).toBe("string");
    url = `${path}${path.includes("?") ? "&" : "?"}cursor=${encodeURIComponent(String(body.nextCursor))}`;
  }
  throw new Error("pagination did not end");
}

describe("interactions", () => {
  const ids: string[] = [];

  beforeAll(async () => {
    // Three share one millisecond, so the id tie-break is exercised.
    const t0 = Date.parse("2026-01-01T00:00:00.000Z");
    const times = [t0, t0 + 1000, t0 + 1000, t0 + 1000, t0 + 2000, t0 + 3000, t0 + 4000];
    for (const [i, t] of times.entries()) {
      const row = await insertInteraction(org.id, i % 2 === 0 ? mappingPay : mappingRefund, { createdAt: new Date(t), resourceId: `r${i}` });
      ids.push(row.id);
    }
    await insertInteraction(other.org.id, await otherMapping(), { resourceId: "theirs" });
  });

  async function otherMapping(): Promise<string> {
    const sid = await post(sourcesRoute.POST, "/api/v1/inbound-sources", other.token, { title: "O", mnemonic: "o" });
    return post(mappingsRoute.POST, "/api/v1/inbound-mappings", other.token, { sourceId: sid, resourceType: "payment", action: "succeeded", resourceIdPath: "id" });
  }

  it("pages newest first across more than two pages with no duplicates or gaps", async () => {
    const pages = await walk(interactions.GET, "/api/v1/interactions?limit=2", reviewer);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 2, 1]);
    const all = pages.flat();
    expect(new Set(all).size).toBe(all.length);
    const rows = await prisma().interaction.findMany({ where: { orgId: org.id }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
    expect(all).toEqual(rows.map((r) => r.id));
    expect([...all].sort()).toEqual([...ids].sort());
  });

  it("filters by source, resource type and action, and serves one page by default", async () => {
    const first = await call(interactions.GET, "GET", "/api/v1/interactions", { token: reviewer });
    expect(obj(first.json).nextCursor).toBeNull();
    expect(list(first.json)).toHaveLength(7);
    expect(list(first.json)[0]).toMatchObject({ orgId: org.id, resourceType: "payment", resourceId: "r6", sourceId: sourceA });

    const bySource = await call(interactions.GET, "GET", `/api/v1/interactions?sourceId=${sourceB}`, { token: reviewer });
    // r1 and r3 share a millisecond, so only r5 has a fixed place.
    const bs = list(bySource.json);
    expect(bs.map((r) => r.resourceId).sort()).toEqual(["r1", "r3", "r5"]);
    expect(bs[0]!.resourceId).toBe("r5");
    expect(bs.every((r) => r.sourceId === sourceB && r.action === "refunded")).toBe(true);

    const byAction = await call(interactions.GET, "GET", "/api/v1/interactions?resourceType=payment&action=succeeded", { token: reviewer });
    expect(list(byAction.json)).toHaveLength(4);
    const none = await call(interactions.GET, "GET", "/api/v1/interactions?resourceType=order", { token: reviewer });
    expect(none.json).toEqual({ data: [], nextCursor: null });
  });

  it("rejects a bad limit or cursor with /query pointers", async () => {
    for (const [q, path, message] of [
      ["limit=0", "/query/limit", "must be at least 1"],
      ["limit=201", "/query/limit", "must be at most 200"],
      ["limit=abc", "/query/limit", "must be an integer"],
      ["limit=2.5", "/query/limit", "must be an integer"],
      ["cursor=garbage!", "/query/cursor", "Invalid cursor"],
      [`cursor=${Buffer.from("2026-01-01T00:00:00.000Z|nope").toString("base64url")}`, "/query/cursor", "Invalid cursor"],
      ["sourceId=123", "/query/sourceId", "must be a UUID"],
    ] as const) {
      const res = await call(interactions.GET, "GET", `/api/v1/interactions?${q}`, { token: reviewer });
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ error: "Validation failed", details: [{ path, message }] });
    }
    expect(list((await call(interactions.GET, "GET", "/api/v1/interactions?limit=200", { token: reviewer })).json)).toHaveLength(7);
  });

  it("gets one interaction, and not another org's", async () => {
    const res = await call(interaction.GET, "GET", `/api/v1/interactions/${ids[0]}`, { token: reviewer, params: { id: ids[0]! } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: ids[0], orgId: org.id, mappingId: mappingPay, resourceId: "r0", idempotencyKey: null });
    const theirs = await prisma().interaction.findFirstOrThrow({ where: { orgId: other.org.id } });
    for (const id of [theirs.id, "nope", "00000000-0000-4000-8000-000000000000"]) {
      const r = await call(interaction.GET, "GET", `/api/v1/interactions/${id}`, { token: reviewer, params: { id } });
      expect(r.status).toBe(404);
      expect(r.json).toEqual({ error: "Not found" });
    }
    const mine = list((await call(interactions.GET, "GET", "/api/v1/interactions", { token: reviewer })).json);
    expect(mine.map((r) => r.id)).not.toContain(theirs.id);
  });
});

describe("events", () => {
  let failedId: string;
  let processedId: string;

  beforeAll(async () => {
    const t0 = Date.parse("2026-02-01T00:00:00.000Z");
    for (let i = 0; i < 6; i += 1) {
      await insertEvent(org.id, i < 4 ? sourceA : sourceB, { receivedAt: new Date(t0 + Math.floor(i / 2) * 1000), status: i === 5 ? "unmatched" : "processed" });
    }
    failedId = (
      await insertEvent(org.id, sourceA, {
        status: "failed",
        receivedAt: new Date(t0 + 10_000),
        error: "Signature verification failed",
        body: "caf\xe9 \u00e9",
        stages: [
          { stage: "source", outcome: "passed" },
          { stage: "signature", outcome: "failed", detail: "Signature verification failed" },
        ],
      })
    ).id;
    processedId = (await insertEvent(org.id, sourceA, { receivedAt: new Date(t0 + 20_000), body: '{"id":"evt_9"}' })).id;
  });

  it("pages newest first with no duplicates or gaps, and filters by source and status", async () => {
    const pages = await walk(events.GET, "/api/v1/events?limit=3", reviewer);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    const all = pages.flat();
    const rows = await prisma().inboundEvent.findMany({ where: { orgId: org.id }, orderBy: [{ receivedAt: "desc" }, { id: "desc" }] });
    expect(all).toEqual(rows.map((r) => r.id));
    expect(all.indexOf(processedId)).toBeLessThan(all.indexOf(failedId));

    const failed = await call(events.GET, "GET", "/api/v1/events?status=failed", { token: reviewer });
    expect(list(failed.json).map((e) => e.id)).toEqual([failedId]);
    expect(list(failed.json)[0]).toEqual({
      id: failedId,
      sourceId: sourceA,
      status: "failed",
      stages: [
        { stage: "source", outcome: "passed" },
        { stage: "signature", outcome: "failed", detail: "Signature verification failed" },
      ],
      error: "Signature verification failed",
      errorDetails: null,
      mappingId: null,
      interactionId: null,
      replayOf: null,
      receivedAt: "2026-02-01T00:00:10.000Z",
      processedAt: expect.any(String),
    });
    // Lists carry no bodies or headers.
    expect(list(failed.json)[0]).not.toHaveProperty("body");

    const bySource = await call(events.GET, "GET", `/api/v1/events?sourceId=${sourceB}&status=unmatched`, { token: reviewer });
    expect(list(bySource.json)).toHaveLength(1);

    const bad = await call(events.GET, "GET", "/api/v1/events?status=lost&limit=-1", { token: reviewer });
    expect(bad.status).toBe(400);
    expect(obj(bad.json).details).toEqual([
      { path: "/query/status", message: "must be one of: queued, processed, failed, duplicate, unmatched" },
      { path: "/query/limit", message: "must be at least 1" },
    ]);
  });

  it("shows one event with its redacted headers and body as text", async () => {
    const res = await call(event.GET, "GET", `/api/v1/events/${failedId}`, { token: reviewer, params: { id: failedId } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      id: failedId,
      status: "failed",
      headers: { "content-type": "application/json", "x-signature": "[redacted]" },
      body: "caf\xe9 \u00e9",
      bodyTruncated: false,
    });
  });

  it("treats another org's events as not found, for reading and replaying", async () => {
    const theirSource = await post(sourcesRoute.POST, "/api/v1/inbound-sources", other.token, { title: "T", mnemonic: "t" });
    const theirs = await insertEvent(other.org.id, theirSource);
    for (const id of [theirs.id, "x", "00000000-0000-4000-8000-000000000000"]) {
      for (const r of [
        await call(event.GET, "GET", `/api/v1/events/${id}`, { token: operator, params: { id } }),
        await call(replay.POST, "POST", `/api/v1/events/${id}/replay`, { token: operator, params: { id } }),
      ]) {
        expect(r.status).toBe(404);
        expect(r.json).toEqual({ error: "Not found" });
      }
    }
    expect(await prisma().inboundEvent.count({ where: { replayOf: theirs.id } })).toBe(0);
  });

  it("replays an event as a new queued event pointing at the original", async () => {
    const res = await call(replay.POST, "POST", `/api/v1/events/${processedId}/replay`, { token: operator, params: { id: processedId } });
    expect(res.status).toBe(202);
    const body = obj(res.json);
    expect(body.queued).toBe(true);
    expect(body.eventId).not.toBe(processedId);
    const created = await prisma().inboundEvent.findUniqueOrThrow({ where: { id: String(body.eventId) } });
    expect(created).toMatchObject({ orgId: org.id, sourceId: sourceA, replayOf: processedId });

    // A replay of the replay still points at the original.
    const again = await call(replay.POST, "POST", `/api/v1/events/${body.eventId}/replay`, { token: operator, params: { id: String(body.eventId) } });
    expect(again.status).toBe(202);
    const second = await prisma().inboundEvent.findUniqueOrThrow({ where: { id: String(obj(again.json).eventId) } });
    expect(second.replayOf).toBe(processedId);
  });

  it("refuses to replay an event that failed verification, and a reviewer may not replay", async () => {
    const res = await call(replay.POST, "POST", `/api/v1/events/${failedId}/replay`, { token: operator, params: { id: failedId } });
    expect(res.status).toBe(409);
    expect(obj(res.json).error).toBe("Conflict");
    expect(obj(res.json).details).toEqual([{ path: "", message: expect.stringContaining("signature") }]);

    const asReviewer = await call(replay.POST, "POST", `/api/v1/events/${processedId}/replay`, { token: reviewer, params: { id: processedId } });
    expect(asReviewer.status).toBe(403);
    expect(asReviewer.json).toEqual({ error: "Forbidden" });
  });
});
