import { describe, expect, test } from "vitest";
import { evaluatePackage } from "./evaluate";
import { initPackage, packageNameFrom } from "./init";
import { packageFromFiles } from "./load-package";

describe("initPackage", () => {
  test("a valid package whose fixtures match their goldens, with only the unverified-endpoint warning", async () => {
    const init = await initPackage({ name: "acme-events", provider: "acme" });
    if (!init.ok) throw new Error(init.message);
    expect([...init.files.keys()]).toEqual([
      "provider-flow.yaml",
      "README.md",
      "fixtures/event.json",
      "fixtures/no-type.json",
      "goldens/event.json",
      "goldens/no-type.json",
    ]);
    const loaded = packageFromFiles(init.files);
    if (!loaded.ok) throw new Error("does not load");
    const run = await evaluatePackage(loaded.files, { secrets: () => undefined });
    expect(run.errors).toEqual([]);
    expect(run.warnings.map((w) => w.code)).toEqual(["unverified-endpoint"]);
    expect(run.evidence.status).toBe("sandbox-validated");
    expect(run.results.event?.status).toBe(200);
    expect(run.results["no-type"]?.body.message).toBe("No matching mapping found");
    expect(init.files.get("provider-flow.yaml")).toContain("secretRef: ACME_WEBHOOK_SECRET");
  });

  test("names and providers outside the grammar are refused", async () => {
    expect(await initPackage({ name: "ok", provider: "Bad Provider" })).toMatchObject({ ok: false });
    expect(await initPackage({ name: "-no", provider: "acme" })).toMatchObject({ ok: false });
    const digitFirst = await initPackage({ name: "x", provider: "9lives" });
    expect(digitFirst.ok && digitFirst.files.get("provider-flow.yaml")).toContain("secretRef: WEBHOOK_SECRET");
  });

  test("packageNameFrom", () => {
    expect(packageNameFrom("My Payments_2")).toBe("my-payments-2");
    expect(packageNameFrom("---")).toBeNull();
    expect(packageNameFrom("a".repeat(80))).toBe("a".repeat(63));
  });
});
