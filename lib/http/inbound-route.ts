// Adapts a Next.js Request to handleInbound and its result to a Response.
import { handleInbound } from "@/lib/inbound/handle-inbound";
import type { SourceKey } from "@/lib/inbound/ports";
import { log } from "@/lib/log";
import { runtime } from "@/lib/runtime";
import { readBodyCapped } from "./read-body";

export async function inboundResponse(request: Request, slug: string, key: SourceKey): Promise<Response> {
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  const sync = new URL(request.url).searchParams.get("sync") === "true";
  const started = performance.now();
  try {
    const res = await handleInbound(
      { slug, key, sync, headers, readBody: (limit) => readBodyCapped(request, limit) },
      runtime().deps,
    );
    // Ids and outcome only: never headers or bodies, which carry signatures and data.
    log.debug({ slug, status: res.status, eventId: res.body.eventId, ms: Math.round(performance.now() - started) }, "inbound");
    // A body cut off mid-stream leaves the connection unreadable: say it closes, so a
    // provider's keep-alive pool opens a new one instead of hanging on this one.
    const responseHeaders: HeadersInit | undefined = res.status === 413 ? { connection: "close" } : undefined;
    return Response.json(res.body, { status: res.status, headers: responseHeaders });
  } catch (err) {
    // Only infrastructure failures land here (database down); the sender may retry.
    log.error({ err: err instanceof Error ? err.message : String(err), slug }, "inbound request failed");
    return Response.json({ error: "Internal server error" }, { status: 500 });
  }
}
