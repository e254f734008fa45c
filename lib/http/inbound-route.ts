// The inbound endpoints' HTTP layer, shared by both ways a request reaches them: the
// Next.js route handlers (app/api/inbound/…, served by `next dev` and as the fallback)
// and the lean node:http path the production server takes (lib/http/node-inbound.ts).
// Both hand handleInbound the same input and turn its result into the same answer, so
// which one served a request cannot be told from the outside.
import { handleInbound, type InboundRequest } from "@/lib/inbound/handle-inbound";
import type { SourceKey } from "@/lib/inbound/ports";
import { log } from "@/lib/log";
import { runtime } from "@/lib/runtime";
import { readBodyCapped } from "./read-body";

export type InboundHttpAnswer = {
  status: number;
  body: Record<string, unknown>;
  /** The body was cut off mid-stream: the connection must close after the answer. */
  close: boolean;
};

export async function answerInbound(req: InboundRequest): Promise<InboundHttpAnswer> {
  const started = performance.now();
  try {
    const res = await handleInbound(req, runtime().deps);
    // Ids and outcome only: never headers or bodies, which carry signatures and data.
    log.debug({ slug: req.slug, status: res.status, eventId: res.body.eventId, ms: Math.round(performance.now() - started) }, "inbound");
    // A body cut off mid-stream leaves the connection unreadable: say it closes, so a
    // provider's keep-alive pool opens a new one instead of hanging on this one.
    return { status: res.status, body: res.body, close: res.status === 413 };
  } catch (err) {
    // Only infrastructure failures land here (database down); the sender may retry.
    log.error({ err: err instanceof Error ? err.message : String(err), slug: req.slug }, "inbound request failed");
    return { status: 500, body: { error: "Internal server error" }, close: false };
  }
}

/** Adapts a Next.js Request to answerInbound and its answer to a Response. */
export async function inboundResponse(request: Request, slug: string, key: SourceKey): Promise<Response> {
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  const sync = new URL(request.url).searchParams.get("sync") === "true";
  const answer = await answerInbound({ slug, key, sync, headers, readBody: (limit) => readBodyCapped(request, limit) });
  return Response.json(answer.body, { status: answer.status, headers: answer.close ? { connection: "close" } : undefined });
}
