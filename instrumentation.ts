// Runs once when the Next.js server starts: migrations, bootstrap, worker (lib/boot.ts).
// A failed start stops the process: serving 500s from a half-booted app hides the cause.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { boot } = await import("./lib/boot");
    try {
      await boot();
    } catch (err) {
      console.error(`[provenance] start-up failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    }
  }
}
