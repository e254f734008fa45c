// Dependencies point one way: app → lib/api → domain (lib/inbound, lib/delivery,
// providerflow, lib/flows) → ports ← lib/store, with errors, cursors and the request and
// response schemas (lib/schemas) below both. This folder's rule, checked on its imports.
import { describe, expect, it } from "vitest";
import { directEdges, offending, sourcesOf } from "@/tests/import-graph";

describe("lib/schemas, lib/errors.ts and lib/cursors.ts sit below the API and the store", () => {
  it("import neither lib/api, lib/store, lib/flows, the database nor Next.js", () => {
    const files = [...sourcesOf("lib/schemas"), "lib/errors.ts", "lib/cursors.ts", "lib/uuid.ts"];
    expect(files.length).toBeGreaterThan(15);
    expect(
      offending(directEdges(files), [
        "lib/api/",
        "lib/store/",
        "lib/flows/",
        "lib/mcp/",
        "lib/db",
        "app/",
        "package:next",
        "package:@prisma/",
        "package:pg",
      ]),
    ).toEqual([]);
  });
});
