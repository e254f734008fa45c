// The inbound contract again, row by row, through the lean node:http path that the
// production server (scripts/server.mjs) takes for POST /api/inbound/…: every test of
// tests/inbound.integration.test.ts, with postInbound sending real HTTP requests to
// lib/http/node-inbound.ts instead of calling the App Router's route handler. Both paths
// must give the same answers and store the same events.
import { sendInboundThroughLeanPath } from "./helpers/pipeline-fixtures";

sendInboundThroughLeanPath();
await import("./inbound.integration.test");
