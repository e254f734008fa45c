// Tests of the QStash TEST DOUBLE in tests/qstash-fake/server.ts. They live here because
// the unit project only picks up tests under lib/ (and a few other roots). They drive
// the fake with the REAL @upstash/qstash Client and verify its callbacks with the REAL
// Receiver; lib/delivery's production modules still import no QStash code.
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { Client, QstashError, Receiver } from "@upstash/qstash";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  qstashBodyHash,
  signUpstashJwt,
  startFakeQStash,
  type FakeQStash,
  type FakeQStashOptions,
} from "../../tests/qstash-fake/server";

const TOKEN = "test-qstash-token";
const CURRENT = "sig_current_0123456789abcdef";
const NEXT = "sig_next_fedcba9876543210";

type Hit = { method: string; url: string; headers: http.IncomingHttpHeaders; body: string };

const fakes: FakeQStash[] = [];
const servers: http.Server[] = [];
const sockets = new Set<Socket>();

afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.stop()));
  for (const s of sockets) s.destroy();
  sockets.clear();
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

async function fake(extra: Partial<FakeQStashOptions> = {}): Promise<FakeQStash> {
  const f = await startFakeQStash({ token: TOKEN, currentSigningKey: CURRENT, nextSigningKey: NEXT, retryBaseMs: 10, ...extra });
  fakes.push(f);
  return f;
}

/** A loopback destination answering each hit with `status(hit, index)`. */
async function destination(status: (hit: Hit, index: number) => number = () => 200) {
  const hits: Hit[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      const hit: Hit = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
      hits.push(hit);
      res.writeHead(status(hit, hits.length - 1)).end(`seen ${hits.length}`);
    });
  });
  server.on("connection", (s) => sockets.add(s));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/api/qstash/deliver`, port, hits };
}

const client = (f: FakeQStash, token = TOKEN) => new Client({ baseUrl: f.url, token });
const receiver = () => new Receiver({ currentSigningKey: CURRENT, nextSigningKey: NEXT });
const header = (h: Hit | undefined, name: string) => {
  const v = h?.headers[name];
  return Array.isArray(v) ? v.join(", ") : (v ?? "");
};

describe("fake QStash: publish with the real Client", () => {
  it("publishJSON reaches a local destination with the body, forwarded headers and QStash's headers", async () => {
    const f = await fake();
    const dest = await destination();
    const res = await client(f).publishJSON({
      url: dest.url,
      body: { deliveryId: "dlv_1", n: 1 },
      headers: { "x-tenant": "acme" },
    });
    expect(res.messageId).toMatch(/^msg_/);
    await f.idle();

    expect(dest.hits).toHaveLength(1);
    const hit = dest.hits[0];
    expect(hit?.method).toBe("POST");
    expect(hit?.url).toBe("/api/qstash/deliver");
    expect(hit?.body).toBe('{"deliveryId":"dlv_1","n":1}');
    expect(hit?.headers).toMatchObject({
      "content-type": "application/json",
      "x-tenant": "acme",
      "user-agent": "Upstash-QStash",
      "upstash-message-id": res.messageId,
      "upstash-retried": "0",
    });
    expect(header(hit, "upstash-signature").split(".")).toHaveLength(3);
    // Publish-side headers stay on the publish side.
    expect(hit?.headers["authorization"]).toBeUndefined();
    expect(hit?.headers["upstash-forward-x-tenant"]).toBeUndefined();

    expect(f.published).toHaveLength(1);
    expect(f.published[0]).toMatchObject({
      messageId: res.messageId,
      destination: dest.url,
      method: "POST",
      body: '{"deliveryId":"dlv_1","n":1}',
      forwardedHeaders: { "content-type": "application/json", "x-tenant": "acme" },
      maxRetries: 3,
      state: "delivered",
    });
    expect(f.published[0]?.requestHeaders["upstash-forward-x-tenant"]).toBe("acme");
    expect(f.deliveries).toEqual([
      expect.objectContaining({ messageId: res.messageId, retried: 0, copy: 0, ok: true, status: 200, responseBody: "seen 1" }),
    ]);
  });

  it("publish with a raw body forwards the exact bytes and honours Upstash-Method", async () => {
    const f = await fake();
    const dest = await destination();
    const body = '{ "a" : 1 ,\n "é": "☕" }';
    await client(f).publish({ url: dest.url, body, method: "PUT", headers: { "content-type": "text/plain" } });
    await f.idle();
    expect(dest.hits[0]).toMatchObject({ method: "PUT", body });
    expect(header(dest.hits[0], "content-type")).toBe("text/plain");
  });

  it("answers 401 to a wrong token, and the Client throws a QstashError with that status", async () => {
    const f = await fake();
    const dest = await destination();
    const logged = vi.spyOn(console, "error").mockImplementation(() => {}); // the SDK logs failed requests
    const err = await client(f, "wrong-token")
      .publishJSON({ url: dest.url, body: {} })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(QstashError);
    expect((err as QstashError).status).toBe(401);
    expect(logged).toHaveBeenCalledWith(expect.stringContaining("failed with status 401"));
    logged.mockRestore();
    expect(f.published).toHaveLength(0);
    await f.idle();
    expect(dest.hits).toHaveLength(0);
  });

  it("answers 401 without any Authorization header", async () => {
    const f = await fake();
    const res = await fetch(`${f.url}/v2/publish/http://127.0.0.1:9/x`, { method: "POST", body: "{}" });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "Unauthorized" });
  });

  it("refuses a destination that is not an http(s) URL, and unknown endpoints", async () => {
    const f = await fake();
    const auth = { authorization: `Bearer ${TOKEN}` };
    const bad = await fetch(`${f.url}/v2/publish/not-a-url`, { method: "POST", headers: auth, body: "{}" });
    expect(bad.status).toBe(400);
    const other = await fetch(`${f.url}/v2/messages/msg_1`, { headers: auth });
    expect(other.status).toBe(404);
  });
});

describe("fake QStash: signatures the real Receiver verifies", () => {
  it("the Receiver accepts the callback for its URL and body", async () => {
    const f = await fake();
    const dest = await destination();
    await client(f).publishJSON({ url: dest.url, body: { hello: "world" } });
    await f.idle();
    const hit = dest.hits[0];
    const signature = header(hit, "upstash-signature");
    await expect(receiver().verify({ signature, body: hit?.body ?? "", url: dest.url })).resolves.toBe(true);
  });

  it("signs the documented claims, with a padded base64url body hash", async () => {
    const f = await fake();
    const dest = await destination();
    await client(f).publishJSON({ url: dest.url, body: { a: 1 } });
    await f.idle();
    const [h, p] = header(dest.hits[0], "upstash-signature").split(".");
    expect(JSON.parse(Buffer.from(h ?? "", "base64url").toString())).toEqual({ alg: "HS256", typ: "JWT" });
    const claims = JSON.parse(Buffer.from(p ?? "", "base64url").toString()) as Record<string, unknown>;
    expect(Object.keys(claims).sort()).toEqual(["body", "exp", "iat", "iss", "jti", "nbf", "sub"]);
    expect(claims).toMatchObject({ iss: "Upstash", sub: dest.url, body: qstashBodyHash('{"a":1}') });
    expect(claims.body).toMatch(/^[A-Za-z0-9_-]{43}=$/);
    expect(claims.exp).toBe((claims.iat as number) + 300);
    expect(claims.nbf).toBe(claims.iat);
    expect(claims.jti).toMatch(/^jwt_/);
  });

  it("a tampered body, another URL or wrong keys fail verification", async () => {
    const f = await fake();
    const dest = await destination();
    await client(f).publishJSON({ url: dest.url, body: { amount: 100 } });
    await f.idle();
    const hit = dest.hits[0];
    const signature = header(hit, "upstash-signature");
    await expect(receiver().verify({ signature, body: '{"amount":1000}', url: dest.url })).rejects.toThrow(
      /body hash does not match/,
    );
    await expect(receiver().verify({ signature, body: hit?.body ?? "", url: "https://elsewhere.example/cb" })).rejects.toThrow(
      /invalid subject/,
    );
    const strangers = new Receiver({ currentSigningKey: "sig_other_1", nextSigningKey: "sig_other_2" });
    await expect(strangers.verify({ signature, body: hit?.body ?? "", url: dest.url })).rejects.toThrow();
  });

  it("a signature made with the NEXT key verifies too (key rotation)", async () => {
    const f = await fake({ signWith: "next" });
    const dest = await destination();
    await client(f).publishJSON({ url: dest.url, body: { rotated: true } });
    await f.idle();
    const hit = dest.hits[0];
    const signature = header(hit, "upstash-signature");
    await expect(receiver().verify({ signature, body: hit?.body ?? "", url: dest.url })).resolves.toBe(true);
    // It really is the next key: a receiver that knows only the old current key fails.
    const onlyCurrent = new Receiver({ currentSigningKey: CURRENT, nextSigningKey: "sig_unrelated" });
    await expect(onlyCurrent.verify({ signature, body: hit?.body ?? "", url: dest.url })).rejects.toThrow();
  });

  it("signUpstashJwt makes signatures for calling a callback directly in tests", async () => {
    const body = '{"direct":true}';
    const url = "http://127.0.0.1:3000/api/qstash/deliver";
    await expect(receiver().verify({ signature: signUpstashJwt({ signingKey: CURRENT, url, body }), body, url })).resolves.toBe(
      true,
    );
    const expired = signUpstashJwt({ signingKey: CURRENT, url, body, nowSeconds: Math.floor(Date.now() / 1000) - 3600 });
    // Both keys set to CURRENT so the error is about the claim, not the fallback to the next key.
    const currentOnly = new Receiver({ currentSigningKey: CURRENT, nextSigningKey: CURRENT });
    await expect(currentOnly.verify({ signature: expired, body, url })).rejects.toThrow(/"exp" claim/);
  });
});

describe("fake QStash: retries, delay, deduplication", () => {
  it("retries on 500 with Upstash-Retried counting up, then succeeds", async () => {
    const f = await fake();
    const dest = await destination((_h, i) => (i < 2 ? 500 : 204));
    const { messageId } = await client(f).publishJSON({ url: dest.url, body: { x: 1 } });
    await f.idle();
    expect(dest.hits.map((h) => header(h, "upstash-retried"))).toEqual(["0", "1", "2"]);
    expect(dest.hits.every((h) => header(h, "upstash-message-id") === messageId)).toBe(true);
    expect(f.deliveries.map((d) => [d.retried, d.status, d.ok])).toEqual([
      [0, 500, false],
      [1, 500, false],
      [2, 204, true],
    ]);
    // Each retry carries a fresh signature the Receiver accepts.
    for (const h of dest.hits)
      await expect(receiver().verify({ signature: header(h, "upstash-signature"), body: h.body, url: dest.url })).resolves.toBe(
        true,
      );
    expect(f.published[0]?.state).toBe("delivered");
  });

  it("waits with exponential backoff between retries", async () => {
    const f = await fake({ retryBaseMs: 40 });
    const dest = await destination((_h, i) => (i < 3 ? 503 : 200));
    await client(f).publishJSON({ url: dest.url, body: {} });
    await f.idle();
    const at = f.deliveries.map((d) => d.at.getTime());
    const gaps = at.slice(1).map((t, i) => t - (at[i] ?? 0));
    // 40, 80, 160 ms; generous lower bounds only (timers never fire early, they may fire late).
    expect(gaps[0]).toBeGreaterThanOrEqual(35);
    expect(gaps[1]).toBeGreaterThanOrEqual(75);
    expect(gaps[2]).toBeGreaterThanOrEqual(155);
  });

  it("stops after Upstash-Retries retries and marks the message failed", async () => {
    const f = await fake();
    const dest = await destination(() => 500);
    await client(f).publishJSON({ url: dest.url, body: {}, retries: 1 });
    await f.idle();
    expect(dest.hits).toHaveLength(2);
    expect(f.published[0]).toMatchObject({ maxRetries: 1, state: "failed" });
  });

  it("uses the maxRetries option when the publish sends no Upstash-Retries", async () => {
    const f = await fake({ maxRetries: 0 });
    const dest = await destination(() => 500);
    await client(f).publishJSON({ url: dest.url, body: {} });
    await f.idle();
    expect(dest.hits).toHaveLength(1);
  });

  it("retries after a connection error", async () => {
    // Nothing listens on this port for the first attempt; a server appears before the retry.
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const f = await fake({ retryBaseMs: 400 });
    const url = `http://127.0.0.1:${port}/late`;
    await client(f).publishJSON({ url, body: { late: true } });
    await expect.poll(() => f.deliveries.length).toBe(1);
    expect(f.deliveries[0]).toMatchObject({ ok: false, error: expect.stringMatching(/ECONNREFUSED/) });
    const hits: string[] = [];
    const late = http.createServer((req, res) => {
      hits.push(String(req.headers["upstash-retried"]));
      res.end();
    });
    late.on("connection", (s) => sockets.add(s));
    await new Promise<void>((resolve) => late.listen(port, "127.0.0.1", resolve));
    servers.push(late);
    await f.idle();
    expect(hits).toEqual(["1"]);
    expect(f.published[0]?.state).toBe("delivered");
  });

  it("honours Upstash-Delay", async () => {
    const f = await fake();
    const dest = await destination();
    const started = Date.now();
    await client(f).publishJSON({ url: dest.url, body: {}, delay: 1 });
    await new Promise((r) => setTimeout(r, 300));
    expect(dest.hits).toHaveLength(0);
    await f.idle();
    expect(dest.hits).toHaveLength(1);
    expect((f.deliveries[0]?.at.getTime() ?? 0) - started).toBeGreaterThanOrEqual(950);
    expect(f.published[0]?.requestHeaders["upstash-delay"]).toBe("1s");
  });

  it("refuses a malformed Upstash-Delay like QStash does", async () => {
    const f = await fake();
    const res = await fetch(`${f.url}/v2/publish/http://127.0.0.1:9/x`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "upstash-delay": "soon" },
      body: "{}",
    });
    expect(res.status).toBe(400);
  });

  it("deduplicates by Upstash-Deduplication-Id: 202 with the first message id, delivered once", async () => {
    const f = await fake();
    const dest = await destination();
    const c = client(f);
    const a = await c.publishJSON({ url: dest.url, body: { n: 1 }, deduplicationId: "dlv_1:attempt_1" });
    const b = await c.publishJSON({ url: dest.url, body: { n: 1 }, deduplicationId: "dlv_1:attempt_1" });
    const other = await c.publishJSON({ url: dest.url, body: { n: 1 }, deduplicationId: "dlv_1:attempt_2" });
    expect(b.messageId).toBe(a.messageId);
    expect((b as { deduplicated?: boolean }).deduplicated).toBe(true);
    expect(other.messageId).not.toBe(a.messageId);
    await f.idle();
    expect(dest.hits).toHaveLength(2);
    expect(f.published.map((m) => m.deduplicationId)).toEqual(["dlv_1:attempt_1", "dlv_1:attempt_2"]);
  });

  it("deduplicates by content when asked to", async () => {
    const f = await fake();
    const dest = await destination();
    const c = client(f);
    const a = await c.publishJSON({ url: dest.url, body: { same: true }, contentBasedDeduplication: true });
    const b = await c.publishJSON({ url: dest.url, body: { same: true }, contentBasedDeduplication: true });
    const d = await c.publishJSON({ url: dest.url, body: { same: false }, contentBasedDeduplication: true });
    expect(b.messageId).toBe(a.messageId);
    expect(d.messageId).not.toBe(a.messageId);
    await f.idle();
    expect(dest.hits).toHaveLength(2);
  });
});

describe("fake QStash: knobs for idempotency tests", () => {
  it("duplicateDeliveries delivers every message twice with the same message id", async () => {
    const f = await fake({ duplicateDeliveries: true });
    const dest = await destination();
    const { messageId } = await client(f).publishJSON({ url: dest.url, body: { once: "please" } });
    await f.idle();
    expect(dest.hits).toHaveLength(2);
    expect(dest.hits.map((h) => header(h, "upstash-message-id"))).toEqual([messageId, messageId]);
    expect(dest.hits[1]?.body).toBe(dest.hits[0]?.body);
    expect(f.deliveries.map((d) => d.copy)).toEqual([0, 1]);
    for (const h of dest.hits)
      await expect(receiver().verify({ signature: header(h, "upstash-signature"), body: h.body, url: dest.url })).resolves.toBe(
        true,
      );
  });

  it('duplicateDeliveries: "concurrent" sends both copies at once', async () => {
    const f = await fake({ duplicateDeliveries: "concurrent" });
    let inside = 0;
    let maxInside = 0;
    const server = http.createServer((_req, res) => {
      inside += 1;
      maxInside = Math.max(maxInside, inside);
      setTimeout(() => {
        inside -= 1;
        res.end();
      }, 50);
    });
    server.on("connection", (s) => sockets.add(s));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    servers.push(server);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cb`;
    await client(f).publishJSON({ url, body: {} });
    await f.idle();
    expect(f.deliveries).toHaveLength(2);
    expect(maxInside).toBe(2);
  });

  it("shuffle delivers a burst out of publish order, every message exactly once", async () => {
    const f = await fake({ shuffle: { seed: 7, windowMs: 250 } });
    const dest = await destination();
    const c = client(f);
    const order = ["1", "2", "3", "4", "5", "6"];
    for (const n of order) await c.publishJSON({ url: dest.url, body: { n } });
    await f.idle();
    const seen = dest.hits.map((h) => (JSON.parse(h.body) as { n: string }).n);
    expect([...seen].sort()).toEqual(order);
    expect(seen).not.toEqual(order);
  });

  it("shuffle with a seed is reproducible", async () => {
    const run = async () => {
      const f = await fake({ shuffle: { seed: 42, windowMs: 250 } });
      const dest = await destination();
      const c = client(f);
      for (const n of ["a", "b", "c", "d"]) await c.publishJSON({ url: dest.url, body: { n } });
      await f.idle();
      return dest.hits.map((h) => (JSON.parse(h.body) as { n: string }).n);
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first).not.toEqual(["a", "b", "c", "d"]);
  });

  it("exposes the env an app under test needs, and idle() resolves at once when nothing is pending", async () => {
    const f = await fake();
    expect(f.env).toEqual({
      QSTASH_URL: f.url,
      QSTASH_TOKEN: TOKEN,
      QSTASH_CURRENT_SIGNING_KEY: CURRENT,
      QSTASH_NEXT_SIGNING_KEY: NEXT,
    });
    expect(f.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await f.idle();
  });

  it("stop() cancels pending retries and closes the server", async () => {
    const f = await fake({ retryBaseMs: 10_000 });
    const dest = await destination(() => 500);
    await client(f).publishJSON({ url: dest.url, body: {} });
    await expect.poll(() => dest.hits.length).toBe(1);
    await f.stop();
    fakes.splice(fakes.indexOf(f), 1);
    await f.idle(); // resolves: nothing will happen any more
    expect(dest.hits).toHaveLength(1);
    await expect(fetch(`${f.url}/v2/publish/${dest.url}`, { method: "POST" })).rejects.toThrow();
  });
});
