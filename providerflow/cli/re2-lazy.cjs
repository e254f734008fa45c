// @ts-check
// re2-wasm for the prebuilt CLI, loaded on first use: the package instantiates its
// WebAssembly module as soon as it is required (~30 ms of every run), and the CLI needs it
// only for a schema `pattern` or a condition's regex. build.mjs sends every bundled import
// of "re2-wasm" here; this file's own require stays external.
"use strict";

/** @type {typeof import("re2-wasm").RE2 | undefined} */
let real;

/** The real RE2 class, required once. */
function load() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, on purpose
  real ??= require("re2-wasm").RE2;
  return real;
}

/** Constructs the real RE2 (a constructor that returns an object yields that object). */
class RE2 {
  /** @param {string | RegExp} pattern @param {string} [flags] */
  constructor(pattern, flags) {
    return new (load())(pattern, flags);
  }
}

module.exports = { RE2 };
