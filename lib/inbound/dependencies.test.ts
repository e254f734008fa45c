// Dependencies point one way: app → lib/api → domain (lib/inbound, lib/delivery,
// providerflow, lib/flows) → ports ← lib/store, with errors, cursors and the request and
// response schemas (lib/schemas) below both. This folder's rule, checked on its imports.
import { describe, expect, it } from "vitest";
import { sourcesOf, transitiveEdges } from "@/tests/import-graph";

describe("lib/inbound is the pipeline, framework-free", () => {
  it("imports only itself and Node, even transitively: no store, API, queue, database, Next.js or QStash", () => {
    const files = sourcesOf("lib/inbound");
    expect(files.length).toBeGreaterThan(20);
    const outside = transitiveEdges(files).filter((e) => !e.to.startsWith("lib/inbound/"));
    const allowed = /^package:(node:|re2-wasm$|safe-regex2$|\.\/schema-engine\.mjs$)/;
    expect(outside.filter((e) => !allowed.test(e.to)).map((e) => `${e.from} → ${e.to}`)).toEqual([]);
  });
});
