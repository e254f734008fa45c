import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { attemptDelivery, RESPONSE_BODY_LIMIT, type AttemptDeliveryInput } from "./attempt";
import type { Resolve } from "./ssrf-guard";

type Received = { method: string; url: string; headers: http.IncomingHttpHeaders; body: Buffer };

const servers: http.Server[] = [];
const sockets = new Set<Socket>();

afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

/** A loopback server on port 0 that records requests and answers with `handler`. */
async function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse, received: Received) => void) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r: Received = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks) };
      received.push(r);
      handler(req, res, r);
    });
  });
  server.on("connection", (s) => sockets.add(s));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, port, received, server };
}

const base = (url: string, extra: Partial<AttemptDeliveryInput> = {}): AttemptDeliveryInput => ({
  url,
  headers: { "content-type": "application/json" },
  body: '{"ok":true}',
  timeoutMs: 5_000,
  allowPrivate: true,
  ...extra,
});

describe("attemptDelivery", () => {
  it("a 2xx is ok, with status, body and a duration", async () => {
    const srv = await serve((_q, res) => res.writeHead(202, { "content-type": "text/plain" }).end("accepted"));
    const r = await attemptDelivery(base(`${srv.url}/hook`));
    expect(r).toMatchObject({ ok: true, status: 202, responseBody: "accepted" });
    expect(r.error).toBeUndefined();
    expect(r.ms).toBeGreaterThanOrEqual(0);
    expect(r.ms).toBeLessThan(5_000);
  });

  it("delivers the exact bytes and headers", async () => {
    const srv = await serve((_q, res) => res.end());
    const body = '{ "name" : "café ☕",\n\t"n": 1.50 }';
    const r = await attemptDelivery(
      base(`${srv.url}/in/abc?x=1&y=%20`, {
        body,
        headers: {
          "content-type": "application/json",
          "webhook-id": "dlv_1",
          "webhook-timestamp": "1700000000",
          "webhook-signature": "v1,abc=",
          authorization: "Bearer t0k",
          "Content-Length": "3", // wrong on purpose: the real length is computed
        },
      }),
    );
    expect(r.ok).toBe(true);
    const got = srv.received[0];
    expect(got?.method).toBe("POST");
    expect(got?.url).toBe("/in/abc?x=1&y=%20");
    expect(got?.body.equals(Buffer.from(body, "utf8"))).toBe(true);
    expect(got?.headers).toMatchObject({
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(body)),
      "webhook-id": "dlv_1",
      "webhook-timestamp": "1700000000",
      "webhook-signature": "v1,abc=",
      authorization: "Bearer t0k",
      "user-agent": "Provenance-Webhooks/1",
    });
  });

  it("keeps a caller's user-agent", async () => {
    const srv = await serve((_q, res) => res.end());
    await attemptDelivery(base(srv.url, { headers: { "User-Agent": "custom/2" } }));
    expect(srv.received[0]?.headers["user-agent"]).toBe("custom/2");
  });

  it("a 500 is not ok and keeps status and body", async () => {
    const srv = await serve((_q, res) => res.writeHead(500).end("boom: database down"));
    expect(await attemptDelivery(base(srv.url))).toMatchObject({
      ok: false,
      status: 500,
      error: "HTTP 500",
      responseBody: "boom: database down",
    });
  });

  it("a 410 is not ok", async () => {
    const srv = await serve((_q, res) => res.writeHead(410).end("gone"));
    expect(await attemptDelivery(base(srv.url))).toMatchObject({ ok: false, status: 410, responseBody: "gone" });
  });

  it("does not follow a redirect, even to a reachable server", async () => {
    const other = await serve((_q, res) => res.end("should not be reached"));
    const srv = await serve((_q, res) => res.writeHead(302, { location: `${other.url}/x` }).end());
    const r = await attemptDelivery(base(srv.url));
    expect(r).toMatchObject({ ok: false, status: 302, error: `Redirect (HTTP 302 to ${other.url}/x) not followed` });
    expect(other.received).toHaveLength(0);
  });

  it("times out a server that never answers, with a clear error", async () => {
    const srv = await serve(() => {
      /* never respond */
    });
    const r = await attemptDelivery(base(srv.url, { timeoutMs: 200 }));
    expect(r).toMatchObject({ ok: false, error: "Timed out after 200 ms", responseBody: "" });
    expect(r.status).toBeUndefined();
    expect(r.ms).toBeGreaterThanOrEqual(150);
    expect(r.ms).toBeLessThan(4_000);
  });

  it("times out a server that sends the head and then stalls, keeping the status", async () => {
    const srv = await serve((_q, res) => {
      res.writeHead(200);
      res.write("partial");
    });
    const r = await attemptDelivery(base(srv.url, { timeoutMs: 200 }));
    expect(r).toMatchObject({ ok: false, status: 200, error: "Timed out after 200 ms" });
  });

  it("reports connection refused clearly", async () => {
    const srv = await serve((_q, res) => res.end());
    const { port } = srv;
    await new Promise<void>((resolve) => srv.server.close(() => resolve()));
    servers.splice(servers.indexOf(srv.server), 1);
    const r = await attemptDelivery(base(`http://127.0.0.1:${port}/`));
    expect(r).toMatchObject({ ok: false, error: `Connection refused by 127.0.0.1:${port}`, responseBody: "" });
    expect(r.status).toBeUndefined();
  });

  it("keeps the first 2 KiB of a 10 MB response and stops reading", async () => {
    const TOTAL = 10 * 1024 * 1024;
    const CHUNK = 16 * 1024;
    let written = 0;
    let finished: boolean | undefined;
    let onClosed: () => void = () => {};
    const closed = new Promise<void>((resolve) => (onClosed = resolve));
    const srv = await serve((_q, res) => {
      res.writeHead(200, { "content-type": "text/plain", "content-length": TOTAL });
      res.on("close", () => {
        finished = res.writableFinished;
        onClosed();
      });
      // Writes with backpressure, like a real streaming server: only what the client reads gets sent.
      const pump = () => {
        while (written < TOTAL && !res.destroyed) {
          const n = Math.min(CHUNK, TOTAL - written);
          const fill = written === 0 ? "a" : "b";
          written += n;
          if (!res.write(Buffer.alloc(n, fill))) return void res.once("drain", pump);
        }
        if (written >= TOTAL) res.end();
      };
      pump();
    });
    const r = await attemptDelivery(base(srv.url));
    await closed;
    expect(r.ok).toBe(true);
    expect(r.status).toBe(200);
    expect(Buffer.byteLength(r.responseBody)).toBe(RESPONSE_BODY_LIMIT);
    expect(r.responseBody).toBe("a".repeat(RESPONSE_BODY_LIMIT));
    // The client hung up after 2 KiB: the server could not finish sending the 10 MB.
    expect(finished).toBe(false);
    expect(written).toBeLessThan(TOTAL);
  });

  it("decodes a truncated multi-byte character lossily instead of failing", async () => {
    // 2047 ASCII bytes then "€" (3 bytes): the cut falls inside the character.
    const srv = await serve((_q, res) => res.end(`${"x".repeat(RESPONSE_BODY_LIMIT - 1)}€tail`));
    const r = await attemptDelivery(base(srv.url));
    expect(r.ok).toBe(true);
    expect(r.responseBody).toBe(`${"x".repeat(RESPONSE_BODY_LIMIT - 1)}\uFFFD`);
  });

  it("refuses a private address without allowPrivate, before connecting", async () => {
    const srv = await serve((_q, res) => res.end());
    const r = await attemptDelivery(base(srv.url, { allowPrivate: false }));
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/scheme must be https/);
    const viaName = await attemptDelivery(base(`https://localhost:${srv.port}/`, { allowPrivate: false }));
    expect(viaName.error).toMatch(/localhost is local/);
    const literal = await attemptDelivery(base(`https://127.0.0.1:${srv.port}/`, { allowPrivate: false }));
    expect(literal.error).toMatch(/127\.0\.0\.1 is private/);
    expect(srv.received).toHaveLength(0);
  });

  it("refuses at connect time when a name that passed the URL check resolves to a private address (DNS rebinding)", async () => {
    const srv = await serve((_q, res) => res.end("hi"));
    const asked: string[] = [];
    // A DNS that answers with loopback for a public-looking name, as a rebinding attacker's would.
    const rebinding: Resolve = async (hostname) => {
      asked.push(hostname);
      return [{ address: "127.0.0.1", family: 4 }];
    };
    const url = `https://rebind.example.com:${srv.port}/`;
    const r = await attemptDelivery(base(url, { allowPrivate: false, resolve: rebinding }));
    expect(asked).toEqual(["rebind.example.com"]);
    expect(r).toMatchObject({
      ok: false,
      error:
        "Refused to connect to rebind.example.com: it resolves to 127.0.0.1, a private, loopback, link-local or reserved address",
      responseBody: "",
    });
    expect(srv.received).toHaveLength(0);
  });

  it("refuses when any one of several resolved addresses is private", async () => {
    const srv = await serve((_q, res) => res.end());
    const mixed: Resolve = async () => [
      { address: "93.184.216.34", family: 4 },
      { address: "10.0.0.7", family: 4 },
    ];
    const r = await attemptDelivery(base(`https://mixed.example.com:${srv.port}/`, { allowPrivate: false, resolve: mixed }));
    expect(r.error).toMatch(/resolves to 10\.0\.0\.7/);
  });

  it("connects through the resolver at connect time when private targets are allowed", async () => {
    const srv = await serve((_q, res) => res.end("hi"));
    const asked: string[] = [];
    const resolve: Resolve = async (hostname) => {
      asked.push(hostname);
      return [{ address: "127.0.0.1", family: 4 }];
    };
    const r = await attemptDelivery(base(`http://localhost:${srv.port}/`, { allowPrivate: true, resolve }));
    expect(r).toMatchObject({ ok: true, status: 200, responseBody: "hi" });
    expect(asked).toEqual(["localhost"]);
  });

  it("never throws: invalid header values and invalid URLs are failed attempts", async () => {
    const srv = await serve((_q, res) => res.end());
    const bad = await attemptDelivery(base(srv.url, { headers: { "x-evil": "a\r\nInjected: 1" } }));
    expect(bad.ok).toBe(false);
    expect(bad.error).toMatch(/^Invalid request: /);
    expect(await attemptDelivery(base("::not a url::"))).toMatchObject({ ok: false, error: "URL is not a valid absolute URL" });
    expect(srv.received).toHaveLength(0);
  });

  it("reports a DNS failure clearly", async () => {
    const r = await attemptDelivery(base("https://no-such-host.invalid/", { allowPrivate: false }));
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/^DNS lookup failed for no-such-host\.invalid/);
  });
});
