// The tester, sync requests, the queue worker and replay give the same verdict for the
// same request, because they run the same stages 4–7 (runMappingStages): for each sample
// (a match, a schema failure, an action or a resource id that cannot be read, an
// unmatched event), the sync answer's status and error, the queued event's final status
// and error after the worker, a replay of it, and the mapping tester's verdict agree.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as mappingsRoute from "@/app/api/v1/inbound-mappings/route";
import * as mappingTest from "@/app/api/v1/inbound-mappings/[id]/test/route";
import { db, prisma } from "@/lib/db";
import { processBatch } from "@/lib/queue/embedded-worker";
import { replayEventWith } from "@/lib/queue/replay-event";
import { call, createOrgWithToken } from "./helpers/fixtures";
import { createSource, postInbound } from "./helpers/pipeline-fixtures";

let org: { id: string; slug: string };
let token: string;
let sourceId: string;
let mappingId: string;

beforeAll(async () => {
  const made = await createOrgWithToken("operator");
  org = made.org;
  token = made.token;
  sourceId = (await createSource(org.id, {})).id;
  const res = await call(mappingsRoute.POST, "POST", "/api/v1/inbound-mappings", {
    token,
    body: {
      sourceId,
      title: "Orders",
      resourceType: "order",
      actionPath: "$headers.x-topic",
      resourceIdPath: "order.id",
      idempotencyPath: "$headers.x-delivery",
      conditions: [{ path: "kind", op: "eq", value: "order" }],
      payloadSchema: { type: "object", required: ["total"], properties: { total: { type: "integer" } } },
      schemaRootPath: "order",
    },
  });
  expect(res.status).toBe(201);
  mappingId = String((res.json as { id: string }).id);
});

afterAll(async () => {
  await prisma().$disconnect();
});

type Verdict = { status: string; error: string | null };

const drain = async () => {
  while ((await processBatch({ pool: db().pool, newId: () => randomUUID() })) > 0);
};

const cases: { name: string; topic: string | null; body: unknown; sync: number; verdict: Verdict }[] = [
  { name: "a match", topic: "paid", body: { kind: "order", order: { id: "o1", total: 5 } }, sync: 200, verdict: { status: "processed", error: null } },
  {
    name: "a schema failure",
    topic: "paid",
    body: { kind: "order", order: { id: "o2", total: "5" } },
    sync: 400,
    verdict: { status: "failed", error: "Mapping schema validation failed" },
  },
  { name: "no action", topic: null, body: { kind: "order", order: { id: "o3", total: 5 } }, sync: 422, verdict: { status: "failed", error: "Action not found" } },
  { name: "no resource id", topic: "paid", body: { kind: "order", order: { total: 5 } }, sync: 422, verdict: { status: "failed", error: "Resource id not found" } },
  { name: "unmatched", topic: "paid", body: { kind: "refund", order: { id: "o4", total: 5 } }, sync: 200, verdict: { status: "unmatched", error: null } },
];

describe("the same request gets the same verdict from every caller", () => {
  it.each(cases)("$name", async ({ topic, body, sync, verdict }) => {
    const headers = (delivery: string): Record<string, string> => ({ "x-delivery": delivery, ...(topic ? { "x-topic": topic } : {}) });
    const text = JSON.stringify(body);

    // Sync: the answer, and the stored event.
    const now = await postInbound(org.slug, { id: sourceId }, text, headers(randomUUID()), { sync: true });
    expect(now.status).toBe(sync);
    const syncEvent = await prisma().inboundEvent.findUniqueOrThrow({ where: { id: String(now.body.eventId) } });
    expect({ status: syncEvent.status, error: syncEvent.error }).toEqual(verdict);
    if (verdict.error) expect(now.body.error).toBe(verdict.error);

    // Queue: the worker's verdict on another delivery of the same request.
    const queued = await postInbound(org.slug, { id: sourceId }, text, headers(randomUUID()), { sync: false });
    expect(queued.status).toBe(202);
    await drain();
    const worked = await prisma().inboundEvent.findUniqueOrThrow({ where: { id: String(queued.body.eventId) } });
    expect({ status: worked.status, error: worked.error }).toEqual(verdict);
    // Stage by stage too (an interaction's id differs).
    const stages = syncEvent.stages as { stage: string; outcome: string }[];
    expect(worked.stages).toEqual(stages.map((s) => (s.stage === "interaction" && s.outcome === "passed" ? expect.anything() : s)));

    // Replay of the queued one: the same key, so a match becomes a duplicate; the rest agree.
    const replay = await replayEventWith(db().pool, org.id, worked.id);
    expect(replay.ok).toBe(true);
    await drain();
    const replayed = await prisma().inboundEvent.findUniqueOrThrow({ where: { id: (replay as { eventId: string }).eventId } });
    expect({ status: replayed.status, error: replayed.error }).toEqual(verdict.status === "processed" ? { status: "duplicate", error: null } : verdict);

    // The tester, on the same request.
    const tested = await call(mappingTest.POST, "POST", `/api/v1/inbound-mappings/${mappingId}/test`, {
      token,
      params: { id: mappingId },
      body: { payload: body, headers: headers(randomUUID()) },
    });
    const result = tested.json as { matched: boolean; failure: { status: number; error: string } | null; interaction: unknown };
    expect(result.matched).toBe(verdict.status !== "unmatched");
    expect(result.failure ? { status: "failed", error: result.failure.error } : null).toEqual(verdict.status === "failed" ? verdict : null);
    if (result.failure) expect(result.failure.status).toBe(sync);
    expect(result.interaction !== null).toBe(verdict.status === "processed");
  });
});
