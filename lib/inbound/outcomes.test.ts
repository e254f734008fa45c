// The outcome table is what the inbound URLs answer: each row's response, and the
// README's copy of the table (rewrite it with UPDATE_README_OUTCOMES=1).
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  INBOUND_OUTCOMES,
  describeStatus,
  outcomeResponse,
  outcomeText,
  renderOutcomeTable,
  type InboundOutcomeCode,
} from "./outcomes";

const README = path.resolve(import.meta.dirname, "../../README.md");
const START = "<!-- inbound-outcomes:start -->";
const END = "<!-- inbound-outcomes:end -->";

describe("the inbound outcome table", () => {
  it("holds the contract's exact bodies (spec inbound-api.md, Responses)", () => {
    expect(outcomeResponse("sourceNotFound")).toEqual({ status: 404, body: { error: "Source not found" } });
    expect(outcomeResponse("signatureFailed")).toEqual({ status: 401, body: { error: "Signature verification failed" } });
    expect(outcomeResponse("tooOld")).toEqual({ status: 401, body: { error: "Event too old" } });
    expect(outcomeResponse("sourceSchema", { details: [] })).toEqual({
      status: 400,
      body: { error: "Source schema validation failed", details: [] },
    });
    expect(outcomeResponse("noMapping")).toEqual({ status: 200, body: { message: "No matching mapping found" } });
    expect(outcomeResponse("mappingSchema").body).toEqual({ error: "Mapping schema validation failed" });
    expect(outcomeResponse("duplicate", { duplicate: true })).toEqual({ status: 200, body: { duplicate: true } });
    expect(outcomeResponse("queued", { queued: true, eventId: "e" })).toEqual({
      status: 202,
      body: { queued: true, eventId: "e" },
    });
    expect(outcomeResponse("invalidJson")).toEqual({ status: 400, body: { error: "Invalid JSON body" } });
    expect(outcomeResponse("tooLarge")).toEqual({ status: 413, body: { error: "Payload too large" } });
    expect(outcomeResponse("handshake", { challenge: "c" })).toEqual({ status: 200, body: { challenge: "c" } });
    expect(outcomeResponse("resourceIdNotFound").status).toBe(422);
    expect(outcomeResponse("actionNotFound")).toEqual({ status: 422, body: { error: "Action not found" } });
  });

  it("gives every refusal a text, and no two rows the same text", () => {
    const codes = Object.keys(INBOUND_OUTCOMES) as InboundOutcomeCode[];
    for (const code of codes) if (INBOUND_OUTCOMES[code].status >= 400) expect(outcomeText(code), code).toMatch(/\S/);
    const texts = codes.map((c) => INBOUND_OUTCOMES[c].text).filter((t) => t !== null);
    expect(new Set(texts).size).toBe(texts.length);
    expect(() => outcomeText("created")).toThrow();
  });

  it("describes each status with every one of its texts (for OpenAPI)", () => {
    expect(describeStatus(422)).toContain('"Resource id not found"');
    expect(describeStatus(422)).toContain('"Action not found"');
    expect(describeStatus(401)).toContain('"Event too old"');
    expect(describeStatus(503)).toContain('"Server busy, retry later"');
  });

  it("is copied into the README as rendered", () => {
    const text = readFileSync(README, "utf8");
    const start = text.indexOf(START);
    const end = text.indexOf(END);
    expect(start, "README has the outcome table's markers").toBeGreaterThan(0);
    const wanted = `${START}\n${renderOutcomeTable()}\n${END}`;
    if (process.env.UPDATE_README_OUTCOMES === "1") {
      writeFileSync(README, text.slice(0, start) + wanted + text.slice(end + END.length));
      return;
    }
    expect(text.slice(start, end + END.length)).toBe(wanted);
  });
});
