// Nothing accepted is lost: the app (launcher and server, the whole process group)
// is SIGKILLed in the middle of a concurrent stream of queue-mode events, restarted on
// the same database, and every event it answered 202 for becomes exactly one interaction.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMapping, createSource, describeCounts, eventStatusCounts, runBounded, send, startSystem, waitUntil, type System } from "./harness";

const TOTAL = 1_500;
const CONCURRENCY = 16;
const KILL_AFTER_ACCEPTED = 400;

let sys: System;
let sourceId: string;

beforeAll(async () => {
  sys = await startSystem("kill");
  // No verification: this test is about durability, the flood test covers signatures.
  sourceId = await createSource(sys, "orders");
  await createMapping(sys, sourceId);
});

afterAll(async () => {
  await sys?.close();
});

describe("SIGKILL in the middle of a stream of accepted events", () => {
  it("turns every accepted event into exactly one interaction after a restart, none twice", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const accepted = new Map<string, string>(); // eventId → order id sent
    const transportErrors: string[] = [];
    const otherAnswers: string[] = [];
    let killing: Promise<void> | undefined;
    let armed = false;
    let atKill = { queued: -1, processed: -1 };

    // Once enough events are accepted, kill as soon as the worker is busy too (some events
    // processed, more queued), so the kill lands while both halves are at work.
    const killWhenWorkerBusy = async () => {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const counts = await eventStatusCounts(sys.db);
        if ((counts.processed ?? 0) > 0 || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      killing = sys.app.kill().then(async () => {
        const counts = await eventStatusCounts(sys.db);
        atKill = { queued: counts.queued ?? 0, processed: counts.processed ?? 0 };
      });
    };
    let killer: Promise<void> | undefined;

    const started = Date.now();
    await runBounded(TOTAL, CONCURRENCY, async (i) => {
      if (killing) return; // the stream ends with the process
      const orderId = `ord_${i}`;
      try {
        const res = await send(sys.app.baseUrl, `/api/inbound/${sys.orgSlug}/${sourceId}`, JSON.stringify({ id: orderId, total: i }), { agent });
        if (res.status === 202 && res.body?.queued === true && typeof res.body.eventId === "string") {
          accepted.set(res.body.eventId, orderId);
        } else {
          otherAnswers.push(`${res.status} ${res.text.slice(0, 200)}`);
        }
      } catch (err) {
        // The connection died with the process: the sender never heard "accepted".
        transportErrors.push((err as Error).message);
      }
      if (!armed && accepted.size >= KILL_AFTER_ACCEPTED) {
        armed = true;
        killer = killWhenWorkerBusy();
      }
    });
    await killer;
    await killing;
    agent.destroy();

    expect(killing, "the stream ended before the kill").toBeDefined();
    expect(transportErrors.length, "requests in flight when the process died").toBeGreaterThan(0);
    expect(otherAnswers, "every answer before the kill was a 202").toEqual([]);
    expect(sys.app.groupPids(), "no process of the app survived SIGKILL").toEqual([]);
    console.info(
      `[kill] after ${Date.now() - started} ms: ${accepted.size} accepted, ${transportErrors.length} requests cut off by the kill; ` +
        `${atKill.processed} events processed and ${atKill.queued} still queued at the kill`,
    );

    await sys.restart();
    await waitUntil("the restarted worker to drain the queue", 60_000, async () => {
      const counts = await eventStatusCounts(sys.db);
      return [!counts.queued, describeCounts(counts)];
    });

    const events = await sys.db.query<{ id: string; status: string; interactionId: string | null }>(
      `SELECT "id", "status"::text AS "status", "interactionId" FROM "InboundEvent"`,
    );
    const interactions = await sys.db.query<{ id: string; eventId: string; resourceId: string }>(
      `SELECT "id", "eventId", "resourceId" FROM "Interaction"`,
    );
    const stored = new Map(events.rows.map((e) => [e.id, e]));

    // Every accepted event is stored and processed, with its own interaction.
    const lost = [...accepted.keys()].filter((id) => stored.get(id)?.status !== "processed");
    expect(lost, "accepted events not processed").toEqual([]);
    const byEvent = new Map<string, string[]>();
    for (const i of interactions.rows) byEvent.set(i.eventId, [...(byEvent.get(i.eventId) ?? []), i.id]);
    for (const [eventId, orderId] of accepted) {
      const ids = byEvent.get(eventId) ?? [];
      expect(ids, `interactions of accepted event ${eventId}`).toHaveLength(1);
      expect(stored.get(eventId)?.interactionId).toBe(ids[0]);
      expect(interactions.rows.find((r) => r.id === ids[0])?.resourceId).toBe(orderId);
    }

    // None twice: one interaction per stored event and per order sent. The mapping has no
    // idempotency path, so a second processing of an event would be a second interaction.
    expect(events.rows.every((e) => e.status === "processed"), describeCounts(await eventStatusCounts(sys.db))).toBe(true);
    expect(interactions.rows).toHaveLength(events.rows.length);
    expect(new Set(interactions.rows.map((r) => r.eventId)).size).toBe(interactions.rows.length);
    expect(new Set(interactions.rows.map((r) => r.resourceId)).size).toBe(interactions.rows.length);

    // Events stored but not acknowledged (the 202 was lost with the connection) are at
    // most the requests cut off by the kill; they are processed too, which is harmless.
    expect(events.rows.length - accepted.size).toBeGreaterThanOrEqual(0);
    expect(events.rows.length - accepted.size).toBeLessThanOrEqual(transportErrors.length);
  });
});
