// Keyset pagination for newest-first lists. The cursor is opaque to clients: base64url
// of `<ISO timestamp>|<id>` of the last row served. Ordering by (timestamp desc, id desc)
// is total, so rows sharing a millisecond are neither repeated nor skipped.

import { isUuid } from "./uuid";

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 200;

export type Cursor = { at: Date; id: string };

export type Page<T> = { data: T[]; nextCursor: string | null };

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.at.toISOString()}|${cursor.id}`, "utf8").toString("base64url");
}

/** The cursor, or null when the string was not produced by encodeCursor. */
export function decodeCursor(value: string): Cursor | null {
  if (value.length === 0 || value.length > 200 || !/^[A-Za-z0-9_-]+$/.test(value)) return null;
  const text = Buffer.from(value, "base64url").toString("utf8");
  const bar = text.indexOf("|");
  if (bar < 0) return null;
  const iso = text.slice(0, bar);
  const id = text.slice(bar + 1);
  const at = new Date(iso);
  if (!isUuid(id) || Number.isNaN(at.getTime()) || at.toISOString() !== iso) return null;
  // A forged cursor can name any time JavaScript can: PostgreSQL has no year 0 and
  // nothing before 4713 BC, and no row was written outside years 1–9999 anyway.
  if (!/^\d{4}-/.test(iso) || iso.startsWith("0000")) return null;
  return { at, id: id.toLowerCase() };
}

/** Rows were fetched with `take: limit + 1`; the extra one only says another page exists. */
export function toPage<R extends { id: string }, T>(rows: R[], limit: number, at: (row: R) => Date, map: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const served = more ? rows.slice(0, limit) : rows;
  const last = served[served.length - 1];
  return {
    data: served.map(map),
    nextCursor: more && last ? encodeCursor({ at: at(last), id: last.id }) : null,
  };
}
