// The published OpenAPI 3.1 document: valid, complete, and true to real responses.
import { Validator } from "@seriousme/openapi-schema-validator";
import { beforeAll, describe, expect, it } from "vitest";
import * as openapiRoute from "@/app/api/openapi.json/route";
import * as sources from "@/app/api/v1/inbound-sources/route";
import * as source from "@/app/api/v1/inbound-sources/[id]/route";
import * as mappings from "@/app/api/v1/inbound-mappings/route";
import * as mapping from "@/app/api/v1/inbound-mappings/[id]/route";
import * as mappingTest from "@/app/api/v1/inbound-mappings/[id]/test/route";
import * as interactions from "@/app/api/v1/interactions/route";
import * as interaction from "@/app/api/v1/interactions/[id]/route";
import * as events from "@/app/api/v1/events/route";
import * as event from "@/app/api/v1/events/[id]/route";
import * as replay from "@/app/api/v1/events/[id]/replay/route";
import * as tokens from "@/app/api/v1/api-tokens/route";
import { openApiDocument } from "@/lib/api/openapi";
import { prisma } from "@/lib/db";
import { call, createOrgWithToken, insertEvent, insertInteraction, obj, tokenFor } from "./helpers/fixtures";
import { responseChecker } from "./helpers/openapi";

const doc = openApiDocument();
const check = responseChecker(doc);

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const validator = new Validator();
    const res = await validator.validate(doc);
    expect(res.errors).toBeUndefined();
    expect(res.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("is served publicly at /api/openapi.json", async () => {
    const res = await call(openapiRoute.GET, "GET", "/api/openapi.json");
    expect(res.status).toBe(200);
    expect(res.json).toEqual(doc);
    expect(res.headers.get("content-type")).toContain("application/json");
  });

  // Which routes exist is lib/api/route-coverage.test.ts's job (it walks app/api against the operation table).
  it("describes every answer of the inbound URLs, and the 4xx of each management operation", () => {
    const inbound = obj(obj(obj(doc.paths)["/api/inbound/{slug}/{sourceId}"]).post);
    expect(Object.keys(obj(inbound.responses)).sort()).toEqual(["200", "202", "400", "401", "404", "413", "422", "500", "503"]);
    expect((inbound.parameters as { name: string }[]).map((p) => p.name)).toEqual(["slug", "sourceId", "sync"]);
    expect(obj(obj(doc.components).securitySchemes).bearerAuth).toEqual(
      expect.objectContaining({ type: "http", scheme: "bearer" }),
    );
    const answers = (p: string, m: string) => Object.keys(obj(obj(obj(obj(doc.paths)[p])[m]).responses)).sort();
    expect(answers("/api/v1/inbound-sources", "post")).toEqual(["201", "400", "401", "403", "409", "413", "500"]);
    expect(answers("/api/v1/events/{id}/replay", "post")).toEqual(["202", "401", "403", "404", "409", "500"]);
    expect(answers("/api/v1/inbound-mappings/{id}/test", "post")).toEqual([
      "200",
      "400",
      "401",
      "403",
      "404",
      "413",
      "500",
      "503",
    ]);
  });

  it("publishes the secret only as a write-only request field", () => {
    const schemas = obj(obj(doc.components).schemas);
    expect(Object.keys(obj(obj(schemas.Verification).properties))).not.toContain("secret");
    expect(Object.keys(obj(obj(schemas.Verification).properties))).toContain("secretHint");
    expect(obj(obj(obj(schemas.VerificationInput).properties).secret).writeOnly).toBe(true);
    // Requests and responses that differ in shape get distinct components.
    expect(schemas.Condition).toBeDefined();
    expect(schemas.ConditionInput).toBeDefined();
  });
});

describe("real responses match the document", () => {
  let admin: string;
  let reviewer: string;
  let sourceId: string;
  let mappingId: string;
  let orgId: string;

  beforeAll(async () => {
    const a = await createOrgWithToken("admin");
    admin = a.token;
    orgId = a.org.id;
    reviewer = await tokenFor(orgId, "reviewer");
  });

  it("for sources", async () => {
    const created = await call(sources.POST, "POST", "/api/v1/inbound-sources", {
      token: admin,
      body: {
        title: "Stripe",
        mnemonic: "stripe",
        verification: { preset: "stripe", secret: "whsec_0123456789abcdef" },
        payloadSchema: { type: "object" },
      },
    });
    check("/api/v1/inbound-sources", "post", 201, created.json);
    sourceId = String(obj(created.json).id);
    const params = { id: sourceId };
    const path = `/api/v1/inbound-sources/${sourceId}`;
    check(
      "/api/v1/inbound-sources",
      "get",
      200,
      (await call(sources.GET, "GET", "/api/v1/inbound-sources", { token: reviewer })).json,
    );
    check("/api/v1/inbound-sources/{id}", "get", 200, (await call(source.GET, "GET", path, { token: reviewer, params })).json);
    const patched = await call(source.PATCH, "PATCH", path, {
      token: admin,
      params,
      body: { description: "Live", verification: null },
    });
    check("/api/v1/inbound-sources/{id}", "patch", 200, patched.json);

    const conflict = await call(sources.POST, "POST", "/api/v1/inbound-sources", {
      token: admin,
      body: { title: "Again", mnemonic: "stripe" },
    });
    expect(conflict.status).toBe(409);
    check("/api/v1/inbound-sources", "post", 409, conflict.json);
    const invalid = await call(sources.POST, "POST", "/api/v1/inbound-sources", {
      token: admin,
      body: { mnemonic: "bad mnemonic" },
    });
    check("/api/v1/inbound-sources", "post", 400, invalid.json);
    const forbidden = await call(sources.POST, "POST", "/api/v1/inbound-sources", { token: reviewer, body: {} });
    check("/api/v1/inbound-sources", "post", 403, forbidden.json);
    const unauthorized = await call(sources.GET, "GET", "/api/v1/inbound-sources");
    check("/api/v1/inbound-sources", "get", 401, unauthorized.json);
    const missing = await call(source.GET, "GET", "/api/v1/inbound-sources/x", { token: admin, params: { id: "x" } });
    check("/api/v1/inbound-sources/{id}", "get", 404, missing.json);

    // The checker is not vacuous: a response carrying the secret would not match.
    const leaked = { ...obj(created.json), verification: { ...obj(obj(created.json).verification), secret: "whsec_x" } };
    expect(() => check("/api/v1/inbound-sources", "post", 201, leaked)).toThrow(/does not match/);
  });

  it("for mappings and the mapping test", async () => {
    const created = await call(mappings.POST, "POST", "/api/v1/inbound-mappings", {
      token: admin,
      body: {
        sourceId,
        resourceType: "payment",
        action: "succeeded",
        resourceIdPath: "data.id",
        idempotencyPath: "id",
        conditions: [
          { path: "type", op: "eq", value: "payment.succeeded" },
          { path: "data.id", op: "exists" },
        ],
        payloadSchema: { type: "object", required: ["data"] },
      },
    });
    check("/api/v1/inbound-mappings", "post", 201, created.json);
    mappingId = String(obj(created.json).id);
    const params = { id: mappingId };
    check(
      "/api/v1/inbound-mappings",
      "get",
      200,
      (await call(mappings.GET, "GET", `/api/v1/inbound-mappings?sourceId=${sourceId}`, { token: reviewer })).json,
    );
    check(
      "/api/v1/inbound-mappings/{id}",
      "get",
      200,
      (await call(mapping.GET, "GET", `/api/v1/inbound-mappings/${mappingId}`, { token: reviewer, params })).json,
    );
    const patched = await call(mapping.PATCH, "PATCH", `/api/v1/inbound-mappings/${mappingId}`, {
      token: admin,
      params,
      body: { priority: 3, fieldMappings: { id: "data.id" } },
    });
    check("/api/v1/inbound-mappings/{id}", "patch", 200, patched.json);

    const path = `/api/v1/inbound-mappings/${mappingId}/test`;
    const matched = await call(mappingTest.POST, "POST", path, {
      token: reviewer,
      params,
      body: { payload: { type: "payment.succeeded", id: "e1", data: { id: "p1" } } },
    });
    expect(obj(matched.json).matched).toBe(true);
    check("/api/v1/inbound-mappings/{id}/test", "post", 200, matched.json);
    const unmatched = await call(mappingTest.POST, "POST", path, { token: reviewer, params, body: { payload: [1, 2] } });
    expect(obj(unmatched.json).matched).toBe(false);
    check("/api/v1/inbound-mappings/{id}/test", "post", 200, unmatched.json);
    const badQuery = await call(mappings.GET, "GET", "/api/v1/inbound-mappings?sourceId=1", { token: reviewer });
    check("/api/v1/inbound-mappings", "get", 400, badQuery.json);
  });

  it("for interactions and events, including pages, detail and replay", async () => {
    for (let i = 0; i < 3; i += 1) await insertInteraction(orgId, mappingId, { idempotencyKey: `k${i}` });
    const page = await call(interactions.GET, "GET", "/api/v1/interactions?limit=2", { token: reviewer });
    expect(obj(page.json).nextCursor).not.toBeNull();
    check("/api/v1/interactions", "get", 200, page.json);
    const last = await call(interactions.GET, "GET", `/api/v1/interactions?limit=2&cursor=${obj(page.json).nextCursor}`, {
      token: reviewer,
    });
    expect(obj(last.json).nextCursor).toBeNull();
    check("/api/v1/interactions", "get", 200, last.json);
    const one = (obj(page.json).data as { id: string }[])[0]!;
    check(
      "/api/v1/interactions/{id}",
      "get",
      200,
      (await call(interaction.GET, "GET", `/api/v1/interactions/${one.id}`, { token: reviewer, params: { id: one.id } })).json,
    );

    const failed = await insertEvent(orgId, sourceId, { status: "failed", error: "Source schema validation failed" });
    await prisma().inboundEvent.update({
      where: { id: failed.id },
      data: { errorDetails: [{ path: "/id", message: "must be string" }] },
    });
    const list = await call(events.GET, "GET", "/api/v1/events", { token: reviewer });
    check("/api/v1/events", "get", 200, list.json);
    const detail = await call(event.GET, "GET", `/api/v1/events/${failed.id}`, { token: reviewer, params: { id: failed.id } });
    expect(obj(detail.json).errorDetails).toEqual([{ path: "/id", message: "must be string" }]);
    check("/api/v1/events/{id}", "get", 200, detail.json);
    const ok = await insertEvent(orgId, sourceId);
    const replayed = await call(replay.POST, "POST", `/api/v1/events/${ok.id}/replay`, { token: admin, params: { id: ok.id } });
    expect(replayed.status).toBe(202);
    check("/api/v1/events/{id}/replay", "post", 202, replayed.json);
    const badLimit = await call(events.GET, "GET", "/api/v1/events?limit=1000", { token: reviewer });
    check("/api/v1/events", "get", 400, badLimit.json);
  });

  it("for API tokens", async () => {
    const created = await call(tokens.POST, "POST", "/api/v1/api-tokens", {
      token: admin,
      body: { name: "t", role: "reviewer" },
    });
    check("/api/v1/api-tokens", "post", 201, created.json);
    check("/api/v1/api-tokens", "get", 200, (await call(tokens.GET, "GET", "/api/v1/api-tokens", { token: admin })).json);
  });
});
