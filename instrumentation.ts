// Runs once when the Next.js server starts: migrations, bootstrap, worker (lib/boot.ts).
// A failed start stops the process: serving 500s from a half-booted app hides the cause.
// Then it hands the production server (scripts/server.mjs) the lean inbound path, which
// that server can only reach through globalThis: it is plain JavaScript, and this is
// where Next.js has compiled the app's code.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { boot } = await import("./lib/boot");
    try {
      await boot();
    } catch (err) {
      console.error(`[provenance] start-up failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    }
    const { env } = await import("./lib/env");
    if (env().PROVENANCE_LEAN_INBOUND === "1") {
      const { matchInboundUrl, serveInbound, LEAN_INBOUND_GLOBAL } = await import("./lib/http/node-inbound");
      (globalThis as Record<string, unknown>)[LEAN_INBOUND_GLOBAL] = { match: matchInboundUrl, serve: serveInbound };
    }
  }
}
