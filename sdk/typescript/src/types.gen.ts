// Generated from the OpenAPI document by lib/api/sdk-types.ts: do not edit.
// Regenerate: UPDATE_SDK_TYPES=1 npx vitest run --project unit lib/api/sdk-types.test.ts

export type ApiToken = {
  id: string;
  name: string;
  role: "admin" | "operator" | "reviewer";
  /** The first 12 characters of the token, to recognise it */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
};

export type ApiTokenCreate = {
  name: string;
  role: "admin" | "operator" | "reviewer";
};

export type ApiTokenCreated = {
  id: string;
  name: string;
  role: "admin" | "operator" | "reviewer";
  /** The first 12 characters of the token, to recognise it */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  /** The bearer token; shown only in this response */
  token: string;
};

export type ApiTokenList = {
  data: ApiToken[];
};

export type Approval = {
  /** The reviewer's email, or the API token's name and id */
  approvedBy: string;
  role: "admin" | "operator" | "reviewer";
  /** The digest approved; approvals never carry over to another digest */
  digest: string;
  note: string | null;
  createdAt: string;
};

/** A path into the payload, e.g. "data.object" ($body.<path> for a key that begins with $) */
export type BodyPath = string;

export type BusyError = {
  error: "Server busy, retry later";
};

export type Change = {
  action: "create" | "update" | "delete" | "unchanged";
  kind: "source" | "mapping" | "target" | "route";
  /** Endpoint, flow or target name; "<flow>-><target>" for a route */
  name: string;
  /** Present on update: what changes */
  diff?: FieldChange[];
};

/** All conditions of a mapping must pass for it to be selected */
export type Condition = {
  path: string;
  op: "eq" | "neq" | "in" | "nin" | "exists" | "notExists" | "contains" | "startsWith" | "endsWith" | "matches" | "gt" | "gte" | "lt" | "lte";
  /** Required except for exists/notExists; an array for in/nin */
  value?: unknown;
};

/** All conditions of a mapping must pass for it to be selected */
export type ConditionInput = {
  path: string;
  op: "eq" | "neq" | "in" | "nin" | "exists" | "notExists" | "contains" | "startsWith" | "endsWith" | "matches" | "gt" | "gte" | "lt" | "lte";
  /** Required except for exists/notExists; an array for in/nin */
  value?: unknown;
};

export type ConditionResult = {
  path: string;
  op: "eq" | "neq" | "in" | "nin" | "exists" | "notExists" | "contains" | "startsWith" | "endsWith" | "matches" | "gt" | "gte" | "lt" | "lte";
  /** The condition's value (absent for exists/notExists) */
  value?: unknown;
  /** The value found at path (absent when nothing is there) */
  actual?: unknown;
  pass: boolean;
};

export type ConflictError = {
  error: "Conflict";
  details: ErrorDetail[];
};

export type Delivery = {
  /** Also the webhook-id header, stable across retries */
  id: string;
  interactionId: string;
  targetId: string;
  /** pending: an attempt is due or under way; succeeded: a 2xx; failed: the last attempt failed and another is scheduled (nextAttemptAt); dead: no more attempts (budget spent, or 410 Gone) */
  status: "pending" | "succeeded" | "failed" | "dead";
  /** Every attempt, oldest first; a retry keeps them */
  attempts: DeliveryAttempt[];
  /** When the next attempt is due (pending or failed); null otherwise */
  nextAttemptAt: string | null;
  createdAt: string;
  updatedAt: string;
};

export type DeliveryAttempt = {
  /** When the attempt started */
  at: string;
  /** The HTTP status, when a response arrived */
  status?: number;
  /** Why the attempt failed, when it did not get a 2xx */
  error?: string;
  /** Wall time in milliseconds */
  ms: number;
  /** The first 2 KiB (bytes) of the response body, as UTF-8 */
  responseBody: string;
};

export type DeliveryBulkRetry = {
  /** Which deliveries to replay: every dead (or every failed) one of the org */
  status: "dead" | "failed";
  /** Only those to this target */
  targetId?: string;
};

export type DeliveryBulkRetryAccepted = {
  /** How many deliveries were queued again */
  queued: number;
};

/** A page, newest first; nextCursor is null on the last page. */
export type DeliveryPage = {
  data: Delivery[];
  nextCursor: string | null;
};

export type DeliveryRetryAccepted = {
  queued: true;
  deliveryId: string;
};

export type ErrorDetail = {
  /** JSON Pointer ("" is the root; /query/<name> for query parameters) */
  path: string;
  message: string;
};

export type Event = {
  id: string;
  sourceId: string;
  status: "queued" | "processed" | "failed" | "duplicate" | "unmatched";
  stages: StageOutcome[];
  error: string | null;
  errorDetails: ErrorDetail[] | null;
  mappingId: string | null;
  interactionId: string | null;
  /** The original event (a replay of a replay points at the original) */
  replayOf: string | null;
  receivedAt: string;
  processedAt: string | null;
};

export type EventDetail = {
  id: string;
  sourceId: string;
  status: "queued" | "processed" | "failed" | "duplicate" | "unmatched";
  stages: StageOutcome[];
  error: string | null;
  errorDetails: ErrorDetail[] | null;
  mappingId: string | null;
  interactionId: string | null;
  /** The original event (a replay of a replay points at the original) */
  replayOf: string | null;
  receivedAt: string;
  processedAt: string | null;
  /** Request headers, signatures and credentials redacted */
  headers: {
    [key: string]: string;
  };
  /** The inbound URL's query parameters (the first value of each), as $query.<name> paths read them */
  query: {
    [key: string]: string;
  };
  /** The stored body as UTF-8 text (invalid bytes shown as U+FFFD) */
  body: string;
  /** Only the first 64 KiB of a rejected oversized body is kept */
  bodyTruncated: boolean;
  /** When the retention policy emptied the body (PROVENANCE_RETAIN_BODY_DAYS); such an event cannot be replayed */
  bodyPurgedAt: string | null;
};

/** A page, newest first; nextCursor is null on the last page. */
export type EventPage = {
  data: Event[];
  nextCursor: string | null;
};

/** The sandbox run's evidence.json exactly as the CLI writes it (providerflow.md §6); secrets appear only as "[redacted]" */
export type Evidence = {
  package: {
    name: string;
    version: string;
    provider: string;
    digest: string;
    [key: string]: unknown;
  };
  tool: {
    name: string;
    version: string;
    [key: string]: unknown;
  };
  contract: {
    valid: boolean;
    errors: unknown[];
    [key: string]: unknown;
  };
  scans: unknown[];
  fixtures: {
    name: string;
    passed: boolean;
    [key: string]: unknown;
  }[];
  summary: EvidenceSummary;
  status: "sandbox-validated" | "draft";
  [key: string]: unknown;
};

export type EvidenceSummary = {
  fixtures: number;
  passed: number;
  failed: number;
  scanErrors: number;
  scanWarnings: number;
};

/** One changed field; secret values are shown as "[redacted]" */
export type FieldChange = {
  /** JSON Pointer into the object's management API shape ("/url", "/verification/secret") */
  path: string;
  from?: unknown;
  to?: unknown;
};

export type FlowApplyResult = {
  applied: Change[];
  /** Endpoint name → the public inbound URL (by mnemonic) to give the provider */
  inboundUrls: {
    [key: string]: string;
  };
  /** The version applied, with the revalidation run after the apply */
  version: FlowVersion;
};

export type FlowApprove = {
  /** Why, for the approval history */
  note?: string;
};

export type FlowFiles = {
  /** Package-relative path → base64 bytes */
  files: {
    [key: string]: string;
  };
};

/** A located finding: the file, 1-based line and column, and a JSON Pointer into the file's data */
export type FlowFinding = {
  code: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  pointer?: string;
};

/** What apply would do; nothing was changed */
export type FlowPlan = {
  changes: Change[];
};

export type FlowTemplateRequest = {
  name: string;
  preset: "stripe" | "github" | "shopify" | "slack" | "standard-webhooks" | "generic";
};

export type FlowTestBody = {
  /** Package-relative path ("provider-flow.yaml", "schemas/event.json", "fixtures/x.json", "goldens/x.json", "README.md") → base64 bytes. Generated files (traces/, scans.json, evidence.json) and other paths are ignored. Limits: provider-flow.yaml ≤ 1 MiB, any file ≤ 5 MiB, the package ≤ 20 MiB, ≤ 1000 files. */
  files: {
    [key: string]: string;
  };
  /** Also return goldens written from this run (as `providerflow test --update`); nothing is stored */
  update?: boolean;
};

export type FlowTestRun = {
  /** The package would be sandbox-validated: valid, no scan error, every fixture matches its golden */
  ok: boolean;
  status: "sandbox-validated" | "draft";
  digest: string;
  fixtures: {
    name: string;
    passed: boolean;
    diff: {
      pointer: string;
      [key: string]: unknown;
    }[];
    trace: unknown[];
    [key: string]: unknown;
  }[];
  errors: FlowFinding[];
  warnings: FlowFinding[];
  /** With update: goldens/<fixture>.json → the new golden's text, for every fixture that ran */
  goldens: {
    [key: string]: string;
  } | null;
};

export type FlowValidation = {
  /** No error (warnings do not count) */
  ok: boolean;
  errors: FlowFinding[];
  warnings: FlowFinding[];
  /** The package digest, when the files load */
  digest: string | null;
  /** The package graph (as `providerflow graph --format json`), when the contract is valid */
  graph: {
    package: string;
    nodes: unknown[];
    edges: unknown[];
    flows: unknown[];
    [key: string]: unknown;
  } | null;
};

export type FlowVersion = {
  id: string;
  package: string;
  /** The contract's semver; the digest, not this, identifies the content */
  version: string;
  /** sha256 of the package's canonical content (providerflow.md §9) */
  digest: string;
  status: PackageStatus;
  prodRevalidation: ProdRevalidation;
  summary: EvidenceSummary;
  createdAt: string;
  uploadedBy: string | null;
  approvals: Approval[];
  appliedAt: string | null;
  appliedBy: string | null;
  revalidation: Revalidation | null;
  revalidatedAt: string | null;
};

export type FlowVersionDetail = {
  id: string;
  package: string;
  /** The contract's semver; the digest, not this, identifies the content */
  version: string;
  /** sha256 of the package's canonical content (providerflow.md §9) */
  digest: string;
  status: PackageStatus;
  prodRevalidation: ProdRevalidation;
  summary: EvidenceSummary;
  createdAt: string;
  uploadedBy: string | null;
  approvals: Approval[];
  appliedAt: string | null;
  appliedBy: string | null;
  revalidation: Revalidation | null;
  revalidatedAt: string | null;
  evidence: Evidence;
};

/** A page, newest first; nextCursor is null on the last page. */
export type FlowVersionPage = {
  data: FlowVersion[];
  nextCursor: string | null;
};

export type ForbiddenError = {
  error: "Forbidden";
};

export type Health = {
  ok: boolean;
  error?: string;
};

/** Slack URL verification handshake (slack preset, {"type":"url_verification"}) */
export type InboundChallenge = {
  challenge: unknown;
};

/** An interaction with the same resource type, action and idempotency value exists */
export type InboundDuplicate = {
  duplicate: true;
  /** The recorded event */
  eventId?: string;
};

/** error is one of "Invalid JSON body", "Source schema validation failed", "Mapping schema validation failed", "Malformed URL: a path segment is not valid percent-encoding", "Request body incomplete", "Signature verification failed", "Event too old", "Source not found", "Payload too large", "Resource id not found", "Action not found", "Interaction could not be built", "Internal server error", "Server busy, retry later" (the inbound outcome table) */
export type InboundError = {
  error: string;
  details?: ErrorDetail[];
  /** The recorded event */
  eventId?: string;
};

/** Sync mode: the interaction was created */
export type InboundInteractionCreated = {
  interactionId: string;
  /** The recorded event */
  eventId?: string;
};

export type InboundNoMapping = {
  message: "No matching mapping found";
  /** The recorded event */
  eventId?: string;
};

/** Queue mode: stored durably; stages 4–7 run in the worker */
export type InboundQueued = {
  queued: true;
  eventId: string;
};

export type Interaction = {
  id: string;
  orgId: string;
  originId: string;
  sourceId: string;
  mappingId: string;
  eventId: string;
  resourceTypeId: string;
  actionId: string;
  resourceType: string;
  action: string;
  resourceId: string;
  idempotencyKey: string | null;
  /** Mapped fields (or the whole payload) plus the "_" metadata keys */
  object: {
    [key: string]: unknown;
  };
  createdAt: string;
};

/** A page, newest first; nextCursor is null on the last page. */
export type InteractionPage = {
  data: Interaction[];
  nextCursor: string | null;
};

export type InternalError = {
  error: "Internal server error";
};

export type Mapping = {
  id: string;
  sourceId: string;
  title: string;
  active: boolean;
  priority: number;
  resourceType: string;
  resourceTypeId: string;
  /** Null when the action is read from the payload at actionPath */
  action: string | null;
  actionId: string | null;
  actionPath: string | null;
  conditions: Condition[];
  payloadSchema: {
    [key: string]: unknown;
  } | null;
  schemaRootPath: string | null;
  idempotencyPath: string | null;
  resourceIdPath: string;
  fieldMappings: {
    [key: string]: string;
  } | null;
  metadataPaths: {
    [key: string]: string;
  } | null;
  createdAt: string;
  updatedAt: string;
};

export type MappingCreate = {
  sourceId: string;
  /** Defaults to "<resourceType>.<action>" */
  title?: string;
  active?: boolean;
  /** Higher runs first; ties: oldest first */
  priority?: number;
  resourceType: string;
  /** The action name; or give actionPath to read it from each payload */
  action?: string;
  /** Payload path whose string value is the action name (instead of action) */
  actionPath?: PayloadPath;
  conditions?: ConditionInput[];
  payloadSchema?: PayloadSchema | null;
  schemaRootPath?: BodyPath | null;
  idempotencyPath?: PayloadPath | null;
  resourceIdPath: PayloadPath;
  fieldMappings?: {
    [key: string]: PayloadPath;
  } | null;
  metadataPaths?: {
    [key: string]: PayloadPath;
  } | null;
};

export type MappingList = {
  data: Mapping[];
};

export type MappingTestRequest = {
  /** A sample payload (any JSON value) */
  payload: unknown;
  /** The request's headers, as a provider would send them (names case-insensitive), for paths that read $headers.<name>. Signature and credential headers are redacted, as the pipeline stores them. */
  headers?: {
    [key: string]: string;
  };
  /** The inbound URL's query parameters, for paths that read $query.<name> */
  query?: {
    [key: string]: string;
  };
};

export type MappingTestResult = {
  /** Every condition passed */
  matched: boolean;
  conditions: ConditionResult[];
  /** Mapping payloadSchema errors, computed even when not matched (pointers into the payload). Only the schema's: a build failure is in failure */
  schemaErrors: ErrorDetail[];
  /** For a matching sample, the stage that would refuse it (schema, or building the interaction); null when it would be accepted or does not match */
  failure: TestFailure | null;
  /** null when not matched or when it would fail (see failure) */
  interaction: TestInteraction | null;
  /** An interaction with the same resource type, action and idempotency key exists */
  duplicate: boolean;
};

/** Fields omitted are kept; null clears an optional field */
export type MappingUpdate = {
  sourceId?: string;
  title?: string;
  active?: boolean;
  priority?: number;
  resourceType?: string;
  /** Setting it clears actionPath */
  action?: string;
  /** Setting it clears action */
  actionPath?: PayloadPath;
  conditions?: ConditionInput[];
  payloadSchema?: PayloadSchema | null;
  schemaRootPath?: BodyPath | null;
  idempotencyPath?: PayloadPath | null;
  resourceIdPath?: PayloadPath;
  fieldMappings?: {
    [key: string]: PayloadPath;
  } | null;
  metadataPaths?: {
    [key: string]: PayloadPath;
  } | null;
};

export type MappingWhatIfRequest = {
  /** The change to the mapping, as PATCH takes it */
  draft: MappingUpdate;
  /** How many of the source's newest events to run (default 200, at most 5000) */
  limit?: number;
};

export type Member = {
  id: string;
  email: string;
  name: string | null;
  role: "admin" | "operator" | "reviewer";
  /** invited: has not set a password yet; deactivated: cannot sign in (sessions ended) */
  status: "active" | "invited" | "deactivated";
  createdAt: string;
  lastLoginAt: string | null;
  invitedAt: string | null;
  /** Who sent the invitation */
  invitedBy: string | null;
  /** Until when the pending invitation link works */
  inviteExpiresAt: string | null;
  deactivatedAt: string | null;
};

export type MemberInvite = {
  email: string;
  role: "admin" | "operator" | "reviewer";
  name?: string;
};

export type MemberInvited = {
  member: Member;
  /** The one-time link to pass on; shown only in this response */
  inviteUrl: string;
  /** The token inside inviteUrl; shown only in this response */
  inviteToken: string;
  expiresAt: string;
};

export type MemberList = {
  data: Member[];
};

export type MemberUpdate = {
  role?: "admin" | "operator" | "reviewer";
  /** false deactivates (ending the member's sessions); true reactivates */
  active?: boolean;
  name?: string | null;
};

/** A mapping as POST /api/v1/inbound-mappings takes it, without sourceId */
export type NewMappingDraft = {
  /** Defaults to "<resourceType>.<action>" */
  title?: string;
  active?: boolean;
  /** Higher runs first; ties: oldest first */
  priority?: number;
  resourceType: string;
  /** The action name; or give actionPath to read it from each payload */
  action?: string;
  /** Payload path whose string value is the action name (instead of action) */
  actionPath?: PayloadPath;
  conditions?: ConditionInput[];
  payloadSchema?: PayloadSchema | null;
  schemaRootPath?: BodyPath | null;
  idempotencyPath?: PayloadPath | null;
  resourceIdPath: PayloadPath;
  fieldMappings?: {
    [key: string]: PayloadPath;
  } | null;
  metadataPaths?: {
    [key: string]: PayloadPath;
  } | null;
};

export type NotFoundError = {
  error: "Not found";
};

/** A secret's name and hint; the value is never returned */
export type OrgSecret = {
  name: string;
  /** "…" and the last 4 characters of the value (only "…" when shorter than 12) */
  hint: string;
  createdAt: string;
  updatedAt: string;
};

export type OrgSecretList = {
  data: OrgSecret[];
};

export type OrgSecretPut = {
  /** Write-only: never returned; responses show a hint */
  value: string;
};

export type OrgSettings = {
  slug: string;
  name: string;
  environment: "production" | "sandbox";
  /** Production orgs: a version needs an approval from someone other than the person (or token) that uploaded it. Turn off only for a one-person team. */
  separationOfDuties: boolean;
};

export type OrgSettingsUpdate = {
  separationOfDuties: boolean;
};

export type PackageFiles = {
  /** Package-relative path ("provider-flow.yaml", "schemas/event.json", "fixtures/x.json", "goldens/x.json", "README.md") → base64 bytes. Generated files (traces/, scans.json, evidence.json) and other paths are ignored. Limits: provider-flow.yaml ≤ 1 MiB, any file ≤ 5 MiB, the package ≤ 20 MiB, ≤ 1000 files. */
  files: {
    [key: string]: string;
  };
};

/** draft → sandbox-validated (contract valid, no scan error, every fixture matches its golden) → approved (by a reviewer or admin) → prod-revalidated (applied to a production org and every fixture re-run as a dry run against the applied configuration) */
export type PackageStatus = "draft" | "sandbox-validated" | "approved" | "prod-revalidated";

/** A payload path: dot notation with array indexes, e.g. "data.object.id" or "items[0].sku". Or a request path: $headers.<name> (a request header, name case-insensitive; repeated headers joined with ", "), $query.<name> (a query parameter of the inbound URL) or $body.<path> (the body, for a key that begins with $). Headers carrying signatures or credentials cannot be read. __proto__, constructor and prototype are refused. */
export type PayloadPath = string;

/** A JSON Schema (draft 2020-12) object, validated with AJV */
export type PayloadSchema = {
  [key: string]: unknown;
};

export type PayloadTooLargeError = {
  error: "Payload too large";
};

/** "pending" until the version is approved and applied with its revalidation run; then the result of the last run */
export type ProdRevalidation = "pending" | "passed" | "failed";

export type RateLimitedError = {
  error: "Too many requests";
};

export type ReplayAccepted = {
  queued: true;
  /** The new event */
  eventId: string;
};

/** Every fixture re-run as a dry run (the mapping test: no event, no interaction written) against the configuration the apply left, compared with its golden */
export type Revalidation = {
  fixtures: {
    name: string;
    passed: boolean;
    /** Empty when passed */
    diff: RevalidationDifference[];
  }[];
  passed: boolean;
};

export type RevalidationDifference = {
  /** JSON Pointer into the golden's expectation ("/interaction/object/amount") */
  pointer: string;
  expected?: unknown;
  actual?: unknown;
  /** Why, when the difference is not a value (no golden, unknown endpoint) */
  message?: string;
};

export type Route = {
  id: string;
  mappingId: string;
  targetId: string;
  active: boolean;
  createdAt: string;
};

export type RouteCreate = {
  /** A mapping of the caller's org */
  mappingId: string;
  /** A target of the caller's org */
  targetId: string;
  /** An inactive route creates no deliveries */
  active?: boolean;
};

/** A page, newest first; nextCursor is null on the last page. */
export type RoutePage = {
  data: Route[];
  nextCursor: string | null;
};

export type Source = {
  id: string;
  title: string;
  mnemonic: string;
  description: string | null;
  active: boolean;
  originId: string;
  verification: Verification | null;
  payloadSchema: {
    [key: string]: unknown;
  } | null;
  createdAt: string;
  updatedAt: string;
};

export type SourceCreate = {
  title: string;
  /** Unique per org, case-sensitive; used in inbound URLs */
  mnemonic: string;
  description?: string | null;
  active?: boolean;
  verification?: VerificationInput | null;
  payloadSchema?: PayloadSchema | null;
};

export type SourceList = {
  data: Source[];
};

/** Fields omitted are kept; null clears an optional field */
export type SourceUpdate = {
  title?: string;
  /** Unique per org, case-sensitive; used in inbound URLs */
  mnemonic?: string;
  description?: string | null;
  active?: boolean;
  verification?: VerificationUpdate | null;
  payloadSchema?: PayloadSchema | null;
};

export type SourceWhatIfRequest = {
  draft: NewMappingDraft;
  /** How many of the source's newest events to run (default 200, at most 5000) */
  limit?: number;
};

export type StageOutcome = {
  stage: string;
  outcome: string;
  detail?: string;
};

export type Target = {
  id: string;
  name: string;
  url: string;
  active: boolean;
  auth: TargetAuth;
  signing: TargetSigning;
  retry: TargetRetry;
  timeoutSeconds: number;
  createdAt: string;
  updatedAt: string;
};

export type TargetAuth = {
  type: "none" | "bearer" | "basic" | "header";
  /** The header carrying the secret (type "header"); otherwise null */
  headerName: string | null;
  /** "…" and the last 4 characters of the secret (only "…" when shorter than 12); null for type "none" */
  secretHint: string | null;
};

/** How deliveries authenticate to the target: none, a bearer token, basic "user:password", or a named header */
export type TargetAuthInput = {
  type: "none" | "bearer" | "basic" | "header";
  /** Only for type "header": the header that carries the secret */
  headerName?: string;
  /** Write-only: never returned; responses show secretHint. bearer: the token; basic: "user:password"; header: the value */
  secret?: string;
};

/** Replaces the auth settings as a whole; an omitted secret keeps the stored one when the type is unchanged */
export type TargetAuthUpdate = {
  type: "none" | "bearer" | "basic" | "header";
  /** Only for type "header": the header that carries the secret */
  headerName?: string;
  /** Omit to keep the stored secret (same type only) */
  secret?: string;
};

export type TargetCreate = {
  /** Unique per org */
  name: string;
  /** https URL of the receiver. Private, loopback and link-local addresses are refused (here and again after DNS at connect time) unless PROVENANCE_ALLOW_PRIVATE_TARGETS=1, which also permits http to loopback hosts. Credentials in the URL are refused; use auth. */
  url: string;
  active?: boolean;
  auth?: TargetAuthInput;
  /** The signing secret is generated by the server and returned once, as signingSecret */
  signing?: {
    type?: "standard-webhooks";
    /** Sign deliveries (webhook-id/-timestamp/-signature); default true */
    enabled?: boolean;
  };
  retry?: {
    /** Attempts per budget, 1–20 (default 8) */
    maxAttempts?: number;
    /** exponential (with full jitter) or fixed; default exponential */
    backoff?: "exponential" | "fixed";
    /** 1–3600 (default 5) */
    initialDelaySeconds?: number;
  };
  /** Per attempt, 1–30 (default 10) */
  timeoutSeconds?: number;
};

/** A page, newest first; nextCursor is null on the last page. */
export type TargetPage = {
  data: Target[];
  nextCursor: string | null;
};

/** A retried (replayed) delivery gets a fresh budget of maxAttempts */
export type TargetRetry = {
  maxAttempts: number;
  backoff: "exponential" | "fixed";
  initialDelaySeconds: number;
};

export type TargetSigning = {
  type: "standard-webhooks";
  enabled: boolean;
  /** "…" and the last 4 characters of the whsec_ secret; null only when none is stored (rotate to make one) */
  signingSecretHint: string | null;
};

/** Fields omitted are kept; auth is replaced as a whole; signing and retry are merged */
export type TargetUpdate = {
  /** Unique per org */
  name?: string;
  /** https URL of the receiver. Private, loopback and link-local addresses are refused (here and again after DNS at connect time) unless PROVENANCE_ALLOW_PRIVATE_TARGETS=1, which also permits http to loopback hosts. Credentials in the URL are refused; use auth. */
  url?: string;
  active?: boolean;
  auth?: TargetAuthUpdate;
  signing?: {
    type?: "standard-webhooks";
    enabled?: boolean;
  };
  /** Merged into the stored policy: omitted fields are kept */
  retry?: {
    maxAttempts?: number;
    backoff?: "exponential" | "fixed";
    initialDelaySeconds?: number;
  };
  timeoutSeconds?: number;
};

export type TargetWithSigningSecret = {
  id: string;
  name: string;
  url: string;
  active: boolean;
  auth: TargetAuth;
  signing: TargetSigning;
  retry: TargetRetry;
  timeoutSeconds: number;
  createdAt: string;
  updatedAt: string;
  /** The Standard Webhooks secret (whsec_…) receivers verify with; shown only in this response */
  signingSecret: string;
};

/** Why a matching sample would fail, as the inbound URL would say it */
export type TestFailure = {
  /** The stage that refuses the sample */
  stage: "mappingSchema" | "interaction";
  /** What a ?sync=true delivery of this sample would answer (400 or 422) */
  status: number;
  /** The error a delivery would get: "Mapping schema validation failed", "Resource id not found", "Action not found" or "Interaction could not be built" */
  error: string;
  details: ErrorDetail[];
};

/** The interaction a real delivery would create */
export type TestInteraction = {
  resourceType: string;
  action: string;
  resourceId: string;
  idempotencyKey: string | null;
  object: {
    [key: string]: unknown;
  };
};

export type UnauthorizedError = {
  error: "Unauthorized";
};

export type ValidationFailedError = {
  error: "Validation failed";
  details: ErrorDetail[];
};

export type Verification = {
  preset: "hmac" | "stripe" | "github" | "shopify" | "slack" | "standard-webhooks";
  header: string;
  prefix: string | null;
  algorithm: "sha1" | "sha256" | "sha512";
  encoding: "hex" | "base64";
  timestampField: string | null;
  /** Seconds; the preset's default (300) is filled in for stripe, slack and standard-webhooks */
  replayTolerance: number | null;
  /** "…" and the last 4 characters of the secret (only "…" when shorter than 12) */
  secretHint: string;
};

/** Signature verification settings; the secret is required on create */
export type VerificationInput = {
  /** Provider preset (default "hmac") */
  preset?: "hmac" | "stripe" | "github" | "shopify" | "slack" | "standard-webhooks";
  /** Signature header; presets fill it in, "hmac" defaults to X-Signature */
  header?: string;
  /** Stripped before comparing, e.g. "sha256=" (hmac only) */
  prefix?: string | null;
  /** Default "sha256"; presets other than hmac fix it */
  algorithm?: "sha1" | "sha256" | "sha512";
  /** Default "hex"; presets other than hmac fix it */
  encoding?: "hex" | "base64";
  timestampField?: BodyPath | null;
  /** Seconds; signed-timestamp presets default to 300 */
  replayTolerance?: number | null;
  /** Write-only: never returned; responses show secretHint instead */
  secret: string;
};

/** Replaces the verification settings as a whole; an omitted secret keeps the stored one */
export type VerificationUpdate = {
  /** Provider preset (default "hmac") */
  preset?: "hmac" | "stripe" | "github" | "shopify" | "slack" | "standard-webhooks";
  /** Signature header; presets fill it in, "hmac" defaults to X-Signature */
  header?: string;
  /** Stripped before comparing, e.g. "sha256=" (hmac only) */
  prefix?: string | null;
  /** Default "sha256"; presets other than hmac fix it */
  algorithm?: "sha1" | "sha256" | "sha512";
  /** Default "hex"; presets other than hmac fix it */
  encoding?: "hex" | "base64";
  timestampField?: BodyPath | null;
  /** Seconds; signed-timestamp presets default to 300 */
  replayTolerance?: number | null;
  /** Omit to keep the stored secret */
  secret?: string;
};

export type WhatIfResult = {
  sourceId: string;
  /** Events among the newest that were not run: they never passed verification, or their body was cut or purged */
  skipped: number;
  summary: WhatIfSummary;
  /** Every event whose verdict differs, oldest first (duplicates judged within these events) */
  changed: {
    eventId: string;
    receivedAt: string;
    today: WhatIfSide;
    draft: WhatIfSide;
    changes: {
      field: string;
      today?: unknown;
      draft?: unknown;
    }[];
  }[];
};

export type WhatIfSide = {
  mappingId: string | null;
  mappingTitle: string | null;
  outcome: "interaction" | "duplicate" | "unmatched" | "failed";
  error?: string;
  interaction?: {
    resourceType: string;
    action: string;
    resourceId: string;
    idempotencyKey: string | null;
    /** The interaction object without the generated _uowId */
    object: {
      [key: string]: unknown;
    };
  };
};

export type WhatIfSummary = {
  events: number;
  changed: number;
  changeMapping: number;
  startFailing: number;
  stopFailing: number;
  changeFields: number;
  startDuplicate: number;
  stopDuplicate: number;
  text: string;
};

export type ListInboundSourcesResponse = SourceList;

export type CreateInboundSourceBody = SourceCreate;

export type CreateInboundSourceResponse = Source;

export type GetInboundSourceResponse = Source;

export type UpdateInboundSourceBody = SourceUpdate;

export type UpdateInboundSourceResponse = Source;

export type DeleteInboundSourceResponse = void;

export type ListInboundMappingsQuery = {
  sourceId?: string;
};

export type ListInboundMappingsResponse = MappingList;

export type CreateInboundMappingBody = MappingCreate;

export type CreateInboundMappingResponse = Mapping;

export type GetInboundMappingResponse = Mapping;

export type UpdateInboundMappingBody = MappingUpdate;

export type UpdateInboundMappingResponse = Mapping;

export type DeleteInboundMappingResponse = void;

export type TestInboundMappingBody = MappingTestRequest;

export type TestInboundMappingResponse = MappingTestResult;

export type WhatIfMappingBody = MappingWhatIfRequest;

export type WhatIfMappingResponse = WhatIfResult;

export type WhatIfNewMappingBody = SourceWhatIfRequest;

export type WhatIfNewMappingResponse = WhatIfResult;

export type ListInteractionsQuery = {
  sourceId?: string;
  /** Resource type name */
  resourceType?: string;
  /** Action name */
  action?: string;
  /** The nextCursor of the previous page (opaque) */
  cursor?: string;
  /** Page size, 1–200 (default 50) */
  limit?: number;
};

export type ListInteractionsResponse = InteractionPage;

export type GetInteractionResponse = Interaction;

export type ListEventsQuery = {
  sourceId?: string;
  status?: "queued" | "processed" | "failed" | "duplicate" | "unmatched";
  /** The nextCursor of the previous page (opaque) */
  cursor?: string;
  /** Page size, 1–200 (default 50) */
  limit?: number;
};

export type ListEventsResponse = EventPage;

export type GetEventResponse = EventDetail;

export type ReplayEventResponse = ReplayAccepted;

export type ListTargetsQuery = {
  /** The nextCursor of the previous page (opaque) */
  cursor?: string;
  /** Page size, 1–200 (default 50) */
  limit?: number;
};

export type ListTargetsResponse = TargetPage;

export type CreateTargetBody = TargetCreate;

export type CreateTargetResponse = TargetWithSigningSecret;

export type GetTargetResponse = Target;

export type UpdateTargetBody = TargetUpdate;

export type UpdateTargetResponse = Target;

export type DeleteTargetResponse = void;

export type RotateTargetSigningSecretResponse = TargetWithSigningSecret;

export type ListRoutesQuery = {
  mappingId?: string;
  targetId?: string;
  /** The nextCursor of the previous page (opaque) */
  cursor?: string;
  /** Page size, 1–200 (default 50) */
  limit?: number;
};

export type ListRoutesResponse = RoutePage;

export type CreateRouteBody = RouteCreate;

export type CreateRouteResponse = Route;

export type DeleteRouteResponse = void;

export type ListDeliveriesQuery = {
  status?: "pending" | "succeeded" | "failed" | "dead";
  targetId?: string;
  interactionId?: string;
  /** The nextCursor of the previous page (opaque) */
  cursor?: string;
  /** Page size, 1–200 (default 50) */
  limit?: number;
};

export type ListDeliveriesResponse = DeliveryPage;

export type GetDeliveryResponse = Delivery;

export type RetryDeliveryResponse = DeliveryRetryAccepted;

export type RetryDeliveriesBody = DeliveryBulkRetry;

export type RetryDeliveriesResponse = DeliveryBulkRetryAccepted;

export type ListApiTokensResponse = ApiTokenList;

export type CreateApiTokenBody = ApiTokenCreate;

export type CreateApiTokenResponse = ApiTokenCreated;

export type DeleteApiTokenResponse = void;

export type ListMembersResponse = MemberList;

export type InviteMemberBody = MemberInvite;

export type InviteMemberResponse = MemberInvited;

export type UpdateMemberBody = MemberUpdate;

export type UpdateMemberResponse = Member;

export type RemoveMemberResponse = void;

export type ReinviteMemberResponse = MemberInvited;

export type GetOrgSettingsResponse = OrgSettings;

export type UpdateOrgSettingsBody = OrgSettingsUpdate;

export type UpdateOrgSettingsResponse = OrgSettings;

export type ListSecretsResponse = OrgSecretList;

export type PutSecretBody = OrgSecretPut;

export type PutSecretResponse = OrgSecret;

export type DeleteSecretResponse = void;

export type ListFlowVersionsQuery = {
  /** Only this package's versions */
  package?: string;
  /** The nextCursor of the previous page (opaque) */
  cursor?: string;
  /** Page size, 1–200 (default 50) */
  limit?: number;
};

export type ListFlowVersionsResponse = FlowVersionPage;

export type UploadFlowVersionBody = PackageFiles;

export type UploadFlowVersionResponse = FlowVersionDetail;

export type GetFlowVersionResponse = FlowVersionDetail;

export type GetFlowVersionEvidenceResponse = Evidence;

export type ApproveFlowVersionBody = FlowApprove;

export type ApproveFlowVersionResponse = FlowVersion;

export type ApplyFlowVersionResponse = FlowApplyResult;

export type ValidateFlowPackageBody = PackageFiles;

export type ValidateFlowPackageResponse = FlowValidation;

export type TestFlowPackageBody = FlowTestBody;

export type TestFlowPackageResponse = FlowTestRun;

export type GetFlowVersionFilesResponse = FlowFiles;

export type FlowTemplateBody = FlowTemplateRequest;

export type FlowTemplateResponse = FlowFiles;

export type PlanFlowPackageBody = PackageFiles;

export type PlanFlowPackageResponse = FlowPlan;

export type ApplyFlowPackageBody = PackageFiles;

export type ApplyFlowPackageResponse = FlowApplyResult;

/** Every operation the SDK covers: method, path, path parameters, query, body and success response. */
export interface Operations {
  listInboundSources: {
    method: "GET";
    path: "/api/v1/inbound-sources";
    pathParams: Record<string, never>;
    query: never;
    body: never;
    response: ListInboundSourcesResponse;
  };
  createInboundSource: {
    method: "POST";
    path: "/api/v1/inbound-sources";
    pathParams: Record<string, never>;
    query: never;
    body: CreateInboundSourceBody;
    response: CreateInboundSourceResponse;
  };
  getInboundSource: {
    method: "GET";
    path: "/api/v1/inbound-sources/{id}";
    pathParams: { id: string; };
    query: never;
    body: never;
    response: GetInboundSourceResponse;
  };
  updateInboundSource: {
    method: "PATCH";
    path: "/api/v1/inbound-sources/{id}";
    pathParams: { id: string; };
    query: never;
    body: UpdateInboundSourceBody;
    response: UpdateInboundSourceResponse;
  };
  deleteInboundSource: {
    method: "DELETE";
    path: "/api/v1/inbound-sources/{id}";
    pathParams: { id: string; };
    query: never;
    body: never;
    response: DeleteInboundSourceResponse;
  };
  listInboundMappings: {
    method: "GET";
    path: "/api/v1/inbound-mappings";
    pathParams: Record<string, never>;
    query: ListInboundMappingsQuery;
    body: never;
    response: ListInboundMappingsResponse;
  };
  createInboundMapping: {
    method: "POST";
    path: "/api/v1/inbound-mappings";
    pathParams: Record<string, never>;
    query: never;
    body: CreateInboundMappingBody;
    response: CreateInboundMappingResponse;
  };
  getInboundMapping: {
    method: "GET";
    path: "/api/v1/inbound-mappings/{id}";
    pathParams: { id: string; };
    query: never;
    body: never;
    response: GetInboundMappingResponse;
  };
  updateInboundMapping: {
    method: "PATCH";
    path: "/api/v1/inbound-mappings/{id}";
    pathParams: { id: string; };
    query: never;
    body: UpdateInboundMappingBody;
    response: UpdateInboundMappingResponse;
  };
  deleteInboundMapping: {
    method: "DELETE";
    path: "/api/v1/inbound-mappings/{id}";
    pathParams: { id: string; };
    query: never;
    body: never;
    response: DeleteInboundMappingResponse;
  };
  testInboundMapping: {
    method: "POST";
    path: "/api/v1/inbound-mappings/{id}/test";
    pathParams: { id: string; };
    query: never;
    body: TestInboundMappingBody;
    response: TestInboundMappingResponse;
  };
  whatIfMapping: {
    method: "POST";
    path: "/api/v1/inbound-mappings/{id}/what-if";
    pathParams: { id: string; };
    query: never;
    body: WhatIfMappingBody;
    response: WhatIfMappingResponse;
  };
  whatIfNewMapping: {
    method: "POST";
    path: "/api/v1/inbound-sources/{id}/what-if";
    pathParams: { id: string; };
    query: never;
    body: WhatIfNewMappingBody;
    response: WhatIfNewMappingResponse;
  };
  listInteractions: {
    method: "GET";
    path: "/api/v1/interactions";
    pathParams: Record<string, never>;
    query: ListInteractionsQuery;
    body: never;
    response: ListInteractionsResponse;
  };
  getInteraction: {
    method: "GET";
    path: "/api/v1/interactions/{id}";
    pathParams: { id: string; };
    query: never;
    body: never;
    response: GetInteractionResponse;
  };
  listEvents: {
    method: "GET";
    path: "/api/v1/events";
    pathParams: Record<string, never>;
    query: ListEventsQuery;
    body: never;
    response: ListEventsResponse;
  };
  getEvent: {
    method: "GET";
    path: "/api/v1/events/{id}";
    pathParams: { id: string; };
    query: never;
    body: never;
    response: GetEventResponse;
  };
  replayEvent: {
    method: "POST";
    path: "/api/v1/events/{id}/replay";
    pathParams: { id: string; };
    query: never;
    body: never;
    response: ReplayEventResponse;
  };
  listTargets: {
    method: "GET";
    path: "/api/v1/targets";
    pathParams: Record<string, never>;
    query: ListTargetsQuery;
    body: never;
    response: ListTargetsResponse;
  };
  createTarget: {
    method: "POST";
    path: "/api/v1/targets";
    pathParams: Record<string, never>;
    query: never;
    body: CreateTargetBody;
    response: CreateTargetResponse;
  };
  getTarget: {
    method: "GET";
    path: "/api/v1/targets/{id}";
    pathParams: { id: string; };
    query: never;
    body: never;
    response: GetTargetResponse;
  };
  updateTarget: {
    method: "PATCH";
    path: "/api/v1/targets/{id}";
    pathParams: { id: string; };
    query: never;
    body: UpdateTargetBody;
    response: UpdateTargetResponse;
  };
  deleteTarget: {
    method: "DELETE";
    path: "/api/v1/targets/{id}";
    pathParams: { id: string; };
    query: never;
    body: never;
    response: DeleteTargetResponse;
  };
  rotateTargetSigningSecret: {
    method: "POST";
    path: "/api/v1/targets/{id}/rotate-secret";
    pathParams: { id: string; };
    query: never;
    body: never;
    response: RotateTargetSigningSecretResponse;
  };
  listRoutes: {
    method: "GET";
    path: "/api/v1/routes";
    pathParams: Record<string, never>;
    query: ListRoutesQuery;
    body: never;
    response: ListRoutesResponse;
  };
  createRoute: {
    method: "POST";
    path: "/api/v1/routes";
    pathParams: Record<string, never>;
    query: never;
    body: CreateRouteBody;
    response: CreateRouteResponse;
  };
  deleteRoute: {
    method: "DELETE";
    path: "/api/v1/routes/{id}";
    pathParams: { id: string; };
    query: never;
    body: never;
    response: DeleteRouteResponse;
  };
  listDeliveries: {
    method: "GET";
    path: "/api/v1/deliveries";
    pathParams: Record<string, never>;
    query: ListDeliveriesQuery;
    body: never;
    response: ListDeliveriesResponse;
  };
  getDelivery: {
    method: "GET";
    path: "/api/v1/deliveries/{id}";
    pathParams: { id: string; };
    query: never;
    body: never;
    response: GetDeliveryResponse;
  };
  retryDelivery: {
    method: "POST";
    path: "/api/v1/deliveries/{id}/retry";
    pathParams: { id: string; };
    query: never;
    body: never;
    response: RetryDeliveryResponse;
  };
  retryDeliveries: {
    method: "POST";
    path: "/api/v1/deliveries/retry";
    pathParams: Record<string, never>;
    query: never;
    body: RetryDeliveriesBody;
    response: RetryDeliveriesResponse;
  };
  listApiTokens: {
    method: "GET";
    path: "/api/v1/api-tokens";
    pathParams: Record<string, never>;
    query: never;
    body: never;
    response: ListApiTokensResponse;
  };
  createApiToken: {
    method: "POST";
    path: "/api/v1/api-tokens";
    pathParams: Record<string, never>;
    query: never;
    body: CreateApiTokenBody;
    response: CreateApiTokenResponse;
  };
  deleteApiToken: {
    method: "DELETE";
    path: "/api/v1/api-tokens/{id}";
    pathParams: { id: string; };
    query: never;
    body: never;
    response: DeleteApiTokenResponse;
  };
  listMembers: {
    method: "GET";
    path: "/api/v1/members";
    pathParams: Record<string, never>;
    query: never;
    body: never;
    response: ListMembersResponse;
  };
  inviteMember: {
    method: "POST";
    path: "/api/v1/members";
    pathParams: Record<string, never>;
    query: never;
    body: InviteMemberBody;
    response: InviteMemberResponse;
  };
  updateMember: {
    method: "PATCH";
    path: "/api/v1/members/{id}";
    pathParams: { id: string; };
    query: never;
    body: UpdateMemberBody;
    response: UpdateMemberResponse;
  };
  removeMember: {
    method: "DELETE";
    path: "/api/v1/members/{id}";
    pathParams: { id: string; };
    query: never;
    body: never;
    response: RemoveMemberResponse;
  };
  reinviteMember: {
    method: "POST";
    path: "/api/v1/members/{id}/invite";
    pathParams: { id: string; };
    query: never;
    body: never;
    response: ReinviteMemberResponse;
  };
  getOrgSettings: {
    method: "GET";
    path: "/api/v1/org";
    pathParams: Record<string, never>;
    query: never;
    body: never;
    response: GetOrgSettingsResponse;
  };
  updateOrgSettings: {
    method: "PATCH";
    path: "/api/v1/org";
    pathParams: Record<string, never>;
    query: never;
    body: UpdateOrgSettingsBody;
    response: UpdateOrgSettingsResponse;
  };
  listSecrets: {
    method: "GET";
    path: "/api/v1/secrets";
    pathParams: Record<string, never>;
    query: never;
    body: never;
    response: ListSecretsResponse;
  };
  putSecret: {
    method: "PUT";
    path: "/api/v1/secrets/{name}";
    pathParams: { name: string; };
    query: never;
    body: PutSecretBody;
    response: PutSecretResponse;
  };
  deleteSecret: {
    method: "DELETE";
    path: "/api/v1/secrets/{name}";
    pathParams: { name: string; };
    query: never;
    body: never;
    response: DeleteSecretResponse;
  };
  listFlowVersions: {
    method: "GET";
    path: "/api/v1/providerflow/versions";
    pathParams: Record<string, never>;
    query: ListFlowVersionsQuery;
    body: never;
    response: ListFlowVersionsResponse;
  };
  uploadFlowVersion: {
    method: "POST";
    path: "/api/v1/providerflow/versions";
    pathParams: Record<string, never>;
    query: never;
    body: UploadFlowVersionBody;
    response: UploadFlowVersionResponse;
  };
  getFlowVersion: {
    method: "GET";
    path: "/api/v1/providerflow/versions/{id}";
    pathParams: { id: string; };
    query: never;
    body: never;
    response: GetFlowVersionResponse;
  };
  getFlowVersionEvidence: {
    method: "GET";
    path: "/api/v1/providerflow/versions/{id}/evidence";
    pathParams: { id: string; };
    query: never;
    body: never;
    response: GetFlowVersionEvidenceResponse;
  };
  approveFlowVersion: {
    method: "POST";
    path: "/api/v1/providerflow/versions/{id}/approve";
    pathParams: { id: string; };
    query: never;
    body: ApproveFlowVersionBody;
    response: ApproveFlowVersionResponse;
  };
  applyFlowVersion: {
    method: "POST";
    path: "/api/v1/providerflow/versions/{id}/apply";
    pathParams: { id: string; };
    query: never;
    body: never;
    response: ApplyFlowVersionResponse;
  };
  validateFlowPackage: {
    method: "POST";
    path: "/api/v1/providerflow/validate";
    pathParams: Record<string, never>;
    query: never;
    body: ValidateFlowPackageBody;
    response: ValidateFlowPackageResponse;
  };
  testFlowPackage: {
    method: "POST";
    path: "/api/v1/providerflow/test";
    pathParams: Record<string, never>;
    query: never;
    body: TestFlowPackageBody;
    response: TestFlowPackageResponse;
  };
  getFlowVersionFiles: {
    method: "GET";
    path: "/api/v1/providerflow/versions/{id}/files";
    pathParams: { id: string; };
    query: never;
    body: never;
    response: GetFlowVersionFilesResponse;
  };
  flowTemplate: {
    method: "POST";
    path: "/api/v1/providerflow/templates";
    pathParams: Record<string, never>;
    query: never;
    body: FlowTemplateBody;
    response: FlowTemplateResponse;
  };
  planFlowPackage: {
    method: "POST";
    path: "/api/v1/providerflow/plan";
    pathParams: Record<string, never>;
    query: never;
    body: PlanFlowPackageBody;
    response: PlanFlowPackageResponse;
  };
  applyFlowPackage: {
    method: "POST";
    path: "/api/v1/providerflow/apply";
    pathParams: Record<string, never>;
    query: never;
    body: ApplyFlowPackageBody;
    response: ApplyFlowPackageResponse;
  };
}
