// The stage functions shared by every caller: the inbound route (sync and queue mode),
// the embedded worker, replay and the ProviderFlow sandbox. Each returns a typed result
// and never throws for a sender's or operator's mistake.
import { evaluateConditions } from "./conditions";
import { buildInteraction, extractSchemaRoot, schemaRootPointer } from "./build-interaction";
import { INBOUND_OUTCOMES, STAGE_TEXT, outcomeResponse, outcomeText, type InboundResponse } from "./outcomes";
import type { MappingRecord, MappingTrace, MappingTry, Outcome, SourceRecord, StageOutcome } from "./ports";
import { NO_REQUEST, type RequestParts } from "./paths";
import type { MappingFailureKind } from "./outcomes";
import type { Detail } from "./types";
import type { SchemaValidator } from "./validate-schema";
import { verifySignature } from "./verify-signature";

export type { InboundResponse } from "./outcomes";

/** The fixed answers of stages 1–3 and of a sync request's stages 4–7 (outcomes.ts). */
export const RESPONSES = {
  sourceNotFound: outcomeResponse("sourceNotFound"),
  signatureFailed: outcomeResponse("signatureFailed"),
  tooOld: outcomeResponse("tooOld"),
  invalidJson: outcomeResponse("invalidJson"),
  tooLarge: outcomeResponse("tooLarge"),
  noMapping: outcomeResponse("noMapping"),
  duplicate: outcomeResponse("duplicate", { duplicate: true }),
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
    stages.push({ stage: "signature", outcome: "failed", detail: `${outcomeText("signatureFailed")}: ${source.verificationProblem}` });
    return { ok: false, stages, response: RESPONSES.signatureFailed, error: outcomeText("signatureFailed") };
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
      const code = sig.reason === "too_old" ? "tooOld" : "signatureFailed";
      stages.push({ stage: "signature", outcome: "failed", detail: outcomeText(code) });
      return { ok: false, stages, response: RESPONSES[code], error: outcomeText(code) };
    }
    stages.push({ stage: "signature", outcome: "passed" });
  } else {
    stages.push({ stage: "signature", outcome: "skipped", detail: STAGE_TEXT.noVerification });
  }

  if (!parsed && !parse()) {
    stages.push({ stage: "sourceSchema", outcome: "failed", detail: outcomeText("invalidJson") });
    return { ok: false, stages, response: RESPONSES.invalidJson, error: outcomeText("invalidJson") };
  }

  if (
    source.verification?.preset === "slack" &&
    isObject(payload) &&
    payload.type === "url_verification"
  ) {
    stages.push({ stage: "sourceSchema", outcome: "skipped", detail: STAGE_TEXT.handshake });
    return { ok: true, payload, stages, handshake: { challenge: payload.challenge } };
  }

  if (source.payloadSchema) {
    const res = await validate(source.payloadSchema, payload, { raw: rawBody });
    if (!res.ok) {
      stages.push({ stage: "sourceSchema", outcome: "failed", detail: `${res.errors.length} error(s)` });
      const error = outcomeText("sourceSchema");
      return { ok: false, stages, response: outcomeResponse("sourceSchema", { details: res.errors }), error, details: res.errors };
    }
    stages.push({ stage: "sourceSchema", outcome: "passed" });
  } else {
    stages.push({ stage: "sourceSchema", outcome: "skipped", detail: STAGE_TEXT.noSourceSchema });
  }
  return { ok: true, payload, stages };
}

export type MappingStagesOptions = {
  newId: () => string;
  validate: SchemaValidator;
  /** Size of the body the payload was parsed from (what a bounded validator counts). */
  bodyBytes?: number;
  /** The request's headers (as stored: redacted) and query, for request paths ($headers.…, $query.…). */
  request?: RequestParts;
  /**
   * With one mapping whose conditions fail, still run its schema (stage 5) into the
   * trace, so the mapping tester shows every problem of a sample at once. The outcome
   * is unmatched all the same.
   */
  explainUnmatched?: boolean;
};

/**
 * Stages 4, 5 and the building half of 7, for every caller: sync requests, the worker,
 * replays (through the worker), what-if, the mapping tester, the ProviderFlow sandbox
 * and prod revalidation. Deduplication (6) is the store's insert (a unique index), and
 * its stage text is settleStages' below. Never throws for a sender's or operator's
 * mistake; the outcome's trace says what each stage saw.
 */
export async function runMappingStages(mappings: readonly MappingRecord[], payload: unknown, opts: MappingStagesOptions): Promise<Outcome> {
  const request = opts.request ?? NO_REQUEST;
  const stages: StageOutcome[] = [];
  const trace: MappingTrace = { tried: [], schema: null, build: null };

  // Stage 4: in the order given (priority, then age), up to the first whose conditions all pass.
  let mapping: MappingRecord | undefined;
  for (const m of mappings) {
    const evaluated = evaluateConditions(m.conditions, payload, request);
    const tried: MappingTry = { mapping: m, matched: evaluated.pass, conditions: evaluated.results };
    trace.tried.push(tried);
    if (evaluated.pass) {
      mapping = m;
      break;
    }
  }
  if (!mapping) {
    stages.push({ stage: "mappingSelection", outcome: "failed", detail: STAGE_TEXT.noMapping });
    const only = mappings.length === 1 ? mappings[0] : undefined;
    if (opts.explainUnmatched && only) trace.schema = await runSchema(only, payload, opts);
    return { kind: "unmatched", stages, trace };
  }
  stages.push({ stage: "mappingSelection", outcome: "passed", detail: `${mapping.title} (${mapping.id})` });

  // Stage 5. Error paths point into the whole payload, so a sender can find the field.
  trace.schema = await runSchema(mapping, payload, opts);
  if (trace.schema.outcome === "failed") {
    stages.push({ stage: "mappingSchema", outcome: "failed", detail: `${trace.schema.errors.length} error(s)` });
    return failed("mappingSchema", stages, trace, trace.schema.errors, mapping.id);
  }
  stages.push(
    trace.schema.outcome === "passed"
      ? { stage: "mappingSchema", outcome: "passed" }
      : { stage: "mappingSchema", outcome: "skipped", detail: STAGE_TEXT.noMappingSchema },
  );

  // Stage 7, the building half.
  const built = buildInteraction(mapping, payload, opts.newId, request);
  if (!built.ok) {
    trace.build = { ok: false, kind: built.kind, details: built.details };
    stages.push({ stage: "interaction", outcome: "failed", detail: outcomeText(built.kind) });
    return failed(built.kind, stages, trace, built.details, mapping.id);
  }
  trace.build = { ok: true };
  return {
    kind: "ready",
    stages,
    trace,
    interaction: {
      id: opts.newId(),
      mapping,
      action: built.action,
      resourceId: built.resourceId,
      idempotencyKey: built.idempotencyKey,
      object: built.object,
    },
  };
}

async function runSchema(mapping: MappingRecord, payload: unknown, opts: MappingStagesOptions): Promise<NonNullable<MappingTrace["schema"]>> {
  if (!mapping.payloadSchema) return { outcome: "skipped", errors: [] };
  const root = extractSchemaRoot(payload, mapping.schemaRootPath ?? null);
  const res = await opts.validate(mapping.payloadSchema, root, {
    pointerPrefix: schemaRootPointer(mapping.schemaRootPath),
    bytes: opts.bodyBytes,
  });
  return res.ok ? { outcome: "passed", errors: [] } : { outcome: "failed", errors: res.errors };
}

function failed(
  failure: MappingFailureKind,
  stages: StageOutcome[],
  trace: MappingTrace,
  details: Detail[],
  mappingId: string,
): Outcome {
  return { kind: "failed", failure, stages, trace, error: outcomeText(failure), details, mappingId };
}

/**
 * Stages 6 and 7 as the event records them, once the store has decided whether the
 * interaction was new: the one text for the SQL store and the in-memory ones.
 */
export function settleStages(
  interaction: { id: string; idempotencyKey: string | null },
  settled: { duplicate: true } | { duplicate: false; deliveries: number; note?: string | null },
): StageOutcome[] {
  const key = interaction.idempotencyKey;
  if (settled.duplicate) return [{ stage: "dedup", outcome: "failed", detail: STAGE_TEXT.duplicateOf(key) }];
  const detail = [STAGE_TEXT.created(interaction.id, settled.deliveries), settled.note ?? null].filter(Boolean).join("; ");
  return [
    key === null ? { stage: "dedup", outcome: "skipped", detail: STAGE_TEXT.noIdempotencyKey } : { stage: "dedup", outcome: "passed" },
    { stage: "interaction", outcome: "passed", detail },
  ];
}

/** The response a sync request gets for a committed outcome: its row of the outcome table. */
export function responseFor(outcome: Outcome, commit: { status: string; interactionId?: string }, eventId: string): InboundResponse {
  if (outcome.kind === "unmatched") return outcomeResponse("noMapping", { eventId });
  if (outcome.kind === "failed") return outcomeResponse(outcome.failure, { details: outcome.details ?? [], eventId });
  if (commit.status === "duplicate") return outcomeResponse("duplicate", { duplicate: true, eventId });
  return outcomeResponse("created", { interactionId: commit.interactionId, eventId });
}

/** The status a committed outcome is answered with, without building the body. */
export function statusFor(outcome: Outcome): number {
  if (outcome.kind === "unmatched") return INBOUND_OUTCOMES.noMapping.status;
  if (outcome.kind === "failed") return INBOUND_OUTCOMES[outcome.failure].status;
  return INBOUND_OUTCOMES.created.status;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
