// The inbound intake under attack, against the built app (issue 11, intake): a flood of
// long random slugs (the remote crash), floods of unknown ids and mnemonics, slowloris
// (headers and bodies trickled), a flood of failed signatures past the failed-event
// budget (the disk fill), and a second app process on the same database that must refuse
// a rotated secret or a deactivated source within about a second (replicas agree).
// Throughout, a bystander's ordinary requests are answered within BYSTANDER_LIMIT_MS, no
// client mistake gets a 5xx, the server's RSS stays bounded, the server process is never
// replaced, and no secret appears in an answer or the logs.
import { randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type AppServer } from "../app-server.mjs";
import { BYSTANDER_LIMIT_MS, findSecrets, underAbuse } from "./abuse";
import { ROOT, createMapping, createSource, runBounded, send, startSystem, stripeSignature, waitUntil, type Answer, type System } from "./harness";

const SECRET = "whsec_hostile_intake_0123456789";
const ROTATED = "whsec_hostile_intake_rotated_987";
/** Settings of the app under test: smaller than the defaults so the test sees them act. */
const FAILED_PER_HOUR = 50;
const MAX_INFLIGHT_BODIES = 16;
const HEADERS_TIMEOUT_MS = 3_000;
const REQUEST_TIMEOUT_MS = 8_000;
/** The server checks its timeouts once a second; the rest is slack for a loaded machine. */
const TIMEOUT_SLACK_MS = 3_000;
/**
 * Peak RSS of the app's processes (launcher and server) under abuse. Idle they hold about
 * 250–300 MB; the old generation is capped at 256 MB (PROVENANCE_HEAP_MB), so an unbounded
 * cache dies rather than grows past this, and a bounded one stays well under it.
 */
const RSS_LIMIT_MB = 450;

let sys: System;
let sourceId: string;
let serverPids: number[];
const answers: string[] = [];

beforeAll(async () => {
  sys = await startSystem("hostile_intake", {
    PROVENANCE_FAILED_EVENTS_PER_HOUR: String(FAILED_PER_HOUR),
    PROVENANCE_MAX_INFLIGHT_BODIES: String(MAX_INFLIGHT_BODIES),
    PROVENANCE_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
    PROVENANCE_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
  });
  sourceId = await createSource(sys, "stripe", { preset: "stripe", secret: SECRET });
  await createMapping(sys, sourceId);
  serverPids = sys.app.groupPids().sort();
});

afterAll(async () => {
  await sys?.close();
});

const event = (n: number | string) => JSON.stringify({ id: `evt_${n}`, type: "payment_intent.succeeded" });

/** A correctly signed event to the known source: the inbound bystander. */
function signedEventRequest(base: () => string, secret = SECRET): () => Promise<number> {
  let n = 0;
  return async () => {
    const body = event(`bystander_${n++}_${randomUUID()}`);
    const res = await send(base(), `/api/inbound/${sys.orgSlug}/by-mnemonic/stripe`, body, {
      headers: { "stripe-signature": stripeSignature(body, secret) },
      timeoutMs: BYSTANDER_LIMIT_MS * 5,
    });
    return res.status;
  };
}

/** What every abuse asserts afterwards: bystanders served, memory bounded, no restart. */
function expectWithstood(label: string, run: { bystander: { count: number; maxMs: number; failures: string[] }; peakRssMb: number }) {
  console.log(`[hostile-intake] ${label}: peak RSS ${run.peakRssMb.toFixed(0)} MB, bystander max ${run.bystander.maxMs.toFixed(0)} ms over ${run.bystander.count} requests`);
  expect(run.bystander.failures, `${label}: bystander failures`).toEqual([]);
  expect(run.bystander.count, `${label}: bystander requests made`).toBeGreaterThan(0);
  expect(run.bystander.maxMs, `${label}: slowest bystander answer (ms)`).toBeLessThan(BYSTANDER_LIMIT_MS);
  expect(run.peakRssMb, `${label}: peak RSS (MB)`).toBeLessThan(RSS_LIMIT_MB);
  // A launcher that restarts a crashed server would hide a crash from alive(): the same
  // processes must still be serving.
  expect(sys.app.groupPids().sort(), `${label}: the app's processes (a change means a crash and restart)`).toEqual(serverPids);
  expect(sys.app.output()).not.toMatch(/heap out of memory|FATAL ERROR/i);
}

/** send(), with a transport error (no answer: a reset or closed connection) as an answer of status 0. */
function post(urlPath: string, body: string, opts: Parameters<typeof send>[3] = {}): Promise<Answer> {
  return send(sys.app.baseUrl, urlPath, body, opts).catch((err: Error) => ({ status: 0, body: null, text: `transport error: ${err.message}` }));
}

function tally(results: Answer[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) out[`${r.status} ${r.body?.error ?? r.text.slice(0, 60)}`] = (out[`${r.status} ${r.body?.error ?? r.text.slice(0, 60)}`] ?? 0) + 1;
  return out;
}

describe("floods of URLs that name no source", () => {
  it("survives 12,000 random 15,000-character slugs (one non-Latin-1 character each): 404s, bounded memory", async () => {
    const COUNT = 12_000;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
    const longSlug = () => {
      const s = randomBytes(7_500).toString("hex"); // 15,000 characters
      const at = 1 + Math.floor(Math.random() * (s.length - 2));
      return encodeURIComponent(`${s.slice(0, at)}\u4e00${s.slice(at + 1)}`);
    };
    const run = await underAbuse(sys, () =>
      runBounded(COUNT, 32, () => post(`/api/inbound/${longSlug()}/${randomUUID()}`, "{}", { agent })),
    );
    agent.destroy();
    expect(tally(run.result)).toEqual({ "404 Source not found": COUNT });
    expectWithstood("long slugs", run);
  });

  it("survives floods of unknown source ids, unknown mnemonics and malformed mnemonics: 404s, the known source still served", async () => {
    const COUNT = 6_000;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
    const path = (i: number) =>
      i % 3 === 0
        ? `/api/inbound/${sys.orgSlug}/${randomUUID()}`
        : i % 3 === 1
          ? `/api/inbound/${sys.orgSlug}/by-mnemonic/${randomBytes(24).toString("base64url").slice(0, 32)}`
          : `/api/inbound/${sys.orgSlug}/by-mnemonic/${encodeURIComponent(`${randomBytes(2_000).toString("hex")}é`)}`;
    const run = await underAbuse(sys, () => runBounded(COUNT, 32, (i) => post(path(i), "{}", { agent })), {
      bystander: signedEventRequest(() => sys.app.baseUrl),
    });
    agent.destroy();
    expect(tally(run.result)).toEqual({ "404 Source not found": COUNT });
    expectWithstood("unknown ids and mnemonics", run);
  });
});

describe("slowloris", () => {
  /** A connection that sends a request line and then a header line every 500 ms, forever. */
  function trickleHeaders(port: number) {
    const socket = net.connect(port, "127.0.0.1");
    const state = { closedAt: 0 as number, answer: "" };
    socket.on("data", (d: Buffer) => (state.answer += d.toString("latin1")));
    socket.on("error", () => {});
    socket.on("close", () => (state.closedAt = performance.now()));
    socket.write(`POST /api/inbound/${sys.orgSlug}/by-mnemonic/stripe HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
    let n = 0;
    const timer = setInterval(() => socket.write(`X-Slow-${n++}: ${"a".repeat(20)}\r\n`), 500);
    socket.on("close", () => clearInterval(timer));
    return { socket, state, stop: () => (clearInterval(timer), socket.destroy()) };
  }

  /** A complete head announcing a 1 MB body, then ten bytes of it every 500 ms. */
  function trickleBody(port: number) {
    const socket = net.connect(port, "127.0.0.1");
    const state = { closedAt: 0 as number, answer: "" };
    socket.on("data", (d: Buffer) => (state.answer += d.toString("latin1")));
    socket.on("error", () => {});
    socket.on("close", () => (state.closedAt = performance.now()));
    socket.write(
      [`POST /api/inbound/${sys.orgSlug}/by-mnemonic/stripe HTTP/1.1`, "Host: 127.0.0.1", "Content-Type: application/json", "Content-Length: 1000000", "", ""].join("\r\n"),
    );
    const timer = setInterval(() => socket.write("          "), 500);
    socket.on("close", () => clearInterval(timer));
    return { socket, state, stop: () => (clearInterval(timer), socket.destroy()) };
  }

  it("cuts connections that trickle their headers or body, and bystanders are answered meanwhile", async () => {
    const started = performance.now();
    const headers = Array.from({ length: 300 }, () => trickleHeaders(sys.app.port));
    const bodies = Array.from({ length: MAX_INFLIGHT_BODIES - 4 }, () => trickleBody(sys.app.port));
    try {
      const run = await underAbuse(
        sys,
        async () => {
          await waitUntil("the server to cut every connection trickling headers", HEADERS_TIMEOUT_MS + TIMEOUT_SLACK_MS + 2_000, async () => {
            const open = headers.filter((c) => !c.state.closedAt).length;
            return [open === 0, `${open} of ${headers.length} still open`];
          });
          await waitUntil("the server to cut every connection trickling a body", REQUEST_TIMEOUT_MS + TIMEOUT_SLACK_MS + 2_000, async () => {
            const open = bodies.filter((c) => !c.state.closedAt).length;
            return [open === 0, `${open} of ${bodies.length} still open`];
          });
        },
        { bystander: signedEventRequest(() => sys.app.baseUrl) },
      );
      const headerCut = Math.max(...headers.map((c) => c.state.closedAt - started));
      const bodyCut = Math.max(...bodies.map((c) => c.state.closedAt - started));
      console.log(`[hostile-intake] slowloris: headers cut within ${headerCut.toFixed(0)} ms, bodies within ${bodyCut.toFixed(0)} ms`);
      expect(headerCut).toBeLessThan(HEADERS_TIMEOUT_MS + TIMEOUT_SLACK_MS);
      expect(bodyCut).toBeLessThan(REQUEST_TIMEOUT_MS + TIMEOUT_SLACK_MS);
      // Whatever the server said before closing is an HTTP answer, never a 5xx.
      for (const c of [...headers, ...bodies]) expect(c.state.answer).not.toMatch(/^HTTP\/1\.1 5/);
      expectWithstood("slowloris", run);
    } finally {
      for (const c of [...headers, ...bodies]) c.stop();
    }
  });

  it("answers 503 with Retry-After at once when every body slot is taken, and serves again once they are freed", async () => {
    const EXTRA = 8;
    const holders = Array.from({ length: MAX_INFLIGHT_BODIES }, () => trickleBody(sys.app.port));
    try {
      // Each holder's head has reached the server and its body read has begun.
      await new Promise((r) => setTimeout(r, 1_000));
      const run = await underAbuse(sys, async () => {
        const started = performance.now();
        const refused = await Promise.all(
          Array.from({ length: EXTRA }, (_, i) => {
            const body = event(`busy_${i}`);
            return post(`/api/inbound/${sys.orgSlug}/by-mnemonic/stripe`, body, { headers: { "stripe-signature": stripeSignature(body, SECRET) }, agent: false });
          }),
        );
        return { refused, ms: performance.now() - started };
      });
      expect(run.result.refused.map((r) => r.status)).toEqual(Array(EXTRA).fill(503));
      expect(run.result.refused[0]!.body).toEqual({ error: "Server busy, retry later" });
      expect(run.result.ms, "the 503s come at once, without waiting for a slot").toBeLessThan(BYSTANDER_LIMIT_MS);
      expectWithstood("body slots taken", run);
      const raw = await rawPost(sys.app.port, `/api/inbound/${sys.orgSlug}/by-mnemonic/stripe`, "{}");
      expect(raw).toMatch(/^HTTP\/1\.1 503/);
      expect(raw).toMatch(/\r\nretry-after: \d+\r\n/i);
    } finally {
      for (const c of holders) c.stop();
    }
    // Freed slots serve again.
    await waitUntil("a signed event to be accepted again", 5_000, async () => {
      const status = await signedEventRequest(() => sys.app.baseUrl)();
      return [status === 202, `status ${status}`];
    });
  });
});

describe("a flood of failed signatures to a known source", () => {
  it("stores failed events only up to the hourly budget, counts the rest, and answers every one as before", async () => {
    const COUNT = 2_000;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    const before = await failedRows();
    const run = await underAbuse(sys, () =>
      runBounded(COUNT, 16, (i) => {
        const body = event(`forged_${i}`);
        return post(`/api/inbound/${sys.orgSlug}/by-mnemonic/stripe`, body, { headers: { "stripe-signature": stripeSignature(body, "whsec_forged_by_attacker") }, agent });
      }),
    );
    agent.destroy();
    answers.push(...run.result.map((r) => r.text));
    // Every answer is the contract's 401; only a stored one names its event.
    expect(tally(run.result)).toEqual({ "401 Signature verification failed": COUNT });
    for (const r of run.result) expect(Object.keys(r.body ?? {}).filter((k) => k !== "eventId")).toEqual(["error"]);
    const named = run.result.filter((r) => typeof r.body?.eventId === "string").length;

    const stored = (await failedRows()) - before;
    expect(stored, "failed events stored with their body").toBe(FAILED_PER_HOUR);
    expect(named).toBe(FAILED_PER_HOUR);
    await waitUntil("the counted-only requests to be flushed", 10_000, async () => {
      const c = await sys.db.query<{ stored: string; counted: string }>(
        `SELECT COALESCE(sum("stored"),0) AS "stored", COALESCE(sum("counted"),0) AS "counted" FROM "FailedRequestCount" WHERE "sourceId" = $1`,
        [sourceId],
      );
      const row = c.rows[0]!;
      return [Number(row.counted) === COUNT - FAILED_PER_HOUR && Number(row.stored) === FAILED_PER_HOUR, `stored=${row.stored} counted=${row.counted}`];
    });
    expectWithstood("failed signatures", run);
  });

  async function failedRows(): Promise<number> {
    const r = await sys.db.query<{ n: string }>(`SELECT count(*) AS "n" FROM "InboundEvent" WHERE "sourceId" = $1 AND "status" = 'failed'`, [sourceId]);
    return Number(r.rows[0]!.n);
  }
});

describe("two app processes on one database", () => {
  let second: AppServer | undefined;
  afterAll(async () => {
    await second?.stop();
  });

  it("refuses a secret rotated, or a source deactivated, through the other process within about a second", async () => {
    const databaseUrl = (sys.db as unknown as { options: { connectionString: string } }).options.connectionString;
    // A replica is configured as the first: the same secret key (both read what the other
    // stored) and the same bootstrap token (a start without it would retire it).
    second = await startApp({ root: ROOT, databaseUrl, env: { ...sys.env, PROVENANCE_WORKER: "0" } });
    const id = await createSource(sys, "replicated", { preset: "stripe", secret: SECRET });
    await createMapping(sys, id);
    const url = `/api/inbound/${sys.orgSlug}/by-mnemonic/replicated`;
    const post = (secret: string) => {
      const body = event(randomUUID());
      return send(second!.baseUrl, url, body, { headers: { "stripe-signature": stripeSignature(body, secret) } });
    };

    // The second process has the source cached (60 s TTL).
    expect((await post(SECRET)).status).toBe(202);
    expect((await post(SECRET)).status).toBe(202);

    await sys.api("PATCH", `/api/v1/inbound-sources/${id}`, { verification: { preset: "stripe", secret: ROTATED } });
    const rotatedAt = performance.now();
    await waitUntil("the second process to refuse the old secret", 5_000, async () => {
      const r = await post(SECRET);
      return [r.status === 401, `status ${r.status}`];
    }, 50);
    const refusedAfter = performance.now() - rotatedAt;
    expect((await post(ROTATED)).status).toBe(202);

    await sys.api("PATCH", `/api/v1/inbound-sources/${id}`, { active: false });
    const deactivatedAt = performance.now();
    await waitUntil("the second process to stop serving the deactivated source", 5_000, async () => {
      const r = await post(ROTATED);
      return [r.status === 404, `status ${r.status}`];
    }, 50);
    const goneAfter = performance.now() - deactivatedAt;
    console.log(`[hostile-intake] second process: old secret refused after ${refusedAfter.toFixed(0)} ms, deactivation seen after ${goneAfter.toFixed(0)} ms`);
    expect(refusedAfter).toBeLessThan(1_500);
    expect(goneAfter).toBeLessThan(1_500);
    expect(findSecrets(second.output(), [SECRET, ROTATED])).toEqual([]);
  });
});

describe("secrets", () => {
  it("appear in no answer and nowhere in the server's output", () => {
    expect(findSecrets(answers.join("\n"), [SECRET, ROTATED])).toEqual([]);
    expect(findSecrets(sys.app.output(), [SECRET, ROTATED])).toEqual([]);
  });
});

/** One POST on a connection of its own; resolves with the raw answer (status line and headers). */
function rawPost(port: number, path: string, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let text = "";
    socket.on("data", (d: Buffer) => {
      text += d.toString("latin1");
      if (text.includes("\r\n\r\n")) {
        socket.destroy();
        resolve(text);
      }
    });
    socket.on("error", reject);
    socket.on("close", () => resolve(text));
    socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  });
}
