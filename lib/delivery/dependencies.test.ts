// Dependencies point one way: app → lib/api → domain (lib/inbound, lib/delivery,
// providerflow, lib/flows) → ports ← lib/store, with errors, cursors and the request and
// response schemas (lib/schemas) below both. This folder's rule, checked on its imports.
import { describe, expect, it } from "vitest";
import { sourcesOf, transitiveEdges } from "@/tests/import-graph";

describe("lib/delivery is framework-free", () => {
  it("imports only itself and Node, even transitively", () => {
    const files = sourcesOf("lib/delivery");
    expect(files.length).toBeGreaterThan(3);
    const outside = transitiveEdges(files).filter((e) => !e.to.startsWith("lib/delivery/"));
    expect(outside.filter((e) => !e.to.startsWith("package:node:")).map((e) => `${e.from} → ${e.to}`)).toEqual([]);
  });
});
