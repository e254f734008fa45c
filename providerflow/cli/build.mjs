// @ts-check
// Builds the ProviderFlow CLI into one prebuilt CommonJS file, providerflow/cli/dist/
// providerflow.cjs, so `npx providerflow` runs with plain `node` and no devDependency
// (`npm ci --omit=dev` keeps working). `npm run build` runs it; `bin.mjs` runs it too when
// the output is missing or older than a source in a development checkout.
//
// esbuild bundles our own TypeScript (providerflow/, the lib/ modules it uses, the `@/`
// alias from tsconfig.json) and leaves every package import as a require of the
// project's node_modules: the CLI needs only production dependencies at run time, and the
// build fails if it would need anything else. `inputs.json` beside the output lists the
// sources it was built from, for bin.mjs's freshness check.
//
//   node providerflow/cli/build.mjs

import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, "..", "..");
export const DIST = path.join(HERE, "dist");
export const OUTPUT = path.join(DIST, "providerflow.cjs");
export const INPUTS = path.join(DIST, "inputs.json");

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
    packages: "external",
    tsconfig: path.join(ROOT, "tsconfig.json"),
    metafile: true,
    logLevel: "silent",
    legalComments: "none",
    banner: { js: "// Built by providerflow/cli/build.mjs from providerflow/cli/main.ts: do not edit." },
  });
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.startsWith("node_modules/"));
  const packages = new Set();
  for (const input of Object.values(result.metafile.inputs)) {
    for (const imp of input.imports) {
      if (imp.external && !imp.path.startsWith("node:"))
        packages.add(imp.path.startsWith("@") ? imp.path.split("/").slice(0, 2).join("/") : imp.path.split("/")[0]);
    }
  }
  const notProduction = [...packages].filter((p) => !allowed.has(p));
  if (notProduction.length > 0) {
    fs.rmSync(tmpOut, { force: true });
    throw new Error(`the CLI would need packages that are not production dependencies: ${notProduction.join(", ")}`);
  }
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
