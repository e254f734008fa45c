// Types of server.mjs (plain JavaScript so `npx provenance-mcp` runs without a build).
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";

export type ApiRequest = {
  operation: string;
  method: string;
  path: string;
  params: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
};
export type ApiCaller = (request: ApiRequest) => Promise<{ status: number; body: unknown }>;
export type ToolResult = {
  content: { type: "text"; text: string }[];
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
};

export declare const SERVER_INFO: { name: string; title: string; version: string };
export declare function listTools(): {
  name: string;
  title: string;
  description: string;
  inputSchema: Record<string, unknown>;
  annotations: Record<string, unknown>;
}[];
export declare function callTool(call: ApiCaller, name: string, args?: Record<string, unknown>): Promise<ToolResult>;
export declare function createMcpServer(call: ApiCaller): Server;
export declare function httpCaller(options: {
  url: string;
  token: string;
  org?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}): ApiCaller;
