// Request paths (inbound-api.md §2): mappings read the request's headers and query as
// well as the body, in every mode (sync, queue, replay, the dry-run test), and a path
// that cannot work is refused when the mapping is created.
import { randomUUID } from "node:crypto";
import { sign as githubSign } from "@octokit/webhooks-methods";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as mappingsRoute from "@/app/api/v1/inbound-mappings/route";
import * as mappingRoute from "@/app/api/v1/inbound-mappings/[id]/route";
import * as mappingTest from "@/app/api/v1/inbound-mappings/[id]/test/route";
import * as sourceRoute from "@/app/api/v1/inbound-sources/[id]/route";
import { db, prisma } from "@/lib/db";
import { processBatch } from "@/lib/queue/embedded-worker";
import { replayEventWith } from "@/lib/queue/replay-event";
import { call, createOrgWithToken } from "./helpers/fixtures";
import { createSource, postInbound } from "./helpers/pipeline-fixtures";

const GITHUB_SECRET = "github-request-paths-secret-0001";
let org: { id: string; slug: string };
let token: string;
let sourceId: string;

type Details = { error: string; details: { path: string; message: string }[] };

async function createMapping(body: Record<string, unknown>) {
  return call(mappingsRoute.POST, "POST", "/api/v1/inbound-mappings", { token, body: { sourceId, ...body } });
}

/** A GitHub delivery: the event and the delivery id in headers, the body signed. */
async function github(event: string, delivery: string, payload: unknown, opts: { sync?: boolean; query?: string } = { sync: true }) {
  const body = JSON.stringify(payload);
  const headers = {
    "X-GitHub-Event": event,
    "X-GitHub-Delivery": delivery,
    "X-Hub-Signature-256": await githubSign(GITHUB_SECRET, body),
  };
  return postInbound(org.slug, { id: sourceId }, body, headers, opts);
}

const pr = (action: string) => ({ action, number: 7, pull_request: { id: 1001, title: "Fix it" }, repository: { full_name: "acme/app" } });

beforeAll(async () => {
  const made = await createOrgWithToken("operator");
  org = made.org;
  token = made.token;
  sourceId = (await createSource(org.id, { verification: { preset: "github" }, secret: GITHUB_SECRET })).id;
});

afterAll(async () => {
  await prisma().$disconnect();
});

describe("request paths", () => {
  let prMapping = "";
  let reviewMapping = "";

  it("refuses at create time what cannot work: an unknown $ root, a credential or signature header, a request path as schema root", async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ resourceIdPath: "$header.x-id" }, "/resourceIdPath", /"\$header" is not a request path/],
      [{ resourceIdPath: "id", idempotencyPath: "$headers.authorization" }, "/idempotencyPath", /carries a signature or a credential/],
      [{ resourceIdPath: "id", conditions: [{ path: "$headers.X-Hub-Signature-256", op: "exists" }] }, "/conditions/0/path", /signature/],
      [{ resourceIdPath: "id", fieldMappings: { t: "$headers.x-api-token" } }, "/fieldMappings/t", /credential/],
      [{ resourceIdPath: "id", schemaRootPath: "$headers.x-github-event" }, "/schemaRootPath", /path into the body/],
      [{ resourceIdPath: "$headers.bad name" }, "/resourceIdPath", /not a header name/],
      [{ resourceIdPath: "$query." }, "/resourceIdPath", /needs a name/],
    ];
    for (const [body, path, message] of cases) {
      const res = await createMapping({ resourceType: "pr", action: "x", ...body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      const detail = (res.json as Details).details.find((d) => d.path === path);
      expect(detail?.message, JSON.stringify(res.json)).toMatch(message);
    }
    // The source's own signature header, under a custom hmac header name, is refused too.
    const hmac = await createSource(org.id, { verification: { preset: "hmac", header: "X-Acme-Check" }, secret: "s3cret-hmac-0001" });
    const own = await call(mappingsRoute.POST, "POST", "/api/v1/inbound-mappings", {
      token,
      body: { sourceId: hmac.id, resourceType: "t", action: "x", resourceIdPath: "$headers.x-acme-check" },
    });
    expect(own.status).toBe(400);
    expect((own.json as Details).details[0]).toMatchObject({ path: "/resourceIdPath", message: expect.stringContaining("x-acme-check") });
  });

  it("selects on the event header, takes ids from headers and query, and dedups GitHub's redeliveries on the delivery id (sync)", async () => {
    // pull_request and pull_request_review share a body shape (action + pull_request): only the header tells them apart.
    const a = await createMapping({
      title: "Pull request",
      resourceType: "pull_request",
      actionPath: "action",
      conditions: [{ path: "$headers.X-GitHub-Event", op: "eq", value: "pull_request" }],
      resourceIdPath: "pull_request.id",
      idempotencyPath: "$headers.x-github-delivery",
      fieldMappings: { title: "pull_request.title", event: "$headers.x-github-event", tenant: "$query.tenant" },
      metadataPaths: { delivery: "$headers.X-GitHub-Delivery" },
    });
    expect(a.status, JSON.stringify(a.json)).toBe(201);
    prMapping = (a.json as { id: string }).id;
    const b = await createMapping({
      title: "Review",
      resourceType: "pull_request_review",
      actionPath: "action",
      conditions: [{ path: "$headers.x-github-event", op: "eq", value: "pull_request_review" }],
      resourceIdPath: "pull_request.id",
      idempotencyPath: "$headers.x-github-delivery",
    });
    expect(b.status).toBe(201);
    reviewMapping = (b.json as { id: string }).id;

    const delivery = randomUUID();
    const first = await github("pull_request", delivery, pr("opened"), { sync: true, query: "tenant=acme&tenant=other" });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const interaction = await prisma().interaction.findUniqueOrThrow({ where: { id: first.body.interactionId as string } });
    expect(interaction).toMatchObject({ resourceType: "pull_request", action: "opened", resourceId: "1001", idempotencyKey: delivery });
    expect(interaction.object).toMatchObject({ title: "Fix it", event: "pull_request", tenant: "acme", _delivery: delivery });

    // GitHub's redelivery: the same X-GitHub-Delivery, a new signature: a duplicate.
    const again = await github("pull_request", delivery, pr("opened"));
    expect(again.body).toMatchObject({ duplicate: true });

    // The same body shape under another event header is the other mapping.
    const review = await github("pull_request_review", randomUUID(), pr("submitted"));
    const reviewRow = await prisma().interaction.findUniqueOrThrow({ where: { id: review.body.interactionId as string } });
    expect(reviewRow).toMatchObject({ resourceType: "pull_request_review", action: "submitted", mappingId: reviewMapping });

    // An event no mapping selects is unmatched, not mistaken for a pull request.
    const push = await github("push", randomUUID(), pr("opened"));
    expect(push.status).toBe(200);
    expect(push.body).toMatchObject({ message: "No matching mapping found" });
  });

  it("reads the stored headers and query in queue mode and on replay, as sync does", async () => {
    const delivery = randomUUID();
    const queued = await github("pull_request", delivery, pr("closed"), { sync: false, query: "tenant=globex" });
    expect(queued.status).toBe(202);
    const stored = await prisma().inboundEvent.findUniqueOrThrow({ where: { id: queued.body.eventId as string } });
    expect(stored.query).toEqual({ tenant: "globex" });
    // The signature is stored redacted; the headers a mapping reads are kept.
    expect(stored.headers).toMatchObject({ "x-github-event": "pull_request", "x-github-delivery": delivery, "x-hub-signature-256": "[redacted]" });

    while ((await processBatch({ pool: db().pool, newId: () => randomUUID() })) > 0);
    const processed = await prisma().inboundEvent.findUniqueOrThrow({ where: { id: stored.id } });
    expect(processed.status).toBe("processed");
    const row = await prisma().interaction.findUniqueOrThrow({ where: { id: processed.interactionId! } });
    expect(row).toMatchObject({ mappingId: prMapping, action: "closed", idempotencyKey: delivery });
    expect(row.object).toMatchObject({ event: "pull_request", tenant: "globex", _delivery: delivery });

    // A replay runs stages 4–7 on the original request: same headers, so a duplicate of it.
    const replay = await replayEventWith(db().pool, org.id, stored.id);
    expect(replay.ok).toBe(true);
    while ((await processBatch({ pool: db().pool, newId: () => randomUUID() })) > 0);
    const replayed = await prisma().inboundEvent.findUniqueOrThrow({ where: { id: (replay as { eventId: string }).eventId } });
    expect(replayed.query).toEqual({ tenant: "globex" });
    expect(replayed.status).toBe("duplicate");
  });

  it("the dry-run test takes headers and query, reading them as the pipeline does", async () => {
    const test = (body: Record<string, unknown>) =>
      call(mappingTest.POST, "POST", `/api/v1/inbound-mappings/${prMapping}/test`, { token, params: { id: prMapping }, body });
    const delivery = randomUUID();
    const hit = await test({ payload: pr("edited"), headers: { "X-GitHub-Event": "pull_request", "X-GitHub-Delivery": delivery }, query: { tenant: "acme" } });
    expect(hit.status).toBe(200);
    expect(hit.json).toMatchObject({
      matched: true,
      conditions: [{ path: "$headers.X-GitHub-Event", actual: "pull_request", pass: true }],
      interaction: { action: "edited", idempotencyKey: delivery, object: { event: "pull_request", tenant: "acme", _delivery: delivery } },
      duplicate: false,
    });
    // Without the header, the condition finds nothing: the tester says so.
    const miss = await test({ payload: pr("edited") });
    expect(miss.json).toMatchObject({ matched: false, conditions: [{ path: "$headers.X-GitHub-Event", pass: false }], interaction: null });
    expect((miss.json as { conditions: object[] }).conditions[0]).not.toHaveProperty("actual");
    const bad = await test({ payload: {}, headers: { "x-a": 1 } });
    expect(bad.status).toBe(400);
    expect((bad.json as Details).details[0]!.path).toBe("/headers/x-a");
  });

  it("a PATCH that moves a mapping to a source signing in a header it reads is refused", async () => {
    const hmac = await createSource(org.id, { verification: { preset: "hmac", header: "X-GitHub-Delivery" }, secret: "s3cret-hmac-0002" });
    const res = await call(mappingRoute.PATCH, "PATCH", `/api/v1/inbound-mappings/${prMapping}`, {
      token,
      params: { id: prMapping },
      body: { sourceId: hmac.id },
    });
    expect(res.status).toBe(400);
    expect((res.json as Details).details.map((d) => d.path)).toEqual(["/idempotencyPath", "/metadataPaths/delivery"]);
  });

  it("a source PATCH that would start signing in a header one of its mappings reads is refused, and changes nothing", async () => {
    const hmac = await createSource(org.id, { verification: { preset: "hmac", header: "X-Acme-Check" }, secret: "s3cret-hmac-0003" });
    const made = await call(mappingsRoute.POST, "POST", "/api/v1/inbound-mappings", {
      token,
      body: { sourceId: hmac.id, title: "Acme events", resourceType: "t", action: "x", resourceIdPath: "id", idempotencyPath: "$headers.x-acme-delivery" },
    });
    expect(made.status).toBe(201);
    const patch = (verification: Record<string, unknown>) =>
      call(sourceRoute.PATCH, "PATCH", `/api/v1/inbound-sources/${hmac.id}`, { token, params: { id: hmac.id }, body: { verification } });

    const refused = await patch({ preset: "hmac", header: "X-Acme-Delivery" });
    expect(refused.status).toBe(400);
    expect((refused.json as Details).details).toEqual([
      {
        path: "/verification/header",
        message: expect.stringMatching(/^would hide a header the mapping "Acme events" reads at \/idempotencyPath: header "x-acme-delivery" carries a signature/),
      },
    ]);
    const row = await prisma().inboundSource.findUniqueOrThrow({ where: { id: hmac.id } });
    expect((row.verification as { header?: string }).header).toBe("X-Acme-Check");
    // Another header is fine.
    expect((await patch({ preset: "hmac", header: "X-Acme-Signature-2" })).status).toBe(200);
  });
});
