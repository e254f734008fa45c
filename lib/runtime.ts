// The composition root: real ports wired once per process and kept on globalThis,
// because Next.js loads instrumentation and each route handler as separate bundles.
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { BodySlots } from "@/lib/http/body-slots";
import type { InboundDeps } from "@/lib/inbound/handle-inbound";
import type { EventQueue } from "@/lib/inbound/ports";
import { createSchemaPool, type SchemaPool } from "@/lib/inbound/schema-pool";
import { startEmbeddedWorker, type WorkerHandle } from "@/lib/queue/embedded-worker";
import { startDeliveryWorker, type DeliveryWorkerHandle } from "@/lib/queue/delivery-worker";
import { startRetentionJob, type RetentionJob } from "@/lib/queue/retention-job";
import { createFailedEventBudget, type FailedEventBudgetHandle } from "@/lib/store/failed-event-budget";
import { createPipelineStore } from "@/lib/store/pipeline-store";
import { retentionPolicy, type RetentionPolicy } from "@/lib/store/retention";
import { startSourceChangeListener, type SourceChangeListener } from "@/lib/store/source-change-listener";
import { createSourceLookup, invalidateSourceCache, setSourceCacheTtl, SOURCE_CACHE_DEGRADED_TTL_MS, SOURCE_CACHE_TTL_MS } from "@/lib/store/source-lookup";
import { log } from "@/lib/log";
import { createQStashAdapter, type QStashAdapter } from "@/lib/queue/qstash";

type Runtime = {
  deps: InboundDeps;
  qstash: QStashAdapter | null;
  failedEvents: FailedEventBudgetHandle;
  retention: RetentionPolicy;
  /** Payload validation against schemas, in worker threads under a budget. */
  schemas: SchemaPool;
  /** Inbound bodies being read at once, at most PROVENANCE_MAX_INFLIGHT_BODIES. */
  bodySlots: BodySlots;
  worker?: WorkerHandle;
  deliveryWorker?: DeliveryWorkerHandle;
  retentionJob?: RetentionJob;
  sourceListener?: SourceChangeListener;
  ready: boolean;
};

/** With QStash carrying events, the embedded worker only sweeps up events older than this. */
const QSTASH_SWEEP_AFTER_SECONDS = 60;

const holder = globalThis as unknown as { __provenanceRuntime?: Runtime };

export function runtime(): Runtime {
  if (!holder.__provenanceRuntime) {
    const e = env();
    const { pool } = db();
    const qstash = e.qstash ? createQStashAdapter(e.qstash, e.publicUrl) : null;
    // The stored event row is the queue entry either way: notify only hands it on.
    const queue: EventQueue = qstash
      ? {
          async notify(eventId) {
            try {
              await qstash.publishEvent(eventId);
            } catch (err) {
              // The event is stored; the sweeper processes it if QStash never delivers it.
              log.warn({ err: errorMessage(err), eventId }, "QStash publish failed; the embedded sweeper will process the event");
            }
          },
        }
      : {
          async notify() {
            holder.__provenanceRuntime?.worker?.wake();
          },
        };
    const failedEvents = createFailedEventBudget(pool, {
      perHour: e.PROVENANCE_FAILED_EVENTS_PER_HOUR,
      onError: (message) => log.warn(message),
    });
    const schemas = createSchemaPool({
      workers: e.PROVENANCE_SCHEMA_WORKERS,
      timeoutMs: e.PROVENANCE_SCHEMA_TIMEOUT_MS,
      memoryMb: e.PROVENANCE_SCHEMA_MEMORY_MB,
      queue: e.PROVENANCE_SCHEMA_QUEUE,
      onRestart: (reason, lane) => log.warn({ reason, lane }, "schema validation ran past its budget; its worker thread was replaced"),
    });
    holder.__provenanceRuntime = {
      ready: false,
      schemas,
      qstash,
      failedEvents,
      bodySlots: new BodySlots(e.PROVENANCE_MAX_INFLIGHT_BODIES),
      retention: retentionPolicy(e.PROVENANCE_RETAIN_BODY_DAYS, e.PROVENANCE_RETAIN_FAILED_DAYS),
      deps: {
        sources: createSourceLookup(pool),
        store: createPipelineStore(pool, wakeDeliveryWorker, {
          maxRows: e.PROVENANCE_EVENT_QUEUE_MAX_ROWS,
          maxBytes: e.PROVENANCE_EVENT_QUEUE_MAX_MB * 1024 * 1024,
        }),
        queue,
        clock: { now: () => Date.now() },
        ids: { uuid: () => randomUUID() },
        maxBodyBytes: e.PROVENANCE_MAX_BODY_BYTES,
        syncAllowed: e.syncAllowed,
        failedEvents,
        schemas,
      },
    };
  }
  return holder.__provenanceRuntime;
}

/** Starts the embedded workers: inbound events (stages 4–7) and deliveries to targets. */
export function startWorker(): void {
  const rt = runtime();
  if (rt.worker) return;
  const e = env();
  const qstash = rt.qstash;
  rt.worker = startEmbeddedWorker({
    pool: db().pool,
    newId: () => randomUUID(),
    onError: (err, eventId) => log.error({ err: errorMessage(err), eventId }, "worker error"),
    onBatchFallback: (err, claimed) => log.warn({ err: errorMessage(err), claimed }, "worker batch write failed; rerunning its events one by one"),
    onDeliveries: wakeDeliveryWorker,
    minAgeSeconds: qstash ? QSTASH_SWEEP_AFTER_SECONDS : 0,
    batchSize: e.PROVENANCE_WORKER_BATCH_SIZE,
    // The embedded database is one session: more loops would only queue for it.
    concurrency: e.embedded ? 1 : e.PROVENANCE_WORKER_CONCURRENCY,
    pollMs: qstash ? 10_000 : 1000,
    schemas: rt.schemas,
  });
  rt.deliveryWorker = startDeliveryWorker({
    pool: db().pool,
    allowPrivate: e.PROVENANCE_ALLOW_PRIVATE_TARGETS,
    concurrency: e.PROVENANCE_DELIVERY_CONCURRENCY,
    targetConcurrency: e.PROVENANCE_DELIVERY_TARGET_CONCURRENCY,
    onError: (err, deliveryId) => log.error({ err: errorMessage(err), deliveryId }, "delivery worker error"),
    ...(qstash ? { dispatch: (d: { id: string; lease: string }) => qstash.publishDelivery(d) } : {}),
  });
  rt.retentionJob = startRetentionJob(db().pool, rt.retention, {
    onRun: (run) => {
      if (run.deletedFailed || run.purgedBodies || run.deletedCounts) log.info(run, "retention run");
    },
    onError: (err) => log.error({ err: errorMessage(err) }, "retention run failed"),
  });
}

/**
 * Listens for source changes made by other processes (LISTEN/NOTIFY), so every process's
 * lookup cache forgets a changed source at once; resolves once listening, or after a
 * few seconds with the cache on its short TTL (retries go on). Not on the embedded
 * database: one process, whose own invalidation is enough.
 */
export async function startSourceInvalidation(): Promise<void> {
  const rt = runtime();
  const e = env();
  if (rt.sourceListener || e.embedded || !e.databaseUrl) return;
  // Until listening, changes elsewhere are seen within the short TTL only.
  setSourceCacheTtl(SOURCE_CACHE_DEGRADED_TTL_MS);
  rt.sourceListener = startSourceChangeListener({
    connectionString: e.databaseUrl,
    onChange: (sourceId) => invalidateSourceCache(sourceId ?? undefined),
    onState: (listening) => {
      setSourceCacheTtl(listening ? SOURCE_CACHE_TTL_MS : SOURCE_CACHE_DEGRADED_TTL_MS);
      if (listening) log.info("listening for source changes");
    },
    onError: (message) => log.warn(message),
  });
  const first = await Promise.race([rt.sourceListener.firstAttempt, new Promise<false>((r) => setTimeout(() => r(false), 5_000).unref())]);
  if (!first) log.warn(`not yet listening for source changes: other processes' changes are seen within ${SOURCE_CACHE_DEGRADED_TTL_MS / 1000} s until it is`);
}

/** Shortens the delivery worker's wait after deliveries were created or retried. */
export function wakeDeliveryWorker(): void {
  holder.__provenanceRuntime?.deliveryWorker?.wake();
}

export async function stopWorker(): Promise<void> {
  const rt = runtime();
  await Promise.all([rt.worker?.stop(), rt.deliveryWorker?.stop(), rt.retentionJob?.stop()]);
  rt.worker = undefined;
  rt.deliveryWorker = undefined;
  rt.retentionJob = undefined;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
