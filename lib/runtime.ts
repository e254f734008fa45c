// The composition root: real ports wired once per process and kept on globalThis,
// because Next.js loads instrumentation and each route handler as separate bundles.
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import type { InboundDeps } from "@/lib/inbound/handle-inbound";
import type { EventQueue } from "@/lib/inbound/ports";
import { startEmbeddedWorker, type WorkerHandle } from "@/lib/queue/embedded-worker";
import { startDeliveryWorker, type DeliveryWorkerHandle } from "@/lib/queue/delivery-worker";
import { createPipelineStore } from "@/lib/store/pipeline-store";
import { createSourceLookup } from "@/lib/store/source-lookup";
import { log } from "@/lib/log";
import { createQStashAdapter, type QStashAdapter } from "@/lib/queue/qstash";

type Runtime = {
  deps: InboundDeps;
  qstash: QStashAdapter | null;
  worker?: WorkerHandle;
  deliveryWorker?: DeliveryWorkerHandle;
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
    holder.__provenanceRuntime = {
      ready: false,
      qstash,
      deps: {
        sources: createSourceLookup(pool),
        store: createPipelineStore(pool, wakeDeliveryWorker),
        queue,
        clock: { now: () => Date.now() },
        ids: { uuid: () => randomUUID() },
        maxBodyBytes: e.PROVENANCE_MAX_BODY_BYTES,
        syncAllowed: e.syncAllowed,
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
  });
  rt.deliveryWorker = startDeliveryWorker({
    pool: db().pool,
    allowPrivate: e.PROVENANCE_ALLOW_PRIVATE_TARGETS,
    batchSize: e.PROVENANCE_DELIVERY_CONCURRENCY,
    onError: (err, deliveryId) => log.error({ err: errorMessage(err), deliveryId }, "delivery worker error"),
    ...(qstash ? { dispatch: (d: { id: string; lease: string }) => qstash.publishDelivery(d) } : {}),
  });
}

/** Shortens the delivery worker's wait after deliveries were created or retried. */
export function wakeDeliveryWorker(): void {
  holder.__provenanceRuntime?.deliveryWorker?.wake();
}

export async function stopWorker(): Promise<void> {
  const rt = runtime();
  await Promise.all([rt.worker?.stop(), rt.deliveryWorker?.stop()]);
  rt.worker = undefined;
  rt.deliveryWorker = undefined;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
