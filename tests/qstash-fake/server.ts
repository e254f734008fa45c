// TEST DOUBLE — a small local stand-in for Upstash QStash. No QStash cloud is reachable
// from this machine, so unit and integration tests point the REAL `@upstash/qstash`
// Client at this server (`new Client({ baseUrl: fake.url, token })`, or QSTASH_URL /
// QSTASH_TOKEN in the app's environment) and verify its callbacks with the REAL
// `Receiver`. It is never part of the application.
//
// What it implements, mirroring what @upstash/qstash 2.12 sends (src/client/utils.ts
// `processHeaders`, client.ts `publish`/`publishJSON`) and the QStash docs describe:
// - POST /v2/publish/<destination URL> with `Authorization: Bearer <token>` (else 401).
//   Answers 201 `{ messageId }`, or 202 `{ messageId, deduplicated: true }` with the
//   first message's id when `Upstash-Deduplication-Id` (or
//   `Upstash-Content-Based-Deduplication: true`) repeats.
// - Publish headers: `Upstash-Method` (default POST), `Upstash-Retries` (default
//   `maxRetries`, else 3), `Upstash-Delay` ("10s", "2m", "1h", "1d", or a sum like
//   "1m30s"), `Upstash-Not-Before` (Unix seconds; wins over the delay, as in QStash),
//   `Upstash-Forward-<name>` (forwarded as `<name>`), `Content-Type` (forwarded).
//   Other Upstash-* headers (callbacks, flow control, labels, telemetry) are recorded
//   in `published[].requestHeaders` and otherwise ignored.
// - Delivery: the body byte-for-byte, forwarded headers, `User-Agent: Upstash-QStash`,
//   `Upstash-Message-Id`, `Upstash-Retried: <n>` (0 on the first attempt),
//   `Upstash-Caller-Ip` and `Upstash-Signature`: an HS256 JWT signed with the current
//   signing key (or the next one, `signWith: "next"`), claims exactly as QStash's:
//   iss "Upstash", sub = destination URL, iat = nbf = now, exp = now + 300 s,
//   jti "jwt_…", body = base64url(sha256(body)) WITH "=" padding, as QStash sends it
//   (the SDK's Receiver strips padding on both sides before comparing).
// - Non-2xx answers and connection errors are retried `maxRetries` times, waiting
//   retryBaseMs · 2^(n-1) before retry n (real QStash waits minutes; tests want ms).
//   A message whose retries are spent ends as state "failed" (QStash's DLQ).
// - Knobs for idempotency tests: `duplicateDeliveries` (every message is delivered
//   twice: after the first copy succeeded, or both copies at once with "concurrent")
//   and `shuffle` (first deliveries due within a short window go out one by one in a
//   shuffled order that is never the publish order).

import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";

export type FakeQStashOptions = {
  token: string;
  currentSigningKey: string;
  nextSigningKey: string;
  /** Wait before retry n is retryBaseMs · 2^(n-1). Default 100. */
  retryBaseMs?: number;
  /** Retries when the publish request sends no Upstash-Retries. Default 3. */
  maxRetries?: number;
  /** Which key signs Upstash-Signature. Default "current"; "next" simulates a rotation in progress. */
  signWith?: "current" | "next";
  /** Deliver every message twice (true: the copy after the first succeeded; "concurrent": both at once). */
  duplicateDeliveries?: boolean | "concurrent";
  /** Deliver messages out of publish order (see the header). `seed` makes the order reproducible. */
  shuffle?: boolean | { windowMs?: number; seed?: number };
  /** Per-attempt timeout of the call to the destination. Default 10 000 ms. */
  destinationTimeoutMs?: number;
};

export type PublishedMessage = {
  messageId: string;
  destination: string;
  method: string;
  /** Every header of the publish request, names lower-cased. */
  requestHeaders: Record<string, string>;
  /** What goes to the destination besides QStash's own headers: Upstash-Forward-* unprefixed, and content-type. */
  forwardedHeaders: Record<string, string>;
  /** The body as UTF-8 (it is forwarded as the exact bytes received). */
  body: string;
  maxRetries: number;
  /** When the first delivery is due (after Upstash-Delay / Upstash-Not-Before). */
  notBefore: Date;
  deduplicationId?: string;
  publishedAt: Date;
  /** "failed": retries spent on every copy; real QStash would move it to the DLQ. */
  state: "pending" | "delivered" | "failed";
};

export type DeliveryRecord = {
  messageId: string;
  url: string;
  method: string;
  /** The Upstash-Retried value sent: 0 on the first attempt. */
  retried: number;
  /** 0, or 1 for the second copy of duplicateDeliveries. */
  copy: number;
  at: Date;
  ok: boolean;
  status?: number;
  error?: string;
  /** Headers sent to the destination, names lower-cased. */
  headers: Record<string, string>;
  /** The destination's answer (first 64 KiB). */
  responseBody: string;
};

export type FakeQStash = {
  /** Base URL for `new Client({ baseUrl })` / QSTASH_URL. */
  url: string;
  /** Environment for an app under test that reads QStash settings from process.env. */
  env: {
    QSTASH_URL: string;
    QSTASH_TOKEN: string;
    QSTASH_CURRENT_SIGNING_KEY: string;
    QSTASH_NEXT_SIGNING_KEY: string;
  };
  /** Accepted messages in publish order (deduplicated publishes are not added). */
  published: PublishedMessage[];
  /** Every delivery attempt, in the order they finished. */
  deliveries: DeliveryRecord[];
  /** Resolves once every accepted message is delivered or failed (immediately when none is pending). */
  idle(): Promise<void>;
  /** Closes the server and cancels pending deliveries and retries. */
  stop(): Promise<void>;
};

const MAX_MESSAGE_BYTES = 1024 * 1024; // QStash's message size limit on the free plan
const MAX_RECORDED_RESPONSE = 64 * 1024;
const JWT_LIFETIME_SECONDS = 300;
const DURATION = /^(?:\d+[smhd])+$/;
const DURATION_PART = /(\d+)([smhd])/g;
const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

const b64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

/** base64url(sha256(body)) with "=" padding, as QStash puts it in the `body` claim. */
export function qstashBodyHash(body: Buffer | string): string {
  const hash = createHash("sha256").update(body).digest("base64url");
  return hash + "=".repeat((4 - (hash.length % 4)) % 4);
}

/**
 * An Upstash-Signature JWT for `url` and `body`, signed like QStash does. Exported so
 * tests can call a QStash callback route directly (or forge one with a wrong key).
 */
export function signUpstashJwt({
  signingKey,
  url,
  body,
  nowSeconds = Math.floor(Date.now() / 1000),
}: {
  signingKey: string;
  url: string;
  body: Buffer | string;
  nowSeconds?: number;
}): string {
  const header = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = b64url(
    JSON.stringify({
      iss: "Upstash",
      sub: url,
      exp: nowSeconds + JWT_LIFETIME_SECONDS,
      nbf: nowSeconds,
      iat: nowSeconds,
      jti: `jwt_${randomBytes(16).toString("base64url")}`,
      body: qstashBodyHash(body),
    }),
  );
  // Receiver uses the key string's UTF-8 bytes as the HMAC key (TextEncoder().encode(key)).
  const signature = createHmac("sha256", Buffer.from(signingKey, "utf8")).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}

function parseDelayMs(value: string): number | null {
  const text = value.trim().toLowerCase();
  if (!DURATION.test(text)) return null;
  let ms = 0;
  for (const [, n, unit] of text.matchAll(DURATION_PART)) ms += Number(n) * (UNIT_MS[unit ?? "s"] ?? 1_000);
  return ms;
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const presented = Buffer.from(header?.startsWith("Bearer ") ? header.slice("Bearer ".length) : "", "utf8");
  const expected = Buffer.from(token, "utf8");
  return presented.length > 0 && presented.length === expected.length && timingSafeEqual(presented, expected);
}

function lowerCaseHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

/** mulberry32: a tiny seeded PRNG so a shuffled order can be reproduced from its seed. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A permutation of `items` that differs from the input order whenever it has 2+ items. */
function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  if (out.length > 1 && out.every((x, i) => x === items[i])) out.reverse();
  return out;
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

type Message = PublishedMessage & { bytes: Buffer; callerIp: string };

export async function startFakeQStash(options: FakeQStashOptions): Promise<FakeQStash> {
  const retryBaseMs = options.retryBaseMs ?? 100;
  const defaultRetries = options.maxRetries ?? 3;
  const destinationTimeoutMs = options.destinationTimeoutMs ?? 10_000;
  const signingKey = options.signWith === "next" ? options.nextSigningKey : options.currentSigningKey;
  const shuffle = options.shuffle
    ? {
        windowMs: (typeof options.shuffle === "object" ? options.shuffle.windowMs : undefined) ?? 50,
        random: seededRandom((typeof options.shuffle === "object" ? options.shuffle.seed : undefined) ?? 0x5eed),
      }
    : null;

  const published: PublishedMessage[] = [];
  const deliveries: DeliveryRecord[] = [];
  const byDedupId = new Map<string, string>();
  const timers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<http.ClientRequest>();
  let idleWaiters: (() => void)[] = [];
  let active = 0;
  let stopped = false;
  let shuffleBatch: Message[] = [];

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const settleIdle = () => {
    if (active > 0 && !stopped) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  };

  /** One call to the destination; records and returns the attempt. */
  const attempt = (msg: Message, retried: number, copy: number): Promise<DeliveryRecord> =>
    new Promise((resolve) => {
      const at = new Date();
      const sendBody = msg.method !== "GET" && msg.method !== "HEAD";
      const headers: Record<string, string> = {
        ...msg.forwardedHeaders,
        "user-agent": "Upstash-QStash",
        "upstash-message-id": msg.messageId,
        "upstash-retried": String(retried),
        "upstash-caller-ip": msg.callerIp,
        "upstash-signature": signUpstashJwt({ signingKey, url: msg.destination, body: msg.bytes }),
        ...(sendBody ? { "content-length": String(msg.bytes.length) } : {}),
      };
      const chunks: Buffer[] = [];
      let size = 0;
      let done = false;
      const finish = (result: { ok: boolean; status?: number; error?: string }) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        timers.delete(timer);
        inFlight.delete(req);
        const record: DeliveryRecord = {
          messageId: msg.messageId,
          url: msg.destination,
          method: msg.method,
          retried,
          copy,
          at,
          ...result,
          headers,
          responseBody: Buffer.concat(chunks).toString("utf8"),
        };
        if (!stopped) deliveries.push(record);
        resolve(record);
      };
      const target = new URL(msg.destination);
      const transport = target.protocol === "https:" ? https : http;
      const req = transport.request(target, { method: msg.method, headers, agent: false }, (res) => {
        res.on("data", (chunk: Buffer) => {
          if (size < MAX_RECORDED_RESPONSE) chunks.push(chunk.subarray(0, MAX_RECORDED_RESPONSE - size));
          size += chunk.length;
        });
        res.on("end", () => {
          const status = res.statusCode ?? 0;
          finish({
            ok: status >= 200 && status < 300,
            status,
            ...(status >= 200 && status < 300 ? {} : { error: `HTTP ${status}` }),
          });
        });
        res.on("error", (err) => finish({ ok: false, status: res.statusCode, error: err.message }));
      });
      const timer = setTimeout(
        () => req.destroy(new Error(`destination timed out after ${destinationTimeoutMs} ms`)),
        destinationTimeoutMs,
      );
      timers.add(timer);
      inFlight.add(req);
      req.on("error", (err: NodeJS.ErrnoException) =>
        finish({ ok: false, error: err.code ? `${err.code}: ${err.message}` : err.message }),
      );
      req.end(sendBody ? msg.bytes : undefined);
    });

  /** One copy of a message: attempts until a 2xx or the retries are spent. */
  const runCopy = async (msg: Message, copy: number, first?: Promise<DeliveryRecord>): Promise<boolean> => {
    let retried = 0;
    let record = await (first ?? attempt(msg, 0, copy));
    while (!record.ok) {
      if (stopped || retried >= msg.maxRetries) return false;
      await sleep(retryBaseMs * 2 ** retried);
      if (stopped) return false;
      retried += 1;
      record = await attempt(msg, retried, copy);
    }
    return true;
  };

  /**
   * Delivers a message: the first attempt, retries, and the duplicate copy when asked
   * for. `firstDone` resolves when the first attempt has finished; the shuffle waits on
   * it before starting the next message, so arrival order is the shuffled order.
   */
  const deliver = (msg: Message): { firstDone: Promise<unknown>; all: Promise<void> } => {
    const first = attempt(msg, 0, 0);
    const all = (async () => {
      let delivered: boolean;
      if (options.duplicateDeliveries === "concurrent") {
        const results = await Promise.all([runCopy(msg, 0, first), runCopy(msg, 1)]);
        delivered = results.some(Boolean);
      } else {
        delivered = await runCopy(msg, 0, first);
        if (delivered && options.duplicateDeliveries === true && !stopped) await runCopy(msg, 1);
      }
      msg.state = delivered ? "delivered" : "failed";
      active -= 1;
      settleIdle();
    })();
    return { firstDone: first, all };
  };

  const flushShuffle = async () => {
    const batch = shuffled(shuffleBatch, shuffle?.random ?? Math.random);
    shuffleBatch = [];
    // One at a time, so the destination sees exactly the shuffled order.
    for (const msg of batch) {
      if (stopped) return;
      await deliver(msg).firstDone;
    }
  };

  const schedule = async (msg: Message) => {
    const wait = msg.notBefore.getTime() - Date.now();
    if (wait > 0) await sleep(wait);
    if (stopped) return;
    if (!shuffle) {
      void deliver(msg).all;
      return;
    }
    shuffleBatch.push(msg);
    if (shuffleBatch.length === 1) {
      await sleep(shuffle.windowMs);
      if (!stopped) await flushShuffle();
    }
  };

  const handlePublish = (req: http.IncomingMessage, res: http.ServerResponse, bytes: Buffer, rawDestination: string) => {
    if (!tokenMatches(req.headers.authorization, options.token)) return json(res, 401, { error: "Unauthorized" });

    // Destinations arrive raw (the SDK joins them into the path) or URL-encoded (curl users).
    const destination = /^https?%3a/i.test(rawDestination) ? decodeURIComponent(rawDestination) : rawDestination;
    let parsed: URL;
    try {
      parsed = new URL(destination);
    } catch {
      return json(res, 400, { error: `invalid destination url: ${destination}` });
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      return json(res, 400, { error: `invalid destination url: ${destination}` });
    }

    const headers = lowerCaseHeaders(req.headers);
    const method = (headers["upstash-method"] ?? "POST").toUpperCase();
    if (!/^[A-Z]+$/.test(method)) return json(res, 400, { error: `invalid Upstash-Method: ${method}` });

    let maxRetries = defaultRetries;
    if (headers["upstash-retries"] !== undefined) {
      if (!/^\d+$/.test(headers["upstash-retries"])) return json(res, 400, { error: "invalid Upstash-Retries" });
      maxRetries = Number(headers["upstash-retries"]);
    }

    let notBeforeMs = Date.now();
    if (headers["upstash-not-before"] !== undefined) {
      if (!/^\d+$/.test(headers["upstash-not-before"])) return json(res, 400, { error: "invalid Upstash-Not-Before" });
      notBeforeMs = Math.max(notBeforeMs, Number(headers["upstash-not-before"]) * 1000);
    } else if (headers["upstash-delay"] !== undefined) {
      const delay = parseDelayMs(headers["upstash-delay"]);
      if (delay === null) return json(res, 400, { error: `invalid Upstash-Delay: ${headers["upstash-delay"]}` });
      notBeforeMs += delay;
    }

    const forwardedHeaders: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (name.startsWith("upstash-forward-")) forwardedHeaders[name.slice("upstash-forward-".length)] = value;
    }
    if (headers["content-type"] !== undefined) forwardedHeaders["content-type"] = headers["content-type"];

    let deduplicationId = headers["upstash-deduplication-id"];
    if (deduplicationId === undefined && headers["upstash-content-based-deduplication"] === "true") {
      const h = createHash("sha256").update(destination).update("\0").update(bytes);
      for (const name of Object.keys(forwardedHeaders).sort()) h.update(`\0${name}:${forwardedHeaders[name]}`);
      deduplicationId = `content:${h.digest("hex")}`;
    }
    if (deduplicationId !== undefined) {
      const existing = byDedupId.get(deduplicationId);
      if (existing !== undefined) return json(res, 202, { messageId: existing, deduplicated: true });
    }

    const msg: Message = {
      messageId: `msg_${randomBytes(18).toString("base64url")}`,
      destination,
      method,
      requestHeaders: headers,
      forwardedHeaders,
      body: bytes.toString("utf8"),
      maxRetries,
      notBefore: new Date(notBeforeMs),
      ...(deduplicationId !== undefined ? { deduplicationId } : {}),
      publishedAt: new Date(),
      state: "pending",
      bytes,
      callerIp: req.socket.remoteAddress ?? "",
    };
    if (deduplicationId !== undefined) byDedupId.set(deduplicationId, msg.messageId);
    published.push(msg);
    active += 1;
    json(res, 201, { messageId: msg.messageId });
    void schedule(msg);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_MESSAGE_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => {
      const path = req.url ?? "/";
      if (req.method !== "POST" || !path.startsWith("/v2/publish/")) {
        return json(res, 404, { error: `the fake QStash implements only POST /v2/publish/<url> (got ${req.method} ${path})` });
      }
      if (tooLarge) return json(res, 413, { error: `message larger than ${MAX_MESSAGE_BYTES} bytes` });
      handlePublish(req, res, Buffer.concat(chunks), path.slice("/v2/publish/".length));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    env: {
      QSTASH_URL: url,
      QSTASH_TOKEN: options.token,
      QSTASH_CURRENT_SIGNING_KEY: options.currentSigningKey,
      QSTASH_NEXT_SIGNING_KEY: options.nextSigningKey,
    },
    published,
    deliveries,
    idle: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        settleIdle();
      }),
    stop: async () => {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const r of inFlight) r.destroy();
      inFlight.clear();
      settleIdle();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
