/** @type {import('next').NextConfig} */
const nextConfig = {
  // Server-only packages with native/WASM assets or dynamic requires stay unbundled.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "@electric-sql/pglite", "@electric-sql/pglite-socket", "re2-wasm", "pino"],
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
  // Headers every response gets (pages, route handlers, static files). The per-request ones
  // (CSP with its nonce, HSTS) are set by proxy.ts; the lean inbound path in
  // scripts/server.mjs bypasses Next.js and sets nosniff itself.
  async headers() {
    const always = [
      { key: "X-Content-Type-Options", value: "nosniff" },
      // Not "no-referrer": browsers then send "Origin: null" on same-origin POSTs, which the
      // CSRF check (lib/auth/same-origin.ts) rightly refuses.
      { key: "Referrer-Policy", value: "same-origin" },
      { key: "X-Frame-Options", value: "DENY" },
      { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
    ];
    return [
      { source: "/:path*", headers: always },
      // JSON is never a document: should one be opened in a tab, nothing in it runs or frames.
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }] },
    ];
  },
};
export default nextConfig;
