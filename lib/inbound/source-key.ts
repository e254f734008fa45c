// The grammar of what an inbound URL names: an org slug and a source id (UUID) or
// mnemonic. Stage 1 checks it before any cache or database is touched, so a URL that
// cannot name a source costs nothing to refuse (however long or odd it is) and cannot
// reach a cache key. The management API creates slugs and mnemonics by the same rules.
import type { SourceKey } from "./ports";

export const ORG_SLUG_RE = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const MNEMONIC_RE = /^[A-Za-z0-9_-]{1,64}$/;
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isWellFormedSourceKey(slug: string, key: SourceKey): boolean {
  if (!ORG_SLUG_RE.test(slug)) return false;
  return "id" in key ? UUID_RE.test(key.id) : MNEMONIC_RE.test(key.mnemonic);
}
