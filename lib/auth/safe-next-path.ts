// Where to go after signing in. Only a path on this site is honoured, so a crafted
// link cannot bounce a freshly signed-in operator to another origin.
const BASE = "http://provenance.invalid";

export function safeNextPath(value: string | string[] | null | undefined, fallback = "/"): string {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw || !raw.startsWith("/") || raw.startsWith("//") || raw.includes("\\")) return fallback;
  // Control characters (tabs, newlines) are dropped by URL parsers and can turn "/\t/x" into "//x".
  if (/[\u0000-\u001f\u007f]/.test(raw)) return fallback;
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  // Dot segments and their percent-encoded forms are resolved by the parse above, so
  // "/.//x", "/a/..//x" and "/%2e//x" come out as "//x": a protocol-relative URL that
  // a browser would follow to another site. Whatever survives must not start that way.
  if (/^\/[\/\\]/.test(url.pathname)) return fallback;
  // Back to the sign-in page would only loop; the API is not a page to land on.
  if (url.pathname === "/login" || url.pathname.startsWith("/login/") || url.pathname.startsWith("/api/")) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
