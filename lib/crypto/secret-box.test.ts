import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  classifyStored,
  createKeyring,
  generateSecretKey,
  keyIdOf,
  parseSealed,
  parseSecretKey,
  parseSecretKeyList,
} from "./secret-box.mjs";

const keyA = Buffer.alloc(32, 1);
const keyB = Buffer.alloc(32, 2);
const SECRET = "whsec_c2VjcmV0LXZhbHVlLWZvci10ZXN0cw==";
const CTX = "Target.signingSecret:7d2a0b5e-1c3f-4f7a-9d8e-0a1b2c3d4e5f";

describe("secret box", () => {
  it("round-trips a value, in a self-describing format that carries the key id and not the value", () => {
    const ring = createKeyring({ current: keyA });
    const sealed = ring.seal(SECRET, CTX);
    expect(sealed).toMatch(/^enc:v1:[0-9a-f]{16}:[A-Za-z0-9_-]+$/);
    expect(sealed.split(":")[2]).toBe(keyIdOf(keyA));
    expect(sealed).not.toContain(SECRET);
    expect(sealed).not.toContain(Buffer.from(SECRET).toString("base64url"));
    expect(ring.open(sealed, CTX)).toEqual({ ok: true, value: SECRET, kid: keyIdOf(keyA) });
    // Unicode and the empty string survive too.
    for (const v of ["", "pässwörd ✓ 🔑", "x".repeat(10_000)]) expect(ring.open(ring.seal(v, CTX), CTX)).toMatchObject({ ok: true, value: v });
  });

  it("uses a fresh IV each time: the same value seals differently", () => {
    const ring = createKeyring({ current: keyA });
    const a = ring.seal(SECRET, CTX);
    const b = ring.seal(SECRET, CTX);
    expect(a).not.toBe(b);
    expect(parseSealed(a)!.bytes.subarray(0, 12).equals(parseSealed(b)!.bytes.subarray(0, 12))).toBe(false);
  });

  it("derives a short, stable key id that is not the key", () => {
    expect(keyIdOf(keyA)).toMatch(/^[0-9a-f]{16}$/);
    expect(keyIdOf(keyA)).toBe(keyIdOf(Buffer.from(keyA)));
    expect(keyIdOf(keyA)).not.toBe(keyIdOf(keyB));
    expect(keyA.toString("hex")).not.toContain(keyIdOf(keyA));
  });

  it("refuses a value under a key it does not hold, naming the key id", () => {
    const sealed = createKeyring({ current: keyB }).seal(SECRET, CTX);
    expect(createKeyring({ current: keyA }).open(sealed, CTX)).toEqual({ ok: false, reason: "unknown-key", kid: keyIdOf(keyB) });
  });

  it("opens values of previous keys and seals with the current one (rotation)", () => {
    const old = createKeyring({ current: keyA }).seal(SECRET, CTX);
    const ring = createKeyring({ current: keyB, previous: [keyA] });
    expect(ring.currentKid).toBe(keyIdOf(keyB));
    expect(ring.kids).toEqual([keyIdOf(keyB), keyIdOf(keyA)]);
    expect(ring.open(old, CTX)).toMatchObject({ ok: true, value: SECRET, kid: keyIdOf(keyA) });
    expect(ring.seal(SECRET, CTX).split(":")[2]).toBe(keyIdOf(keyB));
  });

  it("detects tampering: a changed tag, ciphertext or IV does not open", () => {
    const ring = createKeyring({ current: keyA });
    const sealed = ring.seal(SECRET, CTX);
    const { bytes } = parseSealed(sealed)!;
    const prefix = sealed.slice(0, sealed.lastIndexOf(":") + 1);
    for (const at of [0, 12, bytes.length - 1]) {
      const changed = Buffer.from(bytes);
      changed[at]! ^= 1;
      expect(ring.open(prefix + changed.toString("base64url"), CTX)).toEqual({ ok: false, reason: "corrupt", kid: keyIdOf(keyA) });
    }
    // A truncated value is no sealed value at all.
    expect(ring.open(prefix + bytes.subarray(0, 20).toString("base64url"), CTX)).toEqual({ ok: false, reason: "plain" });
  });

  it("binds a value to its place: copied into another row or column, it does not open", () => {
    const ring = createKeyring({ current: keyA });
    const sealed = ring.seal(SECRET, CTX);
    expect(ring.open(sealed, "Target.signingSecret:00000000-0000-4000-8000-000000000000")).toMatchObject({ ok: false, reason: "corrupt" });
    expect(ring.open(sealed, CTX.replace("signingSecret", "authSecret"))).toMatchObject({ ok: false, reason: "corrupt" });
  });

  it("tells plain text from sealed values, including plain text that looks sealed", () => {
    const ring = createKeyring({ current: keyA });
    expect(classifyStored(ring.seal("x", CTX))).toEqual({ kind: "sealed", kid: keyIdOf(keyA) });
    expect(classifyStored("hunter2")).toEqual({ kind: "plain", value: "hunter2" });
    expect(classifyStored("plain:hunter2")).toEqual({ kind: "plain", value: "hunter2" });
    expect(classifyStored("plain:enc:v1:0123456789abcdef:AAAA")).toEqual({ kind: "plain", value: "enc:v1:0123456789abcdef:AAAA" });
    expect(ring.open("hunter2", CTX)).toEqual({ ok: false, reason: "plain" });
    expect(ring.open("enc:v1:nothex:AAAA", CTX)).toEqual({ ok: false, reason: "plain" });
  });

  it("refuses to build a ring without a 32-byte current key", () => {
    expect(() => createKeyring({ current: Buffer.alloc(16) })).toThrow(/32-byte/);
  });
});

describe("key parsing", () => {
  const raw = randomBytes(32);

  it("reads 32 bytes as 64 hex characters or as base64 / base64url, with or without padding and whitespace", () => {
    for (const text of [raw.toString("hex"), raw.toString("hex").toUpperCase(), raw.toString("base64"), raw.toString("base64url"), `${raw.toString("base64")}\n`]) {
      expect(parseSecretKey(text).equals(raw)).toBe(true);
    }
    expect(parseSecretKey(generateSecretKey())).toHaveLength(32);
  });

  it("refuses a wrong length or encoding with a message that names the variable and not the value", () => {
    const bad = ["", "short", raw.subarray(0, 16).toString("base64"), Buffer.concat([raw, raw]).toString("hex"), `${raw.toString("base64")}!`, "é".repeat(44)];
    for (const text of bad) {
      let message = "";
      try {
        parseSecretKey(text, "PROVENANCE_SECRET_KEY");
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^PROVENANCE_SECRET_KEY must be 32 random bytes/);
      if (text.length > 4) expect(message).not.toContain(text.trim());
    }
  });

  it("reads a comma-separated list of previous keys, naming the bad entry", () => {
    const other = randomBytes(32);
    expect(parseSecretKeyList(` ${raw.toString("hex")} ,, ${other.toString("base64")} `).map((k) => k.toString("hex"))).toEqual([
      raw.toString("hex"),
      other.toString("hex"),
    ]);
    expect(parseSecretKeyList(undefined)).toEqual([]);
    expect(() => parseSecretKeyList(`${raw.toString("hex")},nope`)).toThrow(/PROVENANCE_SECRET_KEY_PREVIOUS \(entry 2\)/);
  });
});
