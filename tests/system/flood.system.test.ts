// A flood of bad requests interleaved with good ones, concurrently: wrong and missing
// signatures, a stale timestamp, invalid JSON, 2 MiB bodies (declared and chunked),
// unknown sources and orgs. Every bad request gets exactly its contract answer, never a
// 500; the app stays up; every good event is accepted and becomes one interaction.
import { createHmac, randomUUID } from "node:crypto";
import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMapping, createSource, describeCounts, eventStatusCounts, runBounded, send, startSystem, stripeSignature, waitUntil, type Answer, type System } from "./harness";

const TOTAL = 400;
const CONCURRENCY = 16;
const SECRET = "whsec_system_flood_0123456789";
const BIG = 2 * 1024 * 1024;

type Expected = { status: number; body: Record<string, unknown> };
const SIGNATURE_FAILED: Expected = { status: 401, body: { error: "Signature verification failed" } };
const TOO_OLD: Expected = { status: 401, body: { error: "Event too old" } };
const INVALID_JSON: Expected = { status: 400, body: { error: "Invalid JSON body" } };
const TOO_LARGE: Expected = { status: 413, body: { error: "Payload too large" } };
const NOT_FOUND: Expected = { status: 404, body: { error: "Source not found" } };
const ACCEPTED: Expected = { status: 202, body: { queued: true } };

/** `ownConnection`: sent on a connection of its own (see the known defect below). */
type Request = { path: string; body: string | Buffer; headers: Record<string, string>; chunked?: boolean; ownConnection?: boolean };
/** A kind of request: how to make the i-th one, what it must get, and whether the source is known (so it is recorded). */
type Kind = { name: string; make: (i: number) => Request; expect: Expected; good?: boolean; recorded: boolean };

let sys: System;
let sourceId: string;

beforeAll(async () => {
  // Every bad request here is recorded: a budget above their number (about 200).
  sys = await startSystem("flood", { PROVENANCE_FAILED_EVENTS_PER_HOUR: "1000" });
  sourceId = await createSource(sys, "stripe", { preset: "stripe", secret: SECRET });
  await createMapping(sys, sourceId);
});

afterAll(async () => {
  await sys?.close();
});

function kinds(): Kind[] {
  const byMnemonic = `/api/inbound/${sys.orgSlug}/by-mnemonic/stripe`;
  const byId = `/api/inbound/${sys.orgSlug}/${sourceId}`;
  const event = (i: number) => JSON.stringify({ id: `evt_${i}`, type: "payment_intent.succeeded", data: { object: { amount: i } } });
  const signed = (path: string, body: string): Request => ({ path, body, headers: { "stripe-signature": stripeSignature(body, SECRET) } });
  const hugeJson = () => `{"id":"big","pad":"${"x".repeat(BIG)}"}`;
  return [
    { name: "good, by mnemonic", make: (i) => signed(byMnemonic, event(i)), expect: ACCEPTED, good: true, recorded: true },
    { name: "signed with another secret", make: (i) => ({ path: byMnemonic, body: event(i), headers: { "stripe-signature": stripeSignature(event(i), "whsec_wrong") } }), expect: SIGNATURE_FAILED, recorded: true },
    { name: "invalid JSON, correctly signed", make: (i) => signed(byMnemonic, `{"id":"evt_${i}",`), expect: INVALID_JSON, recorded: true },
    { name: "2 MiB body, Content-Length declared", make: () => signed(byMnemonic, hugeJson()), expect: TOO_LARGE, recorded: true },
    { name: "unknown source id", make: (i) => signed(`/api/inbound/${sys.orgSlug}/${randomUUID()}`, event(i)), expect: NOT_FOUND, recorded: false },
    { name: "good, by source id", make: (i) => signed(byId, event(i)), expect: ACCEPTED, good: true, recorded: true },
    { name: "no signature header", make: (i) => ({ path: byId, body: event(i), headers: {} }), expect: SIGNATURE_FAILED, recorded: true },
    { name: "2 MiB body, chunked", make: () => ({ ...signed(byId, hugeJson()), chunked: true, ownConnection: true }), expect: TOO_LARGE, recorded: true },
    { name: "unknown org", make: (i) => signed(`/api/inbound/no-such-org/by-mnemonic/stripe`, event(i)), expect: NOT_FOUND, recorded: false },
    { name: "good, by mnemonic (again)", make: (i) => signed(byMnemonic, event(i)), expect: ACCEPTED, good: true, recorded: true },
    {
      name: "correct signature, timestamp 10 minutes old",
      make: (i) => {
        const body = event(i);
        const t = Math.floor(Date.now() / 1000) - 600;
        const v1 = createHmac("sha256", SECRET).update(`${t}.${body}`).digest("hex");
        return { path: byMnemonic, body, headers: { "stripe-signature": `t=${t},v1=${v1}` } };
      },
      expect: TOO_OLD,
      recorded: true,
    },
    { name: "unknown mnemonic", make: (i) => signed(`/api/inbound/${sys.orgSlug}/by-mnemonic/Stripe`, event(i)), expect: NOT_FOUND, recorded: false },
    {
      name: "body changed after signing",
      make: (i) => {
        const r = signed(byId, event(i));
        return { ...r, body: String(r.body).replace(`"amount":${i}`, `"amount":${i + 1}`) };
      },
      expect: SIGNATURE_FAILED,
      recorded: true,
    },
    { name: "not JSON at all, correctly signed", make: () => signed(byId, "<xml>nope</xml>"), expect: INVALID_JSON, recorded: true },
    { name: "good, by source id (again)", make: (i) => signed(byId, event(i)), expect: ACCEPTED, good: true, recorded: true },
    { name: "unknown org, by source id", make: (i) => signed(`/api/inbound/no-such-org/${sourceId}`, event(i)), expect: NOT_FOUND, recorded: false },
  ];
}

describe("a flood of bad requests interleaved with good ones", () => {
  it("answers each with its contract status, never 500, stays up, and processes every good event once", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const all = kinds();
    const results = await runBounded(TOTAL, CONCURRENCY, async (i) => {
      const kind = all[i % all.length]!;
      const req = kind.make(i);
      let answer: Answer | { error: string };
      try {
        answer = await send(sys.app.baseUrl, req.path, req.body, { headers: req.headers, chunked: req.chunked, agent: req.ownConnection ? false : agent });
      } catch (err) {
        answer = { error: (err as Error).message };
      }
      return { i, kind, answer };
    });
    agent.destroy();

    // Exactly the contract, request by request (a transport error counts as a mismatch).
    const mismatches = results
      .filter(({ kind, answer }) => !("status" in answer) || answer.status !== kind.expect.status || !matches(answer.body, kind.expect.body))
      .map(({ i, kind, answer }) => `#${i} ${kind.name}: ${"status" in answer ? `${answer.status} ${answer.text.slice(0, 200)}` : answer.error}`);
    expect(mismatches, "requests whose answer differs from the contract").toEqual([]);
    expect(results.filter(({ answer }) => "status" in answer && answer.status >= 500)).toEqual([]);

    // Still up.
    expect(sys.app.alive()).toBe(true);
    const health = await fetch(`${sys.app.baseUrl}/api/health`);
    expect(health.status).toBe(200);

    // Every good event processed into exactly one interaction; every bad request that
    // reached the source recorded as a failed event; nothing else.
    const goodIds = results.filter(({ kind }) => kind.good).map(({ answer }) => String((answer as Answer).body?.eventId));
    const recordedBad = results.filter(({ kind }) => kind.recorded && !kind.good).length;
    await waitUntil("the worker to process every good event", 60_000, async () => {
      const counts = await eventStatusCounts(sys.db);
      return [!counts.queued && (counts.processed ?? 0) >= goodIds.length, describeCounts(counts)];
    });
    expect(await eventStatusCounts(sys.db)).toEqual({ processed: goodIds.length, failed: recordedBad });

    const interactions = await sys.db.query<{ eventId: string; resourceId: string }>(`SELECT "eventId", "resourceId" FROM "Interaction"`);
    expect(interactions.rows).toHaveLength(goodIds.length);
    expect(new Set(interactions.rows.map((r) => r.eventId))).toEqual(new Set(goodIds));
    expect(new Set(interactions.rows.map((r) => r.resourceId)).size).toBe(goodIds.length);
  });
});

describe("the production server's inbound URLs", () => {
  // scripts/server.mjs answers POST /api/inbound/… itself (the lean path) and leaves every
  // other method and URL to Next.js; a user's malformed URL is a 400, never a 500.
  it("answers a malformed percent-encoding 400, and leaves other methods and URLs to Next.js", async () => {
    const malformed = await send(sys.app.baseUrl, `/api/inbound/${sys.orgSlug}/by-mnemonic/%E0%A4%A`, "{}");
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({ error: "Malformed URL: a path segment is not valid percent-encoding" });

    const get = await fetch(`${sys.app.baseUrl}/api/inbound/${sys.orgSlug}/by-mnemonic/stripe`);
    expect(get.status).toBe(405);
    const slash = await fetch(`${sys.app.baseUrl}/api/inbound/${sys.orgSlug}/by-mnemonic/stripe/`, { method: "POST", body: "{}", redirect: "manual" });
    expect(slash.status).toBe(308);
    expect(slash.headers.get("location")).toBe(`/api/inbound/${sys.orgSlug}/by-mnemonic/stripe`);
    const deeper = await send(sys.app.baseUrl, `/api/inbound/${sys.orgSlug}/by-mnemonic/stripe/extra`, "{}");
    expect(deeper.status).toBe(404);
  });

  it("sees a source changed through the management API at once (one source cache for both)", async () => {
    // The lean path runs code Next.js bundled for instrumentation; the API routes are
    // other bundles. A secret rotated through the API must apply to the next webhook.
    const id = await createSource(sys, "rotating", { preset: "stripe", secret: "whsec_before_rotation_0001" });
    await createMapping(sys, id);
    const url = `/api/inbound/${sys.orgSlug}/by-mnemonic/rotating`;
    const body = (n: number) => JSON.stringify({ id: `evt_rot_${n}`, type: "payment_intent.succeeded" });
    const signedWith = (n: number, secret: string) => send(sys.app.baseUrl, url, body(n), { headers: { "stripe-signature": stripeSignature(body(n), secret) } });

    expect((await signedWith(1, "whsec_before_rotation_0001")).status).toBe(202); // now cached
    await sys.api("PATCH", `/api/v1/inbound-sources/${id}`, { verification: { preset: "stripe", secret: "whsec_after_rotation_0002" } });
    expect((await signedWith(2, "whsec_before_rotation_0001")).status).toBe(401);
    expect((await signedWith(3, "whsec_after_rotation_0002")).status).toBe(202);

    await sys.api("PATCH", `/api/v1/inbound-sources/${id}`, { active: false });
    expect((await signedWith(4, "whsec_after_rotation_0002")).body).toEqual({ error: "Source not found" });
  });
});

describe("a keep-alive connection after a chunked body the server cut off", () => {
  // When a chunked body grows past the limit, the server stops reading it
  // (lib/http/node-inbound.ts; lib/http/read-body.ts for the route handlers) and reads
  // nothing more from that connection; the 413 therefore says
  // "connection: close" so a keep-alive client does not send its next request into it.
  it("keeps the connection usable or says it closes it", async () => {
    const body = `{"id":"big","pad":"${"x".repeat(BIG)}"}`;
    const good = JSON.stringify({ id: "evt_after_cut", type: "payment_intent.succeeded" });
    const { first, second } = await twoRequestsOnOneConnection(
      sys.app.port,
      { path: `/api/inbound/${sys.orgSlug}/${sourceId}`, headers: { "stripe-signature": stripeSignature(body, SECRET) }, body, chunked: true },
      { path: `/api/inbound/${sys.orgSlug}/${sourceId}`, headers: { "stripe-signature": stripeSignature(good, SECRET) }, body: good },
    );
    expect(first.status).toBe(413);
    if (/close/i.test(first.headers.connection ?? "")) return; // announced: a client opens a new connection
    expect(second, "the next request on the same keep-alive connection").toMatchObject({ status: 202 });
  });
});

type RawAnswer = { status: number; headers: Record<string, string> };
type RawRequest = { path: string; headers: Record<string, string>; body: string; chunked?: boolean };

/**
 * Two requests written by hand on one TCP connection, the second only after the answer to
 * the first, exactly as a keep-alive client reuses a connection. The second result is the
 * answer or the transport error that ended the connection.
 */
async function twoRequestsOnOneConnection(port: number, a: RawRequest, b: RawRequest): Promise<{ first: RawAnswer; second: RawAnswer | { error: string } }> {
  const socket = net.connect(port, "127.0.0.1");
  let received = Buffer.alloc(0);
  let ended: string | undefined;
  let wake: () => void = () => {};
  socket.on("data", (d: Buffer) => {
    received = Buffer.concat([received, d]);
    wake();
  });
  socket.on("error", (e: NodeJS.ErrnoException) => {
    ended ??= e.code ?? e.message;
    wake();
  });
  socket.on("close", () => {
    ended ??= "closed";
    wake();
  });

  const write = (r: RawRequest) => {
    const head = [`POST ${r.path} HTTP/1.1`, "Host: 127.0.0.1", "Content-Type: application/json", "Connection: keep-alive"];
    for (const [k, v] of Object.entries(r.headers)) head.push(`${k}: ${v}`);
    const bytes = Buffer.from(r.body);
    if (!r.chunked) {
      socket.write(`${[...head, `Content-Length: ${bytes.length}`].join("\r\n")}\r\n\r\n`);
      socket.write(bytes);
      return;
    }
    socket.write(`${[...head, "Transfer-Encoding: chunked"].join("\r\n")}\r\n\r\n`);
    for (let off = 0; off < bytes.length; off += 256 * 1024) {
      const part = bytes.subarray(off, off + 256 * 1024);
      socket.write(`${part.length.toString(16)}\r\n`);
      socket.write(part);
      socket.write("\r\n");
    }
    socket.write("0\r\n\r\n");
  };

  /** The next complete answer in `received` (Content-Length or chunked), or the transport's end. */
  const readAnswer = async (): Promise<RawAnswer | { error: string }> => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const parsed = parseAnswer(received);
      if (parsed) {
        received = received.subarray(parsed.length);
        return parsed.answer;
      }
      if (ended) return { error: ended };
      if (Date.now() > deadline) return { error: "no answer within 15 s" };
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 100);
      });
    }
  };

  try {
    write(a);
    const first = await readAnswer();
    if ("error" in first) throw new Error(`first request: ${first.error}`);
    // What a client pool does: reuse the connection right away unless told it closes.
    await new Promise((r) => setTimeout(r, 20));
    if (!ended) write(b);
    return { first, second: await readAnswer() };
  } finally {
    socket.destroy();
  }
}

function parseAnswer(buf: Buffer): { answer: RawAnswer; length: number } | null {
  const headEnd = buf.indexOf("\r\n\r\n");
  if (headEnd < 0) return null;
  const [statusLine, ...lines] = buf.subarray(0, headEnd).toString("latin1").split("\r\n");
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]));
  const answer = { status: Number(statusLine?.split(" ")[1]), headers };
  const bodyStart = headEnd + 4;
  if (headers["content-length"] !== undefined) {
    const length = bodyStart + Number(headers["content-length"]);
    return buf.length >= length ? { answer, length } : null;
  }
  const end = buf.indexOf("\r\n0\r\n\r\n", bodyStart - 2);
  return end >= 0 ? { answer, length: end + 7 } : null;
}

/** The answer carries at least the expected fields with exactly these values. */
function matches(body: Record<string, unknown> | null, expected: Record<string, unknown>): boolean {
  return body !== null && Object.entries(expected).every(([k, v]) => body[k] === v);
}
