// Dependencies point one way: app → lib/api → domain (lib/inbound, lib/delivery,
// providerflow, lib/flows) → ports ← lib/store, with errors, cursors and the request and
// response schemas (lib/schemas) below both. This folder's rule, checked on its imports.
import { describe, expect, it } from "vitest";
import { directEdges, offending, sourcesOf, transitiveEdges } from "@/tests/import-graph";

describe("lib/store is data access only", () => {
  it("imports neither lib/api, lib/flows (ProviderFlow's server logic) nor providerflow, even transitively", () => {
    const files = sourcesOf("lib/store");
    expect(files.length).toBeGreaterThan(20);
    expect(
      offending(transitiveEdges(files), ["lib/api/", "lib/flows/", "lib/mcp/", "providerflow/", "app/", "components/"]),
    ).toEqual([]);
  });

  it("imports nothing of Next.js", () => {
    expect(offending(directEdges(sourcesOf("lib/store")), ["package:next"])).toEqual([]);
  });
});
