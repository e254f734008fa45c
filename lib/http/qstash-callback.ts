// The QStash callbacks' shared adapter: 404 when QStash is not configured, the body read
// with a small cap, Upstash-Signature verified on the raw body (401 otherwise), then the
// idempotent work. Infrastructure failures answer 500 so QStash retries.
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { attemptDispatched } from "@/lib/queue/delivery-worker";
import { processEventById } from "@/lib/queue/embedded-worker";
import { DELIVER_PATH, INGEST_PATH } from "@/lib/queue/qstash";
import { runtime, wakeDeliveryWorker } from "@/lib/runtime";
import { readBodyCapped } from "./read-body";

const MAX_CALLBACK_BYTES = 16 * 1024;

async function verified(request: Request, path: string): Promise<{ ok: true; json: Record<string, unknown> } | { ok: false; response: Response }> {
  const qstash = runtime().qstash;
  if (!qstash) return { ok: false, response: Response.json({ error: "Not found" }, { status: 404 }) };
  const read = await readBodyCapped(request, MAX_CALLBACK_BYTES);
  if (!read.ok) return { ok: false, response: Response.json({ error: "Payload too large" }, { status: 413 }) };
  const body = new TextDecoder().decode(read.bytes);
  if (!(await qstash.verify({ signature: request.headers.get("upstash-signature"), body, path }))) {
    return { ok: false, response: Response.json({ error: "Invalid signature" }, { status: 401 }) };
  }
  try {
    const json: unknown = JSON.parse(body);
    if (typeof json === "object" && json !== null && !Array.isArray(json)) return { ok: true, json: json as Record<string, unknown> };
  } catch {
    // fall through
  }
  return { ok: false, response: Response.json({ error: "Invalid JSON body" }, { status: 400 }) };
}

export async function ingestCallback(request: Request): Promise<Response> {
  const v = await verified(request, INGEST_PATH);
  if (!v.ok) return v.response;
  try {
    const result = await processEventById({ pool: db().pool, newId: randomUUID, onDeliveries: wakeDeliveryWorker }, String(v.json.eventId ?? ""));
    return Response.json({ ok: true, result });
  } catch (err) {
    log.error({ err: err instanceof Error ? err.message : String(err) }, "QStash ingest callback failed");
    return Response.json({ error: "Internal server error" }, { status: 500 });
  }
}

export async function deliverCallback(request: Request): Promise<Response> {
  const v = await verified(request, DELIVER_PATH);
  if (!v.ok) return v.response;
  try {
    const result = await attemptDispatched(db().pool, String(v.json.deliveryId ?? ""), String(v.json.lease ?? ""), {
      allowPrivate: env().PROVENANCE_ALLOW_PRIVATE_TARGETS,
    });
    // The attempt ended its lease: the target has room for the next dispatch.
    if (result === "attempted") wakeDeliveryWorker();
    return Response.json({ ok: true, result });
  } catch (err) {
    log.error({ err: err instanceof Error ? err.message : String(err) }, "QStash delivery callback failed");
    return Response.json({ error: "Internal server error" }, { status: 500 });
  }
}
