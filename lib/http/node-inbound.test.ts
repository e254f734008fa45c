import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { BodyRead } from "@/lib/inbound/handle-inbound";
import { discardBody, matchInboundUrl, readNodeBodyCapped } from "./node-inbound";

describe("matchInboundUrl: the App Router's two inbound routes", () => {
  it("matches a source by UUID and by mnemonic, decoding segments as the router does", () => {
    expect(matchInboundUrl("/api/inbound/acme/5f0c6a8e-1c39-4b8e-9d0e-0a4a3c1f2b77")).toEqual({
      slug: "acme",
      key: { id: "5f0c6a8e-1c39-4b8e-9d0e-0a4a3c1f2b77" },
      sync: false,
      query: {},
    });
    expect(matchInboundUrl("/api/inbound/acme/by-mnemonic/stripe")).toEqual({ slug: "acme", key: { mnemonic: "stripe" }, sync: false, query: {} });
    expect(matchInboundUrl("/api/inbound/acme/by-mnemonic/st%20ripe%2Fx")).toEqual({ slug: "acme", key: { mnemonic: "st ripe/x" }, sync: false, query: {} });
  });

  it("reads ?sync=true exactly, among other parameters", () => {
    expect(matchInboundUrl("/api/inbound/acme/by-mnemonic/stripe?sync=true")).toMatchObject({ sync: true });
    expect(matchInboundUrl("/api/inbound/acme/by-mnemonic/stripe?a=1&sync=true")).toMatchObject({ sync: true, query: { a: "1", sync: "true" } });
    expect(matchInboundUrl("/api/inbound/acme/by-mnemonic/stripe?sync=1")).toMatchObject({ sync: false });
    expect(matchInboundUrl("/api/inbound/acme/by-mnemonic/stripe?")).toMatchObject({ sync: false });
  });

  it("leaves every other URL to Next.js (its redirects, 404s and 405s stay its own)", () => {
    for (const url of [
      "/api/inbound/acme/by-mnemonic/stripe/", // trailing slash: Next.js redirects
      "/api/inbound/acme/",
      "/api/inbound/acme",
      "/api/inbound/",
      "/api/inbound/acme/by-mnemonic/stripe/extra",
      "/api/inbound/acme/other/stripe",
      "/api/inbound//by-mnemonic/stripe",
      "/api/v1/inbound-sources",
      "/api/inboundx/acme/id",
      "/API/inbound/acme/id",
    ]) {
      expect(matchInboundUrl(url), url).toBeNull();
    }
  });

  it("calls a segment that is not valid percent-encoding malformed (the router would answer a bare 500)", () => {
    expect(matchInboundUrl("/api/inbound/acme/by-mnemonic/%E0%A4%A")).toEqual({ malformed: true });
    expect(matchInboundUrl("/api/inbound/%ZZ/id")).toEqual({ malformed: true });
    expect(matchInboundUrl("/api/inbound/%ZZ/a/b/c")).toBeNull();
  });
});

describe("readNodeBodyCapped", () => {
  let server: http.Server | undefined;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  /** Sends `chunks` (no Content-Length unless given) and resolves with what the server read. */
  function send(chunks: Buffer[], limit: number, headers: Record<string, string> = {}): Promise<BodyRead | Error> {
    return new Promise((resolve) => {
      server = http.createServer((req, res) => {
        readNodeBodyCapped(req, limit).then(
          (read) => {
            resolve(read);
            res.writeHead(read.ok ? 200 : 413, read.ok ? {} : { connection: "close" }).end();
          },
          (err: Error) => resolve(err),
        );
      });
      server.listen(0, "127.0.0.1", () => {
        const { port } = server!.address() as AddressInfo;
        const req = http.request({ port, host: "127.0.0.1", method: "POST", headers });
        req.on("error", () => {}); // the server may close on us mid-upload
        req.on("response", (res) => res.resume());
        for (const c of chunks) req.write(c);
        req.end();
      });
    });
  }

  it("returns the whole body under the limit, across chunks", async () => {
    const read = await send([Buffer.from("hello "), Buffer.from("world")], 1024);
    expect(read).toMatchObject({ ok: true });
    expect(Buffer.from((read as { bytes: Uint8Array }).bytes).toString()).toBe("hello world");
  });

  it("refuses a declared Content-Length over the limit without reading", async () => {
    const body = Buffer.alloc(4096, 0x61);
    const read = await send([body], 1024, { "content-length": String(body.length) });
    expect(read).toEqual({ ok: false, head: new Uint8Array() });
  });

  it("cuts off a chunked stream that grows past the limit, keeping at most 64 KiB of its head", async () => {
    const chunks = Array.from({ length: 40 }, (_, i) => Buffer.alloc(64 * 1024, 0x30 + (i % 10)));
    const read = await send(chunks, 1024 * 1024);
    expect(read).toMatchObject({ ok: false });
    const head = (read as { head: Uint8Array }).head;
    expect(head.byteLength).toBeGreaterThan(0);
    expect(head.byteLength).toBeLessThanOrEqual(64 * 1024);
    expect(Buffer.from(head).subarray(0, 3).toString()).toBe("000");
  });

  it("rejects when the sender goes away mid-body", async () => {
    const result = new Promise<BodyRead | Error>((resolve) => {
      server = http.createServer((req) => {
        readNodeBodyCapped(req, 1024 * 1024).then(resolve, (err: Error) => resolve(err));
      });
    });
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", () => r()));
    const { port } = server!.address() as AddressInfo;
    const req = http.request({ port, host: "127.0.0.1", method: "POST", headers: { "content-length": "1000" } });
    req.on("error", () => {});
    req.write("only part of it");
    setTimeout(() => req.destroy(), 50);
    const read = await result;
    expect(read).toBeInstanceOf(Error);
    expect((read as Error).message).toMatch(/aborted/);
  });
});

describe("discardBody: the rest of a refused body, read and dropped before the 413", () => {
  let server: http.Server | undefined;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  /** POSTs `size` bytes; the server refuses after 1 KiB, discards within `maxBytes`, answers. */
  function refuse(size: number, maxBytes: number, chunked: boolean) {
    return new Promise<{ discarded: boolean; client: string }>((resolve) => {
      let discarded: boolean | undefined;
      server = http.createServer(async (req, res) => {
        await readNodeBodyCapped(req, 1024);
        discarded = await discardBody(req, maxBytes, 5_000);
        res.writeHead(413, discarded ? {} : { connection: "close" }).end("{}");
      });
      server.listen(0, "127.0.0.1", () => {
        const { port } = server!.address() as AddressInfo;
        const headers: Record<string, string> = chunked ? {} : { "content-length": String(size) };
        const req = http.request({ port, host: "127.0.0.1", method: "POST", headers, agent: false });
        req.on("response", (res) => {
          res.resume();
          res.on("end", () => resolve({ discarded: discarded!, client: `answer ${res.statusCode}` }));
        });
        req.on("error", (err: NodeJS.ErrnoException) => resolve({ discarded: discarded!, client: err.code ?? err.message }));
        const part = Buffer.alloc(64 * 1024, 0x78);
        for (let sent = 0; sent < size; sent += part.length) req.write(part.subarray(0, Math.min(part.length, size - sent)));
        req.end();
      });
    });
  }

  it("lets a sender that declared 2 MiB finish its upload and read the answer", async () => {
    expect(await refuse(2 * 1024 * 1024, 8 * 1024 * 1024, false)).toEqual({ discarded: true, client: "answer 413" });
  });

  it("does the same for a chunked body", async () => {
    expect(await refuse(2 * 1024 * 1024, 8 * 1024 * 1024, true)).toEqual({ discarded: true, client: "answer 413" });
  });

  it("gives up past its bound: a declared length over it is not read at all", async () => {
    const r = await refuse(2 * 1024 * 1024, 1024 * 1024, false);
    expect(r.discarded).toBe(false);
  });

  it("gives up past its bound while reading a chunked body", async () => {
    const r = await refuse(4 * 1024 * 1024, 1024 * 1024, true);
    expect(r.discarded).toBe(false);
  });
});
