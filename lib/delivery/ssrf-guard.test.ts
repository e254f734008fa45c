import http from "node:http";
import type { AddressInfo } from "node:net";
import type { LookupAddress } from "node:dns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkTargetUrl, createSafeLookup, EPRIVATE, isPrivateAddress } from "./ssrf-guard";

const STRICT = { allowPrivate: false };
const LAX = { allowPrivate: true };

describe("checkTargetUrl", () => {
  // [url, allowed without the flag, allowed with PROVENANCE_ALLOW_PRIVATE_TARGETS]
  const table: [string, boolean, boolean][] = [
    ["https://example.com/hooks", true, true],
    ["https://api.example.com:8443/a?b=c", true, true],
    ["https://8.8.8.8/", true, true],
    ["https://[2606:4700:4700::1111]/", true, true],
    ["https://[::ffff:8.8.8.8]/", true, true], // mapped public IPv4
    ["https://[2002:808:808::1]/", true, true], // 6to4 of 8.8.8.8
    ["https://172.32.0.1/", true, true], // just outside 172.16/12
    ["https://100.128.0.1/", true, true], // just outside 100.64/10
    ["https://169.253.255.255/", true, true],
    // Scheme and credentials: refused whatever the flag says.
    ["http://example.com/", false, false],
    ["http://10.0.0.1/", false, false], // http only for loopback, even with the flag
    ["ftp://example.com/", false, false],
    ["file:///etc/passwd", false, false],
    ["javascript:alert(1)", false, false],
    ["https://user:pass@example.com/", false, false],
    ["https://user@example.com/", false, false],
    ["not a url", false, false],
    ["/relative/path", false, false],
    // Loopback: http allowed only with the flag.
    ["http://localhost:3000/x", false, true],
    ["http://LOCALHOST./x", false, true],
    ["http://api.localhost/x", false, true],
    ["http://127.0.0.1:8080/", false, true],
    ["http://127.1/", false, true],
    ["http://2130706433/", false, true], // decimal 127.0.0.1
    ["http://0x7f.1/", false, true], // hex
    ["http://0177.0.0.1/", false, true], // octal
    ["http://[::1]/", false, true],
    ["http://[::ffff:127.0.0.1]/", false, true], // IPv4-mapped loopback
    ["https://localhost/", false, true],
    ["https://127.0.0.1/", false, true],
    // Private, link-local, metadata, CGNAT, reserved: https allowed only with the flag.
    ["https://10.1.2.3/", false, true],
    ["https://172.16.0.1/", false, true],
    ["https://172.31.255.255/", false, true],
    ["https://192.168.1.1/", false, true],
    ["https://169.254.169.254/latest/meta-data/", false, true],
    ["https://0xA9FEA9FE/", false, true], // 169.254.169.254 in hex
    ["https://0251.0376.0251.0376/", false, true], // 169.254.169.254 in octal
    ["https://169.254.169.254./", false, true], // trailing dot
    ["https://100.64.0.1/", false, true],
    ["https://0.0.0.0/", false, true],
    ["https://0/", false, true],
    ["https://224.0.0.1/", false, true],
    ["https://255.255.255.255/", false, true],
    ["https://240.0.0.1/", false, true],
    ["https://192.0.2.10/", false, true],
    ["https://198.18.0.1/", false, true],
    ["https://[fe80::1]/", false, true],
    ["https://[fc00::1]/", false, true],
    ["https://[fd12:3456::1]/", false, true],
    ["https://[ff02::1]/", false, true],
    ["https://[::]/", false, true],
    ["https://[::ffff:10.0.0.1]/", false, true],
    ["https://[::ffff:a9fe:a9fe]/", false, true], // mapped metadata address, hex spelling
    ["https://[64:ff9b::a9fe:a9fe]/", false, true], // NAT64 of the metadata address
    ["https://[2002:7f00:1::]/", false, true], // 6to4 of 127.0.0.1
    ["https://[2001:db8::1]/", false, true],
  ];

  it.each(table)("%s → strict %s, with flag %s", (url, strictOk, laxOk) => {
    const strict = checkTargetUrl(url, STRICT);
    const lax = checkTargetUrl(url, LAX);
    expect(strict.ok).toBe(strictOk);
    expect(lax.ok).toBe(laxOk);
    for (const r of [strict, lax]) if (!r.ok) expect(r.message.length).toBeGreaterThan(10);
  });

  it("explains why", () => {
    expect(checkTargetUrl("http://example.com/", STRICT)).toEqual({ ok: false, message: "URL scheme must be https" });
    expect(checkTargetUrl("http://10.0.0.1/", LAX)).toEqual({
      ok: false,
      message: "URL scheme must be https (http is allowed only for loopback hosts)",
    });
    expect(checkTargetUrl("https://u:p@example.com/", STRICT)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/credentials/),
    });
    expect(checkTargetUrl("https://169.254.169.254/", STRICT)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/169\.254\.169\.254 is private/),
    });
    expect(checkTargetUrl("https://localhost/", STRICT)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/localhost is local/),
    });
  });
});

describe("isPrivateAddress", () => {
  it.each([
    "127.0.0.1",
    "127.255.255.254",
    "10.0.0.1",
    "172.16.0.1",
    "192.168.0.1",
    "169.254.169.254",
    "100.64.0.1",
    "100.127.255.255",
    "0.0.0.0",
    "224.0.0.251",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fe80::1%eth0",
    "febf::1",
    "fc00::1",
    "fdff::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:192.168.1.1",
    "64:ff9b::10.0.0.1",
    "[::1]",
  ])("%s is private", (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });

  it.each([
    "8.8.8.8",
    "1.1.1.1",
    "93.184.216.34",
    "172.15.255.255",
    "100.63.255.255",
    "2606:4700::1111",
    "::ffff:8.8.8.8",
    "64:ff9b::8.8.8.8",
  ])("%s is public", (ip) => {
    expect(isPrivateAddress(ip)).toBe(false);
  });

  it("fails closed on anything that is not an IP literal", () => {
    for (const junk of ["", "example.com", "999.1.1.1", "1.2.3", "::g", "localhost"]) expect(isPrivateAddress(junk)).toBe(true);
  });
});

type LookupResult = { err: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number };

function runLookup(host: string, opts: { allowPrivate: boolean }, all: boolean): Promise<LookupResult> {
  const lookup = createSafeLookup(opts);
  return new Promise((resolve) => lookup(host, { all }, (err, address, family) => resolve({ err, address, family })));
}

describe("createSafeLookup", () => {
  it("refuses localhost without the flag, with code EPRIVATE and a clear message", async () => {
    for (const all of [false, true]) {
      const { err } = await runLookup("localhost", STRICT, all);
      expect(err?.code).toBe(EPRIVATE);
      expect(err?.message).toMatch(/Refused to connect to localhost: it resolves to 127\.0\.0\.1, a private/);
    }
  });

  it("resolves localhost with the flag, in both callback shapes", async () => {
    const single = await runLookup("localhost", LAX, false);
    expect(single.err).toBeNull();
    expect(single.address).toBe("127.0.0.1");
    expect(single.family).toBe(4);
    const many = await runLookup("localhost", LAX, true);
    expect(many.err).toBeNull();
    expect(many.address).toEqual(expect.arrayContaining([{ address: "127.0.0.1", family: 4 }]));
  });

  it("refuses IP literals in private ranges passed straight to lookup", async () => {
    const { err } = await runLookup("169.254.169.254", STRICT, false);
    expect(err?.code).toBe(EPRIVATE);
  });

  it("passes DNS errors through unchanged", async () => {
    const { err } = await runLookup("no-such-host.invalid", STRICT, false);
    expect(err?.code).toMatch(/^(ENOTFOUND|EAI_AGAIN)$/);
  });
});

describe("createSafeLookup on a real connection", () => {
  let server: http.Server;
  let port: number;

  beforeAll(async () => {
    server = http.createServer((_req, res) => res.end("reached"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const get = (allowPrivate: boolean) =>
    new Promise<{ body?: string; err?: NodeJS.ErrnoException }>((resolve) => {
      const req = http.get(
        { host: "localhost", port, path: "/", agent: false, lookup: createSafeLookup({ allowPrivate }) },
        (res) => {
          let body = "";
          res.on("data", (c: Buffer) => (body += c.toString()));
          res.on("end", () => resolve({ body }));
        },
      );
      req.on("error", (err) => resolve({ err }));
    });

  it("fails with the private-address error without the flag", async () => {
    const { err, body } = await get(false);
    expect(body).toBeUndefined();
    expect(err?.code).toBe(EPRIVATE);
    expect(err?.message).toMatch(/resolves to 127\.0\.0\.1/);
  });

  it("connects with the flag", async () => {
    expect(await get(true)).toEqual({ body: "reached" });
  });
});
