// A ProviderFlow package read out of an archive file an operator picked (.zip, .tar.gz,
// .tgz, .tar). It runs in the browser (the console's import) and in Node (tests), so it
// uses only Uint8Array, TextDecoder and fflate: no Buffer, no `node:` modules.
//
// The archive may be hostile, so:
//   - every entry name is checked before anything else: absolute paths, `..` segments
//     and NUL bytes are refused, naming the entry;
//   - decompressed output is bounded WHILE it is produced, never after: compressed input
//     is fed to fflate's streaming inflaters in small slices, and the output callback
//     stops the stream (by throwing a private LimitReached) as soon as a bound is passed.
//     Sizes an archive declares (zip headers, the gzip trailer) are never trusted;
//   - zip entries are located through the central directory (the archive's own index),
//     parsed here rather than by scanning for signatures, so entries the import drops
//     are never inflated, encryption is detected, and no entry is read twice;
//   - symlinks, hard links, devices and fifos are skipped, never followed;
//   - every problem becomes `{ ok: false, error }`, a sentence for the operator; the
//     function does not throw, whatever the bytes.
import { Gunzip, Inflate } from "fflate";

/** The same limits as the API's (providerflow/load-package.ts). */
export const PACKAGE_LIMITS = { maxFiles: 1000, maxFileBytes: 5 * 1024 * 1024, maxPackageBytes: 20 * 1024 * 1024 } as const;

const CONTRACT_FILE = "provider-flow.yaml";

/** Whether a path inside a package is one an import keeps: not a dotfile or inside a dot-folder, not traces/..., not scans.json or evidence.json at the top (these are generated outputs). */
export function keptPackagePath(relative: string): boolean {
  if (relative === "") return false;
  const segments = relative.split("/");
  if (segments.some((segment) => segment.startsWith("."))) return false;
  if (segments.length > 1 && segments[0] === "traces") return false;
  return relative !== "scans.json" && relative !== "evidence.json";
}

export type ArchiveResult = { ok: true; files: Record<string, string> } | { ok: false; error: string };

/** The package name from provider-flow.yaml's top-level `name:` line, or null. */
export function packageNameOf(contract: string): string | null {
  return /^name:\s*["']?([a-z0-9][a-z0-9-]{0,62})["']?\s*$/m.exec(contract)?.[1] ?? null;
}

/** An archive's package: `fileName` decides the format (.zip, .tar.gz, .tgz, .tar; anything else: a clear error). */
export function readPackageArchive(fileName: string, bytes: Uint8Array): ArchiveResult {
  try {
    return { ok: true, files: packageOf(entriesOf(fileName, bytes)) };
  } catch (error) {
    if (error instanceof ArchiveError) return { ok: false, error: error.message };
    // Not expected (every known problem is an ArchiveError), but hostile bytes must never
    // surface as an exception in the page.
    return { ok: false, error: `${fileName} could not be read as an archive.` };
  }
}

// ---------------------------------------------------------------------------------------
// Shared plumbing

/** A problem to show the operator; readPackageArchive turns it into `{ ok: false }`. */
class ArchiveError extends Error {}

/** Thrown from an output callback to stop a decompression stream; never escapes. */
class LimitReached extends Error {}

function fail(message: string): never {
  throw new ArchiveError(message);
}

/** An entry as a format reader lists it; the content is read only if the package keeps it. */
type RawEntry = {
  /** The name as the archive spells it. */
  name: string;
  /** Whether the format marks it as a directory (a name ending in `/` counts too). */
  directory: boolean;
  /** The content, or null when it is longer than `limit` bytes (then no more than about `limit` bytes were produced). */
  read(limit: number): Uint8Array | null;
};

const MiB = 1024 * 1024;
const mib = (bytes: number) => `${bytes / MiB} MiB`;

/** An entry name for a message: quoted, with control characters made visible. */
function quote(name: string): string {
  return `"${name.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}"`;
}

/**
 * Feeds compressed bytes to a streaming inflater in small slices. fflate inflates each
 * pushed chunk in one go, and DEFLATE expands at most about 1032:1, so a 4 KiB slice
 * produces at most about 4 MiB before the output callback gets the chance to stop it.
 */
function pushInSlices(stream: { push(chunk: Uint8Array, final?: boolean): void }, bytes: Uint8Array): void {
  const SLICE = 4096;
  let at = 0;
  do {
    const end = Math.min(at + SLICE, bytes.length);
    stream.push(bytes.subarray(at, end), end === bytes.length);
    at = end;
  } while (at < bytes.length);
}

/** Collects stream output, throwing LimitReached the moment it passes `limit` bytes. */
function boundedSink(limit: number) {
  const chunks: Uint8Array[] = [];
  let total = 0;
  return {
    ondata(chunk: Uint8Array) {
      total += chunk.length;
      if (total > limit) throw new LimitReached();
      if (chunk.length > 0) chunks.push(chunk);
    },
    bytes(): Uint8Array {
      if (chunks.length === 1) return chunks[0]!;
      const out = new Uint8Array(total);
      let at = 0;
      for (const chunk of chunks) {
        out.set(chunk, at);
        at += chunk.length;
      }
      return out;
    },
  };
}

function entriesOf(fileName: string, bytes: Uint8Array): RawEntry[] {
  const lower = fileName.toLowerCase();
  if (lower.endsWith(".zip")) return zipEntries(bytes, fileName);
  if (lower.endsWith(".tar.gz") || lower.endsWith(".tgz")) return tarEntries(gunzipTar(bytes, fileName), fileName);
  if (lower.endsWith(".tar")) return tarEntries(bytes, fileName);
  return fail(`${fileName} is not a supported archive: use .zip, .tar.gz, .tgz or .tar.`);
}

// ---------------------------------------------------------------------------------------
// From entries to the package

/**
 * A safe, normalised form of an entry name: backslashes (zips made on Windows) become
 * `/`, `.` and empty segments go. Absolute names, `..` segments and NUL are refused.
 */
function normalisedPath(name: string): { path: string; directory: boolean } {
  if (name.includes("\0")) fail(`${quote(name)} has a NUL character in its name.`);
  const slashed = name.replaceAll("\\", "/");
  // `/x`, `//server/share` and `C:\x` (also the drive-relative `C:x`).
  if (slashed.startsWith("/") || /^[A-Za-z]:/.test(slashed))
    fail(`${quote(name)} is an absolute path; a package holds only relative paths.`);
  const segments = slashed.split("/").filter((segment) => segment !== "" && segment !== ".");
  if (segments.includes("..")) fail(`${quote(name)} leaves the package folder.`);
  return { path: segments.join("/"), directory: slashed.endsWith("/") || segments.length === 0 };
}

function packageOf(entries: RawEntry[]): Record<string, string> {
  // Every name is checked, even of entries that will be dropped: a hostile entry is
  // reason enough to distrust the whole archive.
  const files = new Map<string, RawEntry>();
  for (const entry of entries) {
    const { path, directory } = normalisedPath(entry.name);
    if (directory || entry.directory) continue;
    if (path === "__MACOSX" || path.startsWith("__MACOSX/")) continue; // macOS Finder's resource forks
    if (files.has(path)) fail(`${quote(path)} appears more than once in the archive.`);
    files.set(path, entry);
  }

  // The package root: the folder of the shallowest provider-flow.yaml (archives usually
  // wrap the package in one top folder; deeper ones, e.g. under examples/, are files of it).
  const contracts = [...files.keys()].filter((path) => path === CONTRACT_FILE || path.endsWith(`/${CONTRACT_FILE}`));
  if (contracts.length === 0) fail(`The archive has no ${CONTRACT_FILE}.`);
  const depth = (path: string) => path.split("/").length;
  const shallowest = contracts.reduce((least, path) => Math.min(least, depth(path)), Infinity); // no spread: the list may be huge
  const roots = contracts
    .filter((path) => depth(path) === shallowest)
    .map((path) => path.slice(0, -CONTRACT_FILE.length))
    .sort();
  if (roots.length > 1) {
    const named = roots.map((root) => quote(root));
    const list = `${named.slice(0, -1).join(", ")} and ${named.at(-1)}`;
    fail(`The archive holds more than one package: ${list} each have a ${CONTRACT_FILE}. Import one package at a time.`);
  }
  const root = roots[0]!; // "" or "folder/"

  const kept: [string, RawEntry][] = [];
  for (const [path, entry] of files) {
    if (!path.startsWith(root)) continue;
    const relative = path.slice(root.length);
    if (keptPackagePath(relative)) kept.push([relative, entry]);
  }
  if (kept.length > PACKAGE_LIMITS.maxFiles) {
    fail(`A package holds at most ${PACKAGE_LIMITS.maxFiles} files; this archive has ${kept.length}.`);
  }
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

  const utf8 = new TextDecoder("utf-8", { fatal: true });
  const out: [string, string][] = [];
  let total = 0;
  for (const [relative, entry] of kept) {
    // One bound covers both rules: no file over maxFileBytes, no package over maxPackageBytes.
    const limit = Math.min(PACKAGE_LIMITS.maxFileBytes, PACKAGE_LIMITS.maxPackageBytes - total);
    const content = entry.read(limit);
    if (content === null) {
      fail(
        limit === PACKAGE_LIMITS.maxFileBytes
          ? `${relative} is larger than ${mib(PACKAGE_LIMITS.maxFileBytes)}.`
          : `The package is larger than ${mib(PACKAGE_LIMITS.maxPackageBytes)}.`,
      );
    }
    total += content.length;
    let text: string;
    try {
      text = utf8.decode(content);
    } catch {
      fail(`${relative} is not UTF-8 text.`);
    }
    out.push([relative, text]);
  }
  // fromEntries defines own properties, so even a file named __proto__ stays a file.
  return Object.fromEntries(out);
}

// ---------------------------------------------------------------------------------------
// tar (ustar, POSIX pax, GNU long names), optionally gzip-compressed

/**
 * The decompressed tar is bounded as a whole: the kept files are at most
 * maxPackageBytes, and headers, padding and dropped files get as much again and 1 MiB.
 */
const TAR_BOUND = PACKAGE_LIMITS.maxPackageBytes * 2 + MiB;

function gunzipTar(bytes: Uint8Array, label: string): Uint8Array {
  if (bytes.length < 18 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) fail(`${label} is not a gzip-compressed file.`);
  const sink = boundedSink(TAR_BOUND);
  try {
    pushInSlices(new Gunzip((chunk) => sink.ondata(chunk)), bytes);
  } catch (error) {
    if (error instanceof LimitReached)
      fail(`${label} unpacks to more than ${mib(TAR_BOUND)}; a package is at most ${mib(PACKAGE_LIMITS.maxPackageBytes)}.`);
    fail(`${label} is damaged: its gzip data could not be decompressed.`);
  }
  return sink.bytes();
}

const BLOCK = 512;
/** Entry types with no data blocks after the header: links, devices, directory, fifo. */
const NO_DATA_TYPES = new Set(["1", "2", "3", "4", "5", "6"]);
/** Regular files: '0', NUL (old tars) and '7' (contiguous, a regular file everywhere). */
const FILE_TYPES = new Set(["0", "\0", "7"]);

const lenientUtf8 = new TextDecoder("utf-8");

/** A NUL-terminated header field as text. */
function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return lenientUtf8.decode(end < 0 ? bytes : bytes.subarray(0, end));
}

/** A numeric header field: octal ASCII, or GNU base-256 (high bit set); NaN when malformed. */
function tarNumber(field: Uint8Array): number {
  const first = field[0]!;
  if (first & 0x80) {
    if (first === 0xff) return NaN; // negative
    let value = first & 0x7f;
    for (const byte of field.subarray(1)) value = value * 256 + byte;
    return Number.isSafeInteger(value) ? value : NaN;
  }
  let i = 0;
  while (i < field.length && field[i] === 0x20) i++;
  let value = 0;
  let digits = 0;
  for (; i < field.length; i++) {
    const byte = field[i]!;
    if (byte === 0 || byte === 0x20) break;
    if (byte < 0x30 || byte > 0x37) return NaN;
    value = value * 8 + (byte - 0x30);
    digits++;
  }
  return digits > 0 ? value : NaN;
}

/** The header checksum: the field itself counts as spaces. Old tars summed signed bytes. */
function checksumMatches(header: Uint8Array): boolean {
  const stored = tarNumber(header.subarray(148, 156));
  if (Number.isNaN(stored)) return false;
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const byte = i >= 148 && i < 156 ? 0x20 : header[i]!;
    unsigned += byte;
    signed += byte > 127 ? byte - 256 : byte;
  }
  return stored === unsigned || stored === signed;
}

/** The `path` and `size` records of a pax extended header ("<length> <key>=<value>\n"). */
function paxRecords(data: Uint8Array, label: string): { path?: string; size?: number } {
  const damaged = () => fail(`${label} is damaged: a pax extended header is malformed.`);
  const found: { path?: string; size?: number } = {};
  let at = 0;
  while (at < data.length) {
    if (data[at] === 0) break; // padding
    const space = data.indexOf(0x20, at);
    if (space < 0) damaged();
    const lengthText = lenientUtf8.decode(data.subarray(at, space));
    if (!/^[0-9]{1,10}$/.test(lengthText)) damaged();
    const end = at + Number(lengthText);
    if (end <= space + 1 || end > data.length || data[end - 1] !== 0x0a) damaged();
    const record = lenientUtf8.decode(data.subarray(space + 1, end - 1));
    const equals = record.indexOf("=");
    if (equals < 0) damaged();
    const key = record.slice(0, equals);
    const value = record.slice(equals + 1);
    if (key === "path") found.path = value;
    if (key === "size") {
      if (!/^[0-9]{1,15}$/.test(value)) damaged();
      found.size = Number(value);
    }
    at = end;
  }
  return found;
}

function tarEntries(tar: Uint8Array, label: string): RawEntry[] {
  if (tar.length === 0) fail(`${label} is empty.`);
  const truncated = () => fail(`${label} is truncated: the tar archive ends in the middle of an entry.`);
  const entries: RawEntry[] = [];
  // Names and sizes that extension headers set for the NEXT entry.
  let longName: string | undefined;
  let pax: { path?: string; size?: number } = {};
  let offset = 0;
  for (;;) {
    if (offset + BLOCK > tar.length) truncated();
    const header = tar.subarray(offset, offset + BLOCK);
    // A zero block ends the archive (a second one normally follows; a lone one at the
    // very end is accepted, as GNU tar does).
    if (header.every((byte) => byte === 0)) {
      if (longName !== undefined || pax.path !== undefined || pax.size !== undefined) truncated();
      return entries;
    }
    if (!checksumMatches(header)) {
      fail(
        offset === 0
          ? `${label} is not a tar archive.`
          : `${label} is not a valid tar archive: the header at byte ${offset} has a wrong checksum.`,
      );
    }
    const type = String.fromCharCode(header[156]!);
    const isExtension = type === "x" || type === "g" || type === "L" || type === "K";
    const declared = tarNumber(header.subarray(124, 136));
    const size = !isExtension && pax.size !== undefined ? pax.size : declared;
    if (Number.isNaN(size)) fail(`${label} is not a valid tar archive: the header at byte ${offset} has a malformed size.`);
    const hasData = !NO_DATA_TYPES.has(type);
    const dataStart = offset + BLOCK;
    if (hasData && dataStart + size > tar.length) truncated();
    const data = hasData ? tar.subarray(dataStart, dataStart + size) : tar.subarray(dataStart, dataStart);
    offset = hasData ? dataStart + Math.ceil(size / BLOCK) * BLOCK : dataStart;

    if (type === "x") {
      pax = paxRecords(data, label);
      continue;
    }
    if (type === "L") {
      longName = cString(data);
      continue;
    }
    if (type === "g" || type === "K") continue; // global pax defaults, GNU long link target

    // POSIX ustar splits long names into prefix + name; GNU's "ustar  " uses that area
    // for other fields.
    const posix = lenientUtf8.decode(header.subarray(257, 263)) === "ustar\0";
    const prefix = posix ? cString(header.subarray(345, 500)) : "";
    const headerName = cString(header.subarray(0, 100));
    const name = pax.path ?? longName ?? (prefix ? `${prefix}/${headerName}` : headerName);
    longName = undefined;
    pax = {};

    if (FILE_TYPES.has(type)) entries.push({ name, directory: false, read: (limit) => (data.length > limit ? null : data) });
    else if (type === "5") entries.push({ name, directory: true, read: () => null });
    // Anything else (links, devices, fifos, GNU sparse files, unknown types) is skipped.
  }
}

// ---------------------------------------------------------------------------------------
// zip (stored and deflated entries, zip64 sizes and offsets)

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END = 0x06064b50;
const U32_MAX = 0xffffffff;

function zipEntries(zip: Uint8Array, label: string): RawEntry[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const damaged = (): never => fail(`${label} is damaged: its zip structure is inconsistent or truncated.`);
  const u16 = (at: number) => (at >= 0 && at + 2 <= zip.length ? view.getUint16(at, true) : damaged());
  const u32 = (at: number) => (at >= 0 && at + 4 <= zip.length ? view.getUint32(at, true) : damaged());
  const u64 = (at: number) => {
    const high = u32(at + 4);
    return high < 2 ** 21 ? high * 2 ** 32 + u32(at) : damaged(); // beyond 2^53: not a real archive
  };

  // The end-of-central-directory record: the last 22 bytes, before a comment of up to 64 KiB.
  let end = -1;
  for (let at = zip.length - 22; at >= 0 && at >= zip.length - 22 - 0xffff; at--) {
    if (view.getUint32(at, true) === END_OF_CENTRAL) {
      end = at;
      break;
    }
  }
  if (end < 0) fail(`${label} is not a zip archive.`);
  let count = u16(end + 10);
  let directorySize = u32(end + 12);
  let directoryOffset = u32(end + 16);
  // A disk number other than 0 (0xFFFF: see zip64) means a split, multi-volume archive.
  const disk = u16(end + 4);
  if (disk !== 0 && disk !== 0xffff) fail(`${label} is part of a split (multi-volume) zip, which is not supported.`);
  if (count === 0xffff || directorySize === U32_MAX || directoryOffset === U32_MAX) {
    // zip64: the real values are in the zip64 end record, found through its locator.
    const locator = end - 20;
    if (locator >= 0 && u32(locator) === ZIP64_LOCATOR) {
      const record = u64(locator + 8);
      if (u32(record) !== ZIP64_END) damaged();
      count = u64(record + 32);
      directorySize = u64(record + 40);
      directoryOffset = u64(record + 48);
    }
  }
  if (directoryOffset + directorySize > zip.length) damaged();

  // Each archive byte may be inflated at most once: entries overlapping each other (one
  // compressed stream listed a thousand times) would otherwise multiply the work.
  let compressedRead = 0;
  const entries: RawEntry[] = [];
  let at = directoryOffset;
  for (let i = 0; i < count; i++) {
    if (u32(at) !== CENTRAL_HEADER) damaged();
    const madeBy = u16(at + 4);
    const flags = u16(at + 8);
    const method = u16(at + 10);
    let compressedSize = u32(at + 20);
    const originalSize = u32(at + 24); // only to know whether a zip64 field is present; never trusted
    const nameLength = u16(at + 28);
    const extraLength = u16(at + 30);
    const commentLength = u16(at + 32);
    const externalAttributes = u32(at + 38);
    let localOffset = u32(at + 42);
    const nameStart = at + 46;
    const extraStart = nameStart + nameLength;
    if (extraStart + extraLength + commentLength > zip.length) damaged();
    const name = zipName(zip.subarray(nameStart, extraStart), (flags & 0x800) !== 0);

    // zip64 extended information: 64-bit values for the fields set to 0xFFFFFFFF, in order.
    if (originalSize === U32_MAX || compressedSize === U32_MAX || localOffset === U32_MAX) {
      for (let e = extraStart; e + 4 <= extraStart + extraLength;) {
        const id = u16(e);
        const size = u16(e + 2);
        if (id === 0x0001) {
          let field = e + 4;
          if (originalSize === U32_MAX) field += 8;
          if (compressedSize === U32_MAX) {
            compressedSize = u64(field);
            field += 8;
          }
          if (localOffset === U32_MAX) localOffset = u64(field);
          break;
        }
        e += 4 + size;
      }
    }
    at = extraStart + extraLength + commentLength;

    // A Unix symlink (its content is the target): skipped, never followed.
    const unixType = (externalAttributes >>> 16) & 0o170000;
    if (madeBy >> 8 === 3 && unixType === 0o120000) continue;

    entries.push({
      name,
      directory: false, // a name ending in `/`
      read(limit) {
        if (flags & 0x1) fail(`${quote(name)} is encrypted; encrypted archives are not supported.`);
        if (method !== 0 && method !== 8) {
          fail(
            `${quote(name)} uses a compression method (${method}) that is not supported; zip it with the usual Deflate method.`,
          );
        }
        if (u32(localOffset) !== LOCAL_HEADER) damaged();
        const dataStart = localOffset + 30 + u16(localOffset + 26) + u16(localOffset + 28);
        if (dataStart + compressedSize > zip.length) damaged();
        compressedRead += compressedSize;
        if (compressedRead > zip.length) damaged();
        const data = zip.subarray(dataStart, dataStart + compressedSize);
        if (method === 0) return data.length > limit ? null : data; // stored
        const sink = boundedSink(limit);
        try {
          pushInSlices(new Inflate((chunk) => sink.ondata(chunk)), data);
        } catch (error) {
          if (error instanceof LimitReached) return null;
          fail(`${label} is damaged: ${quote(name)} could not be decompressed.`);
        }
        return sink.bytes();
      },
    });
  }
  return entries;
}

/** Zip names are UTF-8 when flagged, and in practice usually otherwise too; else Latin-1. */
function zipName(bytes: Uint8Array, flaggedUtf8: boolean): string {
  if (flaggedUtf8) return lenientUtf8.decode(bytes);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return Array.from(bytes, (byte) => String.fromCharCode(byte)).join("");
  }
}
