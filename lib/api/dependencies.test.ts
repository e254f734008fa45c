// Dependencies point one way: app → lib/api → domain (lib/inbound, lib/delivery,
// providerflow, lib/flows) → ports ← lib/store, with errors, cursors and the request and
// response schemas (lib/schemas) below both. This folder's rule, checked on its imports.
import { describe, expect, it } from "vitest";
import { directEdges, offending, sourcesOf } from "@/tests/import-graph";

describe("lib/api sits below the routes", () => {
  it("imports neither app/ nor components/ (routes and pages adapt it, not the other way)", () => {
    const files = sourcesOf("lib/api");
    expect(files.length).toBeGreaterThan(3);
    expect(offending(directEdges(files), ["app/", "components/", "lib/mcp/"])).toEqual([]);
  });
});
