// The stage functions shared by every caller: the inbound route (sync and queue mode),
// the embedded worker, replay and the ProviderFlow sandbox. Each returns a typed result
// and never throws for a sender's or operator's mistake.
import { evaluateConditions } from "./conditions";
import { buildInteraction, extractSchemaRoot, schemaRootPointer } from "./build-interaction";
import type { MappingRecord, Outcome, SourceRecord, StageOutcome } from "./ports";
import { NO_REQUEST, type RequestParts } from "./paths";
import type { Detail } from "./types";
import type { SchemaValidator } from "./validate-schema";
import { verifySignature } from "./verify-signature";

export type InboundResponse = { status: number; body: Record<string, unknown> };

export const RESPONSES = {
  sourceNotFound: { status: 404, body: { error: "Source not found" } },
  signatureFailed: { status: 401, body: { error: "Signature verification failed" } },
  tooOld: { status: 401, body: { error: "Event too old" } },
  invalidJson: { status: 400, body: { error: "Invalid JSON body" } },
  tooLarge: { status: 413, body: { error: "Payload too large" } },
  noMapping: { status: 200, body: { message: "No matching mapping found" } },
  duplicate: { status: 200, body: { duplicate: true } },
} as const satisfies Record<string, InboundResponse>;

const decoder = new TextDecoder("utf-8", { fatal: true });

export type EarlyResult =
  | { ok: true; payload: unknown; stages: StageOutcome[]; handshake?: { challenge: unknown } }
  | { ok: false; stages: StageOutcome[]; response: InboundResponse; error: string; details?: Detail[] };

/**
 * Stages 2 and 3: signature over the raw bytes, then JSON parsing, then the source
 * schema (with `validate`: the app's schema pool, off the main thread under a budget).
 */
export async function verifyAndValidate(
  source: SourceRecord,
  headers: Record<string, string>,
  rawBody: Uint8Array,
  nowMs: number,
  validate: SchemaValidator,
): Promise<EarlyResult> {
  const stages: StageOutcome[] = [{ stage: "source", outcome: "passed" }];
  let payload: unknown;
  let parsed = false;
  const parse = (): boolean => {
    try {
      payload = JSON.parse(decoder.decode(rawBody));
      parsed = true;
    } catch {
      parsed = false;
    }
    return parsed;
  };

  if (source.verificationProblem) {
    // Fail closed: settings that cannot be checked refuse, never skip the check.
    stages.push({ stage: "signature", outcome: "failed", detail: `Signature verification failed: ${source.verificationProblem}` });
    return { ok: false, stages, response: RESPONSES.signatureFailed, error: RESPONSES.signatureFailed.body.error };
  }
  if (source.verification) {
    // The signature is checked on the raw bytes before any parsing; the parsed payload
    // is needed only afterwards for a payload timestamp (timestampField).
    const needsPayload = Boolean(source.verification.timestampField && source.verification.replayTolerance);
    const sig = verifySignature({
      verification: source.verification,
      headers,
      rawBody,
      nowMs,
      get payload() {
        return needsPayload && (parsed || parse()) ? payload : undefined;
      },
    });
    if (!sig.ok) {
      const tooOld = sig.reason === "too_old";
      stages.push({ stage: "signature", outcome: "failed", detail: tooOld ? "Event too old" : "Signature verification failed" });
      const response = tooOld ? RESPONSES.tooOld : RESPONSES.signatureFailed;
      return { ok: false, stages, response, error: response.body.error };
    }
    stages.push({ stage: "signature", outcome: "passed" });
  } else {
    stages.push({ stage: "signature", outcome: "skipped", detail: "No verification configured" });
  }

  if (!parsed && !parse()) {
    stages.push({ stage: "sourceSchema", outcome: "failed", detail: "Invalid JSON body" });
    return { ok: false, stages, response: RESPONSES.invalidJson, error: "Invalid JSON body" };
  }

  if (
    source.verification?.preset === "slack" &&
    isObject(payload) &&
    payload.type === "url_verification"
  ) {
    stages.push({ stage: "sourceSchema", outcome: "skipped", detail: "Slack URL verification handshake" });
    return { ok: true, payload, stages, handshake: { challenge: payload.challenge } };
  }

  if (source.payloadSchema) {
    const res = await validate(source.payloadSchema, payload, { raw: rawBody });
    if (!res.ok) {
      stages.push({ stage: "sourceSchema", outcome: "failed", detail: `${res.errors.length} error(s)` });
      const error = "Source schema validation failed";
      return { ok: false, stages, response: { status: 400, body: { error, details: res.errors } }, error, details: res.errors };
    }
    stages.push({ stage: "sourceSchema", outcome: "passed" });
  } else {
    stages.push({ stage: "sourceSchema", outcome: "skipped", detail: "No source schema" });
  }
  return { ok: true, payload, stages };
}

/** Stages 4, 5 and the building half of 7. Deduplication (6) happens in the store's insert. */
export async function selectAndBuild(
  mappings: MappingRecord[],
  payload: unknown,
  newId: () => string,
  validate: SchemaValidator,
  /** Size of the body the payload was parsed from (what a bounded validator counts). */
  bodyBytes?: number,
  /** The request's headers (as stored: redacted) and query, for request paths ($headers.…, $query.…). */
  request: RequestParts = NO_REQUEST,
): Promise<Outcome> {
  const stages: StageOutcome[] = [];
  const mapping = mappings.find((m) => evaluateConditions(m.conditions, payload, request).pass);
  if (!mapping) {
    stages.push({ stage: "mappingSelection", outcome: "failed", detail: "No matching mapping found" });
    return { kind: "unmatched", stages };
  }
  stages.push({ stage: "mappingSelection", outcome: "passed", detail: `${mapping.title} (${mapping.id})` });

  if (mapping.payloadSchema) {
    const root = extractSchemaRoot(payload, mapping.schemaRootPath ?? null);
    // Error paths point into the whole payload, so a sender can find the field.
    const res = await validate(mapping.payloadSchema, root, { pointerPrefix: schemaRootPointer(mapping.schemaRootPath), bytes: bodyBytes });
    if (!res.ok) {
      stages.push({ stage: "mappingSchema", outcome: "failed", detail: `${res.errors.length} error(s)` });
      return { kind: "failed", stages, error: "Mapping schema validation failed", details: res.errors, mappingId: mapping.id };
    }
    stages.push({ stage: "mappingSchema", outcome: "passed" });
  } else {
    stages.push({ stage: "mappingSchema", outcome: "skipped", detail: "No mapping schema" });
  }

  const built = buildInteraction(mapping, payload, newId, request);
  if (!built.ok) {
    const error = built.details.some((d) => d.message.startsWith("actionPath")) ? "Action not found" : "Resource id not found";
    stages.push({ stage: "interaction", outcome: "failed", detail: error });
    return { kind: "failed", stages, error, details: built.details, mappingId: mapping.id };
  }
  return {
    kind: "ready",
    stages,
    interaction: {
      id: newId(),
      mapping,
      action: built.action,
      resourceId: built.resourceId,
      idempotencyKey: built.idempotencyKey,
      object: built.object,
    },
  };
}

/** The response a sync request gets for a committed outcome. */
export function responseFor(outcome: Outcome, commit: { status: string; interactionId?: string }, eventId: string): InboundResponse {
  if (outcome.kind === "unmatched") return { status: 200, body: { ...RESPONSES.noMapping.body, eventId } };
  if (outcome.kind === "failed") {
    const status = outcome.error === "Resource id not found" || outcome.error === "Action not found" ? 422 : 400;
    return { status, body: { error: outcome.error, details: outcome.details ?? [], eventId } };
  }
  if (commit.status === "duplicate") return { status: 200, body: { duplicate: true, eventId } };
  return { status: 200, body: { interactionId: commit.interactionId, eventId } };
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
