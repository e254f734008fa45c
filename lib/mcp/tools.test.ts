// The MCP tools: the generated manifest is current, the ten tools of clients.md are there
// with schemas from the operation table, and a tool call becomes the right API request.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TOOL_HANDLERS } from "@/app/api/mcp/tool-handlers";
import { operations } from "@/lib/api/operations";
import { OPERATION, type DeclaredHandler, type RouteHandler } from "@/lib/api/with-api";
import { callTool, listTools, type ApiRequest } from "./server.mjs";
import { toolManifestModule } from "./tool-specs";
import { TOOLS } from "./tools.gen.mjs";

const FILE = path.resolve(import.meta.dirname, "tools.gen.mjs");
const NAMES = [
  "get_inbound_sources",
  "create_inbound_source",
  "get_inbound_mappings",
  "create_inbound_mapping",
  "test_inbound_mapping",
  "what_if_mapping",
  "get_events",
  "replay_event",
  "get_interactions",
  "get_deliveries",
  "retry_delivery",
];

function recorder(status = 200, body: unknown = { ok: true }) {
  const requests: ApiRequest[] = [];
  return { requests, call: async (r: ApiRequest) => (requests.push(r), { status, body }) };
}

describe("the MCP tools", () => {
  it("tools.gen.mjs is what the operation table gives today", () => {
    const text = toolManifestModule();
    if (process.env.UPDATE_MCP_TOOLS === "1") fs.writeFileSync(FILE, text);
    expect(fs.readFileSync(FILE, "utf8"), "run UPDATE_MCP_TOOLS=1 npx vitest run --project unit lib/mcp/tools.test.ts").toBe(
      text,
    );
  });

  it("are the ten of the spec and what_if_mapping, each with a description, a schema and hints", () => {
    const tools = listTools();
    expect(tools.map((t) => t.name)).toEqual(NAMES);
    for (const t of tools) {
      expect(t.description.length, t.name).toBeGreaterThan(60);
      expect(t.inputSchema.type, t.name).toBe("object");
      expect(t.annotations, t.name).toHaveProperty("readOnlyHint");
    }
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    expect(byName.get_events!.annotations.readOnlyHint).toBe(true);
    expect(byName.replay_event!.annotations.readOnlyHint).toBe(false);
    // The create tools take the API's own body schema: its required fields and properties.
    const sourceProps = Object.keys((byName.create_inbound_source!.inputSchema as { properties: object }).properties);
    expect(sourceProps).toEqual(expect.arrayContaining(["title", "mnemonic", "verification"]));
    expect(Object.keys((byName.test_inbound_mapping!.inputSchema as { properties: object }).properties)).toEqual([
      "mappingId",
      "payload",
      "headers",
      "query",
    ]);
    expect(Object.keys((byName.what_if_mapping!.inputSchema as { properties: object }).properties)).toEqual(["mappingId", "draft", "limit"]);
  });

  it("turns a call into the operation's request: path ids, query or body", async () => {
    const r = recorder();
    await callTool(r.call, "test_inbound_mapping", { mappingId: "0b0b7a6e-8f5e-4a57-9d0e-3c3c3c3c3c3c", payload: { a: 1 } });
    await callTool(r.call, "get_events", { status: "failed", limit: 5 });
    await callTool(r.call, "replay_event", { eventId: "0b0b7a6e-8f5e-4a57-9d0e-3c3c3c3c3c3c" });
    expect(r.requests).toEqual([
      {
        operation: "testInboundMapping",
        method: "POST",
        path: "/api/v1/inbound-mappings/0b0b7a6e-8f5e-4a57-9d0e-3c3c3c3c3c3c/test",
        params: { id: "0b0b7a6e-8f5e-4a57-9d0e-3c3c3c3c3c3c" },
        body: { payload: { a: 1 } },
      },
      { operation: "listEvents", method: "GET", path: "/api/v1/events", params: {}, query: { status: "failed", limit: "5" } },
      {
        operation: "replayEvent",
        method: "POST",
        path: "/api/v1/events/0b0b7a6e-8f5e-4a57-9d0e-3c3c3c3c3c3c/replay",
        params: { id: "0b0b7a6e-8f5e-4a57-9d0e-3c3c3c3c3c3c" },
      },
    ]);
    expect(operations.testInboundMapping.path).toBe("/api/v1/inbound-mappings/{id}/test");
  });

  it("names a bad argument and sends nothing", async () => {
    const r = recorder();
    const res = await callTool(r.call, "replay_event", { eventId: "not-a-uuid", extra: 1 });
    expect(res.isError).toBe(true);
    const body = JSON.parse(res.content[0]!.text) as { error: string; details: { path: string }[] };
    expect(body.error).toBe("Invalid arguments");
    expect(body.details.map((d) => d.path).sort()).toEqual(["/eventId", "/extra"]);
    const missing = JSON.parse((await callTool(r.call, "create_inbound_source", { mnemonic: "X" })).content[0]!.text) as {
      details: { path: string }[];
    };
    expect(missing.details.map((d) => d.path)).toContain("/title");
    expect(r.requests).toEqual([]);
  });

  it("answers an API error as isError with the API's JSON, and a success as structuredContent", async () => {
    const refused = await callTool(recorder(403, { error: "Forbidden" }).call, "get_inbound_sources", {});
    expect(refused).toEqual({ content: [{ type: "text", text: '{"error":"Forbidden"}' }], isError: true });
    const ok = await callTool(recorder(200, { data: [] }).call, "get_inbound_sources", {});
    expect(ok).toEqual({ content: [{ type: "text", text: '{"data":[]}' }], structuredContent: { data: [] } });
  });
});

describe("the /api/mcp route's handlers", () => {
  it("has, for each tool, the route handler built from that tool's operation", async () => {
    for (const tool of TOOLS) {
      const handler = TOOL_HANDLERS[tool.call.operation] as DeclaredHandler<RouteHandler> | undefined;
      expect(handler ? handler[OPERATION].id : "no handler", tool.name).toBe(tool.call.operation);
    }
    expect(Object.keys(TOOL_HANDLERS).sort()).toEqual(TOOLS.map((t) => t.call.operation).sort());
  });
});
