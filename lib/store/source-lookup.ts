// Stage 1's source lookup with the contract's 60 s per-process cache. An update or
// delete through the management API calls invalidateSourceCache at once; other app
// processes see the change within the TTL.
//
// Both caches are bounded by entries and by bytes. Keys come from URLs, but only ones
// that passed the grammar check (lib/inbound/source-key.ts), so a key is at most a few
// hundred bytes; a found source can carry a payload schema of up to 256 KiB, so found
// entries are weighed by their serialized size. "Not found" answers live in a cache of
// their own: a flood of unknown ids cannot push the real sources out.
import type pg from "pg";
import type { SourceKey, SourceLookup, SourceRecord } from "@/lib/inbound/ports";
import { LruCache, stringBytes } from "@/lib/inbound/lru-cache";
import { UUID_RE } from "@/lib/inbound/source-key";
import type { VerificationConfig } from "@/lib/inbound/types";
import { log } from "@/lib/log";

const TTL_MS = 60_000;
const FOUND_MAX_ENTRIES = 10_000;
const FOUND_MAX_BYTES = 32 * 1024 * 1024;
const MISSING_MAX_ENTRIES = 20_000;
const MISSING_MAX_BYTES = 8 * 1024 * 1024;

type Entry<V> = { value: V; expires: number };
type Caches = { found: LruCache<string, Entry<SourceRecord>>; missing: LruCache<string, Entry<null>> };

// On globalThis: Next.js bundles route handlers separately, and the API routes that
// invalidate must reach the same caches the inbound routes read.
const holder = globalThis as unknown as { __provenanceSourceCaches?: Caches };
const caches = (holder.__provenanceSourceCaches ??= {
  found: new LruCache<string, Entry<SourceRecord>>({
    maxEntries: FOUND_MAX_ENTRIES,
    maxBytes: FOUND_MAX_BYTES,
    sizeOf: (key, entry) => stringBytes(key) + recordBytes(entry.value),
  }),
  missing: new LruCache<string, Entry<null>>({
    maxEntries: MISSING_MAX_ENTRIES,
    maxBytes: MISSING_MAX_BYTES,
    sizeOf: (key) => stringBytes(key) + 64,
  }),
});

/** Entries and estimated bytes held, for tests and diagnostics. */
export function sourceCacheStats(): { found: number; missing: number; bytes: number } {
  return { found: caches.found.size, missing: caches.missing.size, bytes: caches.found.bytes + caches.missing.bytes };
}

export function invalidateSourceCache(sourceId?: string): void {
  // "Not found" answers go in any case: a source created or renamed may now answer one.
  caches.missing.clear();
  if (!sourceId) {
    caches.found.clear();
    return;
  }
  const stale: string[] = [];
  for (const [key, entry] of caches.found.entries()) if (entry.value.id === sourceId) stale.push(key);
  for (const key of stale) caches.found.delete(key);
}

function cacheKey(slug: string, key: SourceKey): string {
  return "id" in key ? `${slug}\u0000id\u0000${key.id.toLowerCase()}` : `${slug}\u0000m\u0000${key.mnemonic}`;
}

/** What a cached record costs, roughly: its settings and schema as JSON, plus ids. */
function recordBytes(r: SourceRecord): number {
  const schema = r.payloadSchema ? JSON.stringify(r.payloadSchema).length : 0;
  const verification = r.verification ? JSON.stringify(r.verification).length : 0;
  return 2 * (schema + verification) + 512;
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

// Sources already warned about, so a misconfigured one logs once, not per request.
const warned = new LruCache<string, true>(1000);

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
  if (!row.verificationSecret) {
    // Settings without a secret fail closed: every request is refused, never let through unchecked.
    record.verificationProblem = "no signing secret is stored for this source";
    if (!warned.has(row.id)) {
      warned.set(row.id, true);
      log.warn({ sourceId: row.id }, "source has verification settings but no stored secret: every request is refused until a secret is set");
    }
    return record;
  }
  record.verification = { ...(v as Omit<VerificationConfig, "secret">), secret: row.verificationSecret } as VerificationConfig;
  return record;
}

export function createSourceLookup(pool: pg.Pool, now: () => number = Date.now): SourceLookup {
  return {
    async findSource(slug, key) {
      // handleInbound checks the whole grammar first; the cast below needs a UUID in any case.
      if ("id" in key && !UUID_RE.test(key.id)) return null;
      const k = cacheKey(slug, key);
      const t = now();
      const hit = caches.found.get(k) ?? caches.missing.get(k);
      if (hit && hit.expires > t) return hit.value;
      const where = "id" in key ? `s."id" = $2::uuid` : `s."mnemonic" = $2`;
      const res = await pool.query<Row>(
        `SELECT s."id", s."orgId", o."slug", s."originId", s."active", s."verification", s."verificationSecret", s."payloadSchema"
           FROM "InboundSource" s JOIN "Org" o ON o."id" = s."orgId"
          WHERE o."slug" = $1 AND ${where}`,
        [slug, "id" in key ? key.id : key.mnemonic],
      );
      const row = res.rows[0];
      if (!row) {
        caches.found.delete(k);
        caches.missing.set(k, { value: null, expires: t + TTL_MS });
        return null;
      }
      const value = toSourceRecord(row);
      caches.missing.delete(k);
      caches.found.set(k, { value, expires: t + TTL_MS });
      return value;
    },
  };
}
