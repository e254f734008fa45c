// The lean inbound path: `POST /api/inbound/:slug/:sourceId` and
// `POST /api/inbound/:slug/by-mnemonic/:mnemonic` answered straight from node:http,
// without the Next.js request pipeline, which costs more than the whole inbound check on
// this hardware (bench/RESULTS.md, finding 3). The production server (scripts/server.mjs)
// sends these two routes here and everything else to Next.js; instrumentation.ts hands
// it this function once the app has booted. The answer is the route handlers' own
// (lib/http/inbound-route.ts answerInbound): same input, same status, body and headers.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { BodyRead } from "@/lib/inbound/handle-inbound";
import { outcomeResponse } from "@/lib/inbound/outcomes";
import type { SourceKey } from "@/lib/inbound/ports";
import { queryParams } from "@/lib/inbound/paths";
import { answerInbound } from "./inbound-route";
import { concat, HEAD_KEEP, RequestAbortedError } from "./read-body";

const PREFIX = "/api/inbound/";

export type InboundTarget = { slug: string; key: SourceKey; sync: boolean; query: Record<string, string> } | { malformed: true };

/**
 * The inbound route a request URL names, as the App Router would match it, or null for
 * anything else (which then goes to Next.js: its 404s, 405s and trailing-slash redirects
 * stay its own). A segment that is not valid percent-encoding is `{ malformed: true }`:
 * the App Router answers that with a bare 500, where the sender deserves a 400.
 */
export function matchInboundUrl(url: string): InboundTarget | null {
  if (!url.startsWith(PREFIX)) return null;
  const q = url.indexOf("?");
  const pathPart = q === -1 ? url.slice(PREFIX.length) : url.slice(PREFIX.length, q);
  const raw = pathPart.split("/");
  if (raw.some((s) => s === "")) return null;
  let segments: string[];
  try {
    segments = raw.map((s) => decodeURIComponent(s));
  } catch {
    return raw.length === 2 || (raw.length === 3 && raw[1] === "by-mnemonic") ? { malformed: true } : null;
  }
  let key: SourceKey;
  if (segments.length === 2) key = { id: segments[1]! };
  else if (segments.length === 3 && raw[1] === "by-mnemonic") key = { mnemonic: segments[2]! };
  else return null;
  const search = q === -1 ? "" : url.slice(q + 1);
  const sync = new URLSearchParams(search).get("sync") === "true";
  return { slug: segments[0]!, key, sync, query: queryParams(search) };
}

/** Reads a node request body up to `limit` bytes, as readBodyCapped does for a Request. */
export function readNodeBodyCapped(req: IncomingMessage, limit: number): Promise<BodyRead> {
  const declared = Number(req.headers["content-length"] ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ ok: false, head: new Uint8Array() });
  if (req.destroyed) return Promise.reject(new RequestAbortedError());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const finish = (fn: () => void) => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
      fn();
    };
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > limit) {
        req.pause();
        finish(() => resolve({ ok: false, head: concat(chunks, Math.min(HEAD_KEEP, total - chunk.byteLength)) }));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish(() => resolve({ ok: true, bytes: concat(chunks, total) }));
    const onError = (err: Error) => finish(() => reject(err));
    const onClose = () => finish(() => reject(new RequestAbortedError()));
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
}

/**
 * How much of a refused (too large) body is still read and thrown away before the 413.
 * A server that answers mid-upload and closes makes the sender's next write fail
 * (EPIPE, ECONNRESET) before it ever reads the answer, so, as nginx's lingering close
 * does, the rest is discarded first, within bounds: past them the answer goes out and the
 * connection closes.
 */
const DISCARD_MAX_BYTES = 8 * 1024 * 1024;
const DISCARD_MAX_MS = 5_000;

/** Reads and drops the rest of a body; true once it has ended, false past the bounds. */
export function discardBody(req: IncomingMessage, maxBytes = DISCARD_MAX_BYTES, maxMs = DISCARD_MAX_MS): Promise<boolean> {
  if (req.readableEnded) return Promise.resolve(true);
  if (req.destroyed) return Promise.resolve(false);
  const declared = Number(req.headers["content-length"] ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.resolve(false);
  return new Promise((resolve) => {
    let seen = 0;
    const finish = (ended: boolean) => {
      clearTimeout(timer);
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("close", onClose);
      req.off("error", onClose);
      if (!ended) req.pause();
      resolve(ended);
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.byteLength;
      if (seen > maxBytes) finish(false);
    };
    const onEnd = () => finish(true);
    const onClose = () => finish(false);
    const timer = setTimeout(() => finish(false), maxMs);
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("close", onClose);
    req.on("error", onClose);
    req.resume();
  });
}

/** Node's request headers as handleInbound takes them: lower-cased, repeated ones joined as fetch's Headers joins them. */
function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

/** Answers one request that matchInboundUrl matched. */
export async function serveInbound(req: IncomingMessage, res: ServerResponse, target: InboundTarget): Promise<void> {
  const answer =
    "malformed" in target
      ? { ...outcomeResponse("malformedUrl"), close: false }
      : await answerInbound({ ...target, headers: headersOf(req), readBody: (limit) => readNodeBodyCapped(req, limit) });
  // A refused body read to its end leaves the connection clean for the next request; a
  // request shed unread (server busy) is not read at all: the connection closes.
  const close = answer.close && (answer.shed || !(await discardBody(req)));
  const payload = JSON.stringify(answer.body);
  const headers: Record<string, string | number> = {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(payload),
  };
  if (close) headers.connection = "close";
  if (answer.retryAfter !== undefined) headers["retry-after"] = answer.retryAfter;
  if (!res.headersSent) res.writeHead(answer.status, headers);
  res.end(payload);
}

/** What the production server looks up on globalThis once the app has booted. */
export type LeanInbound = { match: typeof matchInboundUrl; serve: typeof serveInbound };
export const LEAN_INBOUND_GLOBAL = "__provenanceLeanInbound";
