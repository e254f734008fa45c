// SSRF guard for delivery targets. A target URL is chosen by a tenant, and the platform
// makes the request from inside its own network, so a URL pointing at loopback, the
// private LAN or the cloud metadata service (169.254.169.254) would let a tenant read
// or poke internal services. The check runs twice:
//
// 1. At create/update time, checkTargetUrl() rejects what can be judged from the URL:
//    the scheme, embedded credentials, `localhost` names and IP-literal hosts in a
//    non-public range. WHATWG URL parsing already canonicalizes the odd IPv4 spellings
//    (`2130706433`, `0x7f.1`, `0177.0.0.1`, `127.1`) to dotted quads and IPv4-mapped
//    IPv6 to hex (`[::ffff:7f00:1]`), so the range check sees the real address.
// 2. At connect time, createSafeLookup() is the `lookup` of every outbound request: the
//    name is resolved once, every address is checked, and the socket connects to an
//    address that was checked. A name that resolved to a public address at create
//    time and to 127.0.0.1 now (DNS rebinding) is refused here. Node skips `lookup`
//    for IP-literal hosts, so callers still run checkTargetUrl before connecting
//    (attempt.ts does).
//
// PROVENANCE_ALLOW_PRIVATE_TARGETS=1 (passed in as `allowPrivate`) lifts the range
// checks for self-hosters whose targets live on their own network, and permits plain
// http to loopback hosts for local development. Plain http elsewhere stays refused:
// signed payloads and auth headers would cross the network in the clear.

import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";

export type CheckTargetUrlResult = { ok: true } | { ok: false; message: string };

export type TargetUrlOptions = { allowPrivate: boolean };

/** Name resolution as dns.lookup with `all: true` does it; replaceable so tests can play a rebinding DNS. */
export type Resolve = (hostname: string, options: LookupOptions) => Promise<LookupAddress[]>;

export type SafeLookupOptions = {
  allowPrivate: boolean;
  /** Defaults to dns.lookup (the OS resolver, /etc/hosts included), as Node's own connect does. */
  resolve?: Resolve;
};

/** Code on the error the safe lookup reports for a non-public address. */
export const EPRIVATE = "EPRIVATE";

/**
 * Non-public ranges: IANA special-purpose registries (RFC 6890 and successors). Anything
 * here is either not routable on the Internet or reaches something local to us.
 */
const IPV4_RANGES: readonly (readonly [string, number])[] = [
  ["0.0.0.0", 8], // "this network"; 0.0.0.0 connects to the local host on Linux
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local, incl. cloud metadata 169.254.169.254
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // TEST-NET-1
  ["192.88.99.0", 24], // 6to4 relay anycast (deprecated)
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // TEST-NET-2
  ["203.0.113.0", 24], // TEST-NET-3
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, incl. broadcast 255.255.255.255
];

const IPV6_RANGES: readonly (readonly [string, number])[] = [
  ["::", 96], // unspecified ::, loopback ::1 and deprecated IPv4-compatible ::a.b.c.d
  ["64:ff9b:1::", 48], // local-use NAT64
  ["100::", 64], // discard-only
  ["2001::", 23], // IETF protocol assignments (Teredo, ORCHIDv2, …)
  ["2001:db8::", 32], // documentation
  ["3fff::", 20], // documentation
  ["fc00::", 7], // unique-local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
];

const BLOCKED = new BlockList();
for (const [net, prefix] of IPV4_RANGES) BLOCKED.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of IPV6_RANGES) BLOCKED.addSubnet(net, prefix, "ipv6");

/** Parses an IPv6 literal (no brackets, no zone) to its 8 groups; null when malformed. */
function ipv6Groups(ip: string): number[] | null {
  let text = ip;
  const lastColon = text.lastIndexOf(":");
  const lastPart = text.slice(lastColon + 1);
  if (lastPart.includes(".")) {
    // An embedded dotted quad (::ffff:1.2.3.4) is the last two groups, spelled in decimal.
    if (isIP(lastPart) !== 4) return null;
    const [a = 0, b = 0, c = 0, d = 0] = lastPart.split(".").map(Number);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const parse = (s: string): number[] | null => {
    if (s === "") return [];
    const groups = s.split(":").map((g) => (/^[0-9a-fA-F]{1,4}$/.test(g) ? parseInt(g, 16) : NaN));
    return groups.some(Number.isNaN) ? null : groups;
  };
  const head = parse(halves[0] ?? "");
  const rest = halves.length === 2 ? parse(halves[1] ?? "") : [];
  if (!head || !rest) return null;
  const explicit = head.length + rest.length;
  if (halves.length === 1) return explicit === 8 ? head : null;
  if (explicit > 7) return null;
  return [...head, ...new Array<number>(8 - explicit).fill(0), ...rest];
}

/** The IPv4 address an IPv6 address carries when it is only a wrapper for one. */
function embeddedIpv4(groups: readonly number[]): string | null {
  const quad = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
  const g = (i: number) => groups[i] ?? 0;
  const zeros = (from: number, to: number) => groups.slice(from, to).every((x) => x === 0);
  // ::ffff:a.b.c.d (IPv4-mapped): the socket connects to a.b.c.d itself.
  if (zeros(0, 5) && g(5) === 0xffff) return quad(g(6), g(7));
  // 64:ff9b::a.b.c.d (well-known NAT64 prefix): a NAT64 gateway forwards to a.b.c.d.
  if (g(0) === 0x64 && g(1) === 0xff9b && zeros(2, 6)) return quad(g(6), g(7));
  // 2002:aabb:ccdd::/48 (6to4): routed to the IPv4 host aa.bb.cc.dd.
  if (g(0) === 0x2002) return quad(g(1), g(2));
  return null;
}

/**
 * True when `ip` is not a public unicast address: loopback, private, link-local,
 * CGNAT, unique-local, multicast, reserved or documentation ranges, including IPv4
 * addresses wrapped in IPv6 (mapped, NAT64, 6to4). Fails closed: a string that is
 * not an IP literal counts as private, so a caller can never mistake "could not
 * parse" for "safe".
 */
export function isPrivateAddress(ip: string): boolean {
  const bare = ip.startsWith("[") && ip.endsWith("]") ? ip.slice(1, -1) : ip;
  const address = bare.split("%")[0] ?? ""; // zone id (fe80::1%eth0) is not part of the address
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, "ipv4");
  if (family !== 6) return true;
  const groups = ipv6Groups(address);
  if (!groups) return true;
  const inner = embeddedIpv4(groups);
  if (inner !== null && BLOCKED.check(inner, "ipv4")) return true;
  return BLOCKED.check(address, "ipv6");
}

function isLocalhostName(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, ""); // "localhost." is the same name
  return h === "localhost" || h.endsWith(".localhost");
}

function isLoopbackHost(hostname: string): boolean {
  if (isLocalhostName(hostname)) return true;
  const bare = hostname.startsWith("[") ? hostname.slice(1, -1) : hostname;
  if (isIP(bare) === 4) return bare.startsWith("127.");
  if (isIP(bare) === 6) {
    const groups = ipv6Groups(bare);
    if (!groups) return false;
    const inner = embeddedIpv4(groups);
    return (inner !== null && inner.startsWith("127.")) || groups.every((g, i) => g === (i === 7 ? 1 : 0));
  }
  return false;
}

/**
 * Create-time check of a target URL. Refuses non-https (http only to loopback hosts
 * with allowPrivate), credentials in the URL (they would be sent as Basic auth and
 * stored in the clear; the target's auth settings are the place for secrets),
 * `localhost` names and IP literals in non-public ranges (unless allowPrivate).
 */
export function checkTargetUrl(url: string, { allowPrivate }: TargetUrlOptions): CheckTargetUrlResult {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, message: "URL is not a valid absolute URL" };
  }
  const { protocol, hostname } = parsed;
  if (protocol !== "https:" && protocol !== "http:") {
    return { ok: false, message: `URL scheme must be https (got ${protocol.replace(/:$/, "")})` };
  }
  if (parsed.username !== "" || parsed.password !== "") {
    return { ok: false, message: "URL must not contain credentials; configure the target's auth instead" };
  }
  if (hostname === "") return { ok: false, message: "URL has no host" };
  const loopback = isLoopbackHost(hostname);
  if (protocol === "http:" && !(allowPrivate && loopback)) {
    return {
      ok: false,
      message: allowPrivate ? "URL scheme must be https (http is allowed only for loopback hosts)" : "URL scheme must be https",
    };
  }
  if (allowPrivate) return { ok: true };
  if (isLocalhostName(hostname)) {
    return { ok: false, message: `Host ${hostname} is local; private targets are not allowed` };
  }
  const bare = hostname.startsWith("[") ? hostname.slice(1, -1) : hostname;
  if (isIP(bare) !== 0 && isPrivateAddress(bare)) {
    return {
      ok: false,
      message: `Address ${bare} is private, loopback, link-local or reserved; private targets are not allowed`,
    };
  }
  return { ok: true };
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** Carries hostname and address like Node's own DNS errors, so loggers can show them. */
type PrivateAddressError = NodeJS.ErrnoException & { hostname: string; address: string };

function privateAddressError(hostname: string, address: string): PrivateAddressError {
  const err = new Error(
    `Refused to connect to ${hostname}: it resolves to ${address}, a private, loopback, link-local or reserved address`,
  );
  return Object.assign(err, { code: EPRIVATE, hostname, address });
}

const systemResolve: Resolve = (hostname, options) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  );

/**
 * A `lookup` for http.request / net.connect that resolves with dns.lookup and fails
 * with code EPRIVATE when ANY resolved address is not public (unless allowPrivate).
 * All addresses are checked, not only the one that would be used: with several A
 * records, Happy Eyeballs or a retry could otherwise reach the private one.
 */
export function createSafeLookup({ allowPrivate, resolve = systemResolve }: SafeLookupOptions): LookupFunction {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    const wantAll = options.all === true;
    const fail = (err: NodeJS.ErrnoException) => callback(err, wantAll ? [] : "", undefined);
    resolve(hostname, { ...options, all: true }).then(
      (addresses) => {
        if (addresses.length === 0) {
          const none: NodeJS.ErrnoException = new Error(`DNS lookup for ${hostname} returned no addresses`);
          none.code = "ENOTFOUND";
          return fail(none);
        }
        if (!allowPrivate) {
          const bad = addresses.find((a) => isPrivateAddress(a.address));
          if (bad) return fail(privateAddressError(hostname, bad.address));
        }
        if (wantAll) return callback(null, addresses);
        const first = addresses[0] as LookupAddress;
        callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => fail(err),
    );
  };
}
