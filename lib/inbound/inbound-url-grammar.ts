// The grammar of what an inbound URL names: the org slug, the source id, the mnemonic.
// The same rules the rest of the app enforces when these are created (lib/env.ts for
// org slugs, lib/schemas/sources.ts for mnemonics), so anything outside them names
// nothing. Stage 1 checks them before any cache or database access: a URL that cannot
// name a source is "Source not found" at the cost of a regular expression, and never
// becomes a cache key (a 15,000-character slug once did, per request).
import type { SourceKey } from "./ports";

/** Org slugs: lower-case letters, digits and dashes, 1–63 characters, not starting with a dash. */
export const ORG_SLUG_RE = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** Source mnemonics: unique per org, case-sensitive. */
export const MNEMONIC_RE = /^[A-Za-z0-9_-]{1,64}$/;
/** Source ids are UUIDs (any case, as PostgreSQL reads them). */
export const SOURCE_ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether an inbound URL's slug and source key could name a source at all. */
export function isWellFormedSourceRef(slug: string, key: SourceKey): boolean {
  if (typeof slug !== "string" || !ORG_SLUG_RE.test(slug)) return false;
  if ("id" in key) return typeof key.id === "string" && SOURCE_ID_RE.test(key.id);
  return typeof key.mnemonic === "string" && MNEMONIC_RE.test(key.mnemonic);
}
