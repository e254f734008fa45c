// Deliveries survive a bad target: a local target answers 500, then hangs past the
// target's timeout, then 200, and every delivery ends `succeeded` with those three
// attempts recorded; a target that never recovers within the budget leaves deliveries
// `dead`, and a bulk retry once it is healthy delivers them, keeping the history.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMapping, createRoute, createSource, createTarget, runBounded, send, startSystem, waitUntil, type System } from "./harness";

const EVENTS = 6;
const TIMEOUT_SECONDS = 1;

type Attempt = { at: string; status?: number; error?: string; ms: number; responseBody: string };
type Delivery = { id: string; status: string; attempts: Attempt[]; interactionId: string; targetId: string };

/** A node:http target; `behaviour(n)` decides the n-th request (1-based) of each delivery (webhook-id). */
async function startTarget(behaviour: (n: number) => "fail" | "hang" | "ok") {
  const perDelivery = new Map<string, number>();
  const received: { deliveryId: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const deliveryId = String(req.headers["webhook-id"]);
      const n = (perDelivery.get(deliveryId) ?? 0) + 1;
      perDelivery.set(deliveryId, n);
      received.push({ deliveryId, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const what = behaviour(n);
      if (what === "fail") res.writeHead(500, { "content-type": "text/plain" }).end("target is down");
      else if (what === "ok") res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
      // "hang": never answer; the platform's timeout ends the attempt, closeAllConnections() the socket.
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    perDelivery,
    received,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

let sys: System;
const targets: Awaited<ReturnType<typeof startTarget>>[] = [];

beforeAll(async () => {
  sys = await startSystem("delivery");
});

afterAll(async () => {
  await Promise.all(targets.map((t) => t.close()));
  await sys?.close();
});

/** A source → mapping → target flow; returns what the test needs to send and look. */
async function flow(name: string, target: { url: string }, retry: { maxAttempts: number }) {
  const sourceId = await createSource(sys, name);
  const mappingId = await createMapping(sys, sourceId, { resourceType: name });
  const targetId = await createTarget(sys, {
    name,
    url: target.url,
    maxAttempts: retry.maxAttempts,
    backoff: "fixed",
    initialDelaySeconds: 1,
    timeoutSeconds: TIMEOUT_SECONDS,
  });
  await createRoute(sys, mappingId, targetId);
  return { sourceId, targetId };
}

async function sendEvents(sourceId: string, prefix: string): Promise<string[]> {
  return runBounded(EVENTS, 4, async (i) => {
    const res = await send(sys.app.baseUrl, `/api/inbound/${sys.orgSlug}/${sourceId}`, JSON.stringify({ id: `${prefix}_${i}` }));
    expect(res.status, res.text).toBe(202);
    return String(res.body?.eventId);
  });
}

async function deliveriesOf(targetId: string): Promise<Delivery[]> {
  const page = await sys.api<{ data: Delivery[] }>("GET", `/api/v1/deliveries?targetId=${targetId}&limit=200`);
  return page.data;
}

async function waitForDeliveries(targetId: string, status: string, what: string): Promise<Delivery[]> {
  let seen: Delivery[] = [];
  await waitUntil(what, 45_000, async () => {
    seen = await deliveriesOf(targetId);
    const counts = seen.map((d) => `${d.status}/${d.attempts.length}`).join(" ");
    return [seen.length === EVENTS && seen.every((d) => d.status === status), counts || "no deliveries"];
  });
  return seen;
}

describe("delivery to a target that fails, times out, then recovers", () => {
  it("ends every delivery succeeded with its three attempts recorded: 500, timeout, 200", async () => {
    const target = await startTarget((n) => (n === 1 ? "fail" : n === 2 ? "hang" : "ok"));
    targets.push(target);
    const { sourceId, targetId } = await flow("flaky", target, { maxAttempts: 5 });
    await sendEvents(sourceId, "flaky");

    const deliveries = await waitForDeliveries(targetId, "succeeded", "every delivery to the flaky target to succeed");
    for (const d of deliveries) {
      expect(d.attempts.map((a) => a.status ?? null), `attempts of ${d.id}`).toEqual([500, null, 200]);
      expect(d.attempts[0]!.responseBody).toBe("target is down");
      expect(d.attempts[1]!.error).toMatch(/timed out/i);
      // The timeout held: the hung attempt ended near timeoutSeconds, not at the target's whim.
      expect(d.attempts[1]!.ms).toBeGreaterThanOrEqual(TIMEOUT_SECONDS * 1000 - 50);
      expect(d.attempts[1]!.ms).toBeLessThan(TIMEOUT_SECONDS * 1000 + 2000);
      // The target saw the same delivery (webhook-id) exactly three times.
      expect(target.perDelivery.get(d.id)).toBe(3);
    }
  });
});

describe("delivery to a target that never recovers within the budget", () => {
  it("ends dead, and a bulk retry once the target is healthy delivers, keeping the earlier attempts", async () => {
    let healthy = false;
    const target = await startTarget(() => (healthy ? "ok" : "fail"));
    targets.push(target);
    const { sourceId, targetId } = await flow("broken", target, { maxAttempts: 2 });
    await sendEvents(sourceId, "broken");

    const dead = await waitForDeliveries(targetId, "dead", "every delivery to the broken target to be dead");
    for (const d of dead) expect(d.attempts.map((a) => a.status ?? null), `attempts of ${d.id}`).toEqual([500, 500]);

    healthy = true;
    const res = await sys.api<{ queued: number }>("POST", "/api/v1/deliveries/retry", { status: "dead", targetId }, [202]);
    expect(res.queued).toBe(EVENTS);

    const replayed = await waitForDeliveries(targetId, "succeeded", "every retried delivery to succeed");
    for (const d of replayed) {
      expect(d.attempts.map((a) => a.status ?? null), `attempts of ${d.id}`).toEqual([500, 500, 200]);
      expect(target.perDelivery.get(d.id)).toBe(3);
    }
  });
});

describe("what the target received", () => {
  it("is the interaction, signed as Standard Webhooks with the delivery id as webhook-id", async () => {
    const signed = await sys.db.query<{ id: string; signingSecret: string }>(`SELECT "id", "signingSecret" FROM "Target"`);
    const ids = await sys.db.query<{ id: string; targetId: string; interactionId: string }>(`SELECT "id", "targetId", "interactionId" FROM "Delivery"`);
    const secretOf = new Map(signed.rows.map((t) => [t.id, sys.openStored("Target.signingSecret", t, t.signingSecret)]));
    const deliveryOf = new Map(ids.rows.map((d) => [d.id, d]));
    const received = targets.flatMap((t) => t.received);
    expect(received.length).toBe(EVENTS * 3 * 2);
    for (const r of received) {
      const d = deliveryOf.get(r.deliveryId);
      expect(d, `a delivery with webhook-id ${r.deliveryId}`).toBeDefined();
      const payload = new Webhook(secretOf.get(d!.targetId)!).verify(r.body, r.headers as Record<string, string>) as { id: string };
      expect(payload.id).toBe(d!.interactionId);
    }
  });
});
