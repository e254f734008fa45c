// Every HTTP operation the app serves, declared once: method, path, who may call it,
// request and response schemas, and the errors it can answer. This table is the single
// source for
// - `withApi` (lib/api/with-api.ts), which takes an operation and enforces it: its role,
//   body and query schemas, body cap, and (outside production) that every answer's
//   status is one the operation declares;
// - the OpenAPI document (lib/api/openapi.ts), generated from it;
// - the SDKs' operation tables and the MCP tools, checked against it by tests;
// - lib/api/route-coverage.test.ts, which imports every route.ts under app/api and fails
//   on a handler not built from an entry here, on an entry no handler serves, and on a
//   method or path that differs.
//
// Errors: what `withApi` itself can answer is derived (see `errorCodesOf`): 401/403 for a
// role, 400 for a body or query, 413 for a body, 404 for a path parameter, 500 always.
// `errors` lists only what the handler adds (a 409, a 503, a 400 without a body).
import { MappingWhatIfRequest, SourceWhatIfRequest, WhatIfResult } from "@/lib/schemas/what-if";
import { z } from "zod";
import { INBOUND_OUTCOMES, describeStatus } from "@/lib/inbound/outcomes";
import type { Role } from "@/lib/auth/principal";
import type { ErrorCode } from "@/lib/errors";
import { LoginBody, LoginRefused, Me, SignedIn } from "@/lib/schemas/auth";
import { FlowFiles, FlowTemplateBody, FlowTestBody, FlowTestRun, FlowValidation } from "@/lib/schemas/flow-workbench";
import { InviteAccept, Member, MemberInvite, MemberInvited, MemberList, MemberUpdate, OrgSettings, OrgSettingsUpdate, PasswordChange } from "@/lib/schemas/members";
import { ApiTokenCreate, ApiTokenCreated, ApiTokenList } from "@/lib/schemas/api-tokens";
import {
  Delivery,
  DeliveryBulkRetry,
  DeliveryBulkRetryAccepted,
  DeliveryListQuery,
  DeliveryPage,
  DeliveryRetryAccepted,
} from "@/lib/schemas/deliveries";
import { EventDetail, EventListQuery, EventPage, ReplayAccepted } from "@/lib/schemas/events";
import {
  Health,
  InboundChallenge,
  InboundDuplicate,
  InboundError,
  InboundInteractionCreated,
  InboundNoMapping,
  InboundQueued,
} from "@/lib/schemas/inbound";
import { Interaction, InteractionListQuery, InteractionPage } from "@/lib/schemas/interactions";
import { MappingTestRequest, MappingTestResult } from "@/lib/schemas/mapping-test";
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
} from "@/lib/schemas/providerflow";
import { Mapping, MappingCreate, MappingList, MappingListQuery, MappingUpdate } from "@/lib/schemas/mappings";
import { Route, RouteCreate, RouteListQuery, RoutePage } from "@/lib/schemas/routes";
import { Source, SourceCreate, SourceList, SourceUpdate } from "@/lib/schemas/sources";
import { Target, TargetCreate, TargetListQuery, TargetPage, TargetUpdate, TargetWithSigningSecret } from "@/lib/schemas/targets";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Who may call: a role or above (through `withApi`), anyone (`public`), or a caller proven another way. */
export type Caller =
  | Role
  | "public"
  /** The source's signature verification decides (inbound URLs). */
  | "signature"
  /** QStash's Upstash-Signature decides (its callbacks). */
  | "qstash";

export type JsonSchema = Record<string, unknown>;

export type ResponseSpec = {
  description: string;
  /** The body's schema; several: any one of them; `null`: no body. */
  schema: z.ZodType | readonly z.ZodType[] | null;
};

export type OperationSpec = {
  method: HttpMethod;
  /** OpenAPI style: `{name}` for a path parameter. */
  path: string;
  summary: string;
  tag: Tag;
  auth: Caller;
  /** Replaces the role sentence when the rule is not "this role or above". */
  authText?: string;
  /** More words for the reference (after the role sentence). */
  description?: string;
  /** Path parameters whose schema is not a uuid. */
  pathParams?: Record<string, JsonSchema>;
  query?: z.ZodObject<z.ZodRawShape>;
  body?: z.ZodType;
  /** A request body that is not parsed by `withApi` (a provider's payload): its description. */
  rawBody?: string;
  /** The body cap when it is not MAX_API_BODY_BYTES. */
  maxBodyBytes?: number;
  /** Every answer that is not one of the shared API errors, by status. */
  responses: Record<number, ResponseSpec>;
  /** Shared API errors the handler adds to those derived from the operation (see the header). */
  errors: readonly ErrorCode[];
  /** Not in the public OpenAPI document: why (the console's own routes, callbacks, benchmarks). */
  internal?: string;
};

export type Operation = OperationSpec & { id: string };

/** Every tag an operation uses, in the order reference docs show them. */
export const TAG_DESCRIPTIONS = {
  "Inbound sources":
    "Where providers send webhooks: one URL each, with signature verification and an optional JSON Schema for the payload.",
  "Inbound mappings":
    "How a source's events become interactions: conditions that select the mapping, a schema, and paths to the resource id, action and fields. Includes the dry-run test.",
  Interactions: "The business events the pipeline produced, deduplicated by idempotency key.",
  Events: "Every request a source received, with its stages, redacted headers and body; failed and queued ones can be replayed.",
  Targets: "Where interactions are delivered: URL, auth, Standard Webhooks signing and the retry budget.",
  Routes: "Which mapping's interactions go to which target.",
  Deliveries: "One per interaction and route: attempts, retries and dead letters.",
  "API tokens": "Bearer tokens for programs, each with a role (admin only).",
  Members:
    "The people who sign in to the console: invited by a one-time link, each with a role; admins change roles, deactivate and remove them.",
  Org: "The org's own settings, such as separation of duties for approvals.",
  Secrets: "Named org secrets a ProviderFlow package refers to with secretRef; write-only.",
  ProviderFlow: "Configuration as code: upload a package, see its evidence, approve and apply it.",
  Inbound: "The URLs providers call. No API token: the source's signature verification decides.",
  Operations: "Health and this document.",
  Console: "The console's own session routes (not public).",
  Internal: "Callbacks and benchmark routes (not public).",
} as const;

export type Tag = keyof typeof TAG_DESCRIPTIONS;

function defineOperations<const T extends Record<string, OperationSpec>>(
  specs: T,
): { readonly [K in keyof T]: T[K] & { id: K & string } } {
  return Object.fromEntries(Object.entries(specs).map(([id, spec]) => [id, { ...spec, id }])) as never;
}

const InboundQuery = z.object({
  sync: z
    .enum(["true", "false"])
    .optional()
    .describe("true runs the whole pipeline in the request (refused under NODE_ENV=production unless PROVENANCE_ALLOW_SYNC=1)"),
});

const INBOUND_DESCRIPTION =
  "Called by providers. The signature is verified over the raw body before it is parsed. Without ?sync=true the event is stored and queued (202).";

// Every status and text an inbound URL answers with, from the pipeline's outcome table.
const inboundResponses: Record<number, ResponseSpec> = {
  200: { description: describeStatus(200), schema: [InboundInteractionCreated, InboundNoMapping, InboundDuplicate, InboundChallenge] },
  202: { description: describeStatus(202), schema: InboundQueued },
  ...Object.fromEntries(
    [...new Set(Object.values(INBOUND_OUTCOMES).map((row) => row.status))]
      .filter((status) => status >= 400)
      .map((status) => [status, { description: describeStatus(status), schema: InboundError }]),
  ),
};

const qstashResponses: Record<number, ResponseSpec> = {
  200: { description: "Done (or nothing left to do)", schema: null },
  400: { description: "Invalid JSON body", schema: InboundError },
  401: { description: "Invalid signature", schema: InboundError },
  404: { description: "Not in QStash mode", schema: InboundError },
  413: { description: "Payload too large", schema: InboundError },
  500: { description: "Failed; QStash retries", schema: InboundError },
};

const SLUG = { type: "string", description: "The org slug" };
const MNEMONIC = { type: "string", pattern: "^[A-Za-z0-9_-]{1,64}$", description: "The source's mnemonic (case-sensitive)" };
const SECRET_NAME = { type: "string", pattern: "^[A-Z][A-Z0-9_]{0,127}$" };

export const operations = defineOperations({
  listInboundSources: {
    method: "GET",
    path: "/api/v1/inbound-sources",
    summary: "List inbound sources",
    tag: "Inbound sources",
    auth: "reviewer",
    responses: { 200: { description: "The org's sources, oldest first", schema: SourceList } },
    errors: [],
  },
  createInboundSource: {
    method: "POST",
    path: "/api/v1/inbound-sources",
    summary: "Create an inbound source (and its origin)",
    tag: "Inbound sources",
    auth: "operator",
    body: SourceCreate,
    responses: { 201: { description: "Created", schema: Source } },
    errors: ["conflict"],
  },
  getInboundSource: {
    method: "GET",
    path: "/api/v1/inbound-sources/{id}",
    summary: "Get an inbound source",
    tag: "Inbound sources",
    auth: "reviewer",
    responses: { 200: { description: "The source", schema: Source } },
    errors: [],
  },
  updateInboundSource: {
    method: "PATCH",
    path: "/api/v1/inbound-sources/{id}",
    summary: "Update an inbound source",
    tag: "Inbound sources",
    auth: "operator",
    body: SourceUpdate,
    responses: { 200: { description: "Updated", schema: Source } },
    errors: ["conflict"],
  },
  deleteInboundSource: {
    method: "DELETE",
    path: "/api/v1/inbound-sources/{id}",
    summary: "Delete an inbound source with its mappings and events (interactions stay)",
    tag: "Inbound sources",
    auth: "operator",
    responses: { 204: { description: "Deleted", schema: null } },
    errors: [],
  },
  listInboundMappings: {
    method: "GET",
    path: "/api/v1/inbound-mappings",
    summary: "List mappings, highest priority first (ties: oldest first)",
    tag: "Inbound mappings",
    auth: "reviewer",
    query: MappingListQuery,
    responses: { 200: { description: "The org's mappings", schema: MappingList } },
    errors: [],
  },
  createInboundMapping: {
    method: "POST",
    path: "/api/v1/inbound-mappings",
    summary: "Create a mapping",
    tag: "Inbound mappings",
    auth: "operator",
    body: MappingCreate,
    responses: { 201: { description: "Created", schema: Mapping } },
    errors: [],
  },
  getInboundMapping: {
    method: "GET",
    path: "/api/v1/inbound-mappings/{id}",
    summary: "Get a mapping",
    tag: "Inbound mappings",
    auth: "reviewer",
    responses: { 200: { description: "The mapping", schema: Mapping } },
    errors: [],
  },
  updateInboundMapping: {
    method: "PATCH",
    path: "/api/v1/inbound-mappings/{id}",
    summary: "Update a mapping",
    tag: "Inbound mappings",
    auth: "operator",
    body: MappingUpdate,
    responses: { 200: { description: "Updated", schema: Mapping } },
    errors: [],
  },
  deleteInboundMapping: {
    method: "DELETE",
    path: "/api/v1/inbound-mappings/{id}",
    summary: "Delete a mapping",
    tag: "Inbound mappings",
    auth: "operator",
    responses: { 204: { description: "Deleted", schema: null } },
    errors: [],
  },
  testInboundMapping: {
    method: "POST",
    path: "/api/v1/inbound-mappings/{id}/test",
    summary: "Dry-run a mapping against a sample payload (writes nothing)",
    tag: "Inbound mappings",
    auth: "reviewer",
    body: MappingTestRequest,
    responses: { 200: { description: "What a delivery of this payload would do with this mapping", schema: MappingTestResult } },
    errors: ["busy"],
  },
  whatIfMapping: {
    method: "POST",
    path: "/api/v1/inbound-mappings/{id}/what-if",
    summary: "Run a draft change of this mapping over the source's recent events, beside today's mappings (writes nothing)",
    tag: "Inbound mappings",
    auth: "reviewer",
    body: MappingWhatIfRequest,
    responses: { 200: { description: "Each event whose verdict the draft changes, and a summary", schema: WhatIfResult } },
    errors: [],
  },
  whatIfNewMapping: {
    method: "POST",
    path: "/api/v1/inbound-sources/{id}/what-if",
    summary: "Run a draft new mapping over this source's recent events, beside today's mappings (writes nothing)",
    tag: "Inbound sources",
    auth: "reviewer",
    body: SourceWhatIfRequest,
    responses: { 200: { description: "Each event whose verdict the draft changes, and a summary", schema: WhatIfResult } },
    errors: [],
  },
  listInteractions: {
    method: "GET",
    path: "/api/v1/interactions",
    summary: "List interactions, newest first",
    tag: "Interactions",
    auth: "reviewer",
    query: InteractionListQuery,
    responses: { 200: { description: "A page of interactions", schema: InteractionPage } },
    errors: [],
  },
  getInteraction: {
    method: "GET",
    path: "/api/v1/interactions/{id}",
    summary: "Get an interaction",
    tag: "Interactions",
    auth: "reviewer",
    responses: { 200: { description: "The interaction", schema: Interaction } },
    errors: [],
  },
  listEvents: {
    method: "GET",
    path: "/api/v1/events",
    summary: "List inbound events, newest first",
    tag: "Events",
    auth: "reviewer",
    query: EventListQuery,
    responses: { 200: { description: "A page of events", schema: EventPage } },
    errors: [],
  },
  getEvent: {
    method: "GET",
    path: "/api/v1/events/{id}",
    summary: "Get an event with its redacted headers and body",
    tag: "Events",
    auth: "reviewer",
    responses: { 200: { description: "The event", schema: EventDetail } },
    errors: [],
  },
  replayEvent: {
    method: "POST",
    path: "/api/v1/events/{id}/replay",
    summary: "Replay an event: a new event (replayOf the original) runs stages 4–7 again with today's mappings",
    tag: "Events",
    auth: "operator",
    responses: { 202: { description: "Queued", schema: ReplayAccepted } },
    errors: ["conflict"],
  },
  listTargets: {
    method: "GET",
    path: "/api/v1/targets",
    summary: "List delivery targets, newest first (never their secrets)",
    tag: "Targets",
    auth: "reviewer",
    query: TargetListQuery,
    responses: { 200: { description: "A page of targets", schema: TargetPage } },
    errors: [],
  },
  createTarget: {
    method: "POST",
    path: "/api/v1/targets",
    summary: "Create a delivery target; its signing secret is shown once, in this response",
    tag: "Targets",
    auth: "operator",
    body: TargetCreate,
    responses: { 201: { description: "Created, with signingSecret", schema: TargetWithSigningSecret } },
    errors: ["conflict"],
  },
  getTarget: {
    method: "GET",
    path: "/api/v1/targets/{id}",
    summary: "Get a target",
    tag: "Targets",
    auth: "reviewer",
    responses: { 200: { description: "The target", schema: Target } },
    errors: [],
  },
  updateTarget: {
    method: "PATCH",
    path: "/api/v1/targets/{id}",
    summary: "Update a target",
    tag: "Targets",
    auth: "operator",
    body: TargetUpdate,
    responses: { 200: { description: "Updated", schema: Target } },
    errors: ["conflict"],
  },
  deleteTarget: {
    method: "DELETE",
    path: "/api/v1/targets/{id}",
    summary: "Delete a target with its routes and deliveries (attempt history included)",
    tag: "Targets",
    auth: "operator",
    responses: { 204: { description: "Deleted", schema: null } },
    errors: [],
  },
  rotateTargetSigningSecret: {
    method: "POST",
    path: "/api/v1/targets/{id}/rotate-secret",
    summary: "Replace the target's signing secret at once; the new one is shown once, in this response",
    tag: "Targets",
    auth: "operator",
    responses: { 200: { description: "Rotated, with the new signingSecret", schema: TargetWithSigningSecret } },
    errors: [],
  },
  listRoutes: {
    method: "GET",
    path: "/api/v1/routes",
    summary: "List routes (mapping → target), newest first",
    tag: "Routes",
    auth: "reviewer",
    query: RouteListQuery,
    responses: { 200: { description: "A page of routes", schema: RoutePage } },
    errors: [],
  },
  createRoute: {
    method: "POST",
    path: "/api/v1/routes",
    summary: "Route a mapping's interactions to a target",
    tag: "Routes",
    auth: "operator",
    body: RouteCreate,
    responses: { 201: { description: "Created", schema: Route } },
    errors: ["conflict"],
  },
  deleteRoute: {
    method: "DELETE",
    path: "/api/v1/routes/{id}",
    summary: "Delete a route (deliveries already created stay)",
    tag: "Routes",
    auth: "operator",
    responses: { 204: { description: "Deleted", schema: null } },
    errors: [],
  },
  listDeliveries: {
    method: "GET",
    path: "/api/v1/deliveries",
    summary: "List deliveries, newest first",
    tag: "Deliveries",
    auth: "reviewer",
    query: DeliveryListQuery,
    responses: { 200: { description: "A page of deliveries", schema: DeliveryPage } },
    errors: [],
  },
  getDelivery: {
    method: "GET",
    path: "/api/v1/deliveries/{id}",
    summary: "Get a delivery with its attempts",
    tag: "Deliveries",
    auth: "reviewer",
    responses: { 200: { description: "The delivery", schema: Delivery } },
    errors: [],
  },
  retryDelivery: {
    method: "POST",
    path: "/api/v1/deliveries/{id}/retry",
    summary: "Replay a failed or dead delivery now, with a fresh budget of maxAttempts; earlier attempts are kept",
    tag: "Deliveries",
    auth: "operator",
    responses: { 202: { description: "Queued", schema: DeliveryRetryAccepted } },
    errors: ["conflict"],
  },
  retryDeliveries: {
    method: "POST",
    path: "/api/v1/deliveries/retry",
    summary: "Bulk replay: every dead (or failed) delivery of the org, optionally to one target",
    tag: "Deliveries",
    auth: "operator",
    body: DeliveryBulkRetry,
    responses: { 202: { description: "Queued", schema: DeliveryBulkRetryAccepted } },
    errors: [],
  },
  listApiTokens: {
    method: "GET",
    path: "/api/v1/api-tokens",
    summary: "List API tokens (never the tokens themselves)",
    tag: "API tokens",
    auth: "admin",
    responses: { 200: { description: "The org's tokens, newest first", schema: ApiTokenList } },
    errors: [],
  },
  createApiToken: {
    method: "POST",
    path: "/api/v1/api-tokens",
    summary: "Create an API token; the token is shown once",
    tag: "API tokens",
    auth: "admin",
    body: ApiTokenCreate,
    responses: { 201: { description: "Created", schema: ApiTokenCreated } },
    errors: [],
  },
  deleteApiToken: {
    method: "DELETE",
    path: "/api/v1/api-tokens/{id}",
    summary: "Revoke an API token",
    tag: "API tokens",
    auth: "admin",
    responses: { 204: { description: "Revoked", schema: null } },
    errors: [],
  },
  listMembers: {
    method: "GET",
    path: "/api/v1/members",
    summary: "List the org's members (people who sign in), with pending invitations",
    tag: "Members",
    auth: "reviewer",
    responses: { 200: { description: "Admins first, then by email", schema: MemberList } },
    errors: [],
  },
  inviteMember: {
    method: "POST",
    path: "/api/v1/members",
    summary: "Invite a person by email and role; the one-time link is shown once",
    tag: "Members",
    auth: "admin",
    description: "There is no mail server: pass the link on. It works for 7 days, once. An email already in use is a 409.",
    body: MemberInvite,
    responses: { 201: { description: "Invited", schema: MemberInvited } },
    errors: ["conflict"],
  },
  updateMember: {
    method: "PATCH",
    path: "/api/v1/members/{id}",
    summary: "Change a member's role or name, deactivate (ending their sessions) or reactivate them",
    tag: "Members",
    auth: "admin",
    description: "The org always keeps an active admin: demoting or deactivating the last one is a 409.",
    body: MemberUpdate,
    responses: { 200: { description: "The member", schema: Member } },
    errors: ["conflict"],
  },
  removeMember: {
    method: "DELETE",
    path: "/api/v1/members/{id}",
    summary: "Remove a member (never the last active admin)",
    tag: "Members",
    auth: "admin",
    responses: { 204: { description: "Removed", schema: null } },
    errors: ["conflict"],
  },
  reinviteMember: {
    method: "POST",
    path: "/api/v1/members/{id}/invite",
    summary: "A new one-time link for a member who has not accepted yet; the old link stops working",
    tag: "Members",
    auth: "admin",
    responses: { 201: { description: "Invited again", schema: MemberInvited } },
    errors: ["conflict"],
  },
  getOrgSettings: {
    method: "GET",
    path: "/api/v1/org",
    summary: "The org's settings",
    tag: "Org",
    auth: "reviewer",
    responses: { 200: { description: "The org", schema: OrgSettings } },
    errors: [],
  },
  updateOrgSettings: {
    method: "PATCH",
    path: "/api/v1/org",
    summary: "Change the org's settings (separation of duties)",
    tag: "Org",
    auth: "admin",
    body: OrgSettingsUpdate,
    responses: { 200: { description: "The org", schema: OrgSettings } },
    errors: [],
  },
  listSecrets: {
    method: "GET",
    path: "/api/v1/secrets",
    summary: "List the org's secrets for ProviderFlow secretRefs: names and hints, never values",
    tag: "Secrets",
    auth: "reviewer",
    responses: { 200: { description: "The org's secrets, by name", schema: OrgSecretList } },
    errors: [],
  },
  putSecret: {
    method: "PUT",
    path: "/api/v1/secrets/{name}",
    summary: "Set a secret (create or replace). secretRefs resolve from this store only, never from the server's environment",
    tag: "Secrets",
    auth: "operator",
    pathParams: { name: SECRET_NAME },
    body: OrgSecretPut,
    responses: {
      200: { description: "Replaced", schema: OrgSecret },
      201: { description: "Created", schema: OrgSecret },
    },
    errors: [],
  },
  deleteSecret: {
    method: "DELETE",
    path: "/api/v1/secrets/{name}",
    summary: "Delete a secret",
    tag: "Secrets",
    auth: "operator",
    pathParams: { name: SECRET_NAME },
    responses: { 204: { description: "Deleted", schema: null } },
    errors: [],
  },
  listFlowVersions: {
    method: "GET",
    path: "/api/v1/providerflow/versions",
    summary: "List ProviderFlow package versions, newest first",
    tag: "ProviderFlow",
    auth: "reviewer",
    query: FlowVersionListQuery,
    responses: { 200: { description: "A page of versions", schema: FlowVersionPage } },
    errors: [],
  },
  uploadFlowVersion: {
    method: "POST",
    path: "/api/v1/providerflow/versions",
    summary: `Upload a package (body up to ${MAX_PACKAGE_BODY_BYTES} bytes): validated and sandbox-run with the org's secrets, never executed`,
    tag: "ProviderFlow",
    auth: "operator",
    body: PackageFilesBody,
    maxBodyBytes: MAX_PACKAGE_BODY_BYTES,
    responses: {
      201: {
        description: "A new version: sandbox-validated, or draft when its sandbox run failed (see evidence)",
        schema: FlowVersionDetail,
      },
      200: {
        description: "This digest was uploaded before: the existing version (a draft is sandbox-run again)",
        schema: FlowVersionDetail,
      },
    },
    errors: [],
  },
  getFlowVersion: {
    method: "GET",
    path: "/api/v1/providerflow/versions/{id}",
    summary: "Get a version with its evidence, approvals and revalidation",
    tag: "ProviderFlow",
    auth: "reviewer",
    responses: { 200: { description: "The version", schema: FlowVersionDetail } },
    errors: [],
  },
  getFlowVersionEvidence: {
    method: "GET",
    path: "/api/v1/providerflow/versions/{id}/evidence",
    summary: "The version's evidence.json, exactly as the sandbox run wrote it",
    tag: "ProviderFlow",
    auth: "reviewer",
    responses: { 200: { description: "The evidence", schema: Evidence } },
    errors: [],
  },
  approveFlowVersion: {
    method: "POST",
    path: "/api/v1/providerflow/versions/{id}/approve",
    summary: "Approve a sandbox-validated version (records who, role, digest and time)",
    tag: "ProviderFlow",
    auth: "reviewer",
    authText: "Role reviewer or admin. An operator is refused (403), although operators outrank reviewers elsewhere.",
    body: ApproveBody,
    responses: { 200: { description: "Approved", schema: FlowVersion } },
    errors: ["conflict"],
  },
  applyFlowVersion: {
    method: "POST",
    path: "/api/v1/providerflow/versions/{id}/apply",
    summary:
      "Apply a version (production org: approved only; sandbox org: any sandbox-validated), then re-run its fixtures as dry runs against the result",
    tag: "ProviderFlow",
    auth: "operator",
    responses: { 200: { description: "Applied and revalidated", schema: ApplyResult } },
    errors: ["validation_failed", "conflict"],
  },
  validateFlowPackage: {
    method: "POST",
    path: "/api/v1/providerflow/validate",
    summary: `Validate package files as \`providerflow validate\` does (contract and scans, with file, line and column); stores nothing`,
    tag: "ProviderFlow",
    auth: "reviewer",
    description: "A draft that does not load (a file over a limit, a bad path) is answered 200 with its findings, like any other invalid package.",
    body: PackageFilesBody,
    maxBodyBytes: MAX_PACKAGE_BODY_BYTES,
    responses: { 200: { description: "The findings, and the graph when the contract is valid", schema: FlowValidation } },
    errors: [],
  },
  testFlowPackage: {
    method: "POST",
    path: "/api/v1/providerflow/test",
    summary: "Run package files' fixtures in the sandbox with the org's secrets, as `providerflow test [--update]`; stores nothing",
    tag: "ProviderFlow",
    auth: "operator",
    description: "With update, the answer carries the goldens this run would write; the caller puts them in its copy of the package.",
    body: FlowTestBody,
    maxBodyBytes: MAX_PACKAGE_BODY_BYTES,
    responses: { 200: { description: "Each fixture's outcome, golden diff and trace (secrets redacted)", schema: FlowTestRun } },
    errors: [],
  },
  getFlowVersionFiles: {
    method: "GET",
    path: "/api/v1/providerflow/versions/{id}/files",
    summary: "A version's own files (base64), to edit them",
    tag: "ProviderFlow",
    auth: "reviewer",
    responses: { 200: { description: "Path → base64 bytes", schema: FlowFiles } },
    errors: [],
  },
  flowTemplate: {
    method: "POST",
    path: "/api/v1/providerflow/templates",
    summary: "The files of a new package from a provider preset's template (valid, with fixtures and matching goldens); stores nothing",
    tag: "ProviderFlow",
    auth: "reviewer",
    body: FlowTemplateBody,
    responses: { 200: { description: "Path → base64 bytes", schema: FlowFiles } },
    errors: [],
  },
  planFlowPackage: {
    method: "POST",
    path: "/api/v1/providerflow/plan",
    summary: `What applying these package files would create, update, delete or leave unchanged (body up to ${MAX_PACKAGE_BODY_BYTES} bytes); changes nothing`,
    tag: "ProviderFlow",
    auth: "operator",
    body: PackageFilesBody,
    maxBodyBytes: MAX_PACKAGE_BODY_BYTES,
    responses: { 200: { description: "The plan", schema: Plan } },
    errors: ["conflict"],
  },
  applyFlowPackage: {
    method: "POST",
    path: "/api/v1/providerflow/apply",
    summary: `Apply package files whose digest is an uploaded version's, under the same status rules (body up to ${MAX_PACKAGE_BODY_BYTES} bytes)`,
    tag: "ProviderFlow",
    auth: "operator",
    body: PackageFilesBody,
    maxBodyBytes: MAX_PACKAGE_BODY_BYTES,
    responses: { 200: { description: "Applied and revalidated", schema: ApplyResult } },
    errors: ["conflict"],
  },

  receiveInboundBySourceId: {
    method: "POST",
    path: "/api/inbound/{slug}/{sourceId}",
    summary: "Receive a webhook for a source (by id)",
    tag: "Inbound",
    auth: "signature",
    description: INBOUND_DESCRIPTION,
    pathParams: { slug: SLUG },
    query: InboundQuery,
    rawBody: "The provider's JSON payload, at most PROVENANCE_MAX_BODY_BYTES (1 MiB by default)",
    responses: inboundResponses,
    errors: [],
  },
  receiveInboundByMnemonic: {
    method: "POST",
    path: "/api/inbound/{slug}/by-mnemonic/{mnemonic}",
    summary: "Receive a webhook for a source (by mnemonic, case-sensitive)",
    tag: "Inbound",
    auth: "signature",
    description: INBOUND_DESCRIPTION,
    pathParams: { slug: SLUG, mnemonic: MNEMONIC },
    query: InboundQuery,
    rawBody: "The provider's JSON payload, at most PROVENANCE_MAX_BODY_BYTES (1 MiB by default)",
    responses: inboundResponses,
    errors: [],
  },
  health: {
    method: "GET",
    path: "/api/health",
    summary: "Liveness: the database answers and migrations are applied",
    tag: "Operations",
    auth: "public",
    responses: {
      200: { description: "Ready", schema: Health },
      503: { description: "Starting or database unavailable", schema: Health },
    },
    errors: [],
  },
  openapi: {
    method: "GET",
    path: "/api/openapi.json",
    summary: "This document",
    tag: "Operations",
    auth: "public",
    responses: { 200: { description: "OpenAPI 3.1", schema: z.object({}).passthrough() } },
    errors: [],
  },
  login: {
    method: "POST",
    path: "/api/auth/login",
    summary: "Sign in to the console",
    tag: "Console",
    auth: "public",
    body: LoginBody,
    responses: {
      200: { description: "Signed in: the session and device cookies are set", schema: SignedIn },
      401: { description: "Invalid email or password", schema: LoginRefused },
      429: { description: "Too many attempts (Retry-After)", schema: LoginRefused },
      503: { description: "Sign-in is busy (Retry-After)", schema: LoginRefused },
    },
    errors: ["forbidden"],
    internal: "the console's sign-in (a browser form, not an API client's call)",
  },
  logout: {
    method: "POST",
    path: "/api/auth/logout",
    summary: "Sign out of the console",
    tag: "Console",
    auth: "public",
    responses: { 200: { description: "Signed out: the cookie is cleared", schema: SignedIn } },
    errors: ["forbidden"],
    internal: "the console's sign-out",
  },
  acceptInvite: {
    method: "POST",
    path: "/api/auth/invite",
    summary: "Accept an invitation: set a password and sign in",
    tag: "Console",
    auth: "public",
    body: InviteAccept,
    responses: { 200: { description: "Signed in: the session cookie is set", schema: SignedIn } },
    errors: ["forbidden"],
    internal: "the console's invitation page (a browser form)",
  },
  changePassword: {
    method: "POST",
    path: "/api/auth/password",
    summary: "Change your own password; your other sessions end",
    tag: "Console",
    auth: "reviewer",
    authText: "A signed-in member (a session, not an API token).",
    body: PasswordChange,
    responses: {
      200: { description: "Changed", schema: SignedIn },
      429: { description: "Too many attempts (Retry-After)", schema: LoginRefused },
      503: { description: "Busy (Retry-After)", schema: LoginRefused },
    },
    errors: ["forbidden"],
    internal: "the console's own account page",
  },
  me: {
    method: "GET",
    path: "/api/auth/me",
    summary: "Who is calling",
    tag: "Console",
    auth: "reviewer",
    responses: { 200: { description: "The caller", schema: Me } },
    errors: [],
    internal: "the console's own session",
  },
  mcp: {
    method: "POST",
    path: "/api/mcp",
    summary: "The MCP server (Streamable HTTP, stateless)",
    tag: "Internal",
    auth: "reviewer",
    description: "JSON-RPC messages of the Model Context Protocol; the tools call the operations above with the caller's token.",
    rawBody: "An MCP JSON-RPC message",
    responses: {
      200: { description: "The JSON-RPC answer", schema: null },
      202: { description: "A notification or response was accepted", schema: null },
      400: { description: "Not a valid JSON-RPC message", schema: null },
      401: { description: "No or a bad API token (before any message is read)", schema: null },
      405: { description: "Stateless: no GET stream, no session to delete", schema: null },
      406: { description: "The client does not accept application/json and text/event-stream", schema: null },
      413: { description: "Message over 1 MiB", schema: null },
    },
    errors: [],
    internal: "MCP's own protocol (JSON-RPC), described by its tool list; see the README",
  },
  qstashIngest: {
    method: "POST",
    path: "/api/qstash/ingest",
    summary: "QStash callback: run stages 4–7 for a queued event",
    tag: "Internal",
    auth: "qstash",
    rawBody: "QStash's message",
    responses: qstashResponses,
    errors: [],
    internal: "QStash's callback, signed by QStash",
  },
  qstashDeliver: {
    method: "POST",
    path: "/api/qstash/deliver",
    summary: "QStash callback: one delivery attempt",
    tag: "Internal",
    auth: "qstash",
    rawBody: "QStash's message",
    responses: qstashResponses,
    errors: [],
    internal: "QStash's callback, signed by QStash",
  },
  benchEmpty: {
    method: "POST",
    path: "/api/bench/empty",
    summary: "The empty ceiling route",
    tag: "Internal",
    auth: "public",
    responses: {
      202: { description: "Read the body, did nothing", schema: InboundQueued },
      404: { description: "Benchmark routes are off", schema: InboundError },
    },
    errors: [],
    internal: "benchmark only (PROVENANCE_BENCH_ROUTES=1)",
  },
  benchInbound: {
    method: "POST",
    path: "/api/bench/inbound/{slug}/by-mnemonic/{mnemonic}",
    summary: "The inbound route handler, for the benchmark",
    tag: "Internal",
    auth: "signature",
    pathParams: { slug: SLUG, mnemonic: MNEMONIC },
    rawBody: "The provider's JSON payload",
    responses: inboundResponses,
    errors: [],
    internal: "benchmark only (PROVENANCE_BENCH_ROUTES=1)",
  },
});

export type OperationId = keyof typeof operations;

/** Every operation, in the table's order. */
export const OPERATION_LIST: readonly Operation[] = Object.values(operations);

/** The names of the `{…}` parameters of a path. */
export function pathParamNames(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
}

/**
 * Every shared API error the operation can answer: what `withApi` answers on its own for
 * this kind of operation, then the handler's own, then 500. Not for callers proven another
 * way (inbound, QStash): their answers are all in `responses`.
 */
export function errorCodesOf(op: OperationSpec): ErrorCode[] {
  if (op.auth === "signature" || op.auth === "qstash") return [...op.errors];
  const codes = new Set<ErrorCode>();
  if (op.auth !== "public") codes.add("unauthorized").add("forbidden");
  if (op.query || op.body) codes.add("validation_failed");
  if (op.body) codes.add("payload_too_large");
  if (pathParamNames(op.path).length > 0) codes.add("not_found");
  for (const code of op.errors) codes.add(code);
  codes.add("internal");
  return [...codes];
}
