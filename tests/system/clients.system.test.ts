// The clients of ../shared/spec/clients.md against the built app: the TypeScript SDK (as
// built into sdk/typescript/dist and imported by its package name), the MCP server over
// both transports with the MCP SDK's own Client, and the Python and Java SDKs' own test
// suites (run with this app's URL and tokens; their counts are added to the CI total).
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import provenance, { ProvenanceError } from "@provenance/sdk";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ROOT, send, startSystem, stripeSignature, waitUntil, type System } from "./harness";

const SECRET = "whsec_clients_system_test";
const REPORTS = path.join(ROOT, "test-reports");

let sys: System;
let reviewerToken: string;

beforeAll(async () => {
  sys = await startSystem("clients");
  const reviewer = await sys.api<{ token: string }>("POST", "/api/v1/api-tokens", { name: "reviewer", role: "reviewer" });
  reviewerToken = reviewer.token;
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await sys?.close();
});

const unique = (prefix: string) => `${prefix}_${Math.random().toString(36).slice(2, 8)}`;

async function signedWebhook(mnemonic: string, event: { id: string; type: string; object: Record<string, unknown> }) {
  const body = JSON.stringify({ id: event.id, type: event.type, created: 1764000000, data: { object: event.object } });
  return send(sys.app.baseUrl, `/api/inbound/${sys.orgSlug}/by-mnemonic/${mnemonic}?sync=true`, body, {
    headers: { "stripe-signature": stripeSignature(body, SECRET) },
  });
}

type Outcome = { passed: number; failed: number; skipped: number; tests: { name: string; status: string; message?: string }[] };

/** Runs an SDK's own test command against this app; its report is kept for the CI total. */
async function runSuite(
  name: string,
  command: string,
  args: string[],
): Promise<{ outcome: Outcome | null; output: string; code: number | null }> {
  fs.mkdirSync(REPORTS, { recursive: true });
  const report = path.join(REPORTS, `sdk-${name}.json`);
  fs.rmSync(report, { force: true });
  const child = spawn(command, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      PROVENANCE_URL: sys.app.baseUrl,
      PROVENANCE_TOKEN: sys.token,
      PROVENANCE_TEST_REVIEWER_TOKEN: reviewerToken,
      PROVENANCE_TEST_ORG: sys.orgSlug,
      PROVENANCE_TEST_REPORT: report,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr.on("data", (c: Buffer) => (output += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  const outcome = fs.existsSync(report) ? (JSON.parse(fs.readFileSync(report, "utf8")) as Outcome) : null;
  return { outcome, output, code };
}

function expectSuitePassed(run: Awaited<ReturnType<typeof runSuite>>, atLeast: number) {
  const failures = (run.outcome?.tests ?? [])
    .filter((t) => t.status !== "passed")
    .map((t) => `${t.name}: ${t.status} ${t.message ?? ""}`);
  expect(run.outcome, run.output.slice(-4000)).not.toBeNull();
  expect(failures, run.output.slice(-4000)).toEqual([]);
  expect(run.outcome!.failed).toBe(0);
  expect(run.outcome!.skipped).toBe(0);
  expect(run.outcome!.passed).toBeGreaterThanOrEqual(atLeast);
  expect(run.code).toBe(0);
}

describe("TypeScript SDK (@provenance/sdk)", () => {
  it("runs the product document's snippet as written, configured from the environment", async () => {
    vi.stubEnv("PROVENANCE_URL", sys.app.baseUrl);
    vi.stubEnv("PROVENANCE_TOKEN", sys.token);
    const secret = SECRET;

    // Node.js / TypeScript SDK (../shared/seeds/inbound-pipeline.txt, "SDK support")
    const api = await provenance.api();

    // Sources
    const sources = await api.inboundSources.list();
    const source = await api.inboundSources.create({
      title: "Stripe",
      mnemonic: "STRIPE",
      verification: { preset: "stripe", secret },
    });

    // Mappings
    const mappings = await api.inboundMappings.list();
    const mapping = await api.inboundMappings.create({
      sourceId: source.id,
      resourceType: "payment",
      conditions: [{ path: "type", op: "eq", value: "payment_intent.succeeded" }],
      resourceIdPath: "data.object.id",
      action: "succeeded",
      idempotencyPath: "id",
      fieldMappings: { amount: "data.object.amount" },
    });

    // Test a mapping
    const result = await api.inboundMappings.test(mapping.id, {
      payload: { id: "evt_1", type: "payment_intent.succeeded", data: { object: { id: "pi_1", amount: 2000 } } },
    });

    expect(sources).toEqual({ data: expect.any(Array) });
    expect(source).toMatchObject({ title: "Stripe", mnemonic: "STRIPE", verification: { preset: "stripe" } });
    expect(JSON.stringify(source)).not.toContain(secret);
    expect(mappings.data).toEqual(expect.any(Array));
    expect(result.matched).toBe(true);
    expect(result.interaction).toMatchObject({
      resourceType: "payment",
      resourceId: "pi_1",
      action: "succeeded",
      idempotencyKey: "evt_1",
    });
    expect((await api.inboundMappings.list({ sourceId: source.id })).data.map((m) => m.id)).toEqual([mapping.id]);
  });

  it("covers events, interactions, targets, routes, deliveries, tokens and secrets, with paging", async () => {
    const api = await provenance.api({ url: sys.app.baseUrl, token: sys.token });
    const mnemonic = unique("ts");
    const source = await api.inboundSources.create({ title: "TS", mnemonic, verification: { preset: "stripe", secret: SECRET } });
    const updated = await api.inboundSources.update(source.id, { title: "TS renamed" });
    expect(updated.title).toBe("TS renamed");
    expect((await api.inboundSources.get(source.id)).title).toBe("TS renamed");
    const mapping = await api.inboundMappings.create({
      sourceId: source.id,
      resourceType: "order",
      resourceIdPath: "data.object.id",
      action: "paid",
      idempotencyPath: "id",
    });
    expect((await api.inboundMappings.update(mapping.id, { priority: 5 })).priority).toBe(5);

    // A target that refuses everything: deliveries end up failed/dead, which retryMany picks up.
    const target = await api.targets.create({
      name: unique("t"),
      url: `${sys.app.baseUrl}/api/health-nothing-here`,
      retry: { maxAttempts: 1 },
    });
    expect(target.signingSecret).toMatch(/^whsec_/);
    expect((await api.targets.get(target.id)).id).toBe(target.id);
    const rotated = await api.targets.rotateSecret(target.id);
    expect(rotated.signingSecret).not.toBe(target.signingSecret);
    const route = await api.routes.create({ mappingId: mapping.id, targetId: target.id });
    expect((await api.routes.list({ targetId: target.id })).data.map((r) => r.id)).toEqual([route.id]);

    for (let i = 0; i < 3; i += 1) {
      const answer = await signedWebhook(mnemonic, { id: `evt_ts_${i}`, type: "charge", object: { id: `ord_${i}` } });
      expect(answer.status, answer.text).toBe(200);
    }
    const page = await api.events.list({ sourceId: source.id, limit: 1 });
    expect(page.data).toHaveLength(1);
    expect(page.nextCursor).toEqual(expect.any(String));
    const all = [];
    for await (const e of api.events.iterate({ sourceId: source.id, limit: 1 })) all.push(e.id);
    expect(new Set(all).size).toBe(3);
    const event = await api.events.get(all[0]!);
    expect(event.id).toBe(all[0]);
    const replay = await api.events.replay(all[0]!);
    expect(replay).toMatchObject({ queued: true, eventId: expect.any(String) });
    expect(replay.eventId).not.toBe(all[0]);

    const interactions = [];
    for await (const it of api.interactions.iterate({ sourceId: source.id, limit: 2 })) interactions.push(it);
    expect(interactions.map((i) => i.resourceId).sort()).toEqual(["ord_0", "ord_1", "ord_2"]);
    expect((await api.interactions.get(interactions[0]!.id)).id).toBe(interactions[0]!.id);

    // The target answers 404: each delivery fails its one attempt and is dead.
    await waitUntil("three dead deliveries", 30_000, async () => {
      const dead = await api.deliveries.list({ targetId: target.id, status: "dead" });
      return [dead.data.length >= 3, `${dead.data.length} dead`];
    });
    const deliveries = await api.deliveries.list({ targetId: target.id });
    expect((await api.deliveries.get(deliveries.data[0]!.id)).targetId).toBe(target.id);
    const bulk = await api.deliveries.retryMany({ status: "dead", targetId: target.id });
    expect(bulk.queued).toBeGreaterThanOrEqual(3);

    const token = await api.apiTokens.create({ name: unique("tok"), role: "reviewer" });
    expect(token.token).toMatch(/^prv_/);
    expect((await api.apiTokens.list()).data.map((t) => t.id)).toContain(token.id);
    await api.apiTokens.delete(token.id);
    expect((await api.apiTokens.list()).data.map((t) => t.id)).not.toContain(token.id);

    const secret = await api.secrets.put("CLIENTS_TEST_SECRET", { value: "s3cr3t-value" });
    expect(secret.name).toBe("CLIENTS_TEST_SECRET");
    expect(JSON.stringify(await api.secrets.list())).not.toContain("s3cr3t-value");
    await api.secrets.delete("CLIENTS_TEST_SECRET");
    expect((await api.flowVersions.list()).data).toEqual(expect.any(Array));

    await api.routes.delete(route.id);
    await api.targets.delete(target.id);
    await api.inboundMappings.delete(mapping.id);
    await api.inboundSources.delete(source.id);
    await expect(api.inboundSources.get(source.id)).rejects.toMatchObject({ status: 404, body: { error: "Not found" } });
  });

  it("raises ProvenanceError with status and body: 400 with details, 403 for a reviewer's write", async () => {
    const api = await provenance.api({ url: sys.app.baseUrl, token: sys.token });
    const bad = await api.inboundSources.create({ title: "", mnemonic: "no spaces" }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ProvenanceError);
    expect(bad).toMatchObject({ status: 400, body: { error: "Validation failed" } });
    expect((bad as ProvenanceError).body!.details!.map((d) => d.path)).toEqual(expect.arrayContaining(["/title", "/mnemonic"]));
    expect((bad as Error).message).toBe("inboundSources.create failed: 400 Validation failed");

    const reviewer = await provenance.api({ url: sys.app.baseUrl, token: reviewerToken });
    expect((await reviewer.inboundSources.list()).data).toEqual(expect.any(Array));
    const refused = await reviewer.inboundSources.create({ title: "R", mnemonic: unique("r") }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 403, body: { error: "Forbidden" } });
    expect(String((refused as Error).message)).not.toContain(reviewerToken);

    const wrongOrg = await provenance.api({ url: sys.app.baseUrl, token: sys.token, org: "someone-else" });
    await expect(wrongOrg.inboundSources.list()).rejects.toMatchObject({ status: 403 });
  });
});

describe("MCP server", () => {
  async function httpClient(token: string) {
    const client = new Client({ name: "clients-system-test", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${sys.app.baseUrl}/api/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    return client;
  }

  const text = (r: unknown) => JSON.parse((r as { content: { text: string }[] }).content[0]!.text) as Record<string, unknown>;

  it("refuses a request without a valid token with 401 before reading any message", async () => {
    for (const authorization of [undefined, "Bearer prv_not_a_real_token", "Basic abc"]) {
      const res = await fetch(`${sys.app.baseUrl}/api/mcp`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          ...(authorization ? { authorization } : {}),
        },
        body: "this is not even JSON",
      });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: "Unauthorized" });
    }
  });

  it("over Streamable HTTP: lists the ten tools and what_if_mapping, and calls each one with the API's answers", async () => {
    const client = await httpClient(sys.token);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(
        [
          "create_inbound_mapping",
          "create_inbound_source",
          "get_deliveries",
          "get_events",
          "get_inbound_mappings",
          "get_inbound_sources",
          "get_interactions",
          "replay_event",
          "retry_delivery",
          "test_inbound_mapping",
          "what_if_mapping",
        ].sort(),
      );
      const mnemonic = unique("mcp");
      const source = await client.callTool({
        name: "create_inbound_source",
        arguments: { title: "MCP", mnemonic, verification: { preset: "stripe", secret: SECRET } },
      });
      expect(source.isError).toBeFalsy();
      const sourceId = (source.structuredContent as { id: string }).id;
      expect(text(source)).toMatchObject({ id: sourceId, mnemonic });
      expect(JSON.stringify(source)).not.toContain(SECRET);
      expect(
        (
          (await client.callTool({ name: "get_inbound_sources", arguments: {} })).structuredContent as { data: { id: string }[] }
        ).data.map((s) => s.id),
      ).toContain(sourceId);

      const mapping = await client.callTool({
        name: "create_inbound_mapping",
        arguments: { sourceId, resourceType: "payment", resourceIdPath: "data.object.id", action: "paid", idempotencyPath: "id" },
      });
      const mappingId = (mapping.structuredContent as { id: string }).id;
      const listed = await client.callTool({ name: "get_inbound_mappings", arguments: { sourceId } });
      expect((listed.structuredContent as { data: { id: string }[] }).data.map((m) => m.id)).toEqual([mappingId]);
      const tested = await client.callTool({
        name: "test_inbound_mapping",
        arguments: { mappingId, payload: { id: "evt_m", data: { object: { id: "pay_1" } } } },
      });
      expect(tested.structuredContent).toMatchObject({ matched: true, interaction: { resourceId: "pay_1", action: "paid" } });

      expect((await signedWebhook(mnemonic, { id: "evt_mcp_1", type: "x", object: { id: "pay_2" } })).status).toBe(200);
      const events = (await client.callTool({ name: "get_events", arguments: { sourceId, limit: 5 } })).structuredContent as {
        data: { id: string }[];
        nextCursor: unknown;
      };
      expect(events.data).toHaveLength(1);
      expect(events).toHaveProperty("nextCursor");
      const replayed = await client.callTool({ name: "replay_event", arguments: { eventId: events.data[0]!.id } });
      expect(replayed.structuredContent).toMatchObject({ queued: true });
      // A draft keyed on the payload's type: the stored event would change its action, nothing written.
      const whatIf = await client.callTool({ name: "what_if_mapping", arguments: { mappingId, draft: { actionPath: "type" } } });
      expect(whatIf.structuredContent).toMatchObject({ summary: { events: 2, changeFields: 2 } });
      const interactions = (await client.callTool({ name: "get_interactions", arguments: { sourceId } })).structuredContent as {
        data: { resourceId: string }[];
      };
      expect(interactions.data.map((i) => i.resourceId)).toContain("pay_2");
      const deliveries = await client.callTool({ name: "get_deliveries", arguments: { status: "dead", limit: 10 } });
      expect(deliveries.structuredContent).toMatchObject({ data: expect.any(Array) });

      // An API error is a tool result: a delivery that does not exist.
      const missing = await client.callTool({
        name: "retry_delivery",
        arguments: { deliveryId: "00000000-0000-4000-8000-000000000000" },
      });
      expect(missing.isError).toBe(true);
      expect(text(missing)).toEqual({ error: "Not found" });

      // An invalid argument is named.
      const invalid = await client.callTool({ name: "get_events", arguments: { status: "exploded" } });
      expect(invalid.isError).toBe(true);
      expect((text(invalid).details as { path: string }[]).map((d) => d.path)).toEqual(["/status"]);
    } finally {
      await client.close();
    }
  });

  it("applies the API's roles: a reviewer reads but is refused create_inbound_source", async () => {
    const client = await httpClient(reviewerToken);
    try {
      expect((await client.callTool({ name: "get_inbound_sources", arguments: {} })).isError).toBeFalsy();
      const refused = await client.callTool({
        name: "create_inbound_source",
        arguments: { title: "No", mnemonic: unique("no") },
      });
      expect(refused.isError).toBe(true);
      expect(text(refused)).toEqual({ error: "Forbidden" });
    } finally {
      await client.close();
    }
  });

  it("over stdio: `npx provenance-mcp` lists and calls the tools against the running app", async () => {
    const client = new Client({ name: "clients-system-test", version: "1.0.0" });
    const transport = new StdioClientTransport({
      command: "npx",
      args: ["--no-install", "provenance-mcp"],
      cwd: ROOT,
      env: { ...(process.env as Record<string, string>), PROVENANCE_URL: sys.app.baseUrl, PROVENANCE_TOKEN: reviewerToken },
      stderr: "pipe",
    });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      expect(tools).toHaveLength(11);
      const get = tools.find((t) => t.name === "get_events")!;
      expect(get.annotations).toMatchObject({ readOnlyHint: true });
      expect(Object.keys(get.inputSchema.properties ?? {})).toEqual(
        expect.arrayContaining(["sourceId", "status", "limit", "cursor"]),
      );
      const sources = await client.callTool({ name: "get_inbound_sources", arguments: {} });
      expect((sources.structuredContent as { data: unknown[] }).data.length).toBeGreaterThan(0);
      const refused = await client.callTool({
        name: "create_inbound_source",
        arguments: { title: "No", mnemonic: unique("no") },
      });
      expect(refused).toMatchObject({ isError: true, content: [{ type: "text", text: '{"error":"Forbidden"}' }] });
    } finally {
      await client.close();
    }
  });
});

describe("Python and Java SDKs, their own suites against this app", () => {
  it("Python: python3 sdk/python/tests/run.py passes, seed snippet included", { timeout: 300_000 }, async () => {
    expectSuitePassed(await runSuite("python", "python3", ["sdk/python/tests/run.py"]), 13);
  });

  it(
    "Java: bash sdk/java/build.sh test builds with the JDK alone and passes, seed snippet included",
    { timeout: 300_000 },
    async () => {
      expectSuitePassed(await runSuite("java", "bash", ["sdk/java/build.sh", "test"]), 17);
    },
  );
});
