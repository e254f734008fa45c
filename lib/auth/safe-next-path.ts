// Where to go after signing in. Only a path on this site is honoured, so a crafted
// link cannot bounce a freshly signed-in operator to another origin.
const BASE = "http://provenance.invalid";
const MAX_LENGTH = 2048;
// Dot segments and percent-encoded dots are resolved by the URL parser, so "/.//x",
// "/a/..//x" and "/%2e//x" all come out as "//x": a browser reads that as another host.
// Percent-encoded slashes are not decoded by browsers today, but a proxy or router in
// between may decode them, so a few layers of decoding are looked through as well.
const DECODE_LAYERS = 3;
const CONTROL = /[\u0000-\u001f\u007f]/;
const TWO_SLASHES = /^[/\\]{2}/;

export function safeNextPath(value: string | string[] | null | undefined, fallback = "/"): string {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw || raw.length > MAX_LENGTH || !raw.startsWith("/") || TWO_SLASHES.test(raw) || raw.includes("\\")) return fallback;
  // Control characters (tabs, newlines) are dropped by URL parsers and can turn "/\t/x" into "//x".
  if (CONTROL.test(raw)) return fallback;
  const url = parseSameSite(raw);
  if (!url || couldLeaveSite(url.pathname)) return fallback;
  // Back to the sign-in page would only loop; the API is not a page to land on.
  if (isLoginOrApi(url.pathname)) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

function parseSameSite(path: string): URL | null {
  try {
    const url = new URL(path, BASE);
    return url.origin === BASE ? url : null;
  } catch {
    return null;
  }
}

/** Whether the normalised path, or any percent-decoding of it, reads as another host. */
function couldLeaveSite(pathname: string): boolean {
  let current = pathname;
  for (let layer = 0; layer <= DECODE_LAYERS; layer++) {
    if (TWO_SLASHES.test(current) || CONTROL.test(current)) return true;
    // Decoded text may hold new dot segments ("/%2e%2e/%2f…"): normalise it again.
    const normalised = parseSameSite(current.replace(/\\/g, "/"));
    if (!normalised || TWO_SLASHES.test(normalised.pathname)) return true;
    let decoded: string;
    try {
      decoded = decodeURIComponent(current);
    } catch {
      return false; // not valid percent-encoding: no decoder turns it into a slash
    }
    if (decoded === current) return false;
    if (!decoded.startsWith("/")) return true;
    current = decoded;
  }
  // Still decoding after that many layers: nothing legitimate is encoded this deep.
  return true;
}

function isLoginOrApi(pathname: string): boolean {
  let path = pathname.toLowerCase();
  try {
    path = decodeURIComponent(path);
  } catch {
    // keep the encoded form
  }
  return path === "/login" || path.startsWith("/login/") || path === "/api" || path.startsWith("/api/");
}
