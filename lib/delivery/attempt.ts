// One HTTP attempt to a delivery target. Never throws: every outcome, including a
// refused URL, a DNS failure or a timeout, is a result the caller records.
//
// - node:http/https with the SSRF-safe lookup, so the private-address check holds at
//   connect time, after DNS (see ssrf-guard.ts). The URL itself is re-checked first:
//   Node does not call `lookup` for IP-literal hosts, and a target stored before a
//   rule tightened must not slip through.
// - One overall deadline covers DNS, connect, TLS, sending, the response head and the
//   body. When it passes the socket is destroyed; a slow-drip server cannot hold a
//   worker past timeoutMs.
// - At most RESPONSE_BODY_LIMIT bytes of the response are read; then the stream is
//   destroyed. A target answering with gigabytes costs us 2 KiB, not memory.
// - Redirects are NOT followed; a 3xx is a failed attempt. The Location could point at
//   a private address or another scheme, and following it would bypass the checks
//   made on the target's URL. Targets must be configured with their final URL.
// - A fresh connection per attempt (no keep-alive agent): a pooled socket would skip
//   `lookup`, so a later attempt would not re-check DNS.

import http from "node:http";
import https from "node:https";
import { performance } from "node:perf_hooks";
import { checkTargetUrl, createSafeLookup, EPRIVATE, type Resolve } from "./ssrf-guard";

/** Bytes of the response body kept on an attempt (the spec's "first 2 KiB"). */
export const RESPONSE_BODY_LIMIT = 2048;

const USER_AGENT = "Provenance-Webhooks/1";

export type AttemptDeliveryInput = {
  url: string;
  method?: "POST";
  /** Header names as the target should see them; content-length is always computed here. */
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowPrivate: boolean;
  /** Name resolution for the safe lookup; the OS resolver unless a test plays DNS. */
  resolve?: Resolve;
};

export type AttemptResult = {
  /** True only for a 2xx response. */
  ok: boolean;
  status?: number;
  error?: string;
  /** Wall time of the attempt in milliseconds. */
  ms: number;
  /** The first RESPONSE_BODY_LIMIT bytes of the response, decoded as UTF-8 with replacement characters. */
  responseBody: string;
};

/** A one-line, operator-readable description of a transport error. */
function describeError(err: unknown, url: URL): string {
  const e = err as NodeJS.ErrnoException;
  const where = url.host;
  switch (e.code) {
    case EPRIVATE:
      return e.message;
    case "ECONNREFUSED":
      return `Connection refused by ${where}`;
    case "ECONNRESET":
      return `Connection reset by ${where}`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `DNS lookup failed for ${url.hostname} (${e.code})`;
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `Host ${where} is unreachable (${e.code})`;
    default:
      return e.code ? `${e.message} (${e.code})` : String(e.message ?? err);
  }
}

function headersWithDefaults(headers: Record<string, string>, body: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let hasUserAgent = false;
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    // Computed below from the bytes actually sent; a caller's value could disagree.
    if (lower === "content-length" || lower === "transfer-encoding") continue;
    if (lower === "user-agent") hasUserAgent = true;
    out[name] = value;
  }
  if (!hasUserAgent) out["user-agent"] = USER_AGENT;
  out["content-length"] = String(body.length);
  return out;
}

export function attemptDelivery(input: AttemptDeliveryInput): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const fail = (error: string, status?: number, responseBody = ""): AttemptResult => ({
    ok: false,
    ...(status !== undefined ? { status } : {}),
    error,
    ms: elapsed(),
    responseBody,
  });

  const check = checkTargetUrl(input.url, { allowPrivate: input.allowPrivate });
  if (!check.ok) return Promise.resolve(fail(check.message));
  const url = new URL(input.url);
  const timeoutMs = Number.isFinite(input.timeoutMs) && input.timeoutMs > 0 ? input.timeoutMs : 1;
  const body = Buffer.from(input.body, "utf8");

  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    let req: http.ClientRequest | undefined;
    let res: http.IncomingMessage | undefined;
    const chunks: Buffer[] = [];
    let kept = 0;

    const finish = (result: AttemptResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Nothing more is wanted from this connection; destroying also drops any unread body.
      res?.destroy();
      req?.destroy();
      resolve(result);
    };

    const bodyText = () => new TextDecoder("utf-8").decode(Buffer.concat(chunks, kept));

    const complete = () => {
      const status = res?.statusCode ?? 0;
      const responseBody = bodyText();
      if (status >= 200 && status < 300) return finish({ ok: true, status, ms: elapsed(), responseBody });
      if (status >= 300 && status < 400) {
        const location = res?.headers.location;
        return finish(fail(`Redirect (HTTP ${status}${location ? ` to ${location}` : ""}) not followed`, status, responseBody));
      }
      finish(fail(`HTTP ${status}`, status, responseBody));
    };

    const timer = setTimeout(() => finish(fail(`Timed out after ${timeoutMs} ms`, res?.statusCode)), timeoutMs);

    const options: http.RequestOptions = {
      method: input.method ?? "POST",
      protocol: url.protocol,
      hostname: url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname,
      port: url.port === "" ? undefined : Number(url.port),
      path: `${url.pathname}${url.search}`,
      headers: headersWithDefaults(input.headers, body),
      lookup: createSafeLookup({ allowPrivate: input.allowPrivate, ...(input.resolve ? { resolve: input.resolve } : {}) }),
      agent: false,
    };
    // For https, SNI and certificate checks use the hostname; Node sets servername from it.
    const transport = url.protocol === "https:" ? https : http;

    try {
      req = transport.request(options, (response) => {
        res = response;
        response.on("data", (chunk: Buffer) => {
          if (settled) return;
          const room = RESPONSE_BODY_LIMIT - kept;
          const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
          chunks.push(part);
          kept += part.length;
          if (kept >= RESPONSE_BODY_LIMIT) complete(); // enough: the rest is never read
        });
        response.on("end", complete);
        // A reset after the head still leaves a status to report; the body is what arrived.
        response.on("error", complete);
        response.on("close", complete);
      });
    } catch (err) {
      // Synchronous throws: e.g. a header value with a newline (ERR_INVALID_CHAR).
      finish(fail(`Invalid request: ${(err as Error).message}`));
      return;
    }
    req.on("error", (err) => {
      if (res) complete();
      else finish(fail(describeError(err, url)));
    });
    req.end(body);
  });
}
