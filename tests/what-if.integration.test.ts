// What-if replay: a draft mapping over the source's stored events, beside today's
// mappings, writing nothing; its summary and per-event changes are what the pipeline
// would do, because both sides run the pipeline's own stages.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as mappingsRoute from "@/app/api/v1/inbound-mappings/route";
import * as mappingWhatIf from "@/app/api/v1/inbound-mappings/[id]/what-if/route";
import * as sourceWhatIf from "@/app/api/v1/inbound-sources/[id]/what-if/route";
import { prisma } from "@/lib/db";
import type { WhatIfResultDto } from "@/lib/schemas/what-if";
import { call, createOrgWithToken, tokenFor } from "./helpers/fixtures";
import { createSource, postInbound } from "./helpers/pipeline-fixtures";

let org: { id: string; slug: string };
let token: string;
let reviewerToken: string;
let sourceId: string;
let paidId: string;

const send = (payload: unknown, headers: Record<string, string> = {}) => postInbound(org.slug, { id: sourceId }, JSON.stringify(payload), headers);

beforeAll(async () => {
  const made = await createOrgWithToken("operator");
  org = made.org;
  token = made.token;
  reviewerToken = await tokenFor(org.id, "reviewer");
  sourceId = (await createSource(org.id)).id;
  const paid = await call(mappingsRoute.POST, "POST", "/api/v1/inbound-mappings", {
    token,
    body: {
      sourceId,
      title: "Order paid",
      resourceType: "order",
      action: "paid",
      conditions: [{ path: "type", op: "eq", value: "order.paid" }],
      resourceIdPath: "data.id",
      idempotencyPath: "id",
      fieldMappings: { total: "data.total" },
    },
  });
  paidId = (paid.json as { id: string }).id;
  // 6 paid orders (one of them sent twice), 3 refunds nobody maps, 1 with a string total.
  for (let i = 1; i <= 6; i++) await send({ id: `evt_${i}`, type: "order.paid", data: { id: `ord_${i}`, total: i * 10 } });
  await send({ id: "evt_1", type: "order.paid", data: { id: "ord_1", total: 10 } });
  for (let i = 1; i <= 3; i++) await send({ id: `ref_${i}`, type: "order.refunded", data: { id: `ord_${i}` } });
  await send({ id: "evt_7", type: "order.paid", data: { id: "ord_7", total: "a lot" } });
});

afterAll(async () => {
  await prisma().$disconnect();
});

const whatIfEdit = (draft: Record<string, unknown>, limit?: number, as = token) =>
  call(mappingWhatIf.POST, "POST", `/api/v1/inbound-mappings/${paidId}/what-if`, { token: as, params: { id: paidId }, body: { draft, ...(limit ? { limit } : {}) } });

describe("what-if replay", () => {
  it("an unchanged draft changes nothing, and nothing is written", async () => {
    const before = { events: await prisma().inboundEvent.count({ where: { orgId: org.id } }), interactions: await prisma().interaction.count({ where: { orgId: org.id } }) };
    const res = await whatIfEdit({}, undefined, reviewerToken);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const r = res.json as WhatIfResultDto;
    expect(r.summary).toMatchObject({ events: 11, changed: 0, text: "No change on 11 events." });
    expect(r.changed).toEqual([]);
    expect(await prisma().inboundEvent.count({ where: { orgId: org.id } })).toBe(before.events);
    expect(await prisma().interaction.count({ where: { orgId: org.id } })).toBe(before.interactions);
  });

  it("a schema on the draft: the event with a string total starts failing, with the pipeline's error", async () => {
    const res = await whatIfEdit({ payloadSchema: { type: "object", properties: { data: { type: "object", properties: { total: { type: "number" } } } } } });
    const r = res.json as WhatIfResultDto;
    expect(r.summary).toMatchObject({ events: 11, changed: 1, startFailing: 1, changeMapping: 0 });
    expect(r.summary.text).toBe("1 starts failing (of 11 events).");
    expect(r.changed[0]).toMatchObject({
      today: { outcome: "interaction", mappingTitle: "Order paid", interaction: { resourceId: "ord_7", object: { total: "a lot" } } },
      draft: { outcome: "failed", error: "Mapping schema validation failed", mappingTitle: "Order paid" },
    });
  });

  it("a field change and a dedup change are listed per event: keyed on the order, the second payment of an order becomes a duplicate", async () => {
    await send({ id: "evt_8", type: "order.paid", data: { id: "ord_2", total: 25 } });
    const res = await whatIfEdit({ idempotencyPath: "data.id", fieldMappings: { total: "data.total", order: "data.id" } });
    const r = res.json as WhatIfResultDto;
    expect(r.summary.events).toBe(12);
    // Every mapped event (9, evt_1's resend included) gains the "order" field; evt_8 (ord_2
    // again) becomes a duplicate; the resend of evt_1 stays one (ord_1 again).
    expect(r.summary).toMatchObject({ changed: 9, changeFields: 9, startDuplicate: 1, stopDuplicate: 0, startFailing: 0 });
    const evt8 = r.changed.find((c) => c.today.interaction?.idempotencyKey === "evt_8")!;
    expect(evt8.draft).toMatchObject({ outcome: "duplicate", interaction: { idempotencyKey: "ord_2" } });
    expect(evt8.changes).toEqual(
      expect.arrayContaining([
        { field: "outcome", today: "interaction", draft: "duplicate" },
        { field: "idempotencyKey", today: "evt_8", draft: "ord_2" },
        { field: "object.order", draft: "ord_2" },
      ]),
    );
  });

  it("a new mapping for the refunds takes events that were unmatched; limit takes the newest events", async () => {
    const res = await call(sourceWhatIf.POST, "POST", `/api/v1/inbound-sources/${sourceId}/what-if`, {
      token,
      params: { id: sourceId },
      body: { draft: { title: "Refund", resourceType: "order", action: "refunded", conditions: [{ path: "type", op: "eq", value: "order.refunded" }], resourceIdPath: "data.id" }, limit: 12 },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const r = res.json as WhatIfResultDto;
    expect(r.summary).toMatchObject({ events: 12, changed: 3, changeMapping: 3, text: "3 events change mapping (of 12 events)." });
    expect(r.changed.map((c) => [c.today.outcome, c.draft.outcome, c.draft.mappingTitle])).toEqual(Array(3).fill(["unmatched", "interaction", "Refund"]));

    const newest = await whatIfEdit({ conditions: [] }, 2);
    expect((newest.json as WhatIfResultDto).summary.events).toBe(2);
  });

  it("refuses what the mapping API refuses, and another org's mapping is a 404", async () => {
    const bad = await whatIfEdit({ idempotencyPath: "$headers.authorization" });
    expect(bad.status).toBe(400);
    expect((bad.json as { details: { path: string }[] }).details[0]!.path).toBe("/draft/idempotencyPath");
    const tooMany = await whatIfEdit({}, 5001);
    expect(tooMany.status).toBe(400);
    const other = await createOrgWithToken("operator");
    const res = await call(mappingWhatIf.POST, "POST", `/api/v1/inbound-mappings/${paidId}/what-if`, { token: other.token, params: { id: paidId }, body: { draft: {} } });
    expect(res.status).toBe(404);
    const unknown = randomUUID();
    expect((await call(sourceWhatIf.POST, "POST", `/api/v1/inbound-sources/${unknown}/what-if`, { token, params: { id: unknown }, body: { draft: { resourceType: "x", action: "y", resourceIdPath: "id" } } })).status).toBe(404);
  });
});
