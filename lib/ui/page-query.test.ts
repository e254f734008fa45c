import { describe, expect, it } from "vitest";
import { EventListQuery } from "@/lib/schemas/events";
import { InteractionListQuery } from "@/lib/schemas/interactions";
import { firstValues, parsePageQuery, withParams } from "./page-query";
import { prettyBody } from "./format";

describe("parsePageQuery: console list filters through the API's schema", () => {
  const KEYS = ["status", "sourceId", "cursor"] as const;

  it("reads the known keys, first value of a repeated one, empty ones as absent", () => {
    expect(firstValues({ status: ["failed", "queued"], sourceId: "", other: "x" }, KEYS)).toEqual({ status: "failed" });
    const parsed = parsePageQuery(EventListQuery, { status: "failed", sourceId: "" }, KEYS);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.query).toMatchObject({ status: "failed" });
  });

  it("turns a bad value into a message naming it, keeping what was given", () => {
    const parsed = parsePageQuery(EventListQuery, { status: "bogus", cursor: "garbage" }, KEYS);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.message).toContain("status: must be one of: queued, processed, failed, duplicate, unmatched");
      expect(parsed.message).toContain("cursor: Invalid cursor");
      expect(parsed.raw).toEqual({ status: "bogus", cursor: "garbage" });
    }
  });

  it("turns U+0000 in a filter into a message rather than a database error", () => {
    const parsed = parsePageQuery(InteractionListQuery, { resourceType: "é\u0000", action: "ok" }, ["resourceType", "action"]);
    expect(parsed).toEqual({ ok: false, message: "resourceType: must not contain U+0000 (NUL)", raw: { resourceType: "é\u0000", action: "ok" } });
  });

  it("builds the same list's URL with a parameter changed or removed", () => {
    expect(withParams("/events", { status: "failed", cursor: "abc" }, { cursor: undefined })).toBe("/events?status=failed");
    expect(withParams("/events", { status: "failed" }, { cursor: "x y" })).toBe("/events?status=failed&cursor=x+y");
    expect(withParams("/events", {}, {})).toBe("/events");
  });
});

describe("prettyBody", () => {
  it("formats JSON and leaves anything else as it is", () => {
    expect(prettyBody('{"a":[1,2]}')).toEqual({ json: true, text: '{\n  "a": [\n    1,\n    2\n  ]\n}' });
    expect(prettyBody("<xml>nope</xml>")).toEqual({ json: false, text: "<xml>nope</xml>" });
    expect(prettyBody("")).toEqual({ json: false, text: "" });
  });
});
