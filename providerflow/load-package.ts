// Reading a package into memory, safely. Everything after this module is pure: it works
// on `PackageFiles` (package-relative path → bytes), whether the package came from a
// folder (CLI) or an upload (server, packageFromFiles).
//
// Only these files are considered (providerflow.md §1); anything else in the folder is
// never read and is listed in `ignored`:
//   provider-flow.yaml, README.md,
//   schemas/<name>.json, fixtures/<name>.json, goldens/<name>.json,
//   generated: traces/<name>.json, scans.json, evidence.json
// where <name> is 1–128 characters of A–Z a–z 0–9 . _ - (starting with a letter or
// digit). A .json file in one of those folders with another name is an error rather
// than silently skipped: a reference to it would otherwise fail with a confusing
// "file not found". Subfolders are not descended into.
//
// Limits (§9), checked on the size the file system reports BEFORE reading, and again
// while reading (a file growing in between cannot slip through): provider-flow.yaml
// ≤ 1 MiB, any file ≤ 5 MiB, the considered files together ≤ 20 MiB, at most 1000 files.
//
// Confinement: a symlink is followed only when its real path (realpath) stays inside
// the package's real path; one pointing outside is refused, as is a dangling one.
// Paths given to packageFromFiles must be relative, `/`-separated, without `..`, `.`,
// empty segments, backslashes or NUL.

import { constants, type Stats } from "node:fs";
import { lstat, open, readdir, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { normalizeFindings, type Finding } from "./findings";

export const CONTRACT_FILE = "provider-flow.yaml";
export const README_FILE = "README.md";
export const SCANS_FILE = "scans.json";
export const EVIDENCE_FILE = "evidence.json";

export const MAX_CONTRACT_BYTES = 1024 * 1024;
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
export const MAX_PACKAGE_BYTES = 20 * 1024 * 1024;
export const MAX_PACKAGE_FILES = 1000;

/** Package-relative path → file bytes, in path order. Never mutated after loading. */
export type PackageFiles = ReadonlyMap<string, Buffer>;

export type PackageFileKind = "contract" | "readme" | "schema" | "fixture" | "golden" | "trace" | "scans" | "evidence";

export type LoadResult =
  { ok: true; files: PackageFiles; ignored: string[] } | { ok: false; findings: Finding[]; ignored: string[] };

const FILE_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}\.json$/;

const FOLDER_KINDS: Readonly<Record<string, PackageFileKind>> = {
  schemas: "schema",
  fixtures: "fixture",
  goldens: "golden",
  traces: "trace",
};

const ROOT_KINDS: Readonly<Record<string, PackageFileKind>> = {
  [CONTRACT_FILE]: "contract",
  [README_FILE]: "readme",
  [SCANS_FILE]: "scans",
  [EVIDENCE_FILE]: "evidence",
};

const GENERATED_KINDS: ReadonlySet<PackageFileKind> = new Set<PackageFileKind>(["trace", "scans", "evidence"]);

/**
 * What a package-relative path is: a kind, "invalid-name" for a .json file in a package
 * folder whose name is not allowed, or null for a path the package format ignores.
 */
export function classifyPath(relative: string): PackageFileKind | "invalid-name" | null {
  const rootKind = Object.hasOwn(ROOT_KINDS, relative) ? ROOT_KINDS[relative] : undefined;
  if (rootKind) return rootKind;
  const slash = relative.indexOf("/");
  if (slash < 0) return null;
  const folder = relative.slice(0, slash);
  const name = relative.slice(slash + 1);
  const kind = Object.hasOwn(FOLDER_KINDS, folder) ? FOLDER_KINDS[folder] : undefined;
  if (!kind || name.includes("/") || !name.endsWith(".json")) return null;
  return FILE_NAME_RE.test(name) ? kind : "invalid-name";
}

export function isGeneratedPath(relative: string): boolean {
  const kind = classifyPath(relative);
  return kind !== null && kind !== "invalid-name" && GENERATED_KINDS.has(kind);
}

/** "fixtures/payment-succeeded.json" → "payment-succeeded". */
export function baseName(relative: string): string {
  const name = relative.slice(relative.lastIndexOf("/") + 1);
  return name.endsWith(".json") ? name.slice(0, -".json".length) : name;
}

/** The files of one kind, in path order. */
export function filesOfKind(files: PackageFiles, kind: PackageFileKind): [string, Buffer][] {
  return [...files].filter(([p]) => classifyPath(p) === kind);
}

export type RelativePathCheck =
  { ok: true } | { ok: false; code: "path-absolute" | "path-traversal" | "path-invalid"; message: string };

/** A reference or upload path must stay inside the package: relative, no `..`. */
export function checkRelativePath(relative: string): RelativePathCheck {
  if (typeof relative !== "string" || relative.length === 0) return { ok: false, code: "path-invalid", message: "path is empty" };
  if (relative.length > 1024) return { ok: false, code: "path-invalid", message: "path is longer than 1024 characters" };
  if (relative.startsWith("/") || relative.startsWith("\\") || /^[A-Za-z]:/.test(relative)) {
    return { ok: false, code: "path-absolute", message: `"${relative}" is absolute; paths are relative to the package folder` };
  }
  const segments = relative.split(/[/\\]/);
  if (segments.includes("..")) {
    return { ok: false, code: "path-traversal", message: `"${relative}" leaves the package folder (..)` };
  }
  if (relative.includes("\\")) return { ok: false, code: "path-invalid", message: `"${relative}" contains a backslash; use /` };
  if (relative.includes("\0")) return { ok: false, code: "path-invalid", message: "path contains a NUL character" };
  if (segments.some((s) => s === "" || s === ".")) {
    return { ok: false, code: "path-invalid", message: `"${relative}" has an empty or "." segment` };
  }
  return { ok: true };
}

function limitFor(kind: PackageFileKind): number {
  return kind === "contract" ? MAX_CONTRACT_BYTES : MAX_FILE_BYTES;
}

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
}

function tooLarge(relative: string, kind: PackageFileKind, size: number): Finding {
  return {
    code: "file-too-large",
    message: `${relative} is ${mib(size)}; ${kind === "contract" ? CONTRACT_FILE : "a package file"} may be at most ${mib(limitFor(kind))}`,
    file: relative,
  };
}

/** Accumulates files under the package-wide limits, in the order they are offered. */
class Collector {
  readonly files = new Map<string, Buffer>();
  readonly findings: Finding[] = [];
  readonly ignored: string[] = [];
  private total = 0;
  private count = 0;
  private full = false;

  /** Whether a file of `size` bytes may still be read; records the finding when not. */
  admit(relative: string, kind: PackageFileKind, size: number): boolean {
    if (this.full) return false;
    if (this.count >= MAX_PACKAGE_FILES) {
      this.full = true;
      this.findings.push({
        code: "too-many-files",
        message: `a package may hold at most ${MAX_PACKAGE_FILES} files`,
        file: relative,
      });
      return false;
    }
    if (size > limitFor(kind)) {
      this.findings.push(tooLarge(relative, kind, size));
      return false;
    }
    if (this.total + size > MAX_PACKAGE_BYTES) {
      this.findings.push({
        code: "package-too-large",
        message: `the package's files together exceed ${mib(MAX_PACKAGE_BYTES)} (at ${relative})`,
        file: relative,
      });
      return false;
    }
    this.count += 1;
    this.total += size;
    return true;
  }

  add(relative: string, bytes: Buffer): void {
    this.files.set(relative, bytes);
  }

  result(): LoadResult {
    const ignored = [...this.ignored].sort();
    if (this.findings.length > 0) return { ok: false, findings: normalizeFindings(this.findings), ignored };
    const files = new Map([...this.files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return { ok: true, files, ignored };
  }
}

/** Reads at most limit + 1 bytes, so a file that grew after stat cannot exceed the limit unnoticed. */
async function readCapped(file: string, limit: number): Promise<Buffer | "too-large"> {
  const handle = await open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buffer = Buffer.alloc(Math.min(64 * 1024, limit + 1 - total));
      if (buffer.length === 0) return "too-large";
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      chunks.push(buffer.subarray(0, bytesRead));
      total += bytesRead;
      if (total > limit) return "too-large";
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

function isInside(root: string, real: string): boolean {
  return real === root || real.startsWith(root.endsWith(path.sep) ? root : `${root}${path.sep}`);
}

function errnoCode(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error ? String((error as { code: unknown }).code) : undefined;
}

type Resolved = { real: string; stats: Stats } | { finding: Finding };

/** lstat, then follow a symlink only when it resolves inside the package. */
async function resolveEntry(root: string, relative: string): Promise<Resolved | null> {
  const absolute = path.join(root, ...relative.split("/"));
  let link: Stats;
  try {
    link = await lstat(absolute);
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return null;
    throw error;
  }
  if (!link.isSymbolicLink()) return { real: absolute, stats: link };
  let real: string;
  try {
    real = await realpath(absolute);
  } catch {
    return { finding: { code: "symlink-broken", message: `${relative} is a symbolic link to nothing`, file: relative } };
  }
  if (!isInside(root, real)) {
    return {
      finding: {
        code: "symlink-outside",
        message: `${relative} is a symbolic link to a file outside the package`,
        file: relative,
      },
    };
  }
  return { real, stats: await stat(real) };
}

async function considerFile(root: string, relative: string, kind: PackageFileKind, into: Collector): Promise<void> {
  const entry = await resolveEntry(root, relative);
  if (entry === null) return;
  if ("finding" in entry) {
    into.findings.push(entry.finding);
    return;
  }
  if (!entry.stats.isFile()) {
    into.findings.push({ code: "not-a-file", message: `${relative} is not a regular file`, file: relative });
    return;
  }
  if (!into.admit(relative, kind, entry.stats.size)) return;
  const bytes = await readCapped(entry.real, limitFor(kind));
  if (bytes === "too-large") {
    into.findings.push(tooLarge(relative, kind, limitFor(kind) + 1));
    return;
  }
  into.add(relative, bytes);
}

async function considerFolder(root: string, folder: string, into: Collector): Promise<void> {
  const entry = await resolveEntry(root, folder);
  if (entry === null) return;
  if ("finding" in entry) {
    into.findings.push({ ...entry.finding, message: entry.finding.message.replace("a file", "a folder") });
    return;
  }
  if (!entry.stats.isDirectory()) {
    into.ignored.push(folder);
    return;
  }
  const names = (await readdir(entry.real)).sort();
  for (const name of names) {
    const relative = `${folder}/${name}`;
    const kind = classifyPath(relative);
    if (kind === null) {
      into.ignored.push(relative);
    } else if (kind === "invalid-name") {
      into.findings.push({
        code: "file-name-invalid",
        message: `${relative}: file names in ${folder}/ are 1–128 characters of A–Z a–z 0–9 . _ - ending in .json`,
        file: relative,
      });
    } else {
      await considerFile(root, relative, kind, into);
    }
  }
}

/**
 * Loads the package in folder `dir`. Never throws for a bad package (missing folder,
 * sizes, symlinks): those are findings. An unexpected I/O error (EACCES, EIO) does
 * throw; the caller reports it as an internal fault.
 */
export async function loadPackage(dir: string): Promise<LoadResult> {
  let root: string;
  try {
    root = await realpath(dir);
    if (!(await stat(root)).isDirectory()) throw Object.assign(new Error("not a directory"), { code: "ENOTDIR" });
  } catch (error) {
    const code = errnoCode(error);
    if (code === "ENOENT" || code === "ENOTDIR") {
      return { ok: false, findings: [{ code: "package-not-found", message: `${dir} is not a folder` }], ignored: [] };
    }
    throw error;
  }
  const into = new Collector();
  // The contract first: a huge provider-flow.yaml is refused before anything is read.
  await considerFile(root, CONTRACT_FILE, "contract", into);
  if (!into.files.has(CONTRACT_FILE) && !into.findings.some((f) => f.file === CONTRACT_FILE)) {
    into.findings.push({ code: "missing-contract", message: `${CONTRACT_FILE} not found in ${dir}`, file: CONTRACT_FILE });
  }
  for (const name of (await readdir(root)).sort()) {
    if (name === CONTRACT_FILE) continue;
    const rootKind = Object.hasOwn(ROOT_KINDS, name) ? ROOT_KINDS[name] : undefined;
    if (rootKind) await considerFile(root, name, rootKind, into);
    else if (Object.hasOwn(FOLDER_KINDS, name)) await considerFolder(root, name, into);
    else into.ignored.push(name);
  }
  return into.result();
}

export type UploadedFiles = Readonly<Record<string, string | Uint8Array>> | Iterable<readonly [string, string | Uint8Array]>;

/**
 * Builds PackageFiles from an upload (path → content; strings are UTF-8), with the same
 * path rules and limits as loadPackage. Contents are copied, so later changes to the
 * caller's buffers do not reach the package.
 */
export function packageFromFiles(entries: UploadedFiles): LoadResult {
  const list: [string, string | Uint8Array][] =
    Symbol.iterator in entries
      ? [...(entries as Iterable<readonly [string, string | Uint8Array]>)].map(([p, c]) => [p, c])
      : Object.entries(entries as Readonly<Record<string, string | Uint8Array>>);
  // The contract first (its own limit is then reported rather than the package total),
  // the rest in path order, so the same upload always gives the same findings.
  list.sort(([a], [b]) => Number(b === CONTRACT_FILE) - Number(a === CONTRACT_FILE) || (a < b ? -1 : a > b ? 1 : 0));
  const into = new Collector();
  for (const [relative, content] of list) {
    const pathCheck = checkRelativePath(relative);
    if (!pathCheck.ok) {
      into.findings.push({ code: pathCheck.code, message: pathCheck.message });
      continue;
    }
    const kind = classifyPath(relative);
    if (kind === null) {
      into.ignored.push(relative);
      continue;
    }
    if (kind === "invalid-name") {
      into.findings.push({
        code: "file-name-invalid",
        message: `${relative}: file names in package folders are 1–128 characters of A–Z a–z 0–9 . _ - ending in .json`,
        file: relative,
      });
      continue;
    }
    if (into.files.has(relative)) {
      into.findings.push({ code: "duplicate-file", message: `${relative} is given twice`, file: relative });
      continue;
    }
    const size = typeof content === "string" ? Buffer.byteLength(content, "utf8") : content.byteLength;
    if (!into.admit(relative, kind, size)) continue;
    into.add(relative, typeof content === "string" ? Buffer.from(content, "utf8") : Buffer.from(content));
  }
  if (!into.files.has(CONTRACT_FILE) && !into.findings.some((f) => f.file === CONTRACT_FILE)) {
    into.findings.push({ code: "missing-contract", message: `${CONTRACT_FILE} is missing`, file: CONTRACT_FILE });
  }
  return into.result();
}
