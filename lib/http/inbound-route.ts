// The inbound endpoints' HTTP layer, shared by both ways a request reaches them: the
// Next.js route handlers (app/api/inbound/…, served by `next dev` and as the fallback)
// and the lean node:http path the production server takes (lib/http/node-inbound.ts).
// Both hand handleInbound the same input and turn its result into the same answer, so
// which one served a request cannot be told from the outside.
import { handleInbound, type InboundRequest } from "@/lib/inbound/handle-inbound";
import { INBOUND_OUTCOMES, outcomeResponse } from "@/lib/inbound/outcomes";
import { isOverloaded, OverloadedError } from "@/lib/inbound/overloaded";
import type { SourceKey } from "@/lib/inbound/ports";
import { queryParams } from "@/lib/inbound/paths";
import { log } from "@/lib/log";
import { runtime } from "@/lib/runtime";
import { isRequestAborted, readBodyCapped } from "./read-body";

export type InboundHttpAnswer = {
  status: number;
  body: Record<string, unknown>;
  /** The body was cut off mid-stream: the connection must close after the answer. */
  close: boolean;
  /** Refused unread because the server is busy: close at once, without reading the rest. */
  shed?: boolean;
  /** Seconds, for a Retry-After header (503). */
  retryAfter?: number;
};

/** The answer when the server is at one of its bounds (every body slot taken, the event write queue full). */
export const BUSY_BODY = outcomeResponse("busy").body;

export async function answerInbound(req: InboundRequest): Promise<InboundHttpAnswer> {
  const started = performance.now();
  // The slug as sent may be anything up to the header size limit: logs keep a valid slug's length.
  const slug = req.slug.slice(0, 64);
  const rt = runtime();
  const slots = rt.bodySlots;
  // A body slot is held only while the body is read: a slow sender holds one for as long
  // as it trickles (until the server's request timeout), others are refused at once.
  const readBody: InboundRequest["readBody"] = async (limit) => {
    if (!slots.tryAcquire()) throw new OverloadedError("Every inbound body slot is in use", 1);
    try {
      return await req.readBody(limit);
    } finally {
      slots.release();
    }
  };
  try {
    const res = await handleInbound({ ...req, readBody }, rt.deps);
    // Ids and outcome only: never headers or bodies, which carry signatures and data.
    log.debug({ slug, status: res.status, eventId: res.body.eventId, ms: Math.round(performance.now() - started) }, "inbound");
    // A body cut off mid-stream leaves the connection unreadable: say it closes, so a
    // provider's keep-alive pool opens a new one instead of hanging on this one.
    return { status: res.status, body: res.body, close: res.status === INBOUND_OUTCOMES.tooLarge.status };
  } catch (err) {
    if (isOverloaded(err)) {
      log.debug({ slug, reason: err.message }, "inbound refused: server busy");
      return { ...outcomeResponse("busy"), close: true, shed: true, retryAfter: err.retryAfterSeconds };
    }
    // The sender went away mid-body (or the server's request timeout cut it off): there
    // is no one to answer, and nothing went wrong here.
    if (isRequestAborted(err)) {
      log.debug({ slug }, "inbound request aborted by the sender");
      return { ...outcomeResponse("bodyIncomplete"), close: true, shed: true };
    }
    // Only infrastructure failures land here (database down); the sender may retry.
    log.error({ err: err instanceof Error ? err.message : String(err), slug }, "inbound request failed");
    return { ...outcomeResponse("internal"), close: false };
  }
}

/** Adapts a Next.js Request to answerInbound and its answer to a Response. */
export async function inboundResponse(request: Request, slug: string, key: SourceKey): Promise<Response> {
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  const url = new URL(request.url);
  const sync = url.searchParams.get("sync") === "true";
  const answer = await answerInbound({ slug, key, sync, headers, query: queryParams(url.search), readBody: (limit) => readBodyCapped(request, limit) });
  const out: Record<string, string> = {};
  if (answer.close) out.connection = "close";
  if (answer.retryAfter !== undefined) out["retry-after"] = String(answer.retryAfter);
  return Response.json(answer.body, { status: answer.status, headers: out });
}
