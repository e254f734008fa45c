/** @type {import('next').NextConfig} */
const nextConfig = {
  // Server-only packages with native/WASM assets or dynamic requires stay unbundled.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "@electric-sql/pglite", "@electric-sql/pglite-socket", "re2-wasm", "pino"],
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
};
export default nextConfig;
