// Every answer an inbound URL gives, in one typed table: the status, the exact text
// (`error` for refusals, `message` for an accepted event that matched nothing), the
// stage that decides it and when it happens. The pipeline answers from it by kind, never
// by comparing error strings; the HTTP adapters take their own answers (busy, malformed
// URL, internal error) from it; OpenAPI's inbound responses and the README's outcome
// table are rendered from it (a test keeps the README's copy in step).
import type { StageName } from "./ports";

export type InboundOutcomeSpec = {
  status: number;
  /** The body's `error` (a refusal) or `message`; null when the body carries no text. */
  text: string | null;
  /** The field `text` goes in. */
  field: "error" | "message" | null;
  /** True when the body also carries `details` ({ path, message } items). */
  details: boolean;
  /** The stage that decides it; null for the HTTP layer around the pipeline. */
  stage: StageName | null;
  /** Sync only (stages 4–7): in queue mode the request was already answered with 202. */
  syncOnly: boolean;
  /** The body's shape when it has no text (for the README). */
  shape?: string;
  when: string;
};

const spec = (s: Partial<InboundOutcomeSpec> & Pick<InboundOutcomeSpec, "status" | "when">): InboundOutcomeSpec => ({
  text: null,
  field: null,
  details: false,
  stage: null,
  syncOnly: false,
  ...s,
});

export const INBOUND_OUTCOMES = {
  created: spec({
    status: 200,
    stage: "interaction",
    syncOnly: true,
    shape: '{"interactionId":…}',
    when: "The interaction was created",
  }),
  noMapping: spec({
    status: 200,
    text: "No matching mapping found",
    field: "message",
    stage: "mappingSelection",
    syncOnly: true,
    when: "No active mapping's conditions all matched; the event is stored as `unmatched`",
  }),
  duplicate: spec({
    status: 200,
    stage: "dedup",
    syncOnly: true,
    shape: '{"duplicate":true}',
    when: "An interaction with the same resource type, action and idempotency key exists",
  }),
  handshake: spec({
    status: 200,
    stage: "sourceSchema",
    shape: '{"challenge":…}',
    when: 'A `slack`-preset source received `{"type":"url_verification"}` after its signature passed',
  }),
  queued: spec({
    status: 202,
    stage: "sourceSchema",
    shape: '{"queued":true,"eventId":…}',
    when: "Queue mode (the default): stored durably and queued",
  }),
  invalidJson: spec({
    status: 400,
    text: "Invalid JSON body",
    field: "error",
    stage: "sourceSchema",
    when: "The body is not UTF-8 JSON",
  }),
  sourceSchema: spec({
    status: 400,
    text: "Source schema validation failed",
    field: "error",
    details: true,
    stage: "sourceSchema",
    when: "The body fails the source's `payloadSchema`",
  }),
  mappingSchema: spec({
    status: 400,
    text: "Mapping schema validation failed",
    field: "error",
    details: true,
    stage: "mappingSchema",
    syncOnly: true,
    when: "The selected mapping's `payloadSchema` fails (at `schemaRootPath`)",
  }),
  malformedUrl: spec({
    status: 400,
    text: "Malformed URL: a path segment is not valid percent-encoding",
    field: "error",
    when: "A path segment's percent-encoding is not UTF-8 (the lean `node:http` path; Next.js answers its own 400)",
  }),
  bodyIncomplete: spec({
    status: 400,
    text: "Request body incomplete",
    field: "error",
    stage: "body",
    when: "The sender stopped mid-body (aborted or timed out); nothing was stored",
  }),
  signatureFailed: spec({
    status: 401,
    text: "Signature verification failed",
    field: "error",
    stage: "signature",
    when: "The signature is missing or wrong, or the source's verification settings cannot be used",
  }),
  tooOld: spec({
    status: 401,
    text: "Event too old",
    field: "error",
    stage: "signature",
    when: "The signed timestamp is outside `replayTolerance` (either direction)",
  }),
  sourceNotFound: spec({
    status: 404,
    text: "Source not found",
    field: "error",
    stage: "source",
    when: "No such source, an inactive one, or one of another org",
  }),
  tooLarge: spec({
    status: 413,
    text: "Payload too large",
    field: "error",
    stage: "body",
    when: "The body is over `PROVENANCE_MAX_BODY_BYTES` (never buffered past it)",
  }),
  resourceIdNotFound: spec({
    status: 422,
    text: "Resource id not found",
    field: "error",
    details: true,
    stage: "interaction",
    syncOnly: true,
    when: "The selected mapping's `resourceIdPath` found no value",
  }),
  actionNotFound: spec({
    status: 422,
    text: "Action not found",
    field: "error",
    details: true,
    stage: "interaction",
    syncOnly: true,
    when: "The selected mapping's `actionPath` found no action name (a non-empty string)",
  }),
  unbuildable: spec({
    status: 422,
    text: "Interaction could not be built",
    field: "error",
    details: true,
    stage: "interaction",
    syncOnly: true,
    when: "A value the mapping reads cannot be stored (nested deeper than 1000 levels)",
  }),
  internal: spec({
    status: 500,
    text: "Internal server error",
    field: "error",
    when: "An infrastructure failure; the sender may retry",
  }),
  busy: spec({
    status: 503,
    text: "Server busy, retry later",
    field: "error",
    when: "Every body slot is taken, or the event write queue or the schema workers' queue is full; with `Retry-After`, nothing stored",
  }),
} as const satisfies Record<string, InboundOutcomeSpec>;

export type InboundOutcomeCode = keyof typeof INBOUND_OUTCOMES;

/** How stages 4–7 can fail once a mapping is selected: each is one row of the table. */
export type MappingFailureKind = Extract<InboundOutcomeCode, "mappingSchema" | BuildFailureKind>;
/** How the building half of stage 7 can fail. */
export type BuildFailureKind = Extract<InboundOutcomeCode, "resourceIdNotFound" | "actionNotFound" | "unbuildable">;

/** The text of a row that has one. */
export function outcomeText(code: InboundOutcomeCode): string {
  const text = INBOUND_OUTCOMES[code].text;
  if (text === null) throw new Error(`internal: inbound outcome ${code} has no text`);
  return text;
}

export type InboundResponse = { status: number; body: Record<string, unknown> };

/** The response of a row, with extra body fields (eventId, details, ids). */
export function outcomeResponse(code: InboundOutcomeCode, extra: Record<string, unknown> = {}): InboundResponse {
  const row = INBOUND_OUTCOMES[code];
  const body: Record<string, unknown> = row.field && row.text !== null ? { [row.field]: row.text } : {};
  return { status: row.status, body: { ...body, ...extra } };
}

/** The rows of one status, for OpenAPI's response descriptions. */
export function outcomesWithStatus(status: number): InboundOutcomeCode[] {
  return (Object.keys(INBOUND_OUTCOMES) as InboundOutcomeCode[]).filter((code) => INBOUND_OUTCOMES[code].status === status);
}

/** A response description for OpenAPI: each row's text (or body) and when it happens. */
export function describeStatus(status: number): string {
  return outcomesWithStatus(status)
    .map((code) => {
      const row = INBOUND_OUTCOMES[code];
      const what = row.text !== null ? `"${row.text}"${row.details ? " (with details)" : ""}` : (row.shape ?? code);
      return `${row.syncOnly ? "Sync: " : ""}${what}: ${row.when.replace(/`/g, "")}`;
    })
    .join("; ");
}

/** The README's outcome table (Markdown), rendered from the table above. */
export function renderOutcomeTable(): string {
  const rows = (Object.keys(INBOUND_OUTCOMES) as InboundOutcomeCode[]).map((code) => {
    const row = INBOUND_OUTCOMES[code];
    const body = row.text !== null ? `{"${row.field}":"${row.text}"${row.details ? ',"details":[…]' : ""}}` : (row.shape ?? "");
    return `| ${row.status} | \`${body}\` | ${row.stage ?? "HTTP"} | ${row.syncOnly ? "Sync only. " : ""}${row.when} |`;
  });
  return ["| status | body | decided at | when |", "|---|---|---|---|", ...rows].join("\n");
}

/** The detail stored on each stage by the pipeline's stages 4–7 and its stores (the SQL one, the in-memory one). */
export const STAGE_TEXT = {
  noMapping: outcomeText("noMapping"),
  noMappingSchema: "No mapping schema",
  noIdempotencyKey: "No idempotency key",
  handshake: "Slack URL verification handshake",
  noVerification: "No verification configured",
  noSourceSchema: "No source schema",
  duplicateOf: (key: string | null) => `Duplicate of an existing interaction (key ${key})`,
  created: (id: string, deliveries: number) => (deliveries ? `${id} (${deliveries} deliveries)` : id),
} as const;
