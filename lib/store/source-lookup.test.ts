// The lookup cache's bounds and invalidation, with a stand-in for the pool that answers
// from a table in memory and counts queries (the SQL itself is covered by the
// integration tests).
import type pg from "pg";
import { beforeEach, describe, expect, it } from "vitest";
import {
  createSourceLookup,
  invalidateSourceCache,
  NEGATIVE_CACHE_MAX_BYTES,
  NEGATIVE_CACHE_MAX_ENTRIES,
  setSourceCacheTtl,
  SOURCE_CACHE_TTL_MS,
  sourceCacheStats,
} from "./source-lookup";

const ID = "5f0c6a8e-1c39-4b8e-9d0e-0a4a3c1f2b77";

function row(id: string, mnemonic: string) {
  return { id, orgId: "o1", slug: "acme", originId: "g1", active: true, verification: null, verificationSecret: null, payloadSchema: null, mnemonic };
}

/** Answers the lookup's query from `rows`; `gate`, when set, holds the answer until released. */
function fakePool(rows: ReturnType<typeof row>[]) {
  const state = { queries: 0, gate: null as Promise<void> | null };
  const pool = {
    async query(_sql: string, [slug, key]: [string, string]) {
      state.queries += 1;
      // Read now, answered later: what a query that read before a commit returns.
      const found = rows.filter((r) => r.slug === slug && (r.id === key || r.mnemonic === key)).map((r) => ({ ...r }));
      if (state.gate) await state.gate;
      return { rows: found };
    },
  };
  return { pool: pool as unknown as pg.Pool, state };
}

beforeEach(() => {
  invalidateSourceCache();
  setSourceCacheTtl(SOURCE_CACHE_TTL_MS);
});

describe("source lookup cache", () => {
  it("answers a URL outside the grammar null without a query or a cache entry", async () => {
    const { pool, state } = fakePool([]);
    const lookup = createSourceLookup(pool);
    expect(await lookup.findSource(`${"a".repeat(15_000)}\u4e00`, { id: ID })).toBeNull();
    expect(await lookup.findSource("acme", { id: "nope" })).toBeNull();
    expect(await lookup.findSource("acme", { mnemonic: "x".repeat(65) })).toBeNull();
    expect(state.queries).toBe(0);
    expect(sourceCacheStats()).toMatchObject({ entries: 0, negativeEntries: 0 });
  });

  it("keeps misses in their own bounded cache, so a flood of unknown keys cannot evict a source that exists", async () => {
    const { pool, state } = fakePool([row(ID, "stripe")]);
    const lookup = createSourceLookup(pool);
    expect((await lookup.findSource("acme", { mnemonic: "stripe" }))?.id).toBe(ID);
    for (let i = 0; i < NEGATIVE_CACHE_MAX_ENTRIES * 3; i++) {
      expect(await lookup.findSource("acme", { mnemonic: `unknown-${i}` })).toBeNull();
    }
    const stats = sourceCacheStats();
    expect(stats.negativeEntries).toBeLessThanOrEqual(NEGATIVE_CACHE_MAX_ENTRIES);
    expect(stats.negativeBytes).toBeLessThanOrEqual(NEGATIVE_CACHE_MAX_BYTES);
    const before = state.queries;
    expect((await lookup.findSource("acme", { mnemonic: "stripe" }))?.id).toBe(ID);
    expect(state.queries, "the known source is still cached").toBe(before);
    // A recent miss is answered from the cache too.
    expect(await lookup.findSource("acme", { mnemonic: `unknown-${NEGATIVE_CACHE_MAX_ENTRIES * 3 - 1}` })).toBeNull();
    expect(state.queries).toBe(before);
  });

  it("forgets a source on invalidation, with every miss (a new source may now answer one)", async () => {
    const rows = [row(ID, "stripe")];
    const { pool, state } = fakePool(rows);
    const lookup = createSourceLookup(pool);
    await lookup.findSource("acme", { mnemonic: "stripe" });
    await lookup.findSource("acme", { id: ID });
    expect(await lookup.findSource("acme", { mnemonic: "github" })).toBeNull();
    rows.push(row("6f0c6a8e-1c39-4b8e-9d0e-0a4a3c1f2b77", "github"));
    invalidateSourceCache(ID);
    expect(sourceCacheStats()).toMatchObject({ entries: 0, negativeEntries: 0 });
    const before = state.queries;
    expect(await lookup.findSource("acme", { mnemonic: "github" })).not.toBeNull();
    expect(state.queries).toBe(before + 1);
  });

  it("does not cache what a query read if an invalidation came while it ran", async () => {
    const rows = [row(ID, "stripe")];
    const { pool, state } = fakePool(rows);
    const lookup = createSourceLookup(pool);
    let release!: () => void;
    state.gate = new Promise<void>((r) => (release = r));
    const pending = lookup.findSource("acme", { mnemonic: "stripe" });
    await new Promise((r) => setTimeout(r, 0));
    // The change commits, and its notification arrives, while the query is out.
    rows[0]!.active = false;
    invalidateSourceCache(ID);
    release();
    expect((await pending)?.active).toBe(true);
    state.gate = null;
    expect((await lookup.findSource("acme", { mnemonic: "stripe" }))?.active).toBe(false);
  });

  it("expires entries after the TTL in force, shorter while other processes cannot be heard", async () => {
    let now = 1_000_000;
    const { pool, state } = fakePool([row(ID, "stripe")]);
    const lookup = createSourceLookup(pool, () => now);
    setSourceCacheTtl(5_000);
    await lookup.findSource("acme", { mnemonic: "stripe" });
    now += 4_000;
    await lookup.findSource("acme", { mnemonic: "stripe" });
    expect(state.queries).toBe(1);
    now += 2_000;
    await lookup.findSource("acme", { mnemonic: "stripe" });
    expect(state.queries).toBe(2);
  });
});
