// The package digest (providerflow.md §9) and canonical JSON for byte-identical outputs.
//
// digest = sha256 hex of the concatenation, in byte order of the lines, of one line per
// digested file:  <relative path> NUL <sha256 hex of the file's bytes> LF
// Digested: provider-flow.yaml, schemas/, fixtures/, goldens/ and README.md. Generated
// files (traces/, scans.json, evidence.json) are excluded, so writing evidence does
// not change the digest the evidence reports; ignored files were never loaded.
// Any byte change to a digested file changes its hash and so the digest; renaming or
// adding or removing a file changes the list.

import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json";
import { classifyPath, type PackageFiles } from "./load-package";

// canonical-json.ts holds no Node API (the console draws graphs in the browser); it is
// re-exported here, where the rest of ProviderFlow has always found it.
export { canonicalJson };

const DIGESTED_KINDS: ReadonlySet<string> = new Set(["contract", "schema", "fixture", "golden", "readme"]);

export function isDigestedPath(relative: string): boolean {
  const kind = classifyPath(relative);
  return kind !== null && DIGESTED_KINDS.has(kind);
}

export type DigestEntry = { path: string; sha256: string };

function sha256Hex(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** The digested files with their hashes, in the order the digest uses (for evidence). */
export function digestManifest(files: PackageFiles): DigestEntry[] {
  return [...files]
    .filter(([p]) => isDigestedPath(p))
    .map(([p, bytes]) => ({ path: p, sha256: sha256Hex(bytes) }))
    .sort((a, b) => Buffer.compare(Buffer.from(`${a.path}\0${a.sha256}\n`), Buffer.from(`${b.path}\0${b.sha256}\n`)));
}

/** sha256 hex (64 lowercase characters) of the package's canonical content. */
export function packageDigest(files: PackageFiles): string {
  const hash = createHash("sha256");
  for (const entry of digestManifest(files)) hash.update(`${entry.path}\0${entry.sha256}\n`, "utf8");
  return hash.digest("hex");
}

