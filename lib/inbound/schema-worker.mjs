// @ts-check
// A schema worker thread (started by schema-pool.ts): validates payloads against JSON
// Schemas with the shared engine, one job at a time. The pool bounds each job's time
// and this thread's heap (resourceLimits); past either, it ends the thread and starts a
// new one, so nothing here needs to watch the clock.
//
// Messages in:  { id, key, size, data | raw, prefix, schema? } (schema only when asked
//               for; `raw`: the UTF-8 JSON body the payload was parsed from, parsed here
//               so the main thread copies bytes instead of cloning an object graph)
// Messages out: { ready: true } once loaded; { id, needSchema: true } for a key not in
//               this thread's cache; { id, first: details } when the payload is known
//               to be invalid, before all its errors are collected; { id, result }.
import { parentPort } from "node:worker_threads";
import { createSchemaEngine } from "./schema-engine.mjs";

if (!parentPort) throw new Error("schema-worker.mjs runs as a worker thread");
const port = parentPort;
const engine = createSchemaEngine();

const decoder = new TextDecoder();

port.on("message", (/** @type {{ id: number; key: string; size: number; data?: unknown; raw?: Uint8Array; prefix: string; schema?: object }} */ job) => {
  const compiled = job.schema ? engine.compile(job.key, job.schema, job.size) : engine.cached(job.key);
  if (!compiled) {
    port.postMessage({ id: job.id, needSchema: true });
    return;
  }
  // Compiled (or found): the pool starts the payload's validation budget now.
  if (job.schema) port.postMessage({ id: job.id, compiled: true });
  // The main thread parsed the same bytes before sending them: they are JSON.
  const data = job.raw ? JSON.parse(decoder.decode(job.raw)) : job.data;
  const result = engine.validate(compiled, data, job.prefix, (first) => port.postMessage({ id: job.id, first }));
  port.postMessage({ id: job.id, result });
});

// Warm up before saying so: AJV's first compile and validation in a thread (code
// generation, formats, RE2) cost more than the next hundred.
engine.validate(
  engine.compile("warm-up", { type: "object", properties: { a: { type: "string", format: "date-time", pattern: "^2" }, b: { type: "array", uniqueItems: true } } }, 0),
  { a: "2026-01-01T00:00:00Z", b: [1, { c: 2 }] },
  "",
);
port.postMessage({ ready: true });
