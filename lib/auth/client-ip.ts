// The address a request came from, as far as the headers can say. Next.js fills in
// X-Forwarded-For from the socket only when it is absent, and a reverse proxy appends
// the address it saw, so the last entry is the most trustworthy one. A client talking
// to the app directly can still forge it: per-IP limits are a speed bump, and the
// per-account limit is what bounds password guessing.
export function clientIp(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for");
  if (forwarded) {
    const last = forwarded.split(",").map((s) => s.trim()).filter(Boolean).pop();
    if (last) return last.slice(0, 64);
  }
  const real = headers.get("x-real-ip")?.trim();
  return real ? real.slice(0, 64) : "unknown";
}
