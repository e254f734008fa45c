import { beforeAll, describe, expect, test } from "vitest";
import { buildOutboundRequest } from "../lib/delivery/outbound-request";
import { checkPackage } from "./check";
import { evaluatePackage, type Evaluation } from "./evaluate";
import type { PackageFiles } from "./load-package";
import { createSandbox, type SandboxResult, type TraceStage } from "./sandbox";
import { readFixture } from "./fixture";
import { loadTestPackage, withContractEdits, withFiles } from "./test-packages/packages";
import {
  FIXED_CLOCK_SECONDS,
  signedFixture,
  stripeSignature,
  TEST_SECRETS,
  testSecrets,
  withScenarios,
} from "./test-packages/scenarios";

let valid: PackageFiles;
let scenarios: Evaluation;

beforeAll(async () => {
  valid = await loadTestPackage("valid-stripe");
  scenarios = await evaluatePackage(withScenarios(valid), { secrets: testSecrets });
});

const result = (name: string): SandboxResult => {
  const r = scenarios.results[name];
  if (!r) throw new Error(`no result for ${name}`);
  return r;
};
const stage = (trace: readonly TraceStage[] | undefined, name: string): TraceStage => {
  const s = trace?.find((x) => x.stage === name);
  if (!s) throw new Error(`no ${name} stage`);
  return s;
};

describe("the sandbox on valid-stripe", () => {
  test("the committed golden matches, and with the test secrets the package is sandbox-validated", async () => {
    const run = await evaluatePackage(valid, { secrets: testSecrets });
    expect(run.evidence.fixtures.map((f) => [f.name, f.passed, f.diff])).toEqual([["payment-succeeded", true, []]]);
    expect(run.errors).toEqual([]);
    expect(run.evidence.status).toBe("sandbox-validated");
  });

  test("a processed payment: the live route's answer, the dry-run interaction, and the worker's request", () => {
    const r = result("payment-succeeded");
    expect(r.status).toBe(200);
    // Ids in the order the pipeline asks: event, _uowId, interaction, then deliveries.
    expect(r.body).toEqual({ eventId: "<id:1>", interactionId: "<id:3>" });
    expect(r.interaction).toEqual({
      resourceType: "payment",
      action: "payment_intent.succeeded",
      resourceId: "pi_1",
      idempotencyKey: "evt_1",
      object: { amount: 2000, currency: "eur", _userId: "user_42", _uowId: "<id:2>" },
    });
    expect(r.deliveries).toHaveLength(1);
    const d = r.deliveries[0];
    expect(d).toMatchObject({ target: "data-warehouse", method: "POST", url: "https://api.data-warehouse.com/events" });
    expect(d?.headers).toEqual({
      authorization: "[redacted]",
      "content-type": "application/json",
      "user-agent": "Provenance-Webhooks/1",
      "webhook-id": "<id:4>",
      "webhook-signature": "[redacted]",
      "webhook-timestamp": String(FIXED_CLOCK_SECONDS),
    });
    // The interaction JSON the worker sends (lib/store/interactions.ts toInteraction).
    expect(Object.keys(d?.body as object).sort()).toEqual(
      [
        "id",
        "orgId",
        "originId",
        "sourceId",
        "mappingId",
        "eventId",
        "resourceTypeId",
        "actionId",
        "resourceType",
        "action",
        "resourceId",
        "idempotencyKey",
        "object",
        "createdAt",
      ].sort(),
    );
    expect(d?.body).toMatchObject({
      id: "<id:3>",
      eventId: "<id:1>",
      sourceId: "<source:payment-webhook>",
      mappingId: "<mapping:payment-events>",
      createdAt: "2025-01-01T00:00:00.000Z",
      object: r.interaction?.object,
    });
  });

  test("the recorded delivery is buildOutboundRequest's request, with only the secret headers redacted", () => {
    const d = result("payment-succeeded").deliveries[0];
    const live = buildOutboundRequest({
      deliveryId: "<id:4>",
      target: {
        url: "https://api.data-warehouse.com/events",
        authType: "bearer",
        authSecret: TEST_SECRETS.DW_TOKEN as string,
        authHeaderName: null,
        signingEnabled: true,
        signingSecret: `whsec_${Buffer.alloc(32, 7).toString("base64")}`,
      },
      interaction: d?.body,
      nowMs: FIXED_CLOCK_SECONDS * 1000,
    });
    expect(JSON.parse(live.body)).toEqual(d?.body);
    expect(Object.keys(live.headers).sort()).toEqual(Object.keys(d?.headers ?? {}).sort());
    for (const [name, value] of Object.entries(live.headers)) {
      expect(d?.headers[name]).toBe(name === "authorization" || name === "webhook-signature" ? "[redacted]" : value);
    }
  });

  test("a refund goes to both targets of its flow, in declaration order, auth header redacted", () => {
    const r = result("charge-refunded");
    expect(r.status).toBe(200);
    expect(r.interaction).toMatchObject({
      resourceType: "refund",
      action: "refunded",
      resourceId: "ch_1",
      idempotencyKey: "evt_2",
    });
    expect(r.deliveries.map((d) => [d.target, d.headers["webhook-id"]])).toEqual([
      ["data-warehouse", "<id:4>"],
      ["billing-audit", "<id:5>"],
    ]);
    expect(r.deliveries[1]?.headers["x-api-key"]).toBe("[redacted]");
    expect(r.deliveries[1]?.body).toMatchObject({ actionId: "<action:refunded>", resourceTypeId: "<resource-type:refund>" });
  });

  test("an event no flow handles: 200 without an interaction, every mapping's conditions with their actual values", () => {
    const r = result("customer-created");
    expect(r).toEqual({
      status: 200,
      body: { message: "No matching mapping found", eventId: "<id:1>" },
      interaction: null,
      deliveries: [],
    });
    const selection = stage(scenarios.traces["customer-created"], "mappingSelection");
    expect(selection.outcome).toBe("fail");
    expect(selection.detail.selected).toBeNull();
    expect(selection.detail.mappings).toEqual([
      {
        flow: "payment-events",
        priority: 1000,
        matched: false,
        conditions: [
          {
            index: 0,
            path: "type",
            op: "startsWith",
            value: "payment_intent.",
            actual: "customer.created",
            pass: false,
            location: "provider-flow.yaml:32:26",
          },
        ],
      },
      {
        flow: "refunds",
        priority: 999,
        matched: false,
        conditions: [
          expect.objectContaining({ index: 0, actual: "customer.created", pass: false }),
          expect.objectContaining({ index: 1, path: "data.object.amount_refunded", missing: true, pass: false }),
          expect.objectContaining({ index: 2, path: "data.object.currency", missing: true, pass: false }),
        ],
      },
    ]);
  });

  test("mappings are tried in priority order up to the first that matches", () => {
    const selection = stage(scenarios.traces["payment-succeeded"], "mappingSelection");
    expect((selection.detail.mappings as { flow: string }[]).map((m) => m.flow)).toEqual(["payment-events"]);
    const refund = stage(scenarios.traces["charge-refunded"], "mappingSelection");
    expect((refund.detail.mappings as { flow: string; matched: boolean }[]).map((m) => [m.flow, m.matched])).toEqual([
      ["payment-events", false],
      ["refunds", true],
    ]);
    expect(refund.detail.selected).toBe("refunds");
  });

  test("a payload the validate step refuses: the live 400 with details pointing into the payload", () => {
    const r = result("negative-amount");
    expect(r.status).toBe(400);
    expect(r.body.error).toBe("Mapping schema validation failed");
    expect(r.body.details).toEqual([expect.objectContaining({ path: "/data/object/amount" })]);
    expect(r.interaction).toBeNull();
    const schema = stage(scenarios.traces["negative-amount"], "mappingSchema");
    expect(schema).toMatchObject({
      outcome: "fail",
      detail: { flow: "payment-events", schema: "schemas/payment-intent.json", root: "data.object" },
    });
    expect(schema.detail.errors).toEqual(r.body.details);
  });

  test("the trace lists the stages in pipeline order, with the idempotency key and no timing", () => {
    const trace = scenarios.traces["payment-succeeded"] ?? [];
    expect(trace.map((s) => [s.stage, s.outcome])).toEqual([
      ["request", "pass"],
      ["source", "pass"],
      ["signature", "pass"],
      ["sourceSchema", "pass"],
      ["mappingSelection", "pass"],
      ["mappingSchema", "pass"],
      ["dedup", "pass"],
      ["interaction", "pass"],
      ["delivery", "pass"],
      ["response", "pass"],
    ]);
    expect(stage(trace, "dedup").detail).toEqual({ idempotencyKey: "evt_1" });
    expect(stage(trace, "signature").detail).toEqual({ preset: "stripe", header: "stripe-signature", signedBy: "sandbox" });
    expect(JSON.stringify(trace)).not.toMatch(/"ms"|duration|elapsed/);
  });

  test("every flow reached and every condition seen both ways: no scan finding at all", () => {
    expect(scenarios.warnings).toEqual([]);
    expect(scenarios.errors.map((e) => e.code)).toEqual(Array(4).fill("golden-missing"));
  });
});

describe("signatures", () => {
  test("a forged signature is refused with the live 401, and expectSignature: invalid makes it no scan error", () => {
    expect(result("forged-signature")).toEqual({
      status: 401,
      body: { error: "Signature verification failed", eventId: "<id:1>" },
      interaction: null,
      deliveries: [],
    });
    expect(stage(scenarios.traces["forged-signature"], "signature")).toMatchObject({
      outcome: "fail",
      detail: { signedBy: "fixture", reason: "Signature verification failed" },
    });
    expect(scenarios.scans.findings.filter((f) => f.id === "signature-failed")).toEqual([]);
  });

  test("the same forged request without expectSignature is a scan error", async () => {
    const forged = JSON.parse(valid.get("fixtures/payment-succeeded.json")?.toString() ?? "{}");
    forged.headers["stripe-signature"] = `t=${FIXED_CLOCK_SECONDS},v1=${"ab".repeat(32)}`;
    const run = await evaluatePackage(withFiles(valid, { "fixtures/payment-succeeded.json": JSON.stringify(forged) }), {
      secrets: testSecrets,
    });
    expect(run.results["payment-succeeded"]?.status).toBe(401);
    expect(run.errors).toContainEqual(
      expect.objectContaining({ code: "signature-failed", file: "fixtures/payment-succeeded.json" }),
    );
    expect(run.evidence.status).toBe("draft");
  });

  test("a fixture signed by the stripe library at the fixed clock verifies as the fixture sent it", async () => {
    const body = { id: "evt_9", type: "payment_intent.succeeded", data: { object: { id: "pi_9", amount: 10, currency: "eur" } } };
    const files = withFiles(valid, {
      "fixtures/presigned.json": signedFixture(body, TEST_SECRETS.STRIPE_WEBHOOK_SECRET as string),
    });
    const run = await evaluatePackage(files, { secrets: testSecrets });
    expect(run.results.presigned?.status).toBe(200);
    expect(stage(run.traces.presigned, "signature").detail.signedBy).toBe("fixture");
    expect(run.errors.filter((e) => e.code === "signature-failed")).toEqual([]);
  });

  test("signed with another secret, or too long before receivedAt: refused, and a scan error", async () => {
    const body = { id: "evt_9", type: "payment_intent.succeeded", data: { object: { id: "pi_9", amount: 10, currency: "eur" } } };
    const files = withFiles(valid, {
      "fixtures/other-secret.json": signedFixture(body, "some-other-secret"),
      "fixtures/stale.json": signedFixture(body, TEST_SECRETS.STRIPE_WEBHOOK_SECRET as string, {}, FIXED_CLOCK_SECONDS - 3600),
    });
    const run = await evaluatePackage(files, { secrets: testSecrets });
    expect(run.results["other-secret"]?.body.error).toBe("Signature verification failed");
    expect(run.results.stale).toMatchObject({ status: 401, body: { error: "Event too old" } });
    expect(run.errors.filter((e) => e.code === "signature-failed").map((e) => e.file)).toEqual([
      "fixtures/other-secret.json",
      "fixtures/stale.json",
    ]);
  });

  test("the sandbox's own Stripe signature is exactly the stripe library's header", async () => {
    const check = checkPackage(valid);
    if (!check.ok) throw new Error("valid-stripe does not check");
    const sandbox = createSandbox(check.package, check.compiled, testSecrets);
    const fixtureBytes = valid.get("fixtures/payment-succeeded.json") as Buffer;
    const read = readFixture("fixtures/payment-succeeded.json", fixtureBytes, check.package.contract);
    if (!read.ok) throw new Error("fixture does not read");
    const run = await sandbox.run(read.fixture);
    expect(run.ran).toBe(true);
    // The header itself is redacted in every output; recompute what was sent.
    const expected = stripeSignature(
      Buffer.from(read.fixture.body).toString("utf8"),
      TEST_SECRETS.STRIPE_WEBHOOK_SECRET as string,
    );
    const { signFixtureRequest } = await import("./sign-fixture");
    const signed = signFixtureRequest(
      { preset: "stripe", secret: TEST_SECRETS.STRIPE_WEBHOOK_SECRET as string },
      read.fixture.body,
      FIXED_CLOCK_SECONDS * 1000,
      "",
    );
    expect(signed).toEqual({ "stripe-signature": expected });
  });

  test("expectSignature: invalid on a request that verifies is an error (the rejection case proves nothing)", async () => {
    const body = { id: "evt_9", type: "payment_intent.succeeded", data: { object: { id: "pi_9", amount: 10, currency: "eur" } } };
    const files = withFiles(valid, {
      "fixtures/not-rejected.json": signedFixture(body, TEST_SECRETS.STRIPE_WEBHOOK_SECRET as string, {
        expectSignature: "invalid",
      }),
    });
    const run = await evaluatePackage(files, { secrets: testSecrets });
    expect(run.errors).toContainEqual(
      expect.objectContaining({ code: "signature-not-rejected", file: "fixtures/not-rejected.json" }),
    );
  });
});

describe("secrets", () => {
  test("without the verification secret no fixture of the endpoint runs: secret-missing at the secretRef", async () => {
    const run = await evaluatePackage(valid, { secrets: () => undefined });
    expect(run.errors).toEqual([
      expect.objectContaining({
        code: "secret-missing",
        file: "provider-flow.yaml",
        line: 12,
        pointer: "/endpoints/0/verification/secretRef",
      }),
    ]);
    expect(run.results).toEqual({});
    expect(run.traces["payment-succeeded"]).toEqual([
      {
        stage: "request",
        outcome: "fail",
        detail: { endpoint: "payment-webhook", error: "secret-missing", secretRef: "STRIPE_WEBHOOK_SECRET" },
      },
    ]);
    expect(run.evidence.fixtures).toEqual([
      { name: "payment-succeeded", passed: false, diff: [], trace: run.traces["payment-succeeded"] },
    ]);
    expect(run.evidence.status).toBe("draft");
  });

  test("a Standard Webhooks signing secret that is not whsec_ base64 is an error at its secretRef (never echoed)", async () => {
    const files = withContractEdits(valid, [
      ["auth: { type: bearer, secretRef: DW_TOKEN }", "auth: { type: standard-webhooks, secretRef: DW_SIGNING }"],
    ]);
    const run = await evaluatePackage(files, { secrets: (r) => (r === "DW_SIGNING" ? "not a whsec secret!" : testSecrets(r)) });
    expect(run.errors.filter((e) => e.code === "secret-invalid")).toEqual([
      expect.objectContaining({
        code: "secret-invalid",
        file: "provider-flow.yaml",
        line: 19,
        pointer: "/targets/0/auth/secretRef",
      }),
    ]);
    expect(JSON.stringify(run)).not.toContain("not a whsec secret!");
    // The delivery is still recorded, signed with the sandbox's placeholder key.
    expect(run.results["payment-succeeded"]?.deliveries[0]?.headers["webhook-signature"]).toBe("[redacted]");
  });

  test("target secrets only reach redacted headers: results are the same with or without them", async () => {
    const files = withScenarios(valid);
    const onlyStripe = await evaluatePackage(files, {
      secrets: (ref) => (ref === "STRIPE_WEBHOOK_SECRET" ? TEST_SECRETS.STRIPE_WEBHOOK_SECRET : undefined),
    });
    expect(onlyStripe.results).toEqual(scenarios.results);
  });

  test("no secret value and no signature appears anywhere in an evaluation, even when a payload echoes one", async () => {
    const body = {
      id: "evt_9",
      type: "payment_intent.succeeded",
      data: { object: { id: "pi_9", amount: 10, currency: "eur", metadata: { user_id: TEST_SECRETS.DW_TOKEN } } },
    };
    const files = withFiles(withScenarios(valid), {
      "fixtures/echo.json": signedFixture(body, TEST_SECRETS.STRIPE_WEBHOOK_SECRET as string),
    });
    const run = await evaluatePackage(files, { secrets: testSecrets });
    expect(run.results.echo?.interaction?.object._userId).toBe("[redacted]");
    const everything = JSON.stringify(run);
    for (const secret of Object.values(TEST_SECRETS)) expect(everything).not.toContain(secret);
    const signature = stripeSignature(JSON.stringify(body), TEST_SECRETS.STRIPE_WEBHOOK_SECRET as string);
    const v1 = signature.split("v1=")[1] as string;
    expect(v1).toMatch(/^[0-9a-f]{64}$/);
    expect(everything).not.toContain(v1);
    expect(everything).toContain('"stripe-signature":"[redacted]"');
  });
});

describe("isolation and determinism", () => {
  test("each fixture gets a fresh store: the same event twice is processed twice, and order does not matter", async () => {
    const fixture = valid.get("fixtures/payment-succeeded.json") as Buffer;
    const files = withFiles(valid, { "fixtures/a-copy.json": fixture, "fixtures/z-copy.json": fixture });
    const run = await evaluatePackage(files, { secrets: testSecrets });
    const original = run.results["payment-succeeded"];
    expect(run.results["a-copy"]).toEqual(original);
    expect(run.results["z-copy"]).toEqual(original);
    expect(original?.body).not.toHaveProperty("duplicate");
  });

  test("receivedAt is the clock: a later receivedAt moves timestamps and the signature with it", async () => {
    const fixture = JSON.parse(valid.get("fixtures/payment-succeeded.json")?.toString() ?? "{}");
    fixture.receivedAt = "2026-06-30T12:00:00+02:00";
    const run = await evaluatePackage(withFiles(valid, { "fixtures/payment-succeeded.json": JSON.stringify(fixture) }), {
      secrets: testSecrets,
    });
    const r = run.results["payment-succeeded"];
    expect(r?.status).toBe(200);
    expect(r?.deliveries[0]?.headers["webhook-timestamp"]).toBe(String(Date.parse("2026-06-30T10:00:00Z") / 1000));
    expect(r?.deliveries[0]?.body).toMatchObject({ createdAt: "2026-06-30T10:00:00.000Z" });
  });

  test("a fixture whose body is a string is sent as exactly those bytes", async () => {
    const raw =
      '{ "id": "evt_1",\n  "type": "payment_intent.succeeded", "data": { "object": { "id": "pi_1", "amount": 1, "currency": "eur" } } }';
    const files = withFiles(valid, { "fixtures/payment-succeeded.json": JSON.stringify({ headers: {}, body: raw }) });
    const run = await evaluatePackage(files, { secrets: testSecrets });
    expect(run.results["payment-succeeded"]?.status).toBe(200);
    expect(stage(run.traces["payment-succeeded"], "request").detail.bodyBytes).toBe(Buffer.byteLength(raw));
    const notJson = withFiles(valid, { "fixtures/payment-succeeded.json": JSON.stringify({ headers: {}, body: "not json" }) });
    const bad = await evaluatePackage(notJson, { secrets: testSecrets });
    expect(bad.results["payment-succeeded"]?.body).toEqual({ error: "Invalid JSON body", eventId: "<id:1>" });
  });

  test("several endpoints: fixtures say which; the sandbox runs each through its own source", async () => {
    const twoEndpoints = withContractEdits(valid, [
      ["targets:\n", "  - name: other-webhook\n    verification: { preset: github, secretRef: GITHUB_SECRET }\n\ntargets:\n"],
      [
        "flows:\n",
        "flows:\n  - name: pushes\n    endpoint: other-webhook\n    target: data-warehouse\n    steps:\n      - map: { resourceType: push, action: pushed, resourceIdPath: after }\n",
      ],
    ]);
    const files = withFiles(twoEndpoints, {
      "fixtures/payment-succeeded.json": JSON.stringify({
        ...JSON.parse(valid.get("fixtures/payment-succeeded.json")?.toString() ?? "{}"),
        endpoint: "payment-webhook",
      }),
      "fixtures/push.json": JSON.stringify({ endpoint: "other-webhook", headers: {}, body: { after: "abc123" } }),
      "fixtures/no-endpoint.json": JSON.stringify({ headers: {}, body: {} }),
    });
    const run = await evaluatePackage(files, { secrets: (r) => (r === "GITHUB_SECRET" ? "gh-test-secret" : testSecrets(r)) });
    expect(run.results.push).toMatchObject({ status: 200, interaction: { resourceType: "push", resourceId: "abc123" } });
    expect(stage(run.traces.push, "signature").detail).toEqual({
      preset: "github",
      header: "x-hub-signature-256",
      signedBy: "sandbox",
    });
    expect(run.results["payment-succeeded"]?.status).toBe(200);
    expect(run.errors).toContainEqual(expect.objectContaining({ code: "fixture-invalid", file: "fixtures/no-endpoint.json" }));
  });
});
