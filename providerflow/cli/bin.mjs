#!/usr/bin/env node
// @ts-check
// `providerflow` for plain `node`: run the prebuilt CLI (dist/providerflow.cjs, made by
// `npm run build` through build.mjs) and exit with its code once stdout and stderr are
// flushed (an exit straight away could cut a piped JSON document short; waiting for the
// event loop instead could wait on an idle keep-alive socket of fetch).
//
// In a development checkout (esbuild installed) a missing output, or one older than a
// source it was built from, is rebuilt first, so the CLI never runs stale code. After
// `npm ci --omit=dev` there is no esbuild: the prebuilt output runs as it is, and a
// missing one is a one-line error that says to run `npm run build`.

import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const argv = process.argv.slice(2);
const OUTPUT = path.join(path.dirname(fileURLToPath(import.meta.url)), "dist", "providerflow.cjs");

/** @param {NodeJS.WriteStream} stream @returns {Promise<void>} */
const flushed = (stream) => new Promise((resolve) => stream.write("", () => resolve()));

/** @param {string} message */
function internal(message) {
  if (argv.includes("--json")) {
    const doc = { command: null, errors: [{ code: "internal", message }], ok: false, warnings: [] };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    process.stderr.write(`providerflow: ${message}\n`);
  }
  return 1;
}

/** The prebuilt CLI's path, rebuilding it first in a development checkout when needed. */
async function entry() {
  const builder = await import("./build.mjs");
  if (builder.canBuild()) {
    if (!builder.isFresh()) await builder.buildCli();
  } else if (!fs.existsSync(OUTPUT)) {
    throw new Error("the CLI is not built: run `npm run build` (with the devDependencies installed) first");
  }
  return OUTPUT;
}

let code;
try {
  /** @type {{ runCli: (argv: string[], io: object) => Promise<number> }} */
  const cli = createRequire(import.meta.url)(await entry());
  code = await cli.runCli(argv, {
    stdout: (/** @type {string} */ s) => process.stdout.write(s),
    stderr: (/** @type {string} */ s) => process.stderr.write(s),
    env: process.env,
    cwd: process.cwd(),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    fetch: globalThis.fetch,
  });
} catch (error) {
  // Never a stack trace: one line, and the code the spec gives internal faults.
  code = internal(error instanceof Error ? `${error.message.split("\n")[0]}` : String(error));
}
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(code);
