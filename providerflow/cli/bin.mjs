#!/usr/bin/env node
// @ts-check
// `providerflow` for plain `node`: compile the TypeScript CLI when needed (build-cli.mjs
// says how and why), load it, run it, and exit with its code once stdout and stderr
// are flushed (an exit straight away could cut a piped JSON document short; waiting
// for the event loop instead could wait on an idle keep-alive socket of fetch).

import { createRequire } from "node:module";
import { BuildError, ensureBuilt } from "./build-cli.mjs";

const argv = process.argv.slice(2);

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

let code;
try {
  const entry = ensureBuilt();
  /** @type {{ runCli: (argv: string[], io: object) => Promise<number> }} */
  const cli = createRequire(import.meta.url)(entry);
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
  const reason =
    error instanceof BuildError
      ? error.message
      : `internal error: ${error instanceof Error ? `${error.name}: ${error.message.split("\n")[0]}` : String(error)}`;
  code = internal(reason);
}
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(code);
