// POST /api/mcp — the MCP server over Streamable HTTP (stateless), behind API tokens.
// The tools call the management API in-process: each becomes a request to the route
// handler of its operation with the caller's own token, so roles, validation and errors
// are exactly the API's.
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { operations } from "@/lib/api/operations";
import { declareRoute, MAX_API_BODY_BYTES, ORG_HEADER } from "@/lib/api/with-api";
import { bearerToken, principalFromToken } from "@/lib/auth/authenticate";
import { createMcpServer, type ApiCaller } from "@/lib/mcp/server.mjs";
import { TOOL_HANDLERS } from "./tool-handlers";

export const dynamic = "force-dynamic";

const unauthorized = () =>
  Response.json(
    { error: "Unauthorized" },
    { status: 401, headers: { "www-authenticate": 'Bearer realm="provenance"', "cache-control": "no-store" } },
  );

export const POST = declareRoute(operations.mcp, async (request: Request) => {
  // Only API tokens, checked before any MCP message is read (cookie sessions are the console's).
  const authorization = request.headers.get("authorization");
  const token = bearerToken(authorization);
  if (!token || !(await principalFromToken(token))) return unauthorized();

  const org = request.headers.get(ORG_HEADER);
  const call: ApiCaller = async ({ operation, method, path, params, query, body }) => {
    const handler = TOOL_HANDLERS[operation];
    if (!handler) throw new Error(`no handler for ${operation}`);
    const url = new URL(path, request.url);
    for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
    const headers = new Headers({ authorization: authorization!, accept: "application/json" });
    if (org !== null) headers.set(ORG_HEADER, org);
    if (body !== undefined) headers.set("content-type", "application/json");
    const res = await handler(
      new Request(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }),
      {
        params: Promise.resolve(params),
      },
    );
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };

  const server = createMcpServer(call);
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
    maxRequestBodySize: MAX_API_BODY_BYTES,
  });
  await server.connect(transport);
  try {
    const response = await transport.handleRequest(request);
    response.headers.set("cache-control", "no-store");
    return response;
  } finally {
    await server.close();
  }
});
