// Types of secret-box.mjs (plain JavaScript so scripts/secrets.mjs runs it with node).

export const SEALED_PREFIX: "enc:v1:";
export const PLAIN_PREFIX: "plain:";

export type OpenResult =
  | { ok: true; value: string; kid: string }
  | { ok: false; reason: "plain" }
  | { ok: false; reason: "unknown-key" | "corrupt"; kid: string };

export type Keyring = {
  /** Id of the key that seals. */
  readonly currentKid: string;
  /** Ids of every key that opens, the current one first. */
  readonly kids: readonly string[];
  has(kid: string): boolean;
  seal(plain: string, context: string): string;
  open(stored: string, context: string): OpenResult;
};

export type StoredKind = { kind: "sealed"; kid: string } | { kind: "plain"; value: string };

export function parseSecretKey(text: string, name?: string): Buffer;
export function parseSecretKeyList(text: string | undefined, name?: string): Buffer[];
export function generateSecretKey(): string;
export function keyIdOf(key: Buffer): string;
export function parseSealed(stored: string): { kid: string; bytes: Buffer } | null;
export function classifyStored(stored: string): StoredKind;
export function createKeyring(keys: { current: Buffer; previous?: readonly Buffer[] }): Keyring;
