// Event timestamps for replay protection. Providers send Unix seconds, Unix
// milliseconds or ISO 8601, as numbers or strings; everything becomes epoch ms.
//
// - Numbers and numeric strings ("1700000000", "1700000000.25"): |n| >= 1e11 is read as
//   milliseconds, anything smaller as seconds. 1e11 s lies in the year 5138 and 1e11 ms in
//   1973, so no realistic event is ambiguous.
// - ISO 8601 strings must carry a full date, a time and a zone (`Z` or `±hh:mm`),
//   e.g. 2024-01-02T03:04:05Z or 2024-01-02 03:04:05.123+02:00. A time without a zone
//   is refused: it would be read in the server's local time and be wrong by hours.
//   Date.parse is deliberately not used: it accepts "1", "March 7" and much else.

const MS_THRESHOLD = 1e11;
const MAX_EPOCH_MS = 8.64e15; // the range of a JS Date
const MAX_NUMERIC_STRING = 32;
const MAX_ISO_STRING = 64;

const NUMERIC = /^-?\d+(?:\.\d+)?$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?)?$/;

function fromNumber(n: number): number | null {
  if (!Number.isFinite(n)) return null;
  const ms = Math.abs(n) >= MS_THRESHOLD ? n : n * 1000;
  const rounded = Math.round(ms);
  return Math.abs(rounded) <= MAX_EPOCH_MS ? rounded : null;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Strict ISO 8601 / RFC 3339 parsing to epoch ms. With `allowDateOnly`, a bare date
 * (2024-01-02) is accepted as UTC midnight; a date-time always needs a zone.
 */
export function parseIso8601(value: string, options: { allowDateOnly?: boolean } = {}): number | null {
  if (typeof value !== "string" || value.length > MAX_ISO_STRING) return null;
  const m = ISO.exec(value);
  if (!m) return null;
  const [, ys, mos, ds, hs, mis, ss, frac, zulu, sign, ohs, oms] = m;
  const year = Number(ys);
  const month = Number(mos);
  const day = Number(ds);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;

  const hasTime = hs !== undefined;
  if (!hasTime && !options.allowDateOnly) return null;
  if (hasTime && zulu === undefined && sign === undefined) return null;

  const hour = hasTime ? Number(hs) : 0;
  const minute = hasTime ? Number(mis) : 0;
  const second = ss === undefined ? 0 : Number(ss);
  // Fractions beyond milliseconds are truncated, not rounded, so .9999 stays in its second.
  const ms = frac === undefined ? 0 : Number(frac.padEnd(3, "0").slice(0, 3));
  if (hour > 23 || minute > 59 || second > 60) return null; // 60: a leap second

  let offsetMinutes = 0;
  if (sign !== undefined) {
    const oh = Number(ohs);
    const om = Number(oms);
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (sign === "-" ? -1 : 1) * (oh * 60 + om);
  }

  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, ms);
  const t = d.getTime() - offsetMinutes * 60_000;
  return Number.isFinite(t) ? t : null;
}

/** Epoch milliseconds from Unix s, Unix ms or ISO 8601 (number or string); null otherwise. */
export function parseTimestamp(value: unknown): number | null {
  if (typeof value === "number") return fromNumber(value);
  if (typeof value !== "string") return null;
  if (value.length <= MAX_NUMERIC_STRING && NUMERIC.test(value)) return fromNumber(Number(value));
  return parseIso8601(value);
}

/** True when tsMs is at most toleranceSeconds before or after nowMs. */
export function isWithinTolerance(tsMs: number, nowMs: number, toleranceSeconds: number): boolean {
  if (!Number.isFinite(tsMs) || !Number.isFinite(nowMs) || !Number.isFinite(toleranceSeconds)) return false;
  if (toleranceSeconds < 0) return false;
  return Math.abs(nowMs - tsMs) <= toleranceSeconds * 1000;
}
