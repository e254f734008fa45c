// Every preset's template is a package that validates and passes its own fixtures, and
// the handled fixture really becomes an interaction while the other does not.
import { describe, expect, it } from "vitest";
import { evaluatePackage } from "./evaluate";
import { packageFromFiles } from "./load-package";
import { TEMPLATE_PRESETS, templatePackage } from "./templates";

describe("templates", () => {
  it.each(TEMPLATE_PRESETS)("%s: valid, sandbox-validated under any secret, one fixture handled and one not", async (preset) => {
    const made = await templatePackage({ name: `my-${preset}`, preset });
    if (!made.ok) throw new Error(made.message);
    expect([...made.files.keys()].sort()).toEqual([
      "README.md",
      "fixtures/handled.json",
      "fixtures/ignored.json",
      "goldens/handled.json",
      "goldens/ignored.json",
      "provider-flow.yaml",
    ]);
    const loaded = packageFromFiles(made.files);
    if (!loaded.ok) throw new Error("does not load");
    // Another secret than the one the goldens were made with: they still match.
    const run = await evaluatePackage(loaded.files, { secrets: () => "a-different-secret-for-this-run-123" });
    expect(run.errors).toEqual([]);
    expect(run.evidence.status).toBe("sandbox-validated");
    expect(run.evidence.fixtures.map((f) => [f.name, f.passed])).toEqual([
      ["handled", true],
      ["ignored", true],
    ]);
    expect(JSON.stringify(run.results.handled)).toContain('"interaction"');
    expect(made.files.get("provider-flow.yaml")).toContain(`name: my-${preset}`);
  });

  it("refuses a bad name", async () => {
    expect(await templatePackage({ name: "Bad Name", preset: "stripe" })).toMatchObject({ ok: false });
  });
});
