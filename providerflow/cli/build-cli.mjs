// @ts-check
// Compiles the TypeScript CLI (providerflow/cli/main.ts and everything it imports) to
// CommonJS once, so `bin.mjs` runs with plain `node` (Node 20 cannot run TypeScript).
//
// Why this way: the compiler is `typescript`'s own transpileModule, a public API of a
// direct devDependency, so it exists after every `npm ci`; bundlers in node_modules
// (rolldown, esbuild) are only transitive dependencies of vite and come and go with its
// versions. Each file is transpiled alone (the project compiles with isolatedModules,
// so that is always valid) to CommonJS with esModuleInterop: the same import semantics
// the code is type-checked against, and Node resolves bare and extensionless requires
// itself. The only rewrite is the `@/` path alias, turned into relative requires by a
// transformer that also records each local dependency to walk the import graph.
//
// Cache: node_modules/.cache/providerflow-cli/<key>/, where key = sha256 over this
// file, the typescript version and the path and bytes of every compiled source. That
// folder is ignored by git, ESLint and Prettier, and bare requires from it resolve to
// the project's node_modules. `latest.json` names the current key and its files, so a
// run re-hashes those files (a few ms) and compiles only when one changed. Concurrent
// first runs each build into a private temporary folder and rename it into place; the
// loser of the race uses the winner's identical output.

import { createHash, randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, "..", "..");
export const CACHE_DIR = path.join(ROOT, "node_modules", ".cache", "providerflow-cli");
const ENTRY = "providerflow/cli/main.ts";
const STALE_MS = 60 * 60 * 1000;

export class BuildError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = "BuildError";
  }
}

/** @param {string | Buffer} data */
const sha256 = (data) => createHash("sha256").update(data).digest("hex");

const requireHere = createRequire(import.meta.url);

/** @returns {string} */
function typescriptVersion() {
  try {
    const pkg = JSON.parse(fs.readFileSync(requireHere.resolve("typescript/package.json"), "utf8"));
    return String(pkg.version);
  } catch {
    throw new BuildError("cannot compile the CLI: the typescript package is not installed (run npm ci)");
  }
}

/**
 * @param {readonly string[]} files repo-relative paths
 * @param {string} tsVersion
 * @returns {string | null} null when a file is gone
 */
function cacheKey(files, tsVersion) {
  const hash = createHash("sha256");
  hash.update(`builder\0${sha256(fs.readFileSync(fileURLToPath(import.meta.url)))}\n`);
  hash.update(`typescript\0${tsVersion}\n`);
  for (const file of [...files].sort()) {
    let bytes;
    try {
      bytes = fs.readFileSync(path.join(ROOT, file));
    } catch {
      return null;
    }
    hash.update(`${file}\0${sha256(bytes)}\n`);
  }
  return hash.digest("hex");
}

/** @param {string} file repo-relative source path → its output path */
const outputOf = (file) => (file.endsWith(".ts") ? `${file.slice(0, -3)}.js` : file.endsWith(".mjs") ? `${file.slice(0, -4)}.js` : file);

/**
 * The repo-relative file a local specifier names, as TypeScript's bundler resolution
 * finds it: the exact file, .ts, /index.ts, or a .js spelling of a .ts file. A plain
 * JavaScript module the app shares with worker threads (.mjs) is transpiled like the rest.
 * @param {string} fromFile repo-relative
 * @param {string} specifier
 * @returns {string | null}
 */
function resolveLocal(fromFile, specifier) {
  const base = specifier.startsWith("@/")
    ? path.join(ROOT, specifier.slice(2))
    : path.resolve(path.dirname(path.join(ROOT, fromFile)), specifier);
  const candidates = [base, `${base}.ts`, path.join(base, "index.ts")];
  if (base.endsWith(".js")) candidates.unshift(`${base.slice(0, -3)}.ts`);
  for (const candidate of candidates) {
    if (
      (candidate.endsWith(".ts") || candidate.endsWith(".mjs") || candidate.endsWith(".json")) &&
      fs.existsSync(candidate) &&
      fs.statSync(candidate).isFile()
    ) {
      const relative = path.relative(ROOT, candidate).split(path.sep).join("/");
      if (relative.startsWith("..")) return null;
      return relative;
    }
  }
  return null;
}

/**
 * Transpiles the import graph of ENTRY into `outDir`; returns the source files.
 * @param {string} outDir
 * @returns {string[]}
 */
function compileGraph(outDir) {
  /** @type {typeof import("typescript")} */
  let ts;
  try {
    ts = requireHere("typescript");
  } catch {
    throw new BuildError("cannot compile the CLI: the typescript package is not installed (run npm ci)");
  }
  const seen = new Set();
  const queue = [ENTRY];
  while (queue.length > 0) {
    const file = /** @type {string} */ (queue.pop());
    if (seen.has(file)) continue;
    seen.add(file);
    const target = path.join(outDir, outputOf(file));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const source = fs.readFileSync(path.join(ROOT, file), "utf8");
    if (file.endsWith(".json")) {
      fs.writeFileSync(target, source);
      continue;
    }
    /** @type {string[]} */
    const problems = [];
    /** @type {import("typescript").TransformerFactory<import("typescript").SourceFile>} */
    const rewriteRequires = (context) => (sourceFile) => {
      /** @param {import("typescript").Node} node @returns {import("typescript").Node} */
      const visit = (node) => {
        if (
          ts.isCallExpression(node) &&
          ts.isIdentifier(node.expression) &&
          node.expression.text === "require" &&
          node.arguments.length === 1 &&
          ts.isStringLiteral(/** @type {import("typescript").Expression} */ (node.arguments[0]))
        ) {
          const specifier = /** @type {import("typescript").StringLiteral} */ (node.arguments[0]).text;
          if (specifier.startsWith(".") || specifier.startsWith("@/")) {
            const dependency = resolveLocal(file, specifier);
            if (dependency === null) {
              problems.push(`${file}: cannot resolve "${specifier}"`);
              return node;
            }
            queue.push(dependency);
            let relative = path
              .relative(path.dirname(outputOf(file)), outputOf(dependency))
              .split(path.sep)
              .join("/");
            if (!relative.startsWith(".")) relative = `./${relative}`;
            return ts.factory.updateCallExpression(node, node.expression, node.typeArguments, [
              ts.factory.createStringLiteral(relative),
            ]);
          }
        }
        return ts.visitEachChild(node, visit, context);
      };
      return /** @type {import("typescript").SourceFile} */ (ts.visitNode(sourceFile, visit));
    };
    const output = ts.transpileModule(source, {
      // As .js: TypeScript keeps an .mjs file's module syntax whatever `module` says.
      fileName: file.endsWith(".mjs") ? outputOf(file) : file,
      reportDiagnostics: true,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
        sourceMap: false,
        inlineSourceMap: false,
      },
      // After the module transform, imports are require() calls: exactly the runtime
      // dependencies (type-only imports are gone).
      transformers: { after: [rewriteRequires] },
    });
    for (const d of output.diagnostics ?? []) problems.push(`${file}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
    if (/\bimport\.meta\b/.test(output.outputText)) problems.push(`${file}: import.meta cannot run as CommonJS`);
    if (problems.length > 0) throw new BuildError(`cannot compile the CLI: ${problems.join("; ")}`);
    fs.writeFileSync(target, output.outputText);
  }
  // The repo's package.json says "type": "module"; this folder's files are CommonJS.
  fs.writeFileSync(path.join(outDir, "package.json"), '{ "type": "commonjs" }\n');
  return [...seen].sort();
}

/** Removes abandoned temporary folders and superseded builds, best effort. @param {string} keep */
function prune(keep) {
  let names = [];
  try {
    names = fs.readdirSync(CACHE_DIR);
  } catch {
    return;
  }
  for (const name of names) {
    if (name === keep || name === "latest.json") continue;
    const full = path.join(CACHE_DIR, name);
    try {
      // An old build may still be loading in another process; only long-idle ones go.
      if (Date.now() - fs.statSync(full).mtimeMs > STALE_MS) fs.rmSync(full, { recursive: true, force: true });
    } catch {
      // Another process pruned it first.
    }
  }
}

/**
 * The absolute path of the compiled CLI entry (main.js), compiling first when the cache
 * is missing or stale. Throws BuildError with a one-line reason.
 * @returns {string}
 */
export function ensureBuilt() {
  const tsVersion = typescriptVersion();
  const latestFile = path.join(CACHE_DIR, "latest.json");
  try {
    const latest = JSON.parse(fs.readFileSync(latestFile, "utf8"));
    if (Array.isArray(latest.files) && typeof latest.key === "string" && cacheKey(latest.files, tsVersion) === latest.key) {
      const entry = path.join(CACHE_DIR, latest.key, outputOf(ENTRY));
      if (fs.existsSync(entry)) return entry;
    }
  } catch {
    // No usable cache: compile below.
  }

  const tmp = path.join(CACHE_DIR, `.tmp-${process.pid}-${randomBytes(6).toString("hex")}`);
  try {
    fs.mkdirSync(tmp, { recursive: true });
  } catch (error) {
    throw new BuildError(
      `cannot compile the CLI: ${CACHE_DIR} is not writable (${/** @type {NodeJS.ErrnoException} */ (error).code ?? "error"})`,
    );
  }
  let files;
  try {
    files = compileGraph(tmp);
  } catch (error) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
  const key = cacheKey(files, tsVersion);
  if (key === null) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new BuildError("cannot compile the CLI: its sources changed while it was being compiled; run it again");
  }
  const final = path.join(CACHE_DIR, key);
  try {
    fs.renameSync(tmp, final);
  } catch {
    // Another process built the same key first: its output is identical.
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const latestTmp = `${latestFile}.${process.pid}.${randomBytes(4).toString("hex")}`;
  fs.writeFileSync(latestTmp, `${JSON.stringify({ key, files })}\n`);
  fs.renameSync(latestTmp, latestFile);
  prune(key);
  return path.join(final, outputOf(ENTRY));
}
