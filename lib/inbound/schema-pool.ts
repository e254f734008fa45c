// Payload validation off the main thread, under a budget. An inbound payload is an
// outsider's input (a source without verification takes it from anyone) and AJV's cost
// on it is not bounded by its size: every error of a 1 MiB array is built before any cap
// applies, and `$ref`s can apply a subschema exponentially many times. So the pipeline
// and the mapping tester validate here:
//
// - PROVENANCE_SCHEMA_WORKERS threads (default 1) run schema-worker.mjs, one job each
//   at a time. A job that runs past PROVENANCE_SCHEMA_TIMEOUT_MS (default 1000) ends its
//   thread; one whose heap passes PROVENANCE_SCHEMA_MEMORY_MB (default 128) dies with
//   it. Either way a new thread takes its place and the payload fails validation with a
//   detail saying the budget ran out (plus the first error, when one was found before):
//   the event is stored as failed, replayable, never lost. A schema the thread has not
//   compiled yet (an operator's, at most 256 KiB) gets SCHEMA_COMPILE_TIMEOUT_MS (5 s) to
//   compile first; the payload's budget starts when it has.
// - Jobs wait in one queue per lane (a source, the mapping tester of an org), served
//   by least thread time used lately, so a source whose payloads are expensive waits
//   behind every source whose payloads are cheap: those wait at most for the validation
//   already running (at most one budget). At most PROVENANCE_SCHEMA_QUEUE jobs (default
//   256) and SCHEMA_QUEUE_BYTES of payload (8 MiB, counted as the raw bodies' sizes) wait in all,
//   a lane at most half of each (a lane's first job always gets in); past that the
//   request is answered 503 with Retry-After (OverloadedError), before anything is
//   stored, and the provider retries. Waiting payloads are parsed objects on the heap:
//   the byte bound is what keeps a flood of 1 MiB bodies from filling it.
// - Background jobs (the embedded worker finishing queued events) are not refused: their
//   number is bounded by the worker's own concurrency.
//
// The main thread runs AJV on a payload only when the cost is bounded by sizes: a schema
// of at most 16 KiB without refs, a body of at most 64 KiB, and their product at most 2^25
// (validate-schema.ts, quickValid), and then only the stop-at-first-error validator;
// a valid payload is answered at once. Anything else, and every invalid payload's error
// collection, goes to a thread: the raw body is copied to it (a source schema sees the
// whole body) or the part a mapping schema sees is cloned.
import path from "node:path";
import { Worker } from "node:worker_threads";
import { OverloadedError } from "./overloaded";
import type { SchemaDetail, SchemaValidation } from "./schema-engine.mjs";
import { MAX_SCHEMA_ERRORS, quickValid, schemaKey, type SchemaValidator } from "./validate-schema";

/** How fast a lane's record of thread time used fades (see nextJob). */
const USAGE_HALF_LIFE_MS = 10_000;

/** Payload bytes (raw body sizes) that may wait across all lanes. */
export const SCHEMA_QUEUE_BYTES = 8 * 1024 * 1024;

/**
 * How long a thread may take to compile a schema it has not seen before its validation
 * budget starts. The budget bounds what an outsider's payload costs; compiling is the
 * operator's stored schema (at most 256 KiB), once per thread, and on a loaded machine it
 * could otherwise eat a short budget before the first error was found.
 */
export const SCHEMA_COMPILE_TIMEOUT_MS = 5_000;

type LostReason = "timeout" | "compile-timeout" | "memory" | "crash";

export type SchemaPoolOptions = {
  workers: number;
  timeoutMs: number;
  memoryMb: number;
  /** Jobs waiting across all lanes before new ones are refused. */
  queue: number;
  /** Payload bytes waiting across all lanes before new ones are refused; default SCHEMA_QUEUE_BYTES. */
  queueBytes?: number;
  /** The worker script; default lib/inbound/schema-worker.mjs under the working directory. */
  workerFile?: string;
  /** How long compiling a schema a thread has not seen may take; default SCHEMA_COMPILE_TIMEOUT_MS. */
  compileTimeoutMs?: number;
  /** A thread ended for running past its budget (or its compile allowance), or died. */
  onRestart?: (reason: LostReason, lane: string) => void;
};

export type SchemaPool = {
  /** A validator whose jobs wait in `lane`; background ones are never refused. */
  validator(lane: string, options?: { background?: boolean }): SchemaValidator;
  stats(): { spare: boolean; waiting: number; waitingBytes: number; running: number; restarts: number };
  close(): Promise<void>;
};

type Job = {
  id: number;
  key: string;
  size: number;
  schema: object;
  data: unknown;
  raw?: Uint8Array;
  prefix: string;
  lane: string;
  background: boolean;
  bytes: number;
  first?: SchemaDetail[];
  /** When it was handed to a thread. */
  startedAt?: number;
  resolve: (v: SchemaValidation) => void;
  reject: (e: Error) => void;
};

type Slot = {
  worker: Worker;
  ready: boolean;
  job: Job | null;
  timer: NodeJS.Timeout | null;
  /** Keys whose schema this thread was sent (it asks again if its cache dropped one). */
  sent: Set<string>;
};

type WorkerReply = { ready?: true; id?: number; needSchema?: true; compiled?: true; first?: SchemaDetail[]; result?: SchemaValidation };

export function defaultSchemaWorkerFile(): string {
  return path.join(process.cwd(), "lib", "inbound", "schema-worker.mjs");
}

export function createSchemaPool(options: SchemaPoolOptions): SchemaPool {
  const workerFile = options.workerFile ?? defaultSchemaWorkerFile();
  const perLane = Math.max(1, Math.ceil(options.queue / 2));
  const queueBytes = options.queueBytes ?? SCHEMA_QUEUE_BYTES;
  const compileTimeoutMs = options.compileTimeoutMs ?? SCHEMA_COMPILE_TIMEOUT_MS;
  const lanes = new Map<string, Job[]>();
  const laneBytes = new Map<string, number>();
  const usage = new Map<string, { ms: number; at: number }>();
  let waitingBytes = 0;
  const slots: (Slot | null)[] = Array.from({ length: Math.max(1, options.workers) }, () => null);
  let waiting = 0;
  let nextId = 1;
  let restarts = 0;
  let closed = false;

  // After a thread has been ended once (an attacked pool), a spare is kept loading: a
  // replacement then takes over at once (or sooner) instead of the next payload waiting
  // for a new thread to load AJV and compile (a few hundred ms, more on a busy machine).
  let spare: { worker: Worker; ready: boolean; detach: () => void } | null = null;

  function newWorker(): Worker {
    // Reflect.construct, not `new Worker(...)`: the bundler must not try to bundle the
    // script, which is loaded from disk as it is.
    const worker = Reflect.construct(Worker, [
      workerFile,
      { resourceLimits: { maxOldGenerationSizeMb: options.memoryMb, maxYoungGenerationSizeMb: Math.min(32, Math.max(4, options.memoryMb / 8)) }, stdout: false, stderr: false },
    ]) as Worker;
    worker.unref();
    return worker;
  }

  function startSpare(): void {
    if (closed || spare) return;
    const worker = newWorker();
    const s = {
      worker,
      ready: false,
      // Only its own listeners come off when a slot adopts it (Worker keeps internal ones).
      detach: () => {
        worker.off("message", onReady);
        worker.off("error", drop);
        worker.off("exit", drop);
      },
    };
    function onReady(msg: WorkerReply) {
      if (msg.ready) s.ready = true;
    }
    function drop() {
      if (spare === s) spare = null;
      void worker.terminate();
    }
    spare = s;
    worker.on("message", onReady);
    worker.on("error", drop);
    worker.on("exit", drop);
  }

  function spawn(index: number): Slot {
    let worker: Worker;
    let ready = false;
    // A spare still loading is taken too: it is closer to ready than a new thread.
    const warm = spare;
    if (warm) {
      spare = null;
      warm.detach();
      worker = warm.worker;
      ready = warm.ready;
    } else {
      worker = newWorker();
    }
    const slot: Slot = { worker, ready, job: null, timer: null, sent: new Set() };
    slots[index] = slot;
    worker.on("message", (msg: WorkerReply) => onMessage(index, slot, msg));
    worker.on("error", (err: Error & { code?: string }) => {
      if (slots[index] !== slot) return;
      lost(index, slot, err.code === "ERR_WORKER_OUT_OF_MEMORY" ? "memory" : "crash", err);
    });
    worker.on("exit", () => {
      if (slots[index] !== slot) return;
      lost(index, slot, "crash", new Error("schema worker exited"));
    });
    return slot;
  }

  function onMessage(index: number, slot: Slot, msg: WorkerReply): void {
    if (slots[index] !== slot) return;
    if (msg.ready) {
      slot.ready = true;
      dispatch();
      return;
    }
    const job = slot.job;
    if (!job || msg.id !== job.id) return;
    if (msg.needSchema) {
      slot.sent.add(job.key);
      arm(index, slot, job, "compile");
      slot.worker.postMessage({ ...payloadOf(job), id: job.id, key: job.key, size: job.size, prefix: job.prefix, schema: job.schema });
      return;
    }
    if (msg.compiled) {
      // The schema is ready: the payload's validation budget starts now.
      arm(index, slot, job, "validate");
      return;
    }
    if (msg.first) {
      job.first = msg.first;
      return;
    }
    if (msg.result) finish(slot, job, msg.result);
  }

  function finish(slot: Slot, job: Job, result: SchemaValidation): void {
    charge(job.lane, performance.now() - (job.startedAt ?? performance.now()));
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    job.resolve(result);
    dispatch();
  }

  /** The thread's deadline for this job: the compile allowance, or the validation budget. */
  function arm(index: number, slot: Slot, job: Job, phase: "compile" | "validate"): void {
    if (slot.timer) clearTimeout(slot.timer);
    const ms = phase === "compile" ? compileTimeoutMs : options.timeoutMs;
    slot.timer = setTimeout(() => {
      if (slots[index] === slot && slot.job === job) lost(index, slot, phase === "compile" ? "compile-timeout" : "timeout");
    }, ms);
    slot.timer.unref();
  }

  /** A thread that ran past its budget or died: its job fails validation, a new thread takes its place. */
  function lost(index: number, slot: Slot, reason: LostReason, err?: Error): void {
    if (slot.timer) clearTimeout(slot.timer);
    slots[index] = null;
    void slot.worker.terminate();
    const job = slot.job;
    slot.job = null;
    if (!slot.ready && !job) {
      // It never started (the script is missing or broken): refuse what waits, loudly,
      // rather than restarting in a loop. The next job tries again.
      for (const queue of lanes.values()) for (const j of queue) j.reject(new Error(`schema worker cannot start (${workerFile}): ${err?.message ?? reason}`));
      lanes.clear();
      laneBytes.clear();
      waiting = 0;
      waitingBytes = 0;
      return;
    }
    restarts += 1;
    if (job) {
      // A job that ran to its budget costs its lane the budget and a thread's start.
      charge(job.lane, performance.now() - (job.startedAt ?? performance.now()) + 100);
      options.onRestart?.(reason, job.lane);
      job.resolve(budgetExceeded(job, reason));
    }
    if (!closed) {
      spawn(index);
      startSpare();
      dispatch();
    }
  }

  function budgetExceeded(job: Job, reason: LostReason): SchemaValidation {
    const why =
      reason === "timeout"
        ? `validation stopped after ${options.timeoutMs} ms (PROVENANCE_SCHEMA_TIMEOUT_MS)`
        : reason === "compile-timeout"
          ? `validation stopped: the schema did not compile within ${compileTimeoutMs} ms`
          : reason === "memory"
          ? `validation stopped: it needed more than ${options.memoryMb} MB (PROVENANCE_SCHEMA_MEMORY_MB)`
          : "validation stopped: the schema worker failed";
    if (!job.first?.length) return { ok: false, errors: [{ path: job.prefix, message: why }] };
    return { ok: false, errors: [...job.first.slice(0, MAX_SCHEMA_ERRORS - 1), { path: job.prefix, message: `${why}; further errors were not collected` }] };
  }

  /**
   * The next job: from the waiting lane that has used the least thread time lately (each
   * lane's use halves every USAGE_HALF_LIFE_MS), so a source whose payloads run to the
   * budget waits behind every source whose payloads are cheap, and a new source goes
   * first. Ties (all cheap) go to the lane that has waited longest (the Map's order).
   */
  function nextJob(): Job | null {
    const now = performance.now();
    let best: string | null = null;
    let bestUsage = Infinity;
    for (const lane of lanes.keys()) {
      const used = usageOf(lane, now);
      if (used < bestUsage) {
        best = lane;
        bestUsage = used;
      }
    }
    if (best === null) return null;
    const queue = lanes.get(best)!;
    const job = queue.shift()!;
    lanes.delete(best);
    // A lane with more to do goes to the back of its peers.
    if (queue.length > 0) lanes.set(best, queue);
    if (!job.background) {
      waiting -= 1;
      waitingBytes -= job.bytes;
      const left = (laneBytes.get(best) ?? 0) - job.bytes;
      if (left > 0) laneBytes.set(best, left);
      else laneBytes.delete(best);
    }
    return job;
  }

  function usageOf(lane: string, now: number): number {
    const u = usage.get(lane);
    if (!u) return 0;
    return u.ms * 2 ** (-(now - u.at) / USAGE_HALF_LIFE_MS);
  }

  function charge(lane: string, ms: number): void {
    const now = performance.now();
    usage.set(lane, { ms: usageOf(lane, now) + ms, at: now });
    // Forget lanes whose use has decayed to nothing (at most a few thousand are kept).
    if (usage.size > 4096) for (const [k, u] of usage) if (u.ms * 2 ** (-(now - u.at) / USAGE_HALF_LIFE_MS) < 1 || usage.size > 8192) usage.delete(k);
  }

  function dispatch(): void {
    if (closed) return;
    for (let i = 0; i < slots.length; i += 1) {
      if (lanes.size === 0) return;
      let slot = slots[i];
      if (!slot) slot = spawn(i);
      if (!slot.ready || slot.job) continue;
      const job = nextJob();
      if (!job) return;
      slot.job = job;
      job.startedAt = performance.now();
      const withSchema = !slot.sent.has(job.key);
      if (withSchema) {
        if (slot.sent.size >= 10_000) slot.sent.clear();
        slot.sent.add(job.key);
      }
      const current = slot;
      // A schema sent along is compiled first (the worker says when), under its own allowance.
      arm(i, current, job, withSchema ? "compile" : "validate");
      current.worker.postMessage({ ...payloadOf(job), id: job.id, key: job.key, size: job.size, prefix: job.prefix, ...(withSchema ? { schema: job.schema } : {}) });
    }
  }

  /** The payload as sent: its raw JSON bytes when known (a copy of bytes, not a clone of an object graph). */
  function payloadOf(job: Job): { data: unknown } | { raw: Uint8Array } {
    if (!job.raw) return { data: job.data };
    // A view into a larger buffer (Node's pooled Buffers) would clone all of it: copy the range.
    const raw = job.raw.byteLength === job.raw.buffer.byteLength ? job.raw : Uint8Array.prototype.slice.call(job.raw);
    return { raw };
  }

  function submit(
    lane: string,
    background: boolean,
    schema: object,
    data: unknown,
    prefix: string,
    bytes: number,
    raw: Uint8Array | undefined,
  ): Promise<SchemaValidation> {
    if (data === undefined) return Promise.resolve({ ok: false, errors: [{ path: prefix, message: "must be present" }] });
    const id = schemaKey(schema);
    if (!id) return Promise.resolve({ ok: false, errors: [{ path: prefix, message: "schema is not a JSON Schema object" }] });
    // A small payload against a small schema without refs (most webhooks): its cost is
    // bounded by their sizes, so a valid one is answered here without a round trip.
    if (quickValid(schema, id, data, bytes) === true) return Promise.resolve({ ok: true });
    if (closed) return Promise.reject(new Error("schema pool is closed"));
    const queue = lanes.get(lane) ?? [];
    if (!background) {
      const inLane = laneBytes.get(lane) ?? 0;
      const full =
        waiting >= options.queue ||
        queue.filter((j) => !j.background).length >= perLane ||
        (waiting > 0 && waitingBytes + bytes > queueBytes) ||
        (queue.length > 0 && inLane + bytes > queueBytes / 2);
      if (full) return Promise.reject(new OverloadedError("Schema validation is busy: too many payloads wait to be validated", 1));
      waiting += 1;
      waitingBytes += bytes;
      laneBytes.set(lane, inLane + bytes);
    }
    return new Promise<SchemaValidation>((resolve, reject) => {
      queue.push({ id: nextId++, key: id.key, size: id.size, schema, data, raw, prefix, lane, background, bytes, resolve, reject });
      if (!lanes.has(lane)) lanes.set(lane, queue);
      dispatch();
    });
  }

  return {
    validator(lane, opts = {}) {
      const background = opts.background ?? false;
      return (schema, data, o) => submit(lane, background, schema, data, o?.pointerPrefix ?? "", o?.raw?.length ?? o?.bytes ?? 0, o?.raw);
    },
    stats() {
      return { spare: spare !== null, waiting, waitingBytes, running: slots.filter((s) => s?.job).length, restarts };
    },
    async close() {
      closed = true;
      const s = spare;
      spare = null;
      if (s) await s.worker.terminate();
      for (const queue of lanes.values()) for (const j of queue) j.reject(new Error("schema pool is closed"));
      lanes.clear();
      laneBytes.clear();
      waiting = 0;
      waitingBytes = 0;
      await Promise.all(
        slots.map(async (slot, i) => {
          slots[i] = null;
          if (!slot) return;
          if (slot.timer) clearTimeout(slot.timer);
          slot.job?.reject(new Error("schema pool is closed"));
          await slot.worker.terminate();
        }),
      );
    },
  };
}
