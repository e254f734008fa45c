// The MCP tools (../shared/spec/clients.md, "MCP server"): each is one operation of the
// table (lib/api/operations.ts), its input schema built from the zod schemas that validate
// that operation's request (body, query, path ids). `toolManifest()` turns them into plain
// JSON (lib/mcp/tools.gen.mjs, checked by lib/mcp/tools.test.ts) that the MCP server reads
// at run time: the stdio server (`npx provenance-mcp`) runs from it without TypeScript,
// and the app's /api/mcp uses the same file, so the two cannot differ.
import { z } from "zod";
import { operations, pathParamNames, type OperationId } from "@/lib/api/operations";
import { Uuid } from "@/lib/schemas/common";

type ToolSpec = {
  name: string;
  title: string;
  description: string;
  operation: OperationId;
  /** Tool arguments that fill the operation's path parameters: argument → path parameter. */
  pathArgs?: Record<string, string>;
  /** Where the remaining arguments go. */
  rest: "query" | "body" | "none";
  /** The arguments: path ids plus the operation's query or body schema. */
  input: z.ZodObject<z.ZodRawShape>;
};

const idArg = (what: string) => Uuid.meta({ description: `The ${what}'s id (a uuid, as returned by the list tools)` });

function withPath(args: Record<string, z.ZodType>, rest?: z.ZodType): z.ZodObject<z.ZodRawShape> {
  const base = z.object(args);
  if (!rest) return base.strict();
  if (!(rest instanceof z.ZodObject)) throw new Error("an MCP tool's body schema must be an object");
  return base.extend(rest.shape);
}

/** Pages: every list tool answers `{ data, nextCursor }`; pass nextCursor back as cursor for the next page. */
const PAGING = "Answers { data, nextCursor } newest first; pass nextCursor as cursor for the next page (null: no more).";

export const TOOL_SPECS: readonly ToolSpec[] = [
  {
    name: "get_inbound_sources",
    title: "List inbound sources",
    description:
      "List the org's inbound sources (where providers such as Stripe or GitHub send webhooks): id, title, mnemonic, inbound URL, signature verification (secrets are never shown) and payload schema. Answers { data: [Source] }.",
    operation: "listInboundSources",
    rest: "none",
    input: z.object({}).strict(),
  },
  {
    name: "create_inbound_source",
    title: "Create an inbound source",
    description:
      "Create an inbound source: a URL a provider posts webhooks to. Give a title and a unique mnemonic (letters, digits, - and _); set verification (a preset such as stripe, github, shopify, slack or standard-webhooks, with the signing secret) so forged requests are refused. Answers the created Source with its inbound URL. Needs the operator or admin role.",
    operation: "createInboundSource",
    rest: "body",
    input: operations.createInboundSource.body as z.ZodObject<z.ZodRawShape>,
  },
  {
    name: "get_inbound_mappings",
    title: "List inbound mappings",
    description:
      "List mappings (how a source's webhook payloads become interactions: conditions, resourceType, resourceIdPath, actionPath, fields), highest priority first; give sourceId for one source's. Answers { data: [Mapping] }.",
    operation: "listInboundMappings",
    rest: "query",
    input: operations.listInboundMappings.query,
  },
  {
    name: "create_inbound_mapping",
    title: "Create an inbound mapping",
    description:
      "Create a mapping on a source: conditions that select it (all must pass), the resourceType, JSON paths to the resource id, action and idempotency key, and the fields to copy into the interaction. Test it with test_inbound_mapping before relying on it. Answers the created Mapping. Needs the operator or admin role.",
    operation: "createInboundMapping",
    rest: "body",
    input: operations.createInboundMapping.body as z.ZodObject<z.ZodRawShape>,
  },
  {
    name: "test_inbound_mapping",
    title: "Dry-run a mapping",
    description:
      "Dry-run a mapping against a sample payload without writing anything: whether its conditions match, schema errors, and the interaction it would produce (resourceType, resourceId, action, idempotencyKey, object). Use it to check a mapping before sending real webhooks.",
    operation: "testInboundMapping",
    pathArgs: { mappingId: "id" },
    rest: "body",
    input: withPath({ mappingId: idArg("mapping") }, operations.testInboundMapping.body),
  },
  {
    name: "what_if_mapping",
    title: "What-if replay of a mapping change",
    description:
      "Before changing a mapping, run the draft over the source's newest stored events (limit, default 200, at most 5000) beside today's mappings, writing nothing. Answers a summary (e.g. \"37 events change mapping, 4 start failing\") and each changed event: the mapping chosen today and with the draft, the outcome, and the interaction fields and dedup that change. draft is a PATCH of the mapping (omitted fields kept).",
    operation: "whatIfMapping",
    pathArgs: { mappingId: "id" },
    rest: "body",
    input: withPath({ mappingId: idArg("mapping") }, operations.whatIfMapping.body),
  },
  {
    name: "get_events",
    title: "List inbound events",
    description: `List the webhook requests sources received, newest first, with each one's status (queued, processed, failed, …) and stages; filter by sourceId and status (e.g. failed to find problems). ${PAGING}`,
    operation: "listEvents",
    rest: "query",
    input: operations.listEvents.query,
  },
  {
    name: "replay_event",
    title: "Replay an event",
    description:
      "Replay a stored event: a new event (replayOf the original) runs mapping selection, schema, dedup and interaction again with today's mappings. Use after fixing a mapping for a failed event. Answers { queued, eventId } (the new event). Needs the operator or admin role.",
    operation: "replayEvent",
    pathArgs: { eventId: "id" },
    rest: "none",
    input: withPath({ eventId: idArg("event") }),
  },
  {
    name: "get_interactions",
    title: "List interactions",
    description: `List interactions (the business events the pipeline produced from webhooks, deduplicated), newest first; filter by sourceId, resourceType and action. ${PAGING}`,
    operation: "listInteractions",
    rest: "query",
    input: operations.listInteractions.query,
  },
  {
    name: "get_deliveries",
    title: "List deliveries",
    description: `List deliveries of interactions to targets, newest first, with status (pending, delivered, failed, dead) and attempts; filter by status, targetId or interactionId. ${PAGING}`,
    operation: "listDeliveries",
    rest: "query",
    input: operations.listDeliveries.query,
  },
  {
    name: "retry_delivery",
    title: "Retry a delivery",
    description:
      "Retry a failed or dead delivery now with a fresh attempt budget (earlier attempts are kept). Answers { queued, deliveryId }. Needs the operator or admin role.",
    operation: "retryDelivery",
    pathArgs: { deliveryId: "id" },
    rest: "none",
    input: withPath({ deliveryId: idArg("delivery") }),
  },
];

export type ToolManifestEntry = {
  name: string;
  title: string;
  description: string;
  inputSchema: Record<string, unknown>;
  annotations: { title: string; readOnlyHint: boolean; destructiveHint: boolean; idempotentHint: boolean; openWorldHint: false };
  call: { operation: string; method: string; path: string; pathArgs: Record<string, string>; rest: "query" | "body" | "none" };
};

/**
 * MCP wants `type: "object"` at the root of an input schema; zod puts a schema with an id
 * in $defs and refers to it. Inline that one (the $defs stay for the refs inside it).
 */
function objectRoot(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _drop, $ref, $defs, ...rest } = schema;
  void _drop;
  const defs = ($defs ?? {}) as Record<string, Record<string, unknown>>;
  const root =
    typeof $ref === "string" && $ref.startsWith("#/$defs/") ? { ...defs[$ref.slice("#/$defs/".length)], ...rest } : { ...rest };
  if (root.type !== "object") throw new Error("an MCP tool's input must be an object");
  return Object.keys(defs).length > 0 ? { ...root, $defs: defs } : root;
}

/** The tools as plain JSON: what tools/list shows and how tools/call calls the API. */
export function toolManifest(): ToolManifestEntry[] {
  return TOOL_SPECS.map((spec) => {
    const op = operations[spec.operation];
    const missing = pathParamNames(op.path).filter((p) => !Object.values(spec.pathArgs ?? {}).includes(p));
    if (missing.length > 0) throw new Error(`${spec.name}: no argument fills ${missing.join(", ")}`);
    const inputSchema = objectRoot(
      z.toJSONSchema(spec.input, { target: "draft-2020-12", io: "input", unrepresentable: "any" }) as Record<string, unknown>,
    );
    const read = op.method === "GET";
    return {
      name: spec.name,
      title: spec.title,
      description: spec.description,
      inputSchema,
      annotations: {
        title: spec.title,
        readOnlyHint: read,
        destructiveHint: op.method === "DELETE",
        idempotentHint: read,
        openWorldHint: false,
      },
      call: { operation: op.id, method: op.method, path: op.path, pathArgs: spec.pathArgs ?? {}, rest: spec.rest },
    };
  });
}

/** The text of lib/mcp/tools.gen.mjs. */
export function toolManifestModule(): string {
  return [
    "// Generated from lib/mcp/tool-specs.ts (the operation table's schemas): do not edit.",
    "// Regenerate: UPDATE_MCP_TOOLS=1 npx vitest run --project unit lib/mcp/tools.test.ts",
    `export const TOOLS = ${JSON.stringify(toolManifest(), null, 2)};`,
    "",
  ].join("\n");
}
