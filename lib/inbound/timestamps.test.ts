import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isWithinTolerance, parseIso8601, parseTimestamp } from "./timestamps";

const T = Date.UTC(2023, 10, 14, 22, 13, 20); // 1700000000 s

describe("parseTimestamp", () => {
  it("reads Unix seconds and milliseconds, as numbers or strings", () => {
    expect(parseTimestamp(1_700_000_000)).toBe(T);
    expect(parseTimestamp("1700000000")).toBe(T);
    expect(parseTimestamp(1_700_000_000_000)).toBe(T);
    expect(parseTimestamp("1700000000000")).toBe(T);
    expect(parseTimestamp(1_700_000_000.25)).toBe(T + 250);
    expect(parseTimestamp("1700000000.5")).toBe(T + 500);
    expect(parseTimestamp(0)).toBe(0);
  });

  it("uses 1e11 as the seconds/milliseconds boundary", () => {
    expect(parseTimestamp(99_999_999_999)).toBe(99_999_999_999_000);
    expect(parseTimestamp(100_000_000_000)).toBe(100_000_000_000);
  });

  it.each<[string, number]>([
    ["2023-11-14T22:13:20Z", T],
    ["2023-11-14T22:13:20z", T],
    ["2023-11-14t22:13:20Z", T],
    ["2023-11-14 22:13:20Z", T],
    ["2023-11-14T22:13:20.123Z", T + 123],
    ["2023-11-14T22:13:20.1Z", T + 100],
    ["2023-11-14T22:13:20.123456789Z", T + 123],
    ["2023-11-14T22:13:20,5Z", T + 500],
    ["2023-11-15T00:13:20+02:00", T],
    ["2023-11-14T17:13:20-05:00", T],
    ["2023-11-14T17:13:20-0500", T],
    ["2023-11-14T22:13Z", T - 20_000],
    ["2024-02-29T00:00:00Z", Date.UTC(2024, 1, 29)],
    ["0099-01-01T00:00:00Z", -59_042_995_200_000],
  ])("reads ISO 8601 %s", (s, expected) => {
    expect(parseTimestamp(s)).toBe(expected);
  });

  it.each([
    "",
    "garbage",
    "March 7 2024",
    "2023-11-14",
    "2023-11-14T22:13:20", // no zone
    "2023-11-14T22:13:20+2",
    "2023-13-01T00:00:00Z",
    "2023-02-29T00:00:00Z",
    "1900-02-29T00:00:00Z",
    "2023-04-31T00:00:00Z",
    "2023-11-14T24:00:00Z",
    "2023-11-14T22:60:00Z",
    "2023-11-14T22:13:61Z",
    "2023-11-14T22:13:20+24:00",
    " 1700000000",
    "1700000000 ",
    "1.7e9",
    "0x10",
    "Infinity",
    "12345678901234567890123456789012345",
  ])("rejects %j", (s) => {
    expect(parseTimestamp(s)).toBeNull();
  });

  it("rejects non-finite numbers, out-of-range values and other types", () => {
    expect(parseTimestamp(Number.NaN)).toBeNull();
    expect(parseTimestamp(Number.POSITIVE_INFINITY)).toBeNull();
    expect(parseTimestamp(1e20)).toBeNull();
    expect(parseTimestamp(null)).toBeNull();
    expect(parseTimestamp(undefined)).toBeNull();
    expect(parseTimestamp(true)).toBeNull();
    expect(parseTimestamp({ t: 1 })).toBeNull();
    expect(parseTimestamp([1_700_000_000])).toBeNull();
    expect(parseTimestamp(10n)).toBeNull();
  });

  it("agrees with toISOString for any representable instant", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("1000-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true }),
        (d) => {
          expect(parseTimestamp(d.toISOString())).toBe(d.getTime());
        },
      ),
    );
  });

  it("never throws", () => {
    fc.assert(
      fc.property(fc.anything(), (v) => {
        const r = parseTimestamp(v);
        expect(r === null || Number.isFinite(r)).toBe(true);
      }),
    );
  });
});

describe("parseIso8601", () => {
  it("accepts a bare date only when asked, as UTC midnight", () => {
    expect(parseIso8601("2024-01-02")).toBeNull();
    expect(parseIso8601("2024-01-02", { allowDateOnly: true })).toBe(Date.UTC(2024, 0, 2));
    expect(parseIso8601("2024-01-02T03:04:05", { allowDateOnly: true })).toBeNull();
  });
});

describe("isWithinTolerance", () => {
  const now = T;
  it("checks both directions, inclusive at the edge", () => {
    expect(isWithinTolerance(now, now, 300)).toBe(true);
    expect(isWithinTolerance(now - 300_000, now, 300)).toBe(true);
    expect(isWithinTolerance(now - 300_001, now, 300)).toBe(false);
    expect(isWithinTolerance(now + 300_000, now, 300)).toBe(true);
    expect(isWithinTolerance(now + 300_001, now, 300)).toBe(false);
  });

  it("fails closed on nonsense", () => {
    expect(isWithinTolerance(Number.NaN, now, 300)).toBe(false);
    expect(isWithinTolerance(now, Number.NaN, 300)).toBe(false);
    expect(isWithinTolerance(now, now, Number.NaN)).toBe(false);
    expect(isWithinTolerance(now, now, -1)).toBe(false);
    expect(isWithinTolerance(now, now, 0)).toBe(true);
  });
});
