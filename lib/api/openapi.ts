// The OpenAPI 3.1 document, generated from the same zod schemas that validate requests
// and type responses, so the published contract cannot drift from the code.
//
// Every schema with a `.meta({ id })` becomes a component. Requests are converted in
// zod's "input" view (defaults optional, extra keys tolerated) and responses in its
// "output" view (everything present, no extra keys). When one id looks different in the
// two views (e.g. Condition), the request-side copy is published as `<id>Input`.
import { z } from "zod";
import { SESSION_COOKIE } from "@/lib/auth/authenticate";
import type { Role } from "@/lib/auth/principal";
import { ERROR_MESSAGE, ERROR_STATUS, type ErrorCode } from "./errors";
import { MAX_API_BODY_BYTES } from "./with-api";
import { ApiTokenCreate, ApiTokenCreated, ApiTokenList } from "./schemas/api-tokens";
import { ErrorDetail } from "./schemas/common";
import {
  Delivery,
  DeliveryBulkRetry,
  DeliveryBulkRetryAccepted,
  DeliveryListQuery,
  DeliveryPage,
  DeliveryRetryAccepted,
} from "./schemas/deliveries";
import { EventDetail, EventListQuery, EventPage, ReplayAccepted } from "./schemas/events";
import {
  Health,
  InboundChallenge,
  InboundDuplicate,
  InboundError,
  InboundInteractionCreated,
  InboundNoMapping,
  InboundQueued,
} from "./schemas/inbound";
import { Interaction, InteractionListQuery, InteractionPage } from "./schemas/interactions";
import { MappingTestRequest, MappingTestResult } from "./schemas/mapping-test";
import {
  ApplyResult,
  ApproveBody,
  Evidence,
  FlowVersion,
  FlowVersionDetail,
  FlowVersionListQuery,
  FlowVersionPage,
  MAX_PACKAGE_BODY_BYTES,
  OrgSecret,
  OrgSecretList,
  OrgSecretPut,
  PackageFilesBody,
  Plan,
} from "./schemas/providerflow";
import { Mapping, MappingCreate, MappingList, MappingListQuery, MappingUpdate } from "./schemas/mappings";
import { Route, RouteCreate, RouteListQuery, RoutePage } from "./schemas/routes";
import { Source, SourceCreate, SourceList, SourceUpdate } from "./schemas/sources";
import { Target, TargetCreate, TargetListQuery, TargetPage, TargetUpdate, TargetWithSigningSecret } from "./schemas/targets";

type Json = Record<string, unknown>;
type Io = "input" | "output";
type AnyObject = z.ZodObject<z.ZodRawShape>;

const COMPONENT_REF = "#/components/schemas/";
const DEFS_REF = "#/$defs/";

/** Rewrites every `$ref` in a JSON value with `map`. */
function mapRefs(value: unknown, map: (ref: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => mapRefs(v, map));
  if (value && typeof value === "object") {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) out[k] = k === "$ref" && typeof v === "string" ? map(v) : mapRefs(v, map);
    return out;
  }
  return value;
}

function refsIn(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) refsIn(v, into);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string" && v.startsWith(DEFS_REF)) into.add(v.slice(DEFS_REF.length));
      else refsIn(v, into);
    }
  }
  return into;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Converts zod schemas to JSON Schema, hoisting ids into components.schemas. */
class SchemaCollector {
  readonly components: Record<string, Json> = {};
  // The raw (unrewritten) definition of each id, per view, to compare the two views.
  readonly #raw: Record<Io, Record<string, Json>> = { input: {}, output: {} };

  convert(schema: z.ZodType, io: Io): Json {
    const js = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as Json;
    const defs = (js.$defs ?? {}) as Record<string, Json>;
    delete js.$defs;
    delete js.$schema;
    for (const [id, def] of Object.entries(defs)) this.#raw[io][id] ??= def;

    // An input-view id clashes when an output view of that id exists and differs, or
    // refers to an id that clashes (fixpoint over the references). Ids only ever used
    // in requests keep their names.
    const renamed = new Set<string>();
    if (io === "input") {
      let changed = true;
      while (changed) {
        changed = false;
        for (const [id, def] of Object.entries(defs)) {
          if (renamed.has(id)) continue;
          const other = this.#raw.output[id];
          const clash = other !== undefined && (!same(other, def) || [...refsIn(def)].some((r) => renamed.has(r)));
          if (clash) {
            renamed.add(id);
            changed = true;
          }
        }
      }
    }
    const nameOf = (id: string) => (renamed.has(id) ? `${id}Input` : id);
    const rewrite = (ref: string) => (ref.startsWith(DEFS_REF) ? COMPONENT_REF + nameOf(ref.slice(DEFS_REF.length)) : ref);
    for (const [id, def] of Object.entries(defs)) {
      const name = nameOf(id);
      const body = mapRefs(def, rewrite) as Json;
      const existing = this.components[name];
      // Two different schemas under one id (or a response converted after a request
      // that claimed its name) would publish one of them wrongly: fail the build loudly.
      if (existing && !same(existing, body)) throw new Error(`OpenAPI: two different schemas share the id "${name}"`);
      this.components[name] = body;
    }
    return mapRefs(js, rewrite) as Json;
  }
}

type Auth = Role;

type Operation = {
  method: "get" | "post" | "put" | "patch" | "delete";
  path: string;
  operationId: string;
  summary: string;
  tag: keyof typeof TAG_DESCRIPTIONS;
  auth: Auth;
  /** Replaces the role sentence when the rule is not "this role or above". */
  authText?: string;
  pathParams?: string[];
  /** The path parameters' schema when they are not uuids. */
  pathParamSchema?: Json;
  query?: AnyObject;
  body?: z.ZodType;
  /** Success responses; `null` schema = no body. */
  ok: Record<number, { description: string; schema: z.ZodType | null }>;
  errors: ErrorCode[];
};

const ROLE_TEXT: Record<Auth, string> = {
  reviewer: "Any role (reviewer, operator, admin).",
  operator: "Role operator or admin.",
  admin: "Role admin.",
};

const read = (extra: ErrorCode[] = []): ErrorCode[] => ["unauthorized", "forbidden", ...extra, "internal"];
const write = (extra: ErrorCode[] = []): ErrorCode[] => read(["validation_failed", "payload_too_large", ...extra]);

const OPERATIONS: Operation[] = [
  {
    method: "get",
    path: "/api/v1/inbound-sources",
    operationId: "listInboundSources",
    summary: "List inbound sources",
    tag: "Inbound sources",
    auth: "reviewer",
    ok: { 200: { description: "The org's sources, oldest first", schema: SourceList } },
    errors: read(),
  },
  {
    method: "post",
    path: "/api/v1/inbound-sources",
    operationId: "createInboundSource",
    summary: "Create an inbound source (and its origin)",
    tag: "Inbound sources",
    auth: "operator",
    body: SourceCreate,
    ok: { 201: { description: "Created", schema: Source } },
    errors: write(["conflict"]),
  },
  {
    method: "get",
    path: "/api/v1/inbound-sources/{id}",
    operationId: "getInboundSource",
    summary: "Get an inbound source",
    tag: "Inbound sources",
    auth: "reviewer",
    pathParams: ["id"],
    ok: { 200: { description: "The source", schema: Source } },
    errors: read(["not_found"]),
  },
  {
    method: "patch",
    path: "/api/v1/inbound-sources/{id}",
    operationId: "updateInboundSource",
    summary: "Update an inbound source",
    tag: "Inbound sources",
    auth: "operator",
    pathParams: ["id"],
    body: SourceUpdate,
    ok: { 200: { description: "Updated", schema: Source } },
    errors: write(["not_found", "conflict"]),
  },
  {
    method: "delete",
    path: "/api/v1/inbound-sources/{id}",
    operationId: "deleteInboundSource",
    summary: "Delete an inbound source with its mappings and events (interactions stay)",
    tag: "Inbound sources",
    auth: "operator",
    pathParams: ["id"],
    ok: { 204: { description: "Deleted", schema: null } },
    errors: read(["not_found"]),
  },
  {
    method: "get",
    path: "/api/v1/inbound-mappings",
    operationId: "listInboundMappings",
    summary: "List mappings, highest priority first (ties: oldest first)",
    tag: "Inbound mappings",
    auth: "reviewer",
    query: MappingListQuery,
    ok: { 200: { description: "The org's mappings", schema: MappingList } },
    errors: read(["validation_failed"]),
  },
  {
    method: "post",
    path: "/api/v1/inbound-mappings",
    operationId: "createInboundMapping",
    summary: "Create a mapping",
    tag: "Inbound mappings",
    auth: "operator",
    body: MappingCreate,
    ok: { 201: { description: "Created", schema: Mapping } },
    errors: write(),
  },
  {
    method: "get",
    path: "/api/v1/inbound-mappings/{id}",
    operationId: "getInboundMapping",
    summary: "Get a mapping",
    tag: "Inbound mappings",
    auth: "reviewer",
    pathParams: ["id"],
    ok: { 200: { description: "The mapping", schema: Mapping } },
    errors: read(["not_found"]),
  },
  {
    method: "patch",
    path: "/api/v1/inbound-mappings/{id}",
    operationId: "updateInboundMapping",
    summary: "Update a mapping",
    tag: "Inbound mappings",
    auth: "operator",
    pathParams: ["id"],
    body: MappingUpdate,
    ok: { 200: { description: "Updated", schema: Mapping } },
    errors: write(["not_found"]),
  },
  {
    method: "delete",
    path: "/api/v1/inbound-mappings/{id}",
    operationId: "deleteInboundMapping",
    summary: "Delete a mapping",
    tag: "Inbound mappings",
    auth: "operator",
    pathParams: ["id"],
    ok: { 204: { description: "Deleted", schema: null } },
    errors: read(["not_found"]),
  },
  {
    method: "post",
    path: "/api/v1/inbound-mappings/{id}/test",
    operationId: "testInboundMapping",
    summary: "Dry-run a mapping against a sample payload (writes nothing)",
    tag: "Inbound mappings",
    auth: "reviewer",
    pathParams: ["id"],
    body: MappingTestRequest,
    ok: { 200: { description: "What a delivery of this payload would do with this mapping", schema: MappingTestResult } },
    errors: write(["not_found", "busy"]),
  },
  {
    method: "get",
    path: "/api/v1/interactions",
    operationId: "listInteractions",
    summary: "List interactions, newest first",
    tag: "Interactions",
    auth: "reviewer",
    query: InteractionListQuery,
    ok: { 200: { description: "A page of interactions", schema: InteractionPage } },
    errors: read(["validation_failed"]),
  },
  {
    method: "get",
    path: "/api/v1/interactions/{id}",
    operationId: "getInteraction",
    summary: "Get an interaction",
    tag: "Interactions",
    auth: "reviewer",
    pathParams: ["id"],
    ok: { 200: { description: "The interaction", schema: Interaction } },
    errors: read(["not_found"]),
  },
  {
    method: "get",
    path: "/api/v1/events",
    operationId: "listEvents",
    summary: "List inbound events, newest first",
    tag: "Events",
    auth: "reviewer",
    query: EventListQuery,
    ok: { 200: { description: "A page of events", schema: EventPage } },
    errors: read(["validation_failed"]),
  },
  {
    method: "get",
    path: "/api/v1/events/{id}",
    operationId: "getEvent",
    summary: "Get an event with its redacted headers and body",
    tag: "Events",
    auth: "reviewer",
    pathParams: ["id"],
    ok: { 200: { description: "The event", schema: EventDetail } },
    errors: read(["not_found"]),
  },
  {
    method: "post",
    path: "/api/v1/events/{id}/replay",
    operationId: "replayEvent",
    summary: "Replay an event: a new event (replayOf the original) runs stages 4–7 again with today's mappings",
    tag: "Events",
    auth: "operator",
    pathParams: ["id"],
    ok: { 202: { description: "Queued", schema: ReplayAccepted } },
    errors: read(["not_found", "conflict"]),
  },
  {
    method: "get",
    path: "/api/v1/targets",
    operationId: "listTargets",
    summary: "List delivery targets, newest first (never their secrets)",
    tag: "Targets",
    auth: "reviewer",
    query: TargetListQuery,
    ok: { 200: { description: "A page of targets", schema: TargetPage } },
    errors: read(["validation_failed"]),
  },
  {
    method: "post",
    path: "/api/v1/targets",
    operationId: "createTarget",
    summary: "Create a delivery target; its signing secret is shown once, in this response",
    tag: "Targets",
    auth: "operator",
    body: TargetCreate,
    ok: { 201: { description: "Created, with signingSecret", schema: TargetWithSigningSecret } },
    errors: write(["conflict"]),
  },
  {
    method: "get",
    path: "/api/v1/targets/{id}",
    operationId: "getTarget",
    summary: "Get a target",
    tag: "Targets",
    auth: "reviewer",
    pathParams: ["id"],
    ok: { 200: { description: "The target", schema: Target } },
    errors: read(["not_found"]),
  },
  {
    method: "patch",
    path: "/api/v1/targets/{id}",
    operationId: "updateTarget",
    summary: "Update a target",
    tag: "Targets",
    auth: "operator",
    pathParams: ["id"],
    body: TargetUpdate,
    ok: { 200: { description: "Updated", schema: Target } },
    errors: write(["not_found", "conflict"]),
  },
  {
    method: "delete",
    path: "/api/v1/targets/{id}",
    operationId: "deleteTarget",
    summary: "Delete a target with its routes and deliveries (attempt history included)",
    tag: "Targets",
    auth: "operator",
    pathParams: ["id"],
    ok: { 204: { description: "Deleted", schema: null } },
    errors: read(["not_found"]),
  },
  {
    method: "post",
    path: "/api/v1/targets/{id}/rotate-secret",
    operationId: "rotateTargetSigningSecret",
    summary: "Replace the target's signing secret at once; the new one is shown once, in this response",
    tag: "Targets",
    auth: "operator",
    pathParams: ["id"],
    ok: { 200: { description: "Rotated, with the new signingSecret", schema: TargetWithSigningSecret } },
    errors: read(["not_found"]),
  },
  {
    method: "get",
    path: "/api/v1/routes",
    operationId: "listRoutes",
    summary: "List routes (mapping → target), newest first",
    tag: "Routes",
    auth: "reviewer",
    query: RouteListQuery,
    ok: { 200: { description: "A page of routes", schema: RoutePage } },
    errors: read(["validation_failed"]),
  },
  {
    method: "post",
    path: "/api/v1/routes",
    operationId: "createRoute",
    summary: "Route a mapping's interactions to a target",
    tag: "Routes",
    auth: "operator",
    body: RouteCreate,
    ok: { 201: { description: "Created", schema: Route } },
    errors: write(["conflict"]),
  },
  {
    method: "delete",
    path: "/api/v1/routes/{id}",
    operationId: "deleteRoute",
    summary: "Delete a route (deliveries already created stay)",
    tag: "Routes",
    auth: "operator",
    pathParams: ["id"],
    ok: { 204: { description: "Deleted", schema: null } },
    errors: read(["not_found"]),
  },
  {
    method: "get",
    path: "/api/v1/deliveries",
    operationId: "listDeliveries",
    summary: "List deliveries, newest first",
    tag: "Deliveries",
    auth: "reviewer",
    query: DeliveryListQuery,
    ok: { 200: { description: "A page of deliveries", schema: DeliveryPage } },
    errors: read(["validation_failed"]),
  },
  {
    method: "get",
    path: "/api/v1/deliveries/{id}",
    operationId: "getDelivery",
    summary: "Get a delivery with its attempts",
    tag: "Deliveries",
    auth: "reviewer",
    pathParams: ["id"],
    ok: { 200: { description: "The delivery", schema: Delivery } },
    errors: read(["not_found"]),
  },
  {
    method: "post",
    path: "/api/v1/deliveries/{id}/retry",
    operationId: "retryDelivery",
    summary: "Replay a failed or dead delivery now, with a fresh budget of maxAttempts; earlier attempts are kept",
    tag: "Deliveries",
    auth: "operator",
    pathParams: ["id"],
    ok: { 202: { description: "Queued", schema: DeliveryRetryAccepted } },
    errors: read(["not_found", "conflict"]),
  },
  {
    method: "post",
    path: "/api/v1/deliveries/retry",
    operationId: "retryDeliveries",
    summary: "Bulk replay: every dead (or failed) delivery of the org, optionally to one target",
    tag: "Deliveries",
    auth: "operator",
    body: DeliveryBulkRetry,
    ok: { 202: { description: "Queued", schema: DeliveryBulkRetryAccepted } },
    errors: write(),
  },
  {
    method: "get",
    path: "/api/v1/api-tokens",
    operationId: "listApiTokens",
    summary: "List API tokens (never the tokens themselves)",
    tag: "API tokens",
    auth: "admin",
    ok: { 200: { description: "The org's tokens, newest first", schema: ApiTokenList } },
    errors: read(),
  },
  {
    method: "post",
    path: "/api/v1/api-tokens",
    operationId: "createApiToken",
    summary: "Create an API token; the token is shown once",
    tag: "API tokens",
    auth: "admin",
    body: ApiTokenCreate,
    ok: { 201: { description: "Created", schema: ApiTokenCreated } },
    errors: write(),
  },
  {
    method: "delete",
    path: "/api/v1/api-tokens/{id}",
    operationId: "deleteApiToken",
    summary: "Revoke an API token",
    tag: "API tokens",
    auth: "admin",
    pathParams: ["id"],
    ok: { 204: { description: "Revoked", schema: null } },
    errors: read(["not_found"]),
  },
  {
    method: "get",
    path: "/api/v1/secrets",
    operationId: "listSecrets",
    summary: "List the org's secrets for ProviderFlow secretRefs: names and hints, never values",
    tag: "Secrets",
    auth: "reviewer",
    ok: { 200: { description: "The org's secrets, by name", schema: OrgSecretList } },
    errors: read(),
  },
  {
    method: "put",
    path: "/api/v1/secrets/{name}",
    operationId: "putSecret",
    summary: "Set a secret (create or replace). secretRefs resolve from this store only, never from the server's environment",
    tag: "Secrets",
    auth: "operator",
    pathParams: ["name"],
    pathParamSchema: { type: "string", pattern: "^[A-Z][A-Z0-9_]{0,127}$" },
    body: OrgSecretPut,
    ok: {
      200: { description: "Replaced", schema: OrgSecret },
      201: { description: "Created", schema: OrgSecret },
    },
    errors: write(),
  },
  {
    method: "delete",
    path: "/api/v1/secrets/{name}",
    operationId: "deleteSecret",
    summary: "Delete a secret",
    tag: "Secrets",
    auth: "operator",
    pathParams: ["name"],
    pathParamSchema: { type: "string", pattern: "^[A-Z][A-Z0-9_]{0,127}$" },
    ok: { 204: { description: "Deleted", schema: null } },
    errors: read(["not_found"]),
  },
  {
    method: "get",
    path: "/api/v1/providerflow/versions",
    operationId: "listFlowVersions",
    summary: "List ProviderFlow package versions, newest first",
    tag: "ProviderFlow",
    auth: "reviewer",
    query: FlowVersionListQuery,
    ok: { 200: { description: "A page of versions", schema: FlowVersionPage } },
    errors: read(["validation_failed"]),
  },
  {
    method: "post",
    path: "/api/v1/providerflow/versions",
    operationId: "uploadFlowVersion",
    summary: `Upload a package (body up to ${MAX_PACKAGE_BODY_BYTES} bytes): validated and sandbox-run with the org's secrets, never executed`,
    tag: "ProviderFlow",
    auth: "operator",
    body: PackageFilesBody,
    ok: {
      201: { description: "A new version: sandbox-validated, or draft when its sandbox run failed (see evidence)", schema: FlowVersionDetail },
      200: { description: "This digest was uploaded before: the existing version (a draft is sandbox-run again)", schema: FlowVersionDetail },
    },
    errors: write(),
  },
  {
    method: "get",
    path: "/api/v1/providerflow/versions/{id}",
    operationId: "getFlowVersion",
    summary: "Get a version with its evidence, approvals and revalidation",
    tag: "ProviderFlow",
    auth: "reviewer",
    pathParams: ["id"],
    ok: { 200: { description: "The version", schema: FlowVersionDetail } },
    errors: read(["not_found"]),
  },
  {
    method: "get",
    path: "/api/v1/providerflow/versions/{id}/evidence",
    operationId: "getFlowVersionEvidence",
    summary: "The version's evidence.json, exactly as the sandbox run wrote it",
    tag: "ProviderFlow",
    auth: "reviewer",
    pathParams: ["id"],
    ok: { 200: { description: "The evidence", schema: Evidence } },
    errors: read(["not_found"]),
  },
  {
    method: "post",
    path: "/api/v1/providerflow/versions/{id}/approve",
    operationId: "approveFlowVersion",
    summary: "Approve a sandbox-validated version (records who, role, digest and time)",
    tag: "ProviderFlow",
    auth: "reviewer",
    authText: "Role reviewer or admin. An operator is refused (403), although operators outrank reviewers elsewhere.",
    pathParams: ["id"],
    body: ApproveBody,
    ok: { 200: { description: "Approved", schema: FlowVersion } },
    errors: write(["not_found", "conflict"]),
  },
  {
    method: "post",
    path: "/api/v1/providerflow/versions/{id}/apply",
    operationId: "applyFlowVersion",
    summary:
      "Apply a version (production org: approved only; sandbox org: any sandbox-validated), then re-run its fixtures as dry runs against the result",
    tag: "ProviderFlow",
    auth: "operator",
    pathParams: ["id"],
    ok: { 200: { description: "Applied and revalidated", schema: ApplyResult } },
    errors: read(["validation_failed", "not_found", "conflict"]),
  },
  {
    method: "post",
    path: "/api/v1/providerflow/plan",
    operationId: "planFlowPackage",
    summary: `What applying these package files would create, update, delete or leave unchanged (body up to ${MAX_PACKAGE_BODY_BYTES} bytes); changes nothing`,
    tag: "ProviderFlow",
    auth: "operator",
    body: PackageFilesBody,
    ok: { 200: { description: "The plan", schema: Plan } },
    errors: write(["conflict"]),
  },
  {
    method: "post",
    path: "/api/v1/providerflow/apply",
    operationId: "applyFlowPackage",
    summary: `Apply package files whose digest is an uploaded version's, under the same status rules (body up to ${MAX_PACKAGE_BODY_BYTES} bytes)`,
    tag: "ProviderFlow",
    auth: "operator",
    body: PackageFilesBody,
    ok: { 200: { description: "Applied and revalidated", schema: ApplyResult } },
    errors: write(["conflict"]),
  },
];

/** Every tag an operation uses, in the order reference docs show them. */
const TAG_DESCRIPTIONS = {
  "Inbound sources": "Where providers send webhooks: one URL each, with signature verification and an optional JSON Schema for the payload.",
  "Inbound mappings": "How a source's events become interactions: conditions that select the mapping, a schema, and paths to the resource id, action and fields. Includes the dry-run test.",
  Interactions: "The business events the pipeline produced, deduplicated by idempotency key.",
  Events: "Every request a source received, with its stages, redacted headers and body; failed and queued ones can be replayed.",
  Targets: "Where interactions are delivered: URL, auth, Standard Webhooks signing and the retry budget.",
  Routes: "Which mapping's interactions go to which target.",
  Deliveries: "One per interaction and route: attempts, retries and dead letters.",
  "API tokens": "Bearer tokens for programs, each with a role (admin only).",
  Secrets: "Named org secrets a ProviderFlow package refers to with secretRef; write-only.",
  ProviderFlow: "Configuration as code: upload a package, see its evidence, approve and apply it.",
  Inbound: "The URLs providers call. No API token: the source's signature verification decides.",
  Operations: "Health and this document.",
} as const;

const ERROR_COMPONENT: Record<ErrorCode, string> = {
  unauthorized: "Unauthorized",
  forbidden: "Forbidden",
  not_found: "NotFound",
  validation_failed: "ValidationFailed",
  conflict: "Conflict",
  payload_too_large: "PayloadTooLarge",
  rate_limited: "RateLimited",
  busy: "Busy",
  internal: "InternalError",
};

/** Each error response body with its exact `error` string, as the spec fixes them. */
function errorSchema(code: ErrorCode): z.ZodType {
  const withDetails = code === "validation_failed" || code === "conflict";
  const shape = withDetails
    ? { error: z.literal(ERROR_MESSAGE[code]), details: z.array(ErrorDetail) }
    : { error: z.literal(ERROR_MESSAGE[code]) };
  const name = ERROR_COMPONENT[code];
  return z.object(shape).meta({ id: name.endsWith("Error") ? name : `${name}Error` });
}

const ERROR_DESCRIPTION: Record<ErrorCode, string> = {
  unauthorized: "Missing or bad token",
  forbidden: "The role may not do this, the x-provenance-org header names an org other than the token's, or a cookie-session write came from another origin",
  not_found: "Unknown id, malformed id, or an object of another org",
  validation_failed: "Invalid body or query; details point into the body (JSON Pointer) or at /query/<name>",
  conflict: "A unique name is taken (or the object's state forbids the operation)",
  payload_too_large: `Body over ${MAX_API_BODY_BYTES} bytes (${MAX_PACKAGE_BODY_BYTES} for the ProviderFlow routes that carry a package)`,
  rate_limited: "Too many requests",
  busy: "Too many payloads wait for the schema workers (PROVENANCE_SCHEMA_QUEUE); retry after Retry-After seconds",
  internal: "Unexpected failure; nothing internal is disclosed",
};

const json = (schema: Json) => ({ "application/json": { schema } });

function pathParameter(name: string, schema: Json = { type: "string", format: "uuid" }): Json {
  return { name, in: "path", required: true, schema };
}

function queryParameters(c: SchemaCollector, query: AnyObject): Json[] {
  return Object.entries(query.shape).map(([name, field]) => {
    const schema = c.convert(field as z.ZodType, "input");
    const description = typeof schema.description === "string" ? schema.description : undefined;
    return { name, in: "query", required: !(field as z.ZodType).safeParse(undefined).success, ...(description ? { description } : {}), schema };
  });
}

function inboundOperation(c: SchemaCollector, operationId: string, summary: string, keyParam: Json): Json {
  const response = (description: string, ...schemas: z.ZodType[]) => ({
    description,
    content: json(schemas.length === 1 ? c.convert(schemas[0]!, "output") : { oneOf: schemas.map((s) => c.convert(s, "output")) }),
  });
  return {
    operationId,
    summary,
    tags: ["Inbound"],
    description:
      "Called by providers. The signature is verified over the raw body before it is parsed. " +
      "Without ?sync=true the event is stored and queued (202).",
    security: [],
    parameters: [
      { name: "slug", in: "path", required: true, description: "The org slug", schema: { type: "string" } },
      keyParam,
      {
        name: "sync",
        in: "query",
        required: false,
        description: "true runs the whole pipeline in the request (refused under NODE_ENV=production unless PROVENANCE_ALLOW_SYNC=1)",
        schema: { type: "string", enum: ["true", "false"] },
      },
    ],
    requestBody: { required: true, description: "The provider's JSON payload, at most 1 MiB", content: json({}) },
    responses: {
      200: response("Sync: interaction created, no matching mapping, duplicate, or a Slack handshake", InboundInteractionCreated, InboundNoMapping, InboundDuplicate, InboundChallenge),
      202: response("Queue mode: accepted", InboundQueued),
      400: response('"Invalid JSON body", "Source schema validation failed" or "Mapping schema validation failed" (with details); "Malformed URL: …" when a path segment is not valid percent-encoding', InboundError),
      401: response('"Signature verification failed" or "Event too old"', InboundError),
      404: response('"Source not found" (unknown, inactive, or of another org)', InboundError),
      413: response('"Payload too large"', InboundError),
      422: response('Sync: "Resource id not found" (the mapping\'s resourceIdPath found nothing) or "Action not found" (its actionPath found no action)', InboundError),
      500: response("Infrastructure failure; the sender may retry", InboundError),
      503: response('"Server busy, retry later" with Retry-After: every body slot is taken, the event write queue or the schema workers\' queue is full; nothing was stored', InboundError),
    },
  };
}

function buildDocument(): Json {
  const c = new SchemaCollector();
  const paths: Record<string, Json> = {};
  const responses: Record<string, Json> = {};

  // Responses first, so request-side ids that differ are the ones renamed.
  for (const code of Object.keys(ERROR_COMPONENT) as ErrorCode[]) {
    responses[ERROR_COMPONENT[code]] = { description: ERROR_DESCRIPTION[code], content: json(c.convert(errorSchema(code), "output")) };
  }
  const okResponses = OPERATIONS.map((op) =>
    Object.fromEntries(
      Object.entries(op.ok).map(([status, r]) => [
        status,
        r.schema ? { description: r.description, content: json(c.convert(r.schema, "output")) } : { description: r.description },
      ]),
    ),
  );

  OPERATIONS.forEach((op, i) => {
    const operation: Json = {
      operationId: op.operationId,
      summary: op.summary,
      tags: [op.tag],
      description: op.authText ?? ROLE_TEXT[op.auth],
    };
    const parameters = [...(op.pathParams ?? []).map((name) => pathParameter(name, op.pathParamSchema)), ...(op.query ? queryParameters(c, op.query) : [])];
    if (parameters.length > 0) operation.parameters = parameters;
    if (op.body) operation.requestBody = { required: true, content: json(c.convert(op.body, "input")) };
    operation.responses = {
      ...okResponses[i],
      ...Object.fromEntries(op.errors.map((code) => [String(ERROR_STATUS[code]), { $ref: `#/components/responses/${ERROR_COMPONENT[code]}` }])),
    };
    (paths[op.path] ??= {})[op.method] = operation;
  });

  paths["/api/inbound/{slug}/{sourceId}"] = {
    post: inboundOperation(c, "receiveInboundBySourceId", "Receive a webhook for a source (by id)", {
      name: "sourceId",
      in: "path",
      required: true,
      schema: { type: "string", format: "uuid" },
    }),
  };
  paths["/api/inbound/{slug}/by-mnemonic/{mnemonic}"] = {
    post: inboundOperation(c, "receiveInboundByMnemonic", "Receive a webhook for a source (by mnemonic, case-sensitive)", {
      name: "mnemonic",
      in: "path",
      required: true,
      schema: { type: "string", pattern: "^[A-Za-z0-9_-]{1,64}$" },
    }),
  };
  paths["/api/health"] = {
    get: {
      operationId: "health",
      summary: "Liveness: the database answers and migrations are applied",
      tags: ["Operations"],
      security: [],
      responses: {
        200: { description: "Ready", content: json(c.convert(Health, "output")) },
        503: { description: "Starting or database unavailable", content: json(c.convert(Health, "output")) },
      },
    },
  };
  paths["/api/openapi.json"] = {
    get: {
      operationId: "openapi",
      summary: "This document",
      tags: ["Operations"],
      security: [],
      responses: { 200: { description: "OpenAPI 3.1", content: json({ type: "object" }) } },
    },
  };

  return {
    openapi: "3.1.0",
    info: {
      title: "Provenance API",
      version: "1.0.0",
      description: "Management API (sources, mappings, interactions, events, targets, routes, deliveries, API tokens, secrets, ProviderFlow) and the inbound webhook URLs.",
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [{ url: "/" }],
    security: [{ bearerAuth: [] }, { sessionCookie: [] }],
    tags: Object.entries(TAG_DESCRIPTIONS).map(([name, description]) => ({ name, description })),
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(c.components).sort(([a], [b]) => a.localeCompare(b))),
      responses,
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "An API token (prv_…); its role limits what it may do" },
        sessionCookie: {
          type: "apiKey",
          in: "cookie",
          name: SESSION_COOKIE,
          description: "The console's session; writes must come from the app's own origin",
        },
      },
    },
  };
}

let cached: Json | undefined;

/** The document, built once per process (the schemas are static). */
export function openApiDocument(): Json {
  cached ??= buildDocument();
  return cached;
}
