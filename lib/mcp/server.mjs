// @ts-check
// The MCP server's one implementation, shared by both transports: the app's Streamable
// HTTP endpoint (app/api/mcp/route.ts, calling the API in-process with the caller's
// token) and `npx provenance-mcp` over stdio (bin/provenance-mcp.mjs, calling a running
// app over HTTP). Plain JavaScript so the stdio server runs without a build step; the
// tools come from tools.gen.mjs, generated from the operation table's schemas.
//
// A tool call is checked against the tool's input schema first (a bad argument is named
// by its JSON Pointer), then becomes one API request with the caller's own token, so the
// API's role checks, validation and errors apply unchanged. An API error is a tool
// result with isError and the API's JSON error as its text.
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError } from "@modelcontextprotocol/sdk/types.js";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { TOOLS } from "./tools.gen.mjs";

export const SERVER_INFO = { name: "provenance", title: "Provenance", version: "1.0.0" };

const INSTRUCTIONS =
  "Provenance receives webhooks from providers (Stripe, GitHub, Shopify, Slack, Standard Webhooks) at inbound sources, " +
  "maps them into interactions with mappings, and delivers interactions to targets. Start with get_inbound_sources; " +
  "check a mapping with test_inbound_mapping before relying on it and a change to one with what_if_mapping; find problems with get_events (status failed) and " +
  "get_deliveries (status dead), and fix them with replay_event / retry_delivery. Writes need an operator or admin token.";

const ajv = new Ajv2020({ allErrors: true, strict: false });
/** @type {(ajv: Ajv2020) => void} */
const applyFormats = /** @type {any} */ (addFormats).default ?? addFormats;
applyFormats(ajv);

/** @typedef {{ operation: string, method: string, path: string, params: Record<string, string>, query?: Record<string, string>, body?: unknown }} ApiRequest */
/** @typedef {(request: ApiRequest) => Promise<{ status: number, body: unknown }>} ApiCaller */

const tools = TOOLS.map((tool) => ({ ...tool, validate: ajv.compile(tool.inputSchema) }));
const byName = new Map(tools.map((t) => [t.name, t]));

/** What tools/list answers: the manifest without the call mapping. */
export function listTools() {
  return tools.map(({ name, title, description, inputSchema, annotations }) => ({
    name,
    title,
    description,
    inputSchema,
    annotations,
  }));
}

/** @param {string} text @param {boolean} isError @param {unknown} [structured] */
function result(text, isError, structured) {
  /** @type {{ content: { type: "text", text: string }[], isError?: boolean, structuredContent?: Record<string, unknown> }} */
  const out = { content: [{ type: "text", text }] };
  if (isError) out.isError = true;
  if (structured && typeof structured === "object" && !Array.isArray(structured))
    out.structuredContent = /** @type {Record<string, unknown>} */ (structured);
  return out;
}

/**
 * @param {import("ajv").ErrorObject[]} errors
 * @returns {{ path: string, message: string }[]}
 */
function details(errors) {
  /** @type {Map<string, string>} */
  const byPath = new Map(); // the first problem of each argument (a bad uuid fails its format and its pattern)
  for (const e of errors) {
    const path =
      e.keyword === "required"
        ? `${e.instancePath}/${e.params.missingProperty}`
        : e.keyword === "additionalProperties"
          ? `${e.instancePath}/${e.params.additionalProperty}`
          : e.instancePath;
    const message =
      e.keyword === "required"
        ? "is required"
        : e.keyword === "additionalProperties"
          ? "is not an argument of this tool"
          : (e.message ?? "is invalid");
    if (!byPath.has(path)) byPath.set(path, message);
  }
  return [...byPath].slice(0, 20).map(([path, message]) => ({ path, message }));
}

/**
 * Runs one tool: arguments checked, then one API request through `call`.
 * @param {ApiCaller} call
 * @param {string} name
 * @param {Record<string, unknown> | undefined} args
 */
export async function callTool(call, name, args = {}) {
  const tool = byName.get(name);
  if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
  if (!tool.validate(args)) {
    return result(JSON.stringify({ error: "Invalid arguments", details: details(tool.validate.errors ?? []) }), true);
  }
  const rest = { ...args };
  const pathArgs = /** @type {Record<string, string>} */ (tool.call.pathArgs);
  let path = tool.call.path;
  /** @type {Record<string, string>} */
  const params = {};
  for (const [arg, param] of Object.entries(pathArgs)) {
    params[param] = String(args[arg]);
    path = path.replace(`{${param}}`, encodeURIComponent(params[param]));
    delete rest[arg];
  }
  /** @type {ApiRequest} */
  const request = { operation: tool.call.operation, method: tool.call.method, path, params };
  if (tool.call.rest === "query") {
    request.query = Object.fromEntries(
      Object.entries(rest)
        .filter(([, v]) => v !== undefined && v !== null)
        .map(([k, v]) => [k, String(v)]),
    );
  } else if (tool.call.rest === "body") {
    request.body = rest;
  }
  let answer;
  try {
    answer = await call(request);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return result(JSON.stringify({ error: "Provenance could not be reached", reason }), true);
  }
  const text = answer.body === undefined ? "" : JSON.stringify(answer.body);
  if (answer.status >= 400) return result(text || JSON.stringify({ error: `HTTP ${answer.status}` }), true);
  return result(text, false, answer.body);
}

/**
 * A new MCP server whose tools call the API through `call`.
 * @param {ApiCaller} call
 */
export function createMcpServer(call) {
  const server = new Server(SERVER_INFO, { capabilities: { tools: {} }, instructions: INSTRUCTIONS });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: listTools() }));
  server.setRequestHandler(CallToolRequestSchema, async (request) =>
    callTool(call, request.params.name, request.params.arguments),
  );
  return server;
}

/**
 * An ApiCaller over HTTP: the API of the app at `url`, with `token`.
 * @param {{ url: string, token: string, org?: string, timeoutMs?: number, fetch?: typeof fetch }} options
 * @returns {ApiCaller}
 */
export function httpCaller({ url, token, org, timeoutMs = 30_000, fetch: fetchImpl = globalThis.fetch }) {
  const base = url.replace(/\/+$/, "");
  return async ({ method, path, query, body }) => {
    const search = query && Object.keys(query).length > 0 ? `?${new URLSearchParams(query)}` : "";
    /** @type {Record<string, string>} */
    const headers = {
      accept: "application/json",
      authorization: `Bearer ${token}`,
      "user-agent": `provenance-mcp/${SERVER_INFO.version}`,
    };
    if (org) headers["x-provenance-org"] = org;
    if (body !== undefined) headers["content-type"] = "application/json";
    let res;
    try {
      res = await fetchImpl(`${base}${path}${search}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: "manual",
      });
    } catch (error) {
      // Never the token: only the URL and the cause.
      const cause =
        error instanceof Error && error.cause instanceof Error
          ? error.cause.message
          : error instanceof Error
            ? error.message
            : String(error);
      throw new Error(`${method} ${base}${path}: ${cause}`);
    }
    const text = await res.text();
    let parsed;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = { error: `HTTP ${res.status}`, text: text.slice(0, 200) };
    }
    return { status: res.status, body: parsed };
  };
}
