// Stage 1's source lookup with the contract's 60 s per-process cache. An update or
// delete through the management API calls invalidateSourceCache at once; other app
// processes see the change within the TTL.
import type pg from "pg";
import type { SourceKey, SourceLookup, SourceRecord } from "@/lib/inbound/ports";
import type { VerificationConfig } from "@/lib/inbound/types";
import { describeUnusable, openSecret, warnUnusable } from "./secret-values";

const TTL_MS = 60_000;
const MAX_ENTRIES = 10_000;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Entry = { value: SourceRecord | null; expires: number };
// On globalThis: Next.js bundles route handlers separately, and the API routes that
// invalidate must reach the same map the inbound routes read.
const holder = globalThis as unknown as { __provenanceSourceCache?: Map<string, Entry> };
const cache = (holder.__provenanceSourceCache ??= new Map<string, Entry>());

export function invalidateSourceCache(sourceId?: string): void {
  if (!sourceId) {
    cache.clear();
    return;
  }
  for (const [key, entry] of cache) {
    // Negative entries go too: a source created or renamed may now answer that key.
    if (!entry.value || entry.value.id === sourceId) cache.delete(key);
  }
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
      if ("id" in key && !UUID_RE.test(key.id)) return null;
      if ("mnemonic" in key && !/^[A-Za-z0-9_-]{1,64}$/.test(key.mnemonic)) return null;
      const k = cacheKey(slug, key);
      const hit = cache.get(k);
      const t = now();
      if (hit && hit.expires > t) return hit.value;
      const where = "id" in key ? `s."id" = $2::uuid` : `s."mnemonic" = $2`;
      const res = await pool.query<Row>(
        `SELECT s."id", s."orgId", o."slug", s."originId", s."active", s."verification", s."verificationSecret", s."payloadSchema"
           FROM "InboundSource" s JOIN "Org" o ON o."id" = s."orgId"
          WHERE o."slug" = $1 AND ${where}`,
        [slug, "id" in key ? key.id : key.mnemonic],
      );
      const value = res.rows[0] ? toSourceRecord(res.rows[0]) : null;
      if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
      cache.set(k, { value, expires: t + TTL_MS });
      return value;
    },
  };
}
