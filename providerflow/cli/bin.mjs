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

//
// The bundle is compiled through V8's code cache: the first run saves the code V8 compiled
// while it ran (dist/.v8-cache/, named by the bundle's inode, mtime and size and Node's version, since V8
// itself checks only the source's length), later runs skip parsing and compiling it
// (about half the start-up). A cache V8 rejects, or one that cannot be written (a
// read-only install), only costs that time.

import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const argv = process.argv.slice(2);
const DIST = path.join(path.dirname(fileURLToPath(import.meta.url)), "dist");
const OUTPUT = path.join(DIST, "providerflow.cjs");

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

/**
 * Loads the CommonJS bundle as Node's loader would, compiled with the code cache when one
 * fits. `save()` writes the cache for the next run when there was none or V8 refused it.
 * @param {string} file
 */
function loadCached(file) {
  const source = fs.readFileSync(file, "utf8");
  // The build (a rename into place) gives the bundle a new inode and mtime: that names this
  // build of it without hashing a megabyte on every run.
  const { ino, mtimeMs, size } = fs.statSync(file);
  const cacheFile = path.join(DIST, ".v8-cache", `${ino}-${Math.round(mtimeMs * 1000)}-${size}-${process.version}-${process.arch}.bin`);
  /** @type {Buffer | undefined} */
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
  });
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, createRequire(file), mod, file, path.dirname(file));
  return {
    exports: /** @type {{ runCli: (argv: string[], io: object) => Promise<number> }} */ (mod.exports),
    save() {
      if (cachedData && !script.cachedDataRejected) return;
      try {
        fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, script.createCachedData());
        fs.renameSync(tmp, cacheFile);
      } catch {
        // Not writable (an install owned by another user): run without a cache.
      }
    },
  };
}

let code;
try {
  const loaded = loadCached(await entry());
  const cli = loaded.exports;
  code = await cli.runCli(argv, {
    stdout: (/** @type {string} */ s) => process.stdout.write(s),
    stderr: (/** @type {string} */ s) => process.stderr.write(s),
    env: process.env,
    cwd: process.cwd(),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    fetch: globalThis.fetch,
  });
  loaded.save();
} catch (error) {
  // Never a stack trace: one line, and the code the spec gives internal faults.
  code = internal(error instanceof Error ? `${error.message.split("\n")[0]}` : String(error));
}
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(code);
