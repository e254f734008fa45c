// Password hashing with scrypt (node:crypto), stored as
// scrypt$N$r$p$<salt b64>$<hash b64> so parameters can be raised later: a hash made with
// lower parameters still verifies, and needsRehash() tells the sign-in to upgrade it.
// Every hash and check goes through one process-wide HashGate: at OWASP's cost each one
// holds 128 MiB, so how many run at once is what bounds the memory a login flood can take.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { env } from "@/lib/env";
import { HashGate } from "@/lib/auth/hash-gate";

/** OWASP Password Storage Cheat Sheet: N=2^17, r=8, p=1 (128 MiB, a few hundred ms). */
export const SCRYPT_COST = { N: 2 ** 17, r: 8, p: 1 } as const;
const KEYLEN = 64;
/** scrypt takes 128·N·r bytes; a stored hash asking for more than this is not checked. */
const MAX_SCRYPT_BYTES = 256 * 1024 * 1024;
/** Callers waiting per lane, per running hash. */
const QUEUE_PER_SLOT = 4;

type ScryptParams = { N: number; r: number; p: number };
type Parsed = ScryptParams & { salt: Buffer; hash: Buffer };

const holder = globalThis as unknown as { __provenancePasswordGate?: HashGate };

/** The process-wide gate every password hash and check passes through. */
export function passwordHashGate(): HashGate {
  if (!holder.__provenancePasswordGate) {
    const concurrency = env().PROVENANCE_PASSWORD_HASH_CONCURRENCY;
    holder.__provenancePasswordGate = new HashGate({ concurrency, maxQueue: QUEUE_PER_SLOT * concurrency });
  }
  return holder.__provenancePasswordGate;
}

function scrypt(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const opts: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: MAX_SCRYPT_BYTES + 1024 * 1024 };
  return new Promise((resolve, reject) => scryptCb(password, salt, KEYLEN, opts, (err, key) => (err ? reject(err) : resolve(key))));
}

export type HashOptions = { priority?: boolean };

/** Throws HashGateBusyError when too many hashes are running and waiting. */
export async function hashPassword(password: string, options: HashOptions = {}): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p } = SCRYPT_COST;
  const key = await passwordHashGate().run(() => scrypt(password, salt, SCRYPT_COST), options);
  return `scrypt$${N}$${r}$${p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

function parse(stored: string): Parsed | null {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return null;
  const [N, r, p] = parts.slice(1, 4).map((s) => (/^\d{1,10}$/.test(s) ? Number(s) : NaN)) as [number, number, number];
  // N a power of two above 1, the memory scrypt would take within bounds.
  if (!(N > 1 && (N & (N - 1)) === 0 && r >= 1 && p >= 1 && p <= 16 && 128 * N * r <= MAX_SCRYPT_BYTES)) return null;
  const salt = Buffer.from(parts[4]!, "base64");
  const hash = Buffer.from(parts[5]!, "base64");
  if (salt.length === 0 || hash.length === 0) return null;
  return { N, r, p, salt, hash };
}

/** Throws HashGateBusyError when too many hashes are running and waiting. */
export async function verifyPassword(password: string, stored: string, options: HashOptions = {}): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const key = await passwordHashGate().run(() => scrypt(password, parsed.salt, parsed), options);
  return key.length === parsed.hash.length && timingSafeEqual(key, parsed.hash);
}

/** Whether a stored hash was made with weaker parameters than today's (upgrade it at the next sign-in). */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  if (!parsed) return false;
  return parsed.N < SCRYPT_COST.N || parsed.r < SCRYPT_COST.r || parsed.p < SCRYPT_COST.p || parsed.hash.length < KEYLEN;
}

/** A readable generated password for first-start admin accounts. */
export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}
