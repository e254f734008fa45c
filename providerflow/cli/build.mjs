// @ts-check
// Builds the ProviderFlow CLI into one prebuilt CommonJS file, providerflow/cli/dist/
// providerflow.cjs, so `npx providerflow` runs with plain `node` and no devDependency
// (`npm ci --omit=dev` keeps working). `npm run build` runs it; `bin.mjs` runs it too when
// the output is missing or older than a source in a development checkout.
//
// esbuild bundles our own TypeScript (providerflow/, the lib/ modules it uses, the `@/`
// alias from tsconfig.json) with the packages it uses (one file to load instead of a few
// hundred: Node's module loader was a tenth of the start-up), except re2-wasm, which loads
// its .wasm from beside itself. The build fails if any of them is a devDependency. `inputs.json` beside the output lists the
// sources it was built from, for bin.mjs's freshness check.
//
//   node providerflow/cli/build.mjs

import fs from "node:fs";
import { builtinModules, createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, "..", "..");
export const DIST = path.join(HERE, "dist");
export const OUTPUT = path.join(DIST, "providerflow.cjs");
export const INPUTS = path.join(DIST, "inputs.json");
export const CONTRACT_VALIDATOR = path.join(DIST, "contract-validator.cjs");
export const META_VALIDATORS = { all: path.join(DIST, "meta-schema-all.cjs"), first: path.join(DIST, "meta-schema-first.cjs") };
const RE2_LAZY = path.join(HERE, "re2-lazy.cjs");

/**
 * re2-wasm instantiates its WebAssembly module when required (~30 ms); the CLI needs it only
 * for a schema with a `pattern`. Every import of it is sent to re2-lazy.cjs, which loads the
 * real package on first use (and stays external itself: it reads its .wasm beside itself).
 */
const lazyRe2 = {
  name: "lazy-re2",
  setup(build) {
    build.onResolve({ filter: /^re2-wasm$/ }, (args) =>
      args.importer === RE2_LAZY ? { path: "re2-wasm", external: true } : { path: RE2_LAZY },
    );
  },
};

/**
 * The validators compiled at start-up before, as code (AJV standalone), each ~100 ms of every
 * CLI run: the contract's (with contract-schema.ts's own AJV set-up) and the JSON Schema
 * draft 2020-12 meta-schema's (with schema-engine.mjs's META_AJV_OPTIONS, collecting all errors
 * and stopping at the first), which every schema of a package is checked against. Returns
 * the modules' sources.
 */
async function validatorCode(build, suffix) {
  const generator = path.join(DIST, `.contract-generator-${suffix}.cjs`);
  await build({
    absWorkingDir: ROOT,
    stdin: {
      contents: [
        'import standalone from "ajv/dist/standalone";',
        'import { _ } from "ajv/dist/compile/codegen";',
        'import Ajv2020 from "ajv/dist/2020.js";',
        'import addFormats from "ajv-formats";',
        'import { contractAjv } from "./providerflow/contract-schema";',
        'import { META_AJV_OPTIONS } from "./lib/inbound/schema-engine.mjs";',
        'import schema from "./providerflow/schema/provider-flow.schema.json";',
        'const code = { source: true, formats: _`require("ajv-formats/dist/formats").fullFormats` };',
        "const contract = contractAjv({ code });",
        "const meta = (allErrors) => {",
        "  const ajv = new Ajv2020({ ...META_AJV_OPTIONS, allErrors, code });",
        "  addFormats(ajv);",
        '  return standalone(ajv, ajv.getSchema("https://json-schema.org/draft/2020-12/schema"));',
        "};",
        "module.exports = {",
        "  contract: standalone(contract, contract.compile(schema)),",
        "  metaAll: meta(true),",
        "  metaFirst: meta(false),",
        "};",
      ].join("\n"),
      resolveDir: ROOT,
      loader: "ts",
    },
    outfile: generator,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    packages: "external",
    tsconfig: path.join(ROOT, "tsconfig.json"),
    logLevel: "silent",
  });
  try {
    return createRequire(import.meta.url)(generator);
  } finally {
    fs.rmSync(generator, { force: true });
  }
}

/** Builds the CLI; returns the output path. Concurrent builds each write a temporary file and rename it into place. */
export async function buildCli() {
  const { build } = await import("esbuild");
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
  const allowed = new Set(Object.keys(pkg.dependencies ?? {}));
  const suffix = `${process.pid}-${Date.now()}`;
  const tmpOut = path.join(DIST, `.providerflow-${suffix}.cjs`);
  fs.mkdirSync(DIST, { recursive: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ["providerflow/cli/main.ts"],
    outfile: tmpOut,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    plugins: [lazyRe2],
    minify: true,
    keepNames: true,
    tsconfig: path.join(ROOT, "tsconfig.json"),
    metafile: true,
    logLevel: "silent",
    legalComments: "none",
    banner: {
      js: [
        "// Built by providerflow/cli/build.mjs from providerflow/cli/main.ts: do not edit.",
        "// Validators compiled at build time (providerflow/contract-schema.ts and lib/inbound/schema-engine.mjs read them).",
        'globalThis.__providerflowContractValidator = require("./contract-validator.cjs");',
        'globalThis.__provenanceMetaSchemaValidators = { all: require("./meta-schema-all.cjs"), first: require("./meta-schema-first.cjs") };',
      ].join("\n"),
    },
  });
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.startsWith("node_modules/"));
  // Packages the CLI carries (bundled) or loads (re2-wasm, external: it reads its .wasm
  // beside itself): none may be a devDependency, which `npm ci --omit=dev` would not install.
  const packageOf = (spec) => (spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]);
  const packages = new Set();
  for (const [file, input] of Object.entries(result.metafile.inputs)) {
    const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
    if (m) packages.add(m[1]);
    for (const imp of input.imports) {
      if (imp.external && !imp.path.startsWith("node:") && !builtinModules.includes(imp.path)) packages.add(packageOf(imp.path));
    }
  }
  const devOnly = Object.keys(pkg.devDependencies ?? {}).filter((d) => !allowed.has(d));
  const notProduction = [...packages].filter((p) => devOnly.includes(p));
  if (notProduction.length > 0) {
    fs.rmSync(tmpOut, { force: true });
    throw new Error(`the CLI would need packages that are not production dependencies: ${notProduction.join(", ")}`);
  }
  const validators = await validatorCode(build, suffix);
  for (const [name, file] of [
    ["contract", CONTRACT_VALIDATOR],
    ["metaAll", META_VALIDATORS.all],
    ["metaFirst", META_VALIDATORS.first],
  ]) {
    const tmp = `${file}.${suffix}.tmp`;
    fs.writeFileSync(tmp, `// Generated by providerflow/cli/build.mjs (AJV standalone): do not edit.\n${validators[name]}`);
    fs.renameSync(tmp, file);
  }
  const tmpInputs = path.join(DIST, `.inputs-${suffix}.json`);
  fs.writeFileSync(tmpInputs, `${JSON.stringify({ inputs: inputs.sort(), packages: [...packages].sort() }, null, 2)}\n`);
  fs.renameSync(tmpInputs, INPUTS);
  fs.renameSync(tmpOut, OUTPUT);
  // bin.mjs's code caches of earlier builds can never be used again.
  fs.rmSync(path.join(DIST, ".v8-cache"), { recursive: true, force: true });
  return OUTPUT;
}

/** True when esbuild is installed (a development install), so a stale or missing output can be rebuilt. */
export function canBuild() {
  try {
    createRequire(import.meta.url).resolve("esbuild");
    return true;
  } catch {
    return false;
  }
}

/** True when the output exists and no source it was built from is newer (or gone). */
export function isFresh() {
  let built;
  let inputs;
  try {
    built = fs.statSync(OUTPUT).mtimeMs;
    inputs = JSON.parse(fs.readFileSync(INPUTS, "utf8")).inputs;
  } catch {
    return false;
  }
  for (const file of [...inputs, "providerflow/cli/build.mjs"]) {
    try {
      if (fs.statSync(path.join(ROOT, file)).mtimeMs > built) return false;
    } catch {
      return false;
    }
  }
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const out = await buildCli();
  process.stdout.write(`built ${path.relative(ROOT, out)} in ${Math.round(performance.now() - started)} ms\n`);
}
