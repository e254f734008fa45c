// Helpers for ProviderFlow's unit tests: the folders next to this file are real
// packages; tests derive broken variants from them in memory (packageFromFiles), so each
// test states exactly the one thing it breaks.

import path from "node:path";
import { loadPackage, packageFromFiles, type PackageFiles } from "../load-package";

export const TEST_PACKAGES_DIR = path.resolve(import.meta.dirname);
export const VALID_STRIPE_DIR = path.join(TEST_PACKAGES_DIR, "valid-stripe");

/** The files of a test package folder; fails the test when it does not load. */
export async function loadTestPackage(name: string): Promise<PackageFiles> {
  const loaded = await loadPackage(path.join(TEST_PACKAGES_DIR, name));
  if (!loaded.ok) throw new Error(`test package ${name} did not load: ${JSON.stringify(loaded.findings)}`);
  return loaded.files;
}

/** A copy of `base` with files replaced (string/bytes) or removed (null). */
export function withFiles(base: PackageFiles, changes: Readonly<Record<string, string | Uint8Array | null>>): PackageFiles {
  const entries = new Map<string, string | Uint8Array>(base);
  for (const [p, content] of Object.entries(changes)) {
    if (content === null) entries.delete(p);
    else entries.set(p, content);
  }
  const built = packageFromFiles(entries);
  if (!built.ok) throw new Error(`package did not build: ${JSON.stringify(built.findings)}`);
  return built.files;
}

/** provider-flow.yaml of a package, as text. */
export function contractText(files: PackageFiles): string {
  const bytes = files.get("provider-flow.yaml");
  if (!bytes) throw new Error("no provider-flow.yaml");
  return bytes.toString("utf8");
}

/** The package with provider-flow.yaml edited by exact text replacement (each `from` must occur). */
export function withContractEdits(base: PackageFiles, edits: readonly (readonly [string, string])[]): PackageFiles {
  let text = contractText(base);
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`edit target not found: ${from}`);
    text = text.replace(from, to);
  }
  return withFiles(base, { "provider-flow.yaml": text });
}

/** 1-based line of the first occurrence of `needle` in `text` (to state expected locations readably). */
export function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`not found: ${needle}`);
  return text.slice(0, index).split("\n").length;
}

/** 1-based column of the first occurrence of `needle` on its line. */
export function columnOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`not found: ${needle}`);
  return index - text.lastIndexOf("\n", index - 1);
}
