// The address a request came from, for per-client sign-in limits. Anyone can write an
// X-Forwarded-For header, so it is believed only as far as PROVENANCE_TRUST_PROXY says:
// with N trusted proxies in front of the app, the client is the address the outermost of
// them saw, i.e. the Nth entry from the right once the socket's own address is appended.
// With 0 (the default) the socket's address is the client and the header is ignored.
//
// Route handlers have no socket. The production server (scripts/server.mjs) therefore
// writes the socket's address into SOCKET_ADDRESS_HEADER on every request, replacing any
// copy a client sent, and marks itself on globalThis. Without that server (`npm run dev`,
// route handlers called in tests) the right-most X-Forwarded-For entry stands in for the
// socket: Next.js fills the header from the socket when a request has none, but a client
// that sends one is believed there, so only `npm start` makes the per-client limit hold.
import { isIP } from "node:net";
import { env } from "@/lib/env";

export const SOCKET_ADDRESS_HEADER = "x-provenance-socket-address";
/** Set to true by scripts/server.mjs: SOCKET_ADDRESS_HEADER is its own, never the client's. */
export const SOCKET_ADDRESS_MARK = "__provenanceSocketAddressHeader";

export const UNKNOWN_CLIENT = "unknown";

/** An address as a limit key: IPv4-mapped IPv6 as IPv4, IPv6 by its /64 (one host gets a whole /64). */
export function clientKey(address: string): string {
  const bare = stripPort(address.trim());
  const kind = isIP(bare);
  if (kind === 4) return bare;
  if (kind !== 6) return UNKNOWN_CLIENT;
  const hextets = expandIpv6(bare);
  if (!hextets) return UNKNOWN_CLIENT;
  // ::ffff:a.b.c.d is an IPv4 client on a dual-stack socket.
  if (hextets.slice(0, 5).every((h) => h === 0) && hextets[5] === 0xffff) {
    return [hextets[6]! >> 8, hextets[6]! & 0xff, hextets[7]! >> 8, hextets[7]! & 0xff].join(".");
  }
  return `${hextets
    .slice(0, 4)
    .map((h) => h.toString(16))
    .join(":")}::/64`;
}

/**
 * The client's address: `socketAddress` (null when unknown) and the X-Forwarded-For chain,
 * of which only the right-most `trustedHops` entries were written by proxies we trust.
 */
export function resolveClientIp(input: { socketAddress: string | null; forwardedFor: string | null; trustedHops: number }): string {
  const forwarded = (input.forwardedFor ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  let chain: string[];
  let fromRight: number;
  if (input.socketAddress !== null) {
    chain = [...forwarded, input.socketAddress];
    fromRight = input.trustedHops;
  } else {
    // No socket (see the header comment): Next.js adds it only to a request without the
    // header, so the right-most entry is the socket's or the nearest proxy's.
    chain = forwarded;
    fromRight = Math.max(0, input.trustedHops - 1);
  }
  if (chain.length === 0) return UNKNOWN_CLIENT;
  const socketKey = clientKey(chain[chain.length - 1]!);
  // A chain shorter than the trusted hops: the left-most entry is as far as it goes.
  const picked = chain[Math.max(0, chain.length - 1 - fromRight)]!;
  const key = clientKey(picked);
  // An entry that is not an address is not a client: fall back to the hop that handed it over.
  return key === UNKNOWN_CLIENT ? socketKey : key;
}

export function clientIp(headers: Headers, trustedHops: number = env().PROVENANCE_TRUST_PROXY): string {
  const fromServer = (globalThis as Record<string, unknown>)[SOCKET_ADDRESS_MARK] === true;
  return resolveClientIp({
    socketAddress: fromServer ? (headers.get(SOCKET_ADDRESS_HEADER) ?? "") : null,
    forwardedFor: headers.get("x-forwarded-for"),
    trustedHops,
  });
}

function stripPort(address: string): string {
  // "[2001:db8::1]:443" and "203.0.113.7:5000" (some proxies append the port).
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) return bracketed[1]!;
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(address);
  return v4 ? v4[1]! : address;
}

/** The eight 16-bit groups of a valid IPv6 address (zone id dropped), or null. */
function expandIpv6(address: string): number[] | null {
  let text = address.split("%")[0]!.toLowerCase();
  // A trailing dotted IPv4 part stands for the last two groups.
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  if (fill < 0 || (halves.length === 1 && head.length !== 8)) return null;
  const groups = [...head, ...Array<string>(fill).fill("0"), ...tail].map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN));
  return groups.length === 8 && groups.every((g) => !Number.isNaN(g)) ? groups : null;
}
