// `validate` as providerflow.md §9 defines it: contract checks (check.ts) plus static
// scans (scan.ts), no fixture run. One function, so the CLI and the server's routes
// report the same errors and warnings for the same package.

import { checkPackage, type CheckedPackage } from "./check";
import type { CompiledPackage } from "./compile";
import { normalizeFindings, type Finding } from "./findings";
import type { PackageFiles } from "./load-package";
import { scanPackage, scanToFinding, type ScanFinding } from "./scan";

export type ValidationReport = {
  /** The contract is valid and no scan found an error (warnings do not count). */
  ok: boolean;
  /** Contract findings and scan errors, sorted by location. */
  errors: Finding[];
  /** Scan warnings, sorted by location. */
  warnings: Finding[];
  /** The contract findings alone (check.ts), without scan errors: evidence's `contract.errors`. */
  contract: Finding[];
  /** Every scan finding as scans.json holds it (§4). */
  scans: ScanFinding[];
  /** The checked and compiled package when the contract is valid, else null. */
  checked: { package: CheckedPackage; compiled: CompiledPackage } | null;
};

/**
 * Validates a loaded package. A rule both stages enforce (an unsafe `matches` regex is
 * a contract error and a scan error) is reported once: findings with the same code at
 * the same place are merged.
 */
export function validatePackage(files: PackageFiles): ValidationReport {
  const check = checkPackage(files);
  const scans = scanPackage(files);
  const contractErrors = check.ok ? [] : check.findings;
  const place = (f: Finding) => `${f.code}\u0000${f.file ?? ""}\u0000${f.line ?? ""}\u0000${f.column ?? ""}`;
  const known = new Set(contractErrors.map(place));
  const scanErrors = scans
    .filter((s) => s.severity === "error")
    .map(scanToFinding)
    .filter((f) => !known.has(place(f)));
  const errors = normalizeFindings([...contractErrors, ...scanErrors]);
  const warnings = normalizeFindings(scans.filter((s) => s.severity === "warning").map(scanToFinding));
  return {
    ok: errors.length === 0,
    errors,
    warnings,
    contract: normalizeFindings(contractErrors),
    scans,
    checked: check.ok ? { package: check.package, compiled: check.compiled } : null,
  };
}
