// Secrets at rest: AES-256-GCM under a key ring (the current key seals; older keys still
// open what they sealed, so keys can rotate). Plain JavaScript, typed by secret-box.d.mts,
// because the app (compiled by Next.js) and the operator's commands (scripts/*.mjs, run by
// plain node on a fresh clone) must share one implementation.
//
// A sealed value is self-describing text: `enc:v1:<key id>:<base64url(iv | ciphertext | tag)>`
// - a random 96-bit IV per value (GCM's limit of 2^32 values per key is far away);
// - the 128-bit tag authenticates the ciphertext and the associated data;
// - the associated data is the value's place ("Target.authSecret:<row id>"), so a
//   ciphertext copied into another row or column does not open: someone who can write to
//   the database but not read the key cannot make the app send one target's token to
//   another target's URL;
// - the key id is derived from the key by HKDF (16 hex characters) and never reveals it;
//   the AES key is derived with HKDF too, so the configured key material is used for
//   nothing else directly.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

export const SEALED_PREFIX = "enc:v1:";
/** A legacy value marked by the 20261204100000 migration, waiting to be sealed at start-up. */
export const PLAIN_PREFIX = "plain:";
const SEALED_RE = /^enc:v1:([0-9a-f]{16}):([A-Za-z0-9_-]+)$/;
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const CIPHER = "aes-256-gcm";

/**
 * Reads a configured key: 32 bytes as 64 hex characters, or base64 / base64url (with or
 * without padding). Throws a message naming `name` and never the value.
 */
export function parseSecretKey(text, name = "PROVENANCE_SECRET_KEY") {
  const s = String(text).trim();
  let key = null;
  if (/^[0-9a-fA-F]{64}$/.test(s)) key = Buffer.from(s, "hex");
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(s)) {
    const decoded = Buffer.from(s.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    // Buffer ignores stray characters; accept only text that is the exact encoding.
    if (decoded.toString("base64").replace(/=+$/, "") === s.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "")) key = decoded;
  }
  if (key === null || key.length !== KEY_BYTES) {
    const got = key === null ? "neither hex nor base64" : `${key.length} bytes`;
    throw new Error(
      `${name} must be ${KEY_BYTES} random bytes written as 64 hex characters or as base64 (got ${got}); ` +
        "generate one with `npm run secrets:generate-key` or `openssl rand -base64 32`",
    );
  }
  return key;
}

/** A comma-separated list of keys (PROVENANCE_SECRET_KEY_PREVIOUS); empty entries are ignored. */
export function parseSecretKeyList(text, name = "PROVENANCE_SECRET_KEY_PREVIOUS") {
  return String(text ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s, i) => parseSecretKey(s, `${name} (entry ${i + 1})`));
}

/** A new key, as base64 of 32 random bytes. */
export function generateSecretKey() {
  return randomBytes(KEY_BYTES).toString("base64");
}

const derive = (key, info) => Buffer.from(hkdfSync("sha256", key, Buffer.alloc(0), `provenance secret-box v1 ${info}`, KEY_BYTES));

/** The key's public name: 16 hex characters derived from it (a one-way function of the key). */
export function keyIdOf(key) {
  return derive(key, "key id").subarray(0, 8).toString("hex");
}

/** Splits a sealed value; null for anything that is not exactly the sealed format. */
export function parseSealed(stored) {
  const m = typeof stored === "string" ? SEALED_RE.exec(stored) : null;
  if (!m) return null;
  const bytes = Buffer.from(m[2], "base64url");
  if (bytes.length < IV_BYTES + TAG_BYTES) return null;
  return { kid: m[1], bytes };
}

/**
 * What a stored value is: sealed (under a key id), or plain text (a value written before
 * encryption; `value` is the secret itself).
 */
export function classifyStored(stored) {
  const sealed = parseSealed(stored);
  if (sealed) return { kind: "sealed", kid: sealed.kid };
  return { kind: "plain", value: stored.startsWith(PLAIN_PREFIX) ? stored.slice(PLAIN_PREFIX.length) : stored };
}

const aadOf = (context) => Buffer.from(`provenance-secret:${context}`, "utf8");

/**
 * The key ring: `current` seals, every key (current first) opens what it sealed.
 * Duplicate keys are dropped.
 */
export function createKeyring({ current, previous = [] }) {
  if (!Buffer.isBuffer(current) || current.length !== KEY_BYTES) throw new Error("createKeyring needs a 32-byte current key");
  const keys = new Map();
  for (const key of [current, ...previous]) {
    const kid = keyIdOf(key);
    if (!keys.has(kid)) keys.set(kid, derive(key, "aes-256-gcm"));
  }
  const currentKid = keyIdOf(current);
  return {
    currentKid,
    kids: [...keys.keys()],
    has: (kid) => keys.has(kid),
    /** Seals `plain` for the place `context` names. */
    seal(plain, context) {
      if (typeof plain !== "string") throw new TypeError("seal takes a string");
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(CIPHER, keys.get(currentKid), iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(aadOf(context));
      const ct = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return `${SEALED_PREFIX}${currentKid}:${Buffer.concat([iv, ct, cipher.getAuthTag()]).toString("base64url")}`;
    },
    /**
     * Opens a stored value sealed for `context`. Never throws for bad data: the result
     * says why a value cannot be used ("plain": not sealed; "unknown-key": sealed under a
     * key this ring lacks; "corrupt": the tag does not verify, so the bytes were changed,
     * moved from another place, or sealed by a different key with a colliding id).
     */
    open(stored, context) {
      const sealed = parseSealed(stored);
      if (!sealed) return { ok: false, reason: "plain" };
      const key = keys.get(sealed.kid);
      if (!key) return { ok: false, reason: "unknown-key", kid: sealed.kid };
      const { bytes } = sealed;
      try {
        const decipher = createDecipheriv(CIPHER, key, bytes.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
        decipher.setAAD(aadOf(context));
        decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
        const plain = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
        return { ok: true, value: plain.toString("utf8"), kid: sealed.kid };
      } catch {
        return { ok: false, reason: "corrupt", kid: sealed.kid };
      }
    },
  };
}
