import { afterEach, describe, expect, it } from "vitest";
import { clientIp, clientKey, resolveClientIp, SOCKET_ADDRESS_HEADER, SOCKET_ADDRESS_MARK, UNKNOWN_CLIENT } from "./client-ip";

const resolve = (socketAddress: string | null, forwardedFor: string | null, trustedHops: number) =>
  resolveClientIp({ socketAddress, forwardedFor, trustedHops });

describe("resolveClientIp behind the production server (socket address known)", () => {
  it("with no trusted proxy, is the socket's address whatever X-Forwarded-For claims", () => {
    expect(resolve("198.51.100.9", null, 0)).toBe("198.51.100.9");
    expect(resolve("198.51.100.9", "6.6.6.6", 0)).toBe("198.51.100.9");
    expect(resolve("198.51.100.9", "6.6.6.6, 7.7.7.7", 0)).toBe("198.51.100.9");
  });

  it("with N trusted proxies, is the address the outermost of them saw", () => {
    // client 203.0.113.7 → proxy (10.0.0.2) → app; the client sent a forged entry first.
    expect(resolve("10.0.0.2", "6.6.6.6, 203.0.113.7", 1)).toBe("203.0.113.7");
    // client → CDN (appends client) → load balancer 10.0.0.3 (appends CDN 192.0.2.1) → app
    expect(resolve("10.0.0.3", "6.6.6.6, 203.0.113.7, 192.0.2.1", 2)).toBe("203.0.113.7");
  });

  it("a chain shorter than the trusted hops stops at its left-most entry", () => {
    expect(resolve("10.0.0.2", null, 1)).toBe("10.0.0.2");
    expect(resolve("10.0.0.2", "203.0.113.7", 3)).toBe("203.0.113.7");
  });

  it("an entry that is not an address falls back to the socket", () => {
    expect(resolve("10.0.0.2", "not-an-ip", 1)).toBe("10.0.0.2");
    expect(resolve("10.0.0.2", " , ", 1)).toBe("10.0.0.2");
  });

  it("spoofed values never become the key when nothing is trusted (a spray of them is one client)", () => {
    const keys = new Set(Array.from({ length: 50 }, (_, i) => resolve("127.0.0.1", `10.9.${i}.1, 172.16.${i}.2`, 0)));
    expect([...keys]).toEqual(["127.0.0.1"]);
  });
});

describe("resolveClientIp without the production server (npm run dev, tests)", () => {
  it("the right-most entry stands for the socket (Next.js fills it in when absent)", () => {
    expect(resolve(null, "203.0.113.7", 0)).toBe("203.0.113.7");
    expect(resolve(null, "6.6.6.6, 203.0.113.7", 0)).toBe("203.0.113.7");
    expect(resolve(null, "6.6.6.6, 203.0.113.7", 1)).toBe("203.0.113.7");
    expect(resolve(null, "6.6.6.6, 203.0.113.7, 192.0.2.1", 2)).toBe("203.0.113.7");
    expect(resolve(null, null, 0)).toBe(UNKNOWN_CLIENT);
  });
});

describe("clientKey", () => {
  it("keeps IPv4, unwraps IPv4-mapped IPv6, drops ports", () => {
    expect(clientKey("203.0.113.7")).toBe("203.0.113.7");
    expect(clientKey("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(clientKey("203.0.113.7:5000")).toBe("203.0.113.7");
    expect(clientKey("[2001:db8::1]:443")).toBe("2001:db8:0:0::/64");
  });

  it("groups IPv6 by /64, since one host is handed a whole /64", () => {
    expect(clientKey("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:db8:1:2::1")).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:DB8:1:2::ffff")).toBe("2001:db8:1:2::/64");
    expect(clientKey("::1")).toBe("0:0:0:0::/64");
    expect(clientKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
  });

  it("anything that is not an address is the one shared unknown key", () => {
    for (const bad of ["", "unknown", "evil.example", "1.2.3", "1:2:3", "::1::2", "<script>"]) expect(clientKey(bad), bad).toBe(UNKNOWN_CLIENT);
  });
});

describe("clientIp", () => {
  const g = globalThis as Record<string, unknown>;
  afterEach(() => {
    delete g[SOCKET_ADDRESS_MARK];
  });

  it("reads the socket address the production server wrote, and ignores a client's X-Forwarded-For", () => {
    g[SOCKET_ADDRESS_MARK] = true;
    const headers = new Headers({ [SOCKET_ADDRESS_HEADER]: "198.51.100.9", "x-forwarded-for": "6.6.6.6" });
    expect(clientIp(headers, 0)).toBe("198.51.100.9");
    expect(clientIp(headers, 1)).toBe("6.6.6.6");
  });

  it("without the production server, does not read the private header (a client could have sent it)", () => {
    const headers = new Headers({ [SOCKET_ADDRESS_HEADER]: "6.6.6.6", "x-forwarded-for": "203.0.113.7" });
    expect(clientIp(headers, 0)).toBe("203.0.113.7");
  });
});
