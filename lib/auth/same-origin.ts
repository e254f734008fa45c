// CSRF guard for cookie-authenticated mutations: the browser's Origin (or, failing that,
// Sec-Fetch-Site) must say the request comes from this app. Bearer-token calls are not
// subject to it: browsers never attach those on their own.
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

export function isSameOrigin(headers: Headers, requestUrl: string, publicUrl?: string): boolean {
  const origin = headers.get("origin");
  if (origin) {
    if (origin === "null") return false;
    const allowed = new Set<string>([new URL(requestUrl).origin]);
    const host = headers.get("x-forwarded-host") ?? headers.get("host");
    if (host) {
      const proto = headers.get("x-forwarded-proto") ?? new URL(requestUrl).protocol.replace(":", "");
      allowed.add(`${proto}://${host}`);
    }
    if (publicUrl) allowed.add(new URL(publicUrl).origin);
    return allowed.has(origin);
  }
  const site = headers.get("sec-fetch-site");
  return site === "same-origin" || site === "none";
}
