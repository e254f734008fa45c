// The inbound entry as a plain function: stages 1–7 (sync) or 1–3 plus a durable
// enqueue (queue mode). The Next.js route is a thin adapter around it.
import { outcomeResponse } from "./outcomes";
import { RESPONSES, responseFor, runMappingStages, verifyAndValidate, type InboundResponse } from "./pipeline";
import type { Detail } from "./types";
import type { Clock, EventQueue, FailedEventBudget, IdGen, NewEvent, PipelineStore, SourceKey, SourceLookup } from "./ports";
import { redactHeaders } from "./redact-headers";
import { isWellFormedSourceRef } from "./inbound-url-grammar";
import { validateInProcess, type SchemaValidator } from "./validate-schema";

/** What is kept of a body that is rejected before the pipeline accepted it. */
export const FAILED_BODY_KEEP_BYTES = 64 * 1024;

export type BodyRead = { ok: true; bytes: Uint8Array } | { ok: false; head: Uint8Array };

export type InboundRequest = {
  slug: string;
  key: SourceKey;
  /** `?sync=true` as sent; honoured only when deps.syncAllowed. */
  sync: boolean;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** The inbound URL's query parameters (the first value of each), stored with the event for `$query.` paths. */
  query?: Record<string, string>;
  /** Reads the body, refusing past `limit` bytes without buffering more. */
  readBody: (limit: number) => Promise<BodyRead>;
};

export type InboundDeps = {
  sources: SourceLookup;
  store: PipelineStore;
  queue: EventQueue;
  clock: Clock;
  ids: IdGen;
  maxBodyBytes: number;
  syncAllowed: boolean;
  /** Which failed requests are stored as events; absent, every one is. */
  failedEvents?: FailedEventBudget;
  /**
   * Validates payloads against source and mapping schemas, jobs waiting in a lane per
   * source (the app's schema pool: worker threads under a budget). Absent, validation
   * runs on this thread (tests, the ProviderFlow sandbox).
   */
  schemas?: { validator(lane: string): SchemaValidator };
};

export async function handleInbound(req: InboundRequest, deps: InboundDeps): Promise<InboundResponse> {
  // A URL that cannot name a source is refused before any cache or database sees it.
  if (!isWellFormedSourceRef(req.slug, req.key)) return RESPONSES.sourceNotFound;
  const source = await deps.sources.findSource(req.slug, req.key);
  if (!source || !source.active) return RESPONSES.sourceNotFound;

  const now = deps.clock.now();
  const read = await req.readBody(deps.maxBodyBytes);
  const event: NewEvent = {
    id: deps.ids.uuid(),
    source,
    headers: redactHeaders(req.headers, source.verification),
    query: req.query ?? {},
    body: read.ok ? read.bytes : read.head.subarray(0, FAILED_BODY_KEEP_BYTES),
    bodyTruncated: !read.ok,
    stages: [{ stage: "source", outcome: "passed" }],
    receivedAt: new Date(now),
  };

  if (!read.ok) {
    event.stages.push({ stage: "body", outcome: "failed", detail: `Payload too large (limit ${deps.maxBodyBytes} bytes)` });
    return recordFailure(deps, event, { message: "Payload too large" }, RESPONSES.tooLarge);
  }

  // Throws OverloadedError (503, nothing stored) when the schema workers' queue is full.
  const validate = deps.schemas?.validator(source.id) ?? validateInProcess;
  const early = await verifyAndValidate(source, req.headers, read.bytes, now, validate);
  event.stages = early.stages;
  if (!early.ok) {
    if (event.body.length > FAILED_BODY_KEEP_BYTES) {
      event.body = event.body.subarray(0, FAILED_BODY_KEEP_BYTES);
      event.bodyTruncated = true;
    }
    return recordFailure(deps, event, { message: early.error, details: early.details }, early.response);
  }

  if (early.handshake) {
    await deps.store.recordEvent(event, "processed");
    return outcomeResponse("handshake", { challenge: early.handshake.challenge ?? null });
  }

  if (req.sync && deps.syncAllowed) {
    const mappings = await deps.store.activeMappings(source.orgId, source.id);
    // Request paths read what is stored (redacted headers), so sync and queue agree.
    const outcome = await runMappingStages(mappings, early.payload, {
      newId: () => deps.ids.uuid(),
      validate,
      bodyBytes: read.bytes.length,
      request: { headers: event.headers, query: event.query },
    });
    const commit = await deps.store.commitSync(event, outcome);
    return responseFor(outcome, commit, event.id);
  }

  await deps.store.recordEvent(event, "queued");
  await deps.queue.notify(event.id);
  return outcomeResponse("queued", { queued: true, eventId: event.id });
}

/**
 * Stores a request that failed before the pipeline accepted it, within the source's
 * failed-event budget; past it the request is only counted, and its answer (the same
 * status and error) names no event, as none was stored.
 */
async function recordFailure(deps: InboundDeps, event: NewEvent, error: { message: string; details?: Detail[] }, response: InboundResponse): Promise<InboundResponse> {
  if (deps.failedEvents && !(await deps.failedEvents.admit(event.source, event.receivedAt))) return response;
  await deps.store.recordEvent(event, "failed", error);
  return withEventId(response, event.id);
}

function withEventId(res: InboundResponse, eventId: string): InboundResponse {
  return { status: res.status, body: { ...res.body, eventId } };
}
