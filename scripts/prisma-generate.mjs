#!/usr/bin/env node
// `prisma generate` with the Rust-free `prisma-client` generator needs no engine, but
// the CLI still checks that a schema-engine path exists; the schema engine cannot be
// downloaded here, so point it at any existing file (this Node binary) unless set.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath };
const res = spawnSync(process.execPath, [path.join(root, "node_modules", "prisma", "build", "index.js"), "generate"], {
  cwd: root,
  env,
  stdio: ["ignore", "pipe", "inherit"],
});
if (res.status !== 0) {
  process.stdout.write(res.stdout ?? "");
  process.exit(res.status ?? 1);
}
