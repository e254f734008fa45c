// Ids in URLs are checked before they reach a query: PostgreSQL rejects a malformed
// uuid with an error, and a malformed id must read as "not found", never as a 500.
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}
