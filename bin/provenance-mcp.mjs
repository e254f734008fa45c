#!/usr/bin/env node
// @ts-check
// `npx provenance-mcp`: the Provenance MCP server over stdio, for MCP clients that start
// a local process (Claude Desktop, Cursor, the MCP inspector). It calls the management API
// of a running Provenance over HTTP: PROVENANCE_URL (e.g. http://localhost:3000) and
// PROVENANCE_TOKEN (an API token; its role limits what the tools may do), optional
// PROVENANCE_ORG. stdout carries MCP messages only; anything else goes to stderr.
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { createMcpServer, httpCaller } from "../lib/mcp/server.mjs";

const url = process.env.PROVENANCE_URL;
const token = process.env.PROVENANCE_TOKEN;
const missing = [
  !url && "PROVENANCE_URL (e.g. http://localhost:3000)",
  !token && "PROVENANCE_TOKEN (an API token, prv_…)",
].filter(Boolean);
if (missing.length > 0) {
  process.stderr.write(`provenance-mcp: set ${missing.join(" and ")}\n`);
  process.exit(1);
}
try {
  const parsed = new URL(/** @type {string} */ (url));
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error("not http");
} catch {
  process.stderr.write("provenance-mcp: PROVENANCE_URL must be an http(s) URL\n");
  process.exit(1);
}

const server = createMcpServer(
  httpCaller({
    url: /** @type {string} */ (url),
    token: /** @type {string} */ (token),
    org: process.env.PROVENANCE_ORG || undefined,
  }),
);
await server.connect(new StdioServerTransport());
process.stderr.write(`provenance-mcp: serving ${url} over stdio\n`);
