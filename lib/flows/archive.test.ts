import { gzipSync, zipSync, type Zippable } from "fflate";
import { describe, expect, it } from "vitest";
import { keptPackagePath, packageNameOf, PACKAGE_LIMITS, readPackageArchive, type ArchiveResult } from "./archive";

const MiB = 1024 * 1024;
const encoder = new TextEncoder();
const bytesOf = (text: string) => encoder.encode(text);

const CONTRACT = 'version: 1\nname: "stripe-payments"\nprovider: stripe\n';

function files(result: ArchiveResult): Record<string, string> {
  if (!result.ok) throw new Error(`expected a package, got: ${result.error}`);
  return result.files;
}

function error(result: ArchiveResult): string {
  if (result.ok) throw new Error(`expected an error, got files: ${Object.keys(result.files).join(", ")}`);
  return result.error;
}

function zip(entries: Record<string, string | Uint8Array>, level: 0 | 6 = 6): Uint8Array {
  const zippable: Zippable = {};
  for (const [name, content] of Object.entries(entries))
    zippable[name] = [typeof content === "string" ? bytesOf(content) : content, { level }];
  return zipSync(zippable);
}

// ---- A small tar writer: ustar headers with correct checksums, pax 'x' and GNU 'L' ----

type TarItem = { name: string; content?: string | Uint8Array; type?: string; linkname?: string; size?: number };

function writeText(block: Uint8Array, at: number, length: number, text: string) {
  const bytes = bytesOf(text);
  if (bytes.length > length) throw new Error(`tar helper: ${text} does not fit in ${length} bytes`);
  block.set(bytes, at);
}

function writeOctal(block: Uint8Array, at: number, length: number, value: number) {
  writeText(block, at, length, `${value.toString(8).padStart(length - 1, "0")}\0`);
}

function tarHeader(item: TarItem, size: number): Uint8Array {
  const header = new Uint8Array(512);
  writeText(header, 0, 100, item.name);
  writeOctal(header, 100, 8, 0o644);
  writeOctal(header, 108, 8, 1000);
  writeOctal(header, 116, 8, 1000);
  writeOctal(header, 124, 12, size);
  writeOctal(header, 136, 12, 1_700_000_000);
  header[156] = (item.type ?? "0").charCodeAt(0);
  writeText(header, 157, 100, item.linkname ?? "");
  writeText(header, 257, 6, "ustar\0");
  writeText(header, 263, 2, "00");
  header.fill(0x20, 148, 156);
  const sum = header.reduce((total, byte) => total + byte, 0);
  writeText(header, 148, 8, `${sum.toString(8).padStart(6, "0")}\0 `);
  return header;
}

function tar(items: TarItem[], { end = true } = {}): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const item of items) {
    const content = typeof item.content === "string" ? bytesOf(item.content) : (item.content ?? new Uint8Array(0));
    parts.push(tarHeader(item, item.size ?? content.length));
    if (content.length > 0) parts.push(content, new Uint8Array((512 - (content.length % 512)) % 512));
  }
  if (end) parts.push(new Uint8Array(1024));
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A pax record: "<length> path=<value>\n", the length counting itself. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = bytesOf(body).length;
  while (`${length}${body}`.length !== length) length = bytesOf(`${length}${body}`).length;
  return `${length}${body}`;
}

const paxFile = (path: string, content: string): TarItem[] => [
  { name: "PaxHeaders/long", type: "x", content: paxRecord("path", path) },
  { name: path.slice(0, 90), content },
];

const gnuLongFile = (path: string, content: string): TarItem[] => [
  { name: "././@LongLink", type: "L", content: `${path}\0` },
  { name: path.slice(0, 100), content },
];

// ---- zip byte surgery for the tests ----

/** The compression method of each central directory entry (0 stored, 8 deflated). */
function zipMethods(archive: Uint8Array): number[] {
  const view = new DataView(archive.buffer, archive.byteOffset, archive.byteLength);
  const end = archive.length - 22;
  let at = view.getUint32(end + 16, true);
  const methods: number[] = [];
  for (let i = 0; i < view.getUint16(end + 10, true); i++) {
    methods.push(view.getUint16(at + 10, true));
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return methods;
}

/** Makes every entry claim `size` uncompressed bytes, in the central directory and the local headers. */
function lieAboutSizes(archive: Uint8Array, size: number): Uint8Array {
  const patched = archive.slice();
  const view = new DataView(patched.buffer);
  const end = patched.length - 22;
  let at = view.getUint32(end + 16, true);
  for (let i = 0; i < view.getUint16(end + 10, true); i++) {
    view.setUint32(at + 24, size, true);
    view.setUint32(view.getUint32(at + 42, true) + 22, size, true);
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return patched;
}

/** CRC-32 (zip's), so the hand-written zip64 archive is valid for any reader. */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A zip written by hand in its zip64 form: every size, offset and count in the zip64 fields (stored entries). */
function zip64(entries: Record<string, string>): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  const record = (length: number, fill: (view: DataView) => void) => {
    const bytes = new Uint8Array(length);
    fill(new DataView(bytes.buffer));
    return bytes;
  };
  const u64 = (view: DataView, at: number, value: number) => view.setBigUint64(at, BigInt(value), true);
  for (const [name, text] of Object.entries(entries)) {
    const nameBytes = bytesOf(name);
    const content = bytesOf(text);
    const local = record(30 + nameBytes.length + 20, (view) => {
      view.setUint32(0, 0x04034b50, true);
      view.setUint16(4, 45, true);
      view.setUint32(14, crc32(content), true);
      view.setUint32(18, 0xffffffff, true);
      view.setUint32(22, 0xffffffff, true);
      view.setUint16(26, nameBytes.length, true);
      view.setUint16(28, 20, true);
      view.setUint16(30 + nameBytes.length, 1, true);
      view.setUint16(32 + nameBytes.length, 16, true);
      u64(view, 34 + nameBytes.length, content.length);
      u64(view, 42 + nameBytes.length, content.length);
    });
    local.set(nameBytes, 30);
    central.push(
      (() => {
        const header = record(46 + nameBytes.length + 28, (view) => {
          view.setUint32(0, 0x02014b50, true);
          view.setUint16(4, 45, true);
          view.setUint16(6, 45, true);
          view.setUint32(16, crc32(content), true);
          view.setUint32(20, 0xffffffff, true);
          view.setUint32(24, 0xffffffff, true);
          view.setUint16(28, nameBytes.length, true);
          view.setUint16(30, 28, true);
          view.setUint32(42, 0xffffffff, true);
          view.setUint16(46 + nameBytes.length, 1, true);
          view.setUint16(48 + nameBytes.length, 24, true);
          u64(view, 50 + nameBytes.length, content.length);
          u64(view, 58 + nameBytes.length, content.length);
          u64(view, 66 + nameBytes.length, offset);
        });
        header.set(nameBytes, 46);
        return header;
      })(),
    );
    parts.push(local, content);
    offset += local.length + content.length;
  }
  const directorySize = central.reduce((total, header) => total + header.length, 0);
  const count = central.length;
  const end64 = record(56, (view) => {
    view.setUint32(0, 0x06064b50, true);
    u64(view, 4, 44);
    view.setUint16(12, 45, true);
    view.setUint16(14, 45, true);
    u64(view, 24, count);
    u64(view, 32, count);
    u64(view, 40, directorySize);
    u64(view, 48, offset);
  });
  const locator = record(20, (view) => {
    view.setUint32(0, 0x07064b50, true);
    u64(view, 8, offset + directorySize);
    view.setUint32(16, 1, true);
  });
  const end = record(22, (view) => {
    view.setUint32(0, 0x06054b50, true);
    view.setUint16(8, 0xffff, true);
    view.setUint16(10, 0xffff, true);
    view.setUint32(12, 0xffffffff, true);
    view.setUint32(16, 0xffffffff, true);
  });
  const all = [...parts, ...central, end64, locator, end];
  const out = new Uint8Array(all.reduce((total, part) => total + part.length, 0));
  let at = 0;
  for (const part of all) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A deterministic PRNG (mulberry32), so a failing random case can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("keptPackagePath and packageNameOf", () => {
  it("drops dotfiles, dot-folders, traces/ and the generated top-level files", () => {
    for (const kept of [
      "provider-flow.yaml",
      "README.md",
      "schemas/a.json",
      "examples/traces/x.json",
      "schemas/scans.json",
      "traces",
    ]) {
      expect(keptPackagePath(kept), kept).toBe(true);
    }
    for (const dropped of [
      ".env",
      ".git/config",
      "schemas/.a.json",
      "a/.cache/b",
      "traces/x.json",
      "scans.json",
      "evidence.json",
      "",
    ]) {
      expect(keptPackagePath(dropped), dropped).toBe(false);
    }
  });

  it("reads the top-level name: line", () => {
    expect(packageNameOf(CONTRACT)).toBe("stripe-payments");
    expect(packageNameOf("name: 'paypal'\n")).toBe("paypal");
    expect(packageNameOf("info:\n  name: nested\n")).toBeNull();
    expect(packageNameOf("name: Not_Valid\n")).toBeNull();
  });
});

describe("readPackageArchive: zip", () => {
  it("takes the package under a top folder, relative to it, without dotfiles and generated files", () => {
    const result = readPackageArchive(
      "stripe-payments.zip",
      zip({
        "stripe-payments/provider-flow.yaml": CONTRACT,
        "stripe-payments/README.md": "# Stripe\n",
        "stripe-payments/schemas/charge.json": "{}",
        "stripe-payments/fixtures/ok.json": '{"a":1}',
        "stripe-payments/.git/config": "[core]",
        "stripe-payments/.DS_Store": "x",
        "stripe-payments/traces/ok.json": "{}",
        "stripe-payments/scans.json": "{}",
        "stripe-payments/evidence.json": "{}",
        "__MACOSX/stripe-payments/._provider-flow.yaml": "x",
      }),
    );
    const got = files(result);
    expect(Object.keys(got).sort()).toEqual(["README.md", "fixtures/ok.json", "provider-flow.yaml", "schemas/charge.json"]);
    expect(got["provider-flow.yaml"]).toBe(CONTRACT);
    expect(packageNameOf(got["provider-flow.yaml"]!)).toBe("stripe-payments");
  });

  it("takes a package at the top of the archive (no wrapping folder)", () => {
    const got = files(
      readPackageArchive("p.zip", zip({ "provider-flow.yaml": CONTRACT, "schemas/a.json": "{}", "schemas/": "" })),
    );
    expect(got).toEqual({ "provider-flow.yaml": CONTRACT, "schemas/a.json": "{}" });
  });

  it("reads stored and deflated entries alike", () => {
    const big = `${"lorem ipsum ".repeat(5000)}\n`;
    for (const level of [0, 6] as const) {
      const archive = zip({ "pkg/provider-flow.yaml": CONTRACT, "pkg/schemas/big.json": big }, level);
      expect(new Set(zipMethods(archive))).toEqual(new Set([level === 0 ? 0 : 8]));
      expect(files(readPackageArchive("pkg.zip", archive))["schemas/big.json"]).toBe(big);
    }
  });

  it("accepts Windows backslash paths", () => {
    const got = files(readPackageArchive("win.ZIP", zip({ "pkg\\provider-flow.yaml": CONTRACT, "pkg\\schemas\\a.json": "{}" })));
    expect(got).toEqual({ "provider-flow.yaml": CONTRACT, "schemas/a.json": "{}" });
  });

  it("keeps non-ASCII text and a file named __proto__ as plain files", () => {
    const got = files(
      readPackageArchive(
        "p.zip",
        zip({ "p/provider-flow.yaml": CONTRACT, "p/README.md": "Zahlung — ✓ 支付\n", "p/__proto__": "x" }),
      ),
    );
    expect(got["README.md"]).toBe("Zahlung — ✓ 支付\n");
    expect(Object.hasOwn(got, "__proto__")).toBe(true);
  });

  it("reads a zip64 archive (sizes, offsets and the entry count in zip64 fields)", () => {
    const archive = zip64({ "p/provider-flow.yaml": CONTRACT, "p/schemas/a.json": '{"a":1}' });
    expect(files(readPackageArchive("p64.zip", archive))).toEqual({
      "provider-flow.yaml": CONTRACT,
      "schemas/a.json": '{"a":1}',
    });
  });

  it("refuses entries that overlap (one compressed stream listed twice)", () => {
    const next = random(7);
    const noise = Array.from({ length: 300_000 }, () => String.fromCharCode(97 + Math.floor(next() * 26))).join("");
    const archive = zip({ "p/provider-flow.yaml": CONTRACT, "p/a.json": noise, "p/b.json": "{}" }).slice();
    const view = new DataView(archive.buffer);
    const end = archive.length - 22;
    let at = view.getUint32(end + 16, true);
    const headers: number[] = [];
    for (let i = 0; i < 3; i++) {
      headers.push(at);
      at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    }
    const [, a, b] = headers as [number, number, number];
    // b.json now points at a.json's data: the same bytes would be inflated twice.
    view.setUint32(b + 42, view.getUint32(a + 42, true), true);
    view.setUint32(b + 20, view.getUint32(a + 20, true), true);
    expect(error(readPackageArchive("overlap.zip", archive))).toMatch(/^overlap.zip is damaged/);
  });

  it("refuses an encrypted entry", () => {
    const archive = zip({ "p/provider-flow.yaml": CONTRACT }).slice();
    const view = new DataView(archive.buffer);
    const end = archive.length - 22;
    const central = view.getUint32(end + 16, true);
    view.setUint16(central + 8, view.getUint16(central + 8, true) | 1, true); // general purpose flag bit 0
    expect(error(readPackageArchive("p.zip", archive))).toMatch(/"p\/provider-flow.yaml" is encrypted/);
  });
});

describe("readPackageArchive: tar, .tar.gz, .tgz", () => {
  const items: TarItem[] = [
    { name: "pkg/", type: "5" },
    { name: "pkg/provider-flow.yaml", content: CONTRACT },
    { name: "pkg/schemas/", type: "5" },
    { name: "pkg/schemas/a.json", content: "{}" },
    { name: "pkg/traces/ok.json", content: "{}" },
    { name: "pkg/link.json", type: "2", linkname: "/etc/passwd" },
    { name: "pkg/hard.json", type: "1", linkname: "pkg/schemas/a.json" },
    { name: "pkg/fifo", type: "6" },
  ];
  const expected = { "provider-flow.yaml": CONTRACT, "schemas/a.json": "{}" };

  it("reads a plain tar with a top folder, skipping links and fifos", () => {
    expect(files(readPackageArchive("pkg.tar", tar(items)))).toEqual(expected);
  });

  it("reads .tar.gz and .tgz", () => {
    expect(files(readPackageArchive("pkg.tar.gz", gzipSync(tar(items))))).toEqual(expected);
    expect(files(readPackageArchive("pkg.tgz", gzipSync(tar(items))))).toEqual(expected);
  });

  it("honours a pax extended header's path (a name over 100 characters) and ignores global pax headers", () => {
    const long = `pkg/fixtures/${"a-very-long-fixture-name-".repeat(6)}end.json`;
    expect(long.length).toBeGreaterThan(100);
    const archive = tar([
      { name: "pax_global_header", type: "g", content: paxRecord("comment", "made by a test") },
      { name: "pkg/provider-flow.yaml", content: CONTRACT },
      ...paxFile(long, '{"long":true}'),
    ]);
    expect(files(readPackageArchive("pkg.tgz", gzipSync(archive)))).toEqual({
      "provider-flow.yaml": CONTRACT,
      [long.slice(4)]: '{"long":true}',
    });
  });

  it("honours a GNU 'L' long name", () => {
    const long = `pkg/goldens/${"another-long-golden-name-".repeat(6)}end.json`;
    const archive = tar([{ name: "pkg/provider-flow.yaml", content: CONTRACT }, ...gnuLongFile(long, "[]")]);
    expect(files(readPackageArchive("pkg.tar", archive))).toEqual({ "provider-flow.yaml": CONTRACT, [long.slice(4)]: "[]" });
  });

  it("refuses a header with a wrong checksum", () => {
    const archive = tar(items);
    archive[0] = "q".charCodeAt(0); // the first header's name changes, its checksum does not
    expect(error(readPackageArchive("pkg.tar", archive))).toBe("pkg.tar is not a tar archive.");
    const later = tar(items);
    later[512 * 3 + 5] = "q".charCodeAt(0); // the header of "pkg/schemas/", the third entry
    expect(error(readPackageArchive("pkg.tar", later))).toMatch(/wrong checksum/);
  });

  it("refuses a truncated tar", () => {
    expect(error(readPackageArchive("pkg.tar", tar(items, { end: false })))).toMatch(/truncated/);
    expect(error(readPackageArchive("pkg.tar", tar(items).subarray(0, 512 * 3 + 100)))).toMatch(/truncated/);
  });
});

describe("readPackageArchive: the package root", () => {
  it("refuses two provider-flow.yaml at the same depth, naming both folders", () => {
    const message = error(
      readPackageArchive("two.zip", zip({ "stripe/provider-flow.yaml": CONTRACT, "paypal/provider-flow.yaml": CONTRACT })),
    );
    expect(message).toContain('"paypal/"');
    expect(message).toContain('"stripe/"');
  });

  it("treats a deeper provider-flow.yaml as a file of the shallower package", () => {
    const got = files(
      readPackageArchive(
        "repo.tar",
        tar([
          { name: "repo/pkg/provider-flow.yaml", content: CONTRACT },
          { name: "repo/pkg/examples/other/provider-flow.yaml", content: "name: other\n" },
          { name: "repo/README.md", content: "outside the package" },
        ]),
      ),
    );
    expect(got).toEqual({ "provider-flow.yaml": CONTRACT, "examples/other/provider-flow.yaml": "name: other\n" });
  });

  it("says so when there is no provider-flow.yaml", () => {
    expect(error(readPackageArchive("x.zip", zip({ "pkg/README.md": "hi" })))).toBe("The archive has no provider-flow.yaml.");
  });
});

describe("readPackageArchive: hostile paths", () => {
  it("refuses a .. entry, naming it", () => {
    const archive = zip({ "stripe/provider-flow.yaml": CONTRACT, "stripe/../x.yaml": "evil" });
    expect(error(readPackageArchive("evil.zip", archive))).toBe('"stripe/../x.yaml" leaves the package folder.');
    const windows = tar([
      { name: "pkg/provider-flow.yaml", content: CONTRACT },
      { name: "pkg\\..\\..\\x.yaml", content: "evil" },
    ]);
    expect(error(readPackageArchive("evil.tar", windows))).toBe('"pkg\\..\\..\\x.yaml" leaves the package folder.');
  });

  it("refuses absolute entries, naming them", () => {
    expect(error(readPackageArchive("evil.tar", tar([{ name: "/etc/provider-flow.yaml", content: CONTRACT }])))).toMatch(
      /^"\/etc\/provider-flow.yaml" is an absolute path/,
    );
    expect(error(readPackageArchive("evil.zip", zip({ "C:\\pkg\\provider-flow.yaml": CONTRACT })))).toMatch(
      /^"C:\\pkg\\provider-flow.yaml" is an absolute path/,
    );
  });

  it("refuses a name with NUL (through a pax path)", () => {
    const archive = tar([{ name: "pkg/provider-flow.yaml", content: CONTRACT }, ...paxFile("pkg/a\0b.json", "{}")]);
    expect(error(readPackageArchive("evil.tar", archive))).toMatch(/"pkg\/a\\u0000b.json" has a NUL character/);
  });
});

describe("readPackageArchive: limits and bombs", () => {
  it("refuses a zip bomb entry (64 MiB of zeros) while inflating", () => {
    const archive = zip({ "pkg/provider-flow.yaml": CONTRACT, "pkg/schemas/big.json": new Uint8Array(64 * MiB) });
    expect(archive.length).toBeLessThan(MiB);
    expect(error(readPackageArchive("bomb.zip", archive))).toBe("schemas/big.json is larger than 5 MiB.");
  });

  it("refuses it also when the zip headers lie about the uncompressed size", () => {
    const archive = lieAboutSizes(
      zip({ "pkg/provider-flow.yaml": CONTRACT, "pkg/schemas/big.json": new Uint8Array(64 * MiB) }),
      100,
    );
    expect(error(readPackageArchive("liar.zip", archive))).toBe("schemas/big.json is larger than 5 MiB.");
  });

  it("refuses a stored zip entry over 5 MiB and a tar file over 5 MiB", () => {
    const six = new Uint8Array(6 * MiB).fill(0x61);
    expect(error(readPackageArchive("s.zip", zip({ "p/provider-flow.yaml": CONTRACT, "p/fixtures/six.json": six }, 0)))).toBe(
      "fixtures/six.json is larger than 5 MiB.",
    );
    const archive = gzipSync(
      tar([
        { name: "p/provider-flow.yaml", content: CONTRACT },
        { name: "p/fixtures/six.json", content: six },
      ]),
    );
    expect(error(readPackageArchive("s.tgz", archive))).toBe("fixtures/six.json is larger than 5 MiB.");
  });

  it("refuses a gzip bomb (a tar.gz holding 200 MiB of zeros) without inflating it all", { timeout: 60_000 }, () => {
    const size = 200 * MiB;
    const archive = tar([
      { name: "pkg/provider-flow.yaml", content: CONTRACT },
      { name: "pkg/schemas/big.json", content: new Uint8Array(size) },
    ]);
    const bomb = gzipSync(archive, { level: 1 });
    expect(bomb.length).toBeLessThan(2 * MiB);
    expect(error(readPackageArchive("bomb.tar.gz", bomb))).toMatch(/^bomb.tar.gz unpacks to more than 41 MiB/);
  });

  it("refuses more than 1000 files", () => {
    const entries: Record<string, string> = { "pkg/provider-flow.yaml": CONTRACT };
    for (let i = 0; i < PACKAGE_LIMITS.maxFiles; i++) entries[`pkg/fixtures/f${i}.json`] = "{}";
    expect(error(readPackageArchive("many.zip", zip(entries)))).toBe(
      "A package holds at most 1000 files; this archive has 1001.",
    );
    delete entries["pkg/fixtures/f0.json"];
    expect(Object.keys(files(readPackageArchive("many.zip", zip(entries))))).toHaveLength(1000);
  });

  it("refuses a package over 20 MiB in total", () => {
    const four = new Uint8Array(4 * MiB).fill(0x20);
    const entries: Record<string, Uint8Array | string> = { "pkg/provider-flow.yaml": CONTRACT };
    for (let i = 0; i < 6; i++) entries[`pkg/schemas/s${i}.json`] = four;
    expect(error(readPackageArchive("big.zip", zip(entries)))).toBe("The package is larger than 20 MiB.");
    const tarEntries = Object.entries(entries).map(([name, content]) => ({ name, content }));
    expect(error(readPackageArchive("big.tgz", gzipSync(tar(tarEntries))))).toBe("The package is larger than 20 MiB.");
  });
});

describe("readPackageArchive: bad input never throws", () => {
  it("refuses a file that is not UTF-8 text, naming it", () => {
    const bad = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]);
    expect(error(readPackageArchive("p.zip", zip({ "p/provider-flow.yaml": CONTRACT, "p/schemas/bad.json": bad })))).toBe(
      "schemas/bad.json is not UTF-8 text.",
    );
    expect(
      error(
        readPackageArchive(
          "p.tar",
          tar([
            { name: "p/provider-flow.yaml", content: CONTRACT },
            { name: "p/schemas/bad.json", content: bad },
          ]),
        ),
      ),
    ).toBe("schemas/bad.json is not UTF-8 text.");
  });

  it("lists the supported formats for an unknown extension", () => {
    expect(error(readPackageArchive("pkg.rar", new Uint8Array(10)))).toBe(
      "pkg.rar is not a supported archive: use .zip, .tar.gz, .tgz or .tar.",
    );
  });

  it("gives a readable error for garbage named .zip, .tar.gz, .tgz or .tar", () => {
    const garbage = bytesOf("this is not an archive at all, just some words\n".repeat(20));
    expect(error(readPackageArchive("x.zip", garbage))).toBe("x.zip is not a zip archive.");
    expect(error(readPackageArchive("x.tar.gz", garbage))).toBe("x.tar.gz is not a gzip-compressed file.");
    expect(error(readPackageArchive("x.tgz", new Uint8Array(0)))).toBe("x.tgz is not a gzip-compressed file.");
    expect(error(readPackageArchive("x.tar", garbage))).toBe("x.tar is not a tar archive.");
    expect(error(readPackageArchive("x.tar", new Uint8Array(0)))).toBe("x.tar is empty.");
    const damagedGzip = gzipSync(tar([{ name: "p/provider-flow.yaml", content: CONTRACT }]));
    damagedGzip.fill(0xff, 12, 40);
    expect(error(readPackageArchive("x.tgz", damagedGzip))).toMatch(/^x.tgz is damaged/);
  });

  it("never throws on random bytes, truncations or corruptions of valid archives", () => {
    const next = random(42);
    const randomBytes = (length: number) => Uint8Array.from({ length }, () => Math.floor(next() * 256));
    const valid: [string, Uint8Array][] = [
      ["a.zip", zip({ "p/provider-flow.yaml": CONTRACT, "p/schemas/a.json": '{"x":1}'.repeat(100) })],
      ["a.zip", zip({ "p/provider-flow.yaml": CONTRACT, "p/schemas/a.json": "{}" }, 0)],
      [
        "a.tgz",
        gzipSync(tar([{ name: "p/provider-flow.yaml", content: CONTRACT }, ...paxFile(`p/${"x".repeat(120)}.json`, "{}")])),
      ],
      ["a.tar", tar([{ name: "p/provider-flow.yaml", content: CONTRACT }, ...gnuLongFile(`p/${"y".repeat(120)}.json`, "{}")])],
    ];
    const inputs: [string, Uint8Array][] = [];
    for (let i = 0; i < 300; i++) {
      const noise = randomBytes(Math.floor(next() * 2048));
      const name = ["r.zip", "r.tar.gz", "r.tgz", "r.tar"][i % 4]!;
      inputs.push([name, noise]);
      // Noise behind a plausible magic number gets further into each reader.
      const withMagic = noise.slice();
      if (withMagic.length >= 4) withMagic.set(name.endsWith(".zip") ? [0x50, 0x4b, 0x05, 0x06] : [0x1f, 0x8b, 0x08, 0x00]);
      inputs.push([name, withMagic]);
    }
    for (const [name, archive] of valid) {
      for (let length = 0; length < archive.length; length += Math.max(1, Math.floor(archive.length / 150)))
        inputs.push([name, archive.subarray(0, length)]);
      for (let i = 0; i < 150; i++) {
        const corrupted = archive.slice();
        corrupted[Math.floor(next() * corrupted.length)] = Math.floor(next() * 256);
        inputs.push([name, corrupted]);
      }
    }
    for (const [name, archive] of inputs) {
      const result = readPackageArchive(name, archive);
      if (!result.ok) expect(result.error).toMatch(/\.$/);
    }
  });
});
