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

/**
 * The contract's validator as code (AJV standalone), generated with contract-schema.ts's own
 * AJV set-up: compiling the schema at start-up took ~100 ms of every CLI run.
 */
async function contractValidatorCode(build, suffix) {
  const generator = path.join(DIST, `.contract-generator-${suffix}.cjs`);
  await build({
    absWorkingDir: ROOT,
    stdin: {
      contents: [
        'import standalone from "ajv/dist/standalone";',
        'import { _ } from "ajv/dist/compile/codegen";',
        'import { contractAjv } from "./providerflow/contract-schema";',
        'import schema from "./providerflow/schema/provider-flow.schema.json";',
        'const ajv = contractAjv({ code: { source: true, formats: _`require("ajv-formats/dist/formats").fullFormats` } });',
        "module.exports = standalone(ajv, ajv.compile(schema));",
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
    external: ["re2-wasm"],
    tsconfig: path.join(ROOT, "tsconfig.json"),
    metafile: true,
    logLevel: "silent",
    legalComments: "none",
    banner: {
      js: [
        "// Built by providerflow/cli/build.mjs from providerflow/cli/main.ts: do not edit.",
        "// The contract's validator, compiled at build time (providerflow/contract-schema.ts reads it).",
        'globalThis.__providerflowContractValidator = require("./contract-validator.cjs");',
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
  const tmpValidator = path.join(DIST, `.contract-validator-${suffix}.cjs`);
  fs.writeFileSync(
    tmpValidator,
    `// Generated by providerflow/cli/build.mjs (AJV standalone): do not edit.\n${await contractValidatorCode(build, suffix)}`,
  );
  fs.renameSync(tmpValidator, CONTRACT_VALIDATOR);
  const tmpInputs = path.join(DIST, `.inputs-${suffix}.json`);
  fs.writeFileSync(tmpInputs, `${JSON.stringify({ inputs: inputs.sort(), packages: [...packages].sort() }, null, 2)}\n`);
  fs.renameSync(tmpInputs, INPUTS);
  fs.renameSync(tmpOut, OUTPUT);
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
