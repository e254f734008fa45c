// Cursor encoding: opaque to clients, strict when read back.
import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, toPage } from "./cursors";

const id = "0b6f7c1e-8a4b-4c2d-9e3f-112233445566";

describe("cursors", () => {
  it("round-trips a timestamp and an id", () => {
    const at = new Date("2026-01-02T03:04:05.678Z");
    const c = encodeCursor({ at, id });
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(c)).toEqual({ at, id });
  });

  it("refuses anything encodeCursor would not produce", () => {
    const enc = (s: string) => Buffer.from(s).toString("base64url");
    for (const bad of ["", "!!", enc("nope"), enc(`2026-01-02|${id}`), enc("2026-01-02T03:04:05.678Z|x"), enc(`garbage|${id}`), "a".repeat(300)]) {
      expect(decodeCursor(bad)).toBeNull();
    }
  });

  it("refuses a well-formed cursor naming a time outside years 1–9999 (PostgreSQL refused it: a 500)", () => {
    const enc = (iso: string) => Buffer.from(`${iso}|${id}`).toString("base64url");
    for (const iso of ["-271821-04-20T00:00:00.000Z", "-000001-01-01T00:00:00.000Z", "0000-01-01T00:00:00.000Z", "+275760-09-13T00:00:00.000Z", "+010000-01-01T00:00:00.000Z"]) {
      expect(new Date(iso).toISOString()).toBe(iso);
      expect(decodeCursor(enc(iso)), iso).toBeNull();
    }
    expect(decodeCursor(enc("0001-01-01T00:00:00.000Z"))).toEqual({ at: new Date("0001-01-01T00:00:00.000Z"), id });
    expect(decodeCursor(enc("9999-12-31T23:59:59.999Z"))).not.toBeNull();
  });

  it("serves `limit` rows and a cursor only when another row exists", () => {
    const rows = [1, 2, 3].map((n) => ({ id: `${id.slice(0, -1)}${n}`, at: new Date(n * 1000) }));
    const more = toPage(rows, 2, (r) => r.at, (r) => r.id);
    expect(more.data).toEqual([rows[0]!.id, rows[1]!.id]);
    expect(decodeCursor(more.nextCursor!)).toEqual({ at: rows[1]!.at, id: rows[1]!.id });
    expect(toPage(rows, 3, (r) => r.at, (r) => r.id).nextCursor).toBeNull();
  });
});
