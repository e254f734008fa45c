#!/usr/bin/env node
// Totals the JSON reports of every suite into the one closing line CI reads.
// A step that failed outside any test (typecheck, build) counts as one failure.
import { existsSync, readFileSync } from "node:fs";

const extraFailures = Number(process.argv[2] ?? 0);
let passed = 0;
let failed = extraFailures;
let skipped = 0;

if (existsSync("test-reports/vitest.json")) {
  const v = JSON.parse(readFileSync("test-reports/vitest.json", "utf8"));
  passed += v.numPassedTests ?? 0;
  failed += v.numFailedTests ?? 0;
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
  // A file that fails to load has no tests but is a failure.
  for (const f of v.testResults ?? []) if (f.status === "failed" && (f.assertionResults ?? []).length === 0) failed += 1;
} else {
  failed += 1;
}

if (existsSync("test-reports/playwright.json")) {
  const p = JSON.parse(readFileSync("test-reports/playwright.json", "utf8"));
  const s = p.stats ?? {};
  passed += (s.expected ?? 0) + (s.flaky ?? 0);
  failed += s.unexpected ?? 0;
  skipped += s.skipped ?? 0;
  if ((p.errors ?? []).length > 0 && (s.expected ?? 0) + (s.unexpected ?? 0) === 0) failed += 1;
} else {
  failed += 1;
}

// The Python and Java SDKs' own suites, run by tests/system/clients.system.test.ts against
// the built app, each leave a report of their tests (the vitest test that ran them counts
// once more, as itself).
for (const name of ["python", "java"]) {
  const file = `test-reports/sdk-${name}.json`;
  if (!existsSync(file)) continue;
  const r = JSON.parse(readFileSync(file, "utf8"));
  passed += r.passed ?? 0;
  failed += r.failed ?? 0;
  skipped += r.skipped ?? 0;
}

console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
