#!/usr/bin/env node
// The production HTTP server (`npm start` runs it through scripts/start.mjs). It is a
// Next.js custom server (https://nextjs.org/docs/app/guides/custom-server) for one
// reason: `POST /api/inbound/…`, the hot path, is answered by the lean node:http path
// (lib/http/node-inbound.ts) instead of going through the Next.js request pipeline,
// which on this hardware costs several times the inbound check itself
// (bench/RESULTS.md). Everything else, the inbound routes' other methods and URLs
// included, goes to Next.js unchanged. The lean path is compiled with the app by
// Next.js and handed over by instrumentation.ts through globalThis once the app has
// booted; with PROVENANCE_LEAN_INBOUND=0, or if it is missing, the App Router's inbound
// route handlers answer (they give the same answers:
// tests/inbound-lean.integration.test.ts runs the inbound suite through both).
//
// Env: PORT (3000), HOSTNAME_BIND (all interfaces), and the HTTP limits below. Plain
// JavaScript: it runs before anything is compiled.
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

const LEAN_INBOUND_GLOBAL = "__provenanceLeanInbound"; // lib/http/node-inbound.ts
const SHUTDOWN_GRACE_MS = 10_000;

/** A positive integer setting, or its default; a bad value stops the server with a message naming it. */
function intSetting(name, fallback, min, max) {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    console.error(`[provenance] ${name} must be an integer from ${min} to ${max} (got "${raw}")`);
    process.exit(2);
  }
  return value;
}

// HTTP limits (README, "Configuration" and "Security"): against slowloris, a client that
// takes forever to send its headers or its body is cut off, and an idle keep-alive
// connection is closed. Node checks these timeouts every connectionsCheckingInterval
// (30 s by default, far too coarse for a 10 s limit).
const headersTimeout = intSetting("PROVENANCE_HEADERS_TIMEOUT_MS", 10_000, 1_000, 600_000);
const requestTimeout = intSetting("PROVENANCE_REQUEST_TIMEOUT_MS", 30_000, 1_000, 3_600_000);
const keepAliveTimeout = intSetting("PROVENANCE_KEEP_ALIVE_TIMEOUT_MS", 5_000, 1_000, 600_000);
if (requestTimeout < headersTimeout) {
  console.error("[provenance] PROVENANCE_REQUEST_TIMEOUT_MS must be at least PROVENANCE_HEADERS_TIMEOUT_MS");
  process.exit(2);
}
const SERVER_OPTIONS = {
  headersTimeout,
  requestTimeout,
  keepAliveTimeout,
  connectionsCheckingInterval: 1_000,
  // 16 KiB of request line and headers (Node's default, stated), at most 100 header lines.
  maxHeaderSize: 16 * 1024,
};
const MAX_HEADERS_COUNT = 100;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.PORT || 3000);
const hostname = process.env.HOSTNAME_BIND || undefined;
// As `next start` does: the app reads NODE_ENV (e.g. ?sync=true is refused in production).
process.env.NODE_ENV ??= "production";
process.title = "provenance-server";

const { default: next } = await import("next");
const app = next({ dev: false, dir: root, hostname: hostname ?? "localhost", port });
const handle = app.getRequestHandler();
/** @type {{ match(url: string): unknown; serve(req: http.IncomingMessage, res: http.ServerResponse, target: unknown): Promise<void> } | null} */
let lean = null;
let prepared = false;
const ready = app.prepare().then(() => {
  prepared = true;
});

function failed(res, err) {
  console.error(`[provenance] request failed: ${err instanceof Error ? err.message : String(err)}`);
  if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
  res.end(JSON.stringify({ error: "Internal server error" }));
}

function route(req, res) {
  // Instrumentation may finish after prepare() resolves: look until it has.
  lean ??= /** @type {any} */ (globalThis)[LEAN_INBOUND_GLOBAL] ?? null;
  const target = lean !== null && req.method === "POST" ? lean.match(req.url ?? "") : null;
  if (target) lean.serve(req, res, target).catch((err) => failed(res, err));
  else handle(req, res).catch((err) => failed(res, err));
}

// Listening before the app has booted, as `next start` does: early requests wait for it.
const server = http.createServer(SERVER_OPTIONS, (req, res) => {
  if (prepared) route(req, res);
  else ready.then(() => route(req, res), (err) => failed(res, err));
});
server.maxHeadersCount = MAX_HEADERS_COUNT;
server.on("error", (err) => {
  console.error(`[provenance] cannot listen on ${hostname ?? "*"}:${port}: ${err.message}`);
  process.exit(1);
});
server.listen(port, hostname, () => {
  console.log(`[provenance] listening on http://${hostname ?? "localhost"}:${port}`);
});

ready.catch((err) => {
  console.error(`[provenance] start-up failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

let closing = false;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    // Stop accepting, let requests in flight finish, then let Next.js clean up.
    setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
    server.close(() => {
      app.close().finally(() => process.exit(0));
    });
    server.closeIdleConnections();
  });
}
