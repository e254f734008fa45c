// Runs once when the Next.js server starts: migrations, bootstrap, worker (lib/boot.ts).
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { boot } = await import("./lib/boot");
    await boot();
  }
}
