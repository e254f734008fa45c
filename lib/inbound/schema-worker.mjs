// @ts-check
// A schema worker thread (started by schema-pool.ts): validates payloads against JSON
// Schemas with the shared engine, one job at a time. The pool bounds each job's time
// and this thread's heap (resourceLimits); past either, it ends the thread and starts a
// new one, so nothing here needs to watch the clock.
//
// Messages in:  { id, key, size, data, prefix, schema? } (schema only when asked for)
// Messages out: { ready: true } once loaded; { id, needSchema: true } for a key not in
//               this thread's cache; { id, first: details } when the payload is known
//               to be invalid, before all its errors are collected; { id, result }.
import { parentPort } from "node:worker_threads";
import { createSchemaEngine } from "./schema-engine.mjs";

if (!parentPort) throw new Error("schema-worker.mjs runs as a worker thread");
const port = parentPort;
const engine = createSchemaEngine();

port.on("message", (/** @type {{ id: number; key: string; size: number; data: unknown; prefix: string; schema?: object }} */ job) => {
  const compiled = job.schema ? engine.compile(job.key, job.schema, job.size) : engine.cached(job.key);
  if (!compiled) {
    port.postMessage({ id: job.id, needSchema: true });
    return;
  }
  const result = engine.validate(compiled, job.data, job.prefix, (first) => port.postMessage({ id: job.id, first }));
  port.postMessage({ id: job.id, result });
});

port.postMessage({ ready: true });
