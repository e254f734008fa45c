import { beforeAll, expect, test } from "vitest";
import type { PackageFiles } from "./load-package";
import { loadTestPackage, withContractEdits } from "./test-packages/packages";
import { validatePackage } from "./validate-package";

let valid: PackageFiles;

beforeAll(async () => {
  valid = await loadTestPackage("valid-stripe");
});

test("a valid package with no scan findings is ok and comes compiled", () => {
  const report = validatePackage(valid);
  expect(report).toMatchObject({ ok: true, errors: [], warnings: [], scans: [] });
  expect(report.checked?.compiled.mappings).toHaveLength(2);
});

test("warnings alone keep the package valid", () => {
  const report = validatePackage(
    withContractEdits(valid, [["url: https://api.data-warehouse.com/events", "url: http://api.data-warehouse.com/events"]]),
  );
  expect(report.ok).toBe(true);
  expect(report.errors).toEqual([]);
  expect(report.warnings.map((w) => [w.code, w.line])).toEqual([["insecure-target-url", 18]]);
});

test("a scan error fails a contract that is otherwise valid", () => {
  const report = validatePackage(
    withContractEdits(valid, [["url: https://api.data-warehouse.com/events", "url: https://169.254.169.254/events"]]),
  );
  expect(report.ok).toBe(false);
  expect(report.checked).not.toBeNull();
  expect(report.errors.map((e) => [e.code, e.line, e.column, e.pointer])).toEqual([["private-target", 18, 10, "/targets/0/url"]]);
});

test("an unsafe regex, refused by both the contract and the scan, is reported once", () => {
  const report = validatePackage(withContractEdits(valid, [['value: "^[a-z]{3}$"', 'value: "^(a+)+$"']]));
  expect(report.ok).toBe(false);
  expect(report.checked).toBeNull();
  expect(report.errors.map((e) => [e.code, e.line])).toEqual([["unsafe-regex", 52]]);
  expect(report.scans.map((s) => s.id)).toEqual(["unsafe-regex"]);
});
