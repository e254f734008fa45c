// Stage 1's source lookup with the contract's 60 s per-process cache. A change through
// this process (API, ProviderFlow apply) calls invalidateSourceCache at once; every
// other process hears of it through PostgreSQL LISTEN/NOTIFY
// (lib/store/source-change-listener.ts), and falls back to a 5 s TTL while it cannot.
//
// The cache holds request data, so it is bounded by bytes as well as entries, and the
// misses ("not found", which anyone can make up) live in a separate, smaller cache so
// they can never crowd out the sources that exist. Only URLs that pass the grammar
// (lib/inbound/inbound-url-grammar.ts) get this far: a key is at most ~140 ASCII
// characters.
import type pg from "pg";
import { isWellFormedSourceRef } from "@/lib/inbound/inbound-url-grammar";
import { LruCache, stringBytes } from "@/lib/inbound/lru-cache";
import type { SourceKey, SourceLookup, SourceRecord } from "@/lib/inbound/ports";
import type { VerificationConfig } from "@/lib/inbound/types";
import { describeUnusable, openSecret, warnUnusable } from "./secret-values";

/** The contract's TTL, while changes from other processes arrive by NOTIFY. */
export const SOURCE_CACHE_TTL_MS = 60_000;
/** While this process cannot hear other processes' changes (listener down). */
export const SOURCE_CACHE_DEGRADED_TTL_MS = 5_000;
export const SOURCE_CACHE_MAX_ENTRIES = 10_000;
export const SOURCE_CACHE_MAX_BYTES = 32 * 1024 * 1024;
export const NEGATIVE_CACHE_MAX_ENTRIES = 5_000;
export const NEGATIVE_CACHE_MAX_BYTES = 2 * 1024 * 1024;

type Positive = { value: SourceRecord; expires: number };
type SourceCache = {
  positive: LruCache<string, Positive>;
  /** Keys that named no source (or an inactive one: the record is kept positive), to their expiry. */
  negative: LruCache<string, number>;
  /** Bumped by every invalidation: a lookup that started before one does not cache its result. */
  epoch: number;
  ttlMs: number;
};

/**
 * An estimate of what a cached record holds: its JSON (secret, settings, payload schema)
 * several times over, as parsed objects take more room than their text, plus the key.
 */
function recordBytes(key: string, entry: Positive): number {
  return stringBytes(key) + 4 * JSON.stringify(entry.value).length + 1024;
}

function createSourceCache(): SourceCache {
  return {
    positive: new LruCache(SOURCE_CACHE_MAX_ENTRIES, { maxBytes: SOURCE_CACHE_MAX_BYTES, sizeOf: recordBytes }),
    negative: new LruCache(NEGATIVE_CACHE_MAX_ENTRIES, { maxBytes: NEGATIVE_CACHE_MAX_BYTES, sizeOf: (key) => stringBytes(key) + 64 }),
    epoch: 0,
    ttlMs: SOURCE_CACHE_TTL_MS,
  };
}

// On globalThis: Next.js bundles route handlers separately, and the API routes that
// invalidate must reach the same cache the inbound routes read.
const holder = globalThis as unknown as { __provenanceSourceLookupCache?: SourceCache };
const cache = (holder.__provenanceSourceLookupCache ??= createSourceCache());

/** Forgets one source (every key that found it), or everything when no id is given. */
export function invalidateSourceCache(sourceId?: string): void {
  cache.epoch += 1;
  // Misses go too: a source created or renamed may now answer one of those keys.
  cache.negative.clear();
  if (!sourceId) cache.positive.clear();
  else cache.positive.deleteWhere((_, entry) => entry.value.id === sourceId);
}

/** How long entries live from now on: the contract's 60 s, or less while changes made
 * by other processes cannot be heard. */
export function setSourceCacheTtl(ms: number): void {
  cache.ttlMs = ms;
}

/** What the cache holds, for tests and diagnostics. */
export function sourceCacheStats(): { entries: number; bytes: number; negativeEntries: number; negativeBytes: number; ttlMs: number } {
  return { entries: cache.positive.size, bytes: cache.positive.bytes, negativeEntries: cache.negative.size, negativeBytes: cache.negative.bytes, ttlMs: cache.ttlMs };
}

function cacheKey(slug: string, key: SourceKey): string {
  return "id" in key ? `${slug}\u0000id\u0000${key.id.toLowerCase()}` : `${slug}\u0000m\u0000${key.mnemonic}`;
}

type Row = {
  id: string;
  orgId: string;
  slug: string;
  originId: string;
  active: boolean;
  verification: Record<string, unknown> | null;
  verificationSecret: string | null;
  payloadSchema: object | null;
};

export function toSourceRecord(row: Row): SourceRecord {
  const v = row.verification;
  const record: SourceRecord = {
    id: row.id,
    orgId: row.orgId,
    orgSlug: row.slug,
    originId: row.originId,
    active: row.active,
    verification: null,
    payloadSchema: row.payloadSchema,
  };
  if (!v) return record;
  // The secret is stored sealed (secret-values.ts) and opened here, once per cache fill.
  const opened = openSecret("InboundSource.verificationSecret", row, row.verificationSecret);
  if (!opened.ok) {
    // Settings without a usable secret fail closed: every request is refused, never let through unchecked.
    record.verificationProblem = opened.reason === "missing" ? "no signing secret is stored for this source" : describeUnusable(opened);
    warnUnusable("InboundSource.verificationSecret", row, opened, "every request to this source is refused (401) until a secret is set");
    return record;
  }
  record.verification = { ...(v as Omit<VerificationConfig, "secret">), secret: opened.value } as VerificationConfig;
  return record;
}

export function createSourceLookup(pool: pg.Pool, now: () => number = Date.now): SourceLookup {
  return {
    async findSource(slug, key) {
      // Outside the grammar nothing can match: no cache entry, no query.
      if (!isWellFormedSourceRef(slug, key)) return null;
      const k = cacheKey(slug, key);
      const t = now();
      const hit = cache.positive.get(k);
      if (hit && hit.expires > t) return hit.value;
      const miss = cache.negative.get(k);
      if (miss !== undefined && miss > t) return null;
      const epoch = cache.epoch;
      const where = "id" in key ? `s."id" = $2::uuid` : `s."mnemonic" = $2`;
      const res = await pool.query<Row>(
        `SELECT s."id", s."orgId", o."slug", s."originId", s."active", s."verification", s."verificationSecret", s."payloadSchema"
           FROM "InboundSource" s JOIN "Org" o ON o."id" = s."orgId"
          WHERE o."slug" = $1 AND ${where}`,
        [slug, "id" in key ? key.id : key.mnemonic],
      );
      const value = res.rows[0] ? toSourceRecord(res.rows[0]) : null;
      // A change committed while this query ran may have been missed by it: do not keep
      // what it read past the invalidation that reported the change.
      if (cache.epoch === epoch) {
        const expires = now() + cache.ttlMs;
        if (value) {
          cache.negative.delete(k);
          cache.positive.set(k, { value, expires });
        } else {
          cache.positive.delete(k);
          cache.negative.set(k, expires);
        }
      }
      return value;
    },
  };
}
