// Dependencies point one way: app → lib/api → domain (lib/inbound, lib/delivery,
// providerflow, lib/flows) → ports ← lib/store, with errors, cursors and the request and
// response schemas (lib/schemas) below both. This folder's rule, checked on its imports.
import { describe, expect, it } from "vitest";
import { offending, sourcesOf, transitiveEdges } from "@/tests/import-graph";

describe("lib/flows is ProviderFlow's server logic, below the API", () => {
  it("imports neither lib/api, lib/mcp nor app/, even transitively", () => {
    const files = sourcesOf("lib/flows");
    expect(files.length).toBeGreaterThan(5);
    expect(offending(transitiveEdges(files), ["lib/api/", "lib/mcp/", "app/", "components/"])).toEqual([]);
  });
});
