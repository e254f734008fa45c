// evaluatePackage: the one evaluation the CLI (`test`, `scan`, `trace`, `evidence`) and
// the server's sandbox run share. validate (contract + static scans), every fixture
// through the sandbox, each result against its golden, the fixture scans, and the
// evidence of providerflow.md §6, all from the package's bytes and a secret lookup.
//
// Determinism: no clock, no randomness, no host or path information reaches the
// output. Fixtures run in name order, findings are sorted, and the files written from
// an evaluation (evaluationFiles) are canonical JSON, so the same package and secrets
// give byte-identical evidence.json, scans.json and traces on any machine.
//
// Status: "sandbox-validated" when there is no error at all (contract, scans, fixtures,
// goldens), else "draft". A package with no fixture is not sandbox-validated: it
// would be evidence of nothing.
//
// Errors beyond those of check.ts and scan.ts, each on the file concerned:
//   fixture-invalid, unknown-key, invalid-json   a fixture that cannot be read (fixture.ts)
//   secret-missing       an endpoint's verification secret did not resolve: its fixtures cannot run
//   secret-invalid       a Standard Webhooks signing secret that is not whsec_ base64
//   golden-missing       a fixture without goldens/<name>.json (write it with test --update)
//   golden-mismatch      a result that differs from its golden
//   golden-orphan        goldens/<name>.json without fixtures/<name>.json: nothing checks it
//   signature-not-rejected  "expectSignature": "invalid" on a fixture whose request was not refused
//   no-fixtures          a valid contract without any fixture

import { compareGolden, describeDifference, type GoldenDifference } from "./golden";
import { canonicalJson, packageDigest } from "./digest";
import { compareFindings, normalizeFindings, type Finding } from "./findings";
import { readFixtures } from "./fixture";
import { baseName, CONTRACT_FILE, EVIDENCE_FILE, filesOfKind, SCANS_FILE, type PackageFiles } from "./load-package";
import { parseJson, parseYaml } from "./parse";
import { createSandbox, type SandboxResult, type SecretResolver, type TraceStage } from "./sandbox";
import { scanFixtureResults, scanToFinding, type FixtureScanResult, type ScanFinding } from "./scan";
import { validatePackage } from "./validate-package";
import { PROVIDERFLOW_TOOL_NAME, PROVIDERFLOW_VERSION } from "./version";

export type EvaluateOptions = {
  secrets: SecretResolver;
  /**
   * How a rejection case (expectSignature: invalid) that the signature stage refused is
   * compared with its golden. "exact" (the CLI, with the secrets the fixtures were
   * pinned with): the whole golden. "by-stage" (the server, with the org's own
   * secrets): the two signature-stage answers, "Signature verification failed" and
   * "Event too old", count as one. A pinned replay (a genuine signature, an old
   * timestamp) is "Event too old" only under the key it was signed with; under any
   * other key the signature is checked first (inbound-api.md §3) and fails, which
   * refuses the request at the same stage with the same status.
   */
  pinnedRejections?: "exact" | "by-stage";
};

/** The answers of the signature stage (inbound-api.md §1). */
const SIGNATURE_STAGE_ERRORS: ReadonlySet<unknown> = new Set(["Signature verification failed", "Event too old"]);

export type PackageIdentity = { name: string; version: string; provider: string; digest: string };

export type EvidenceFixture = { name: string; passed: boolean; diff: GoldenDifference[]; trace: TraceStage[] };

export type EvidenceStatus = "sandbox-validated" | "draft";

/** evidence.json (providerflow.md §6). */
export type Evidence = {
  package: PackageIdentity;
  tool: { name: string; version: string };
  contract: { valid: boolean; errors: Finding[] };
  scans: ScanFinding[];
  fixtures: EvidenceFixture[];
  summary: { fixtures: number; passed: number; failed: number; scanErrors: number; scanWarnings: number };
  status: EvidenceStatus;
};

/** scans.json: every scan finding (static and fixture scans) of §4, with their counts. */
export type ScansFile = {
  package: PackageIdentity;
  tool: { name: string; version: string };
  findings: ScanFinding[];
  summary: { errors: number; warnings: number };
};

export type Evaluation = {
  digest: string;
  evidence: Evidence;
  scans: ScansFile;
  /** Fixture name → its trace (every fixture, run or not). */
  traces: Record<string, TraceStage[]>;
  /** Fixture name → its golden-shaped result (fixtures that ran). */
  results: Record<string, SandboxResult>;
  /** Everything that keeps the package at draft, sorted by location. */
  errors: Finding[];
  /** Scan warnings, sorted by location. */
  warnings: Finding[];
  /** The same findings by where they come from, for commands that report one part (test, scan). */
  parts: {
    contract: Finding[];
    scanErrors: Finding[];
    scanWarnings: Finding[];
    /** Fixture, golden and secret problems. */
    fixtures: Finding[];
  };
};

const TOOL = { name: PROVIDERFLOW_TOOL_NAME, version: PROVIDERFLOW_VERSION };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** name, version and provider as far as provider-flow.yaml says them, even when it is not valid. */
function identityOf(files: PackageFiles, digest: string): PackageIdentity {
  const bytes = files.get(CONTRACT_FILE);
  const parsed = bytes ? parseYaml(bytes, CONTRACT_FILE) : null;
  const value = parsed?.ok ? parsed.value : null;
  const text = (key: string): string => (isRecord(value) && typeof value[key] === "string" ? (value[key] as string) : "");
  return { name: text("name"), version: text("version"), provider: text("provider"), digest };
}

/** Static and fixture scans merged in the order scan.ts lists each: by location, then id and message. */
function sortScans(scans: ScanFinding[]): ScanFinding[] {
  return [...scans].sort(
    (a, b) =>
      compareFindings(scanToFinding(a), scanToFinding(b)) || (a.severity < b.severity ? -1 : a.severity > b.severity ? 1 : 0),
  );
}

/**
 * Evaluates a loaded package: validation, the sandbox run of every fixture, golden
 * comparisons, fixture scans and evidence. Never throws for a problem of the package;
 * an exception means a bug (the CLI reports it as `internal`).
 */
export async function evaluatePackage(files: PackageFiles, opts: EvaluateOptions): Promise<Evaluation> {
  const digest = packageDigest(files);
  const identity = identityOf(files, digest);
  const validation = validatePackage(files);
  const fixtureFindings: Finding[] = [];
  const traces: Record<string, TraceStage[]> = {};
  const results: Record<string, SandboxResult> = {};
  const evidenceFixtures: EvidenceFixture[] = [];
  let fixtureScans: ScanFinding[] = [];
  let redact = <T>(value: T): T => value;

  const fixtureFiles = filesOfKind(files, "fixture");
  const goldens = new Map(filesOfKind(files, "golden").map(([file, bytes]) => [baseName(file), { file, bytes }]));
  const fixtureNames = new Set(fixtureFiles.map(([file]) => baseName(file)));

  for (const [name, golden] of goldens) {
    if (!fixtureNames.has(name)) {
      fixtureFindings.push({
        code: "golden-orphan",
        message: `${golden.file} has no fixture (fixtures/${name}.json): nothing checks it; delete it or add the fixture`,
        file: golden.file,
      });
    }
  }

  if (!validation.checked) {
    for (const [file] of fixtureFiles) {
      const name = baseName(file);
      const trace: TraceStage[] = [
        { stage: "request", outcome: "skip", detail: { reason: "The contract is not valid; no fixture was run" } },
      ];
      traces[name] = trace;
      evidenceFixtures.push({ name, passed: false, diff: [], trace });
    }
  } else {
    const { package: pkg, compiled } = validation.checked;
    const sandbox = createSandbox(pkg, compiled, opts.secrets);
    redact = sandbox.redact;
    fixtureFindings.push(...sandbox.problems);
    if (fixtureFiles.length === 0) {
      fixtureFindings.push({
        code: "no-fixtures",
        message:
          "the package has no fixture: add fixtures/<name>.json (one inbound request each) so the sandbox has something to prove",
        file: CONTRACT_FILE,
      });
    }
    const { fixtures, failed } = readFixtures(files, pkg.contract);
    const scanInputs: FixtureScanResult[] = [];
    const runs = new Map<string, EvidenceFixture>();

    for (const f of failed) {
      fixtureFindings.push(...f.findings);
      const trace: TraceStage[] = [
        {
          stage: "request",
          outcome: "fail",
          detail: { error: "fixture-invalid", messages: f.findings.map((x) => x.message) },
        },
      ];
      traces[f.name] = trace;
      runs.set(f.name, { name: f.name, passed: false, diff: [], trace });
    }

    for (const fixture of fixtures) {
      const run = await sandbox.run(fixture);
      traces[fixture.name] = run.trace;
      if (!run.ran) {
        fixtureFindings.push(run.finding);
        runs.set(fixture.name, { name: fixture.name, passed: false, diff: [], trace: run.trace });
        continue;
      }
      results[fixture.name] = run.result;
      scanInputs.push(run.scan);
      if (fixture.expectSignature === "invalid" && run.scan.signature !== "invalid") {
        fixtureFindings.push({
          code: "signature-not-rejected",
          message: `fixture "${fixture.name}" is marked "expectSignature": "invalid" but its request was not refused for its signature (${run.scan.signature === "none" ? "the endpoint verifies no signature" : "it verified"})`,
          file: fixture.file,
        });
      }
      const golden = goldens.get(fixture.name);
      let diff: GoldenDifference[];
      if (!golden) {
        fixtureFindings.push({
          code: "golden-missing",
          message: `fixture "${fixture.name}" has no golden (goldens/${fixture.name}.json); write it with: providerflow test <dir> --update`,
          file: fixture.file,
        });
        diff = [{ pointer: "", actual: run.result }];
      } else {
        const parsed = parseJson(golden.bytes, golden.file);
        if (!parsed.ok) {
          fixtureFindings.push(...parsed.findings);
          diff = [{ pointer: "", actual: run.result }];
        } else {
          diff = compareGolden(parsed.value, run.result).diff;
          if (opts.pinnedRejections === "by-stage" && fixture.expectSignature === "invalid" && run.scan.signature === "invalid") {
            diff = diff.filter(
              (d) => !(d.pointer === "/body/error" && SIGNATURE_STAGE_ERRORS.has(d.expected) && SIGNATURE_STAGE_ERRORS.has(d.actual)),
            );
          }
          if (diff.length > 0) {
            fixtureFindings.push({
              code: "golden-mismatch",
              message: `fixture "${fixture.name}" differs from its golden in ${diff.length} place${diff.length === 1 ? "" : "s"}; first ${describeDifference(diff[0] as GoldenDifference)}`,
              file: golden.file,
            });
          }
        }
      }
      runs.set(fixture.name, { name: fixture.name, passed: diff.length === 0, diff, trace: run.trace });
    }
    fixtureScans = scanFixtureResults(pkg, compiled, scanInputs);
    for (const [file] of fixtureFiles) {
      const entry = runs.get(baseName(file));
      if (entry) evidenceFixtures.push(entry);
    }
  }

  const allScans = sortScans([...validation.scans, ...fixtureScans]);
  const fixtureScanErrors = fixtureScans.filter((s) => s.severity === "error").map(scanToFinding);
  const fixtureScanWarnings = fixtureScans.filter((s) => s.severity === "warning").map(scanToFinding);
  const contract = validation.contract;
  const staticScanErrors = validation.errors.filter((e) => !contract.some((c) => canonicalJson(c) === canonicalJson(e)));
  const parts = {
    contract,
    scanErrors: normalizeFindings([...staticScanErrors, ...fixtureScanErrors]),
    scanWarnings: normalizeFindings([...validation.warnings, ...fixtureScanWarnings]),
    fixtures: normalizeFindings(fixtureFindings),
  };
  const errors = normalizeFindings([...validation.errors, ...fixtureScanErrors, ...fixtureFindings]);
  const warnings = parts.scanWarnings;

  const passed = evidenceFixtures.filter((f) => f.passed).length;
  const scanErrorCount = allScans.filter((s) => s.severity === "error").length;
  const scanWarningCount = allScans.length - scanErrorCount;
  const evidence: Evidence = {
    package: identity,
    tool: { ...TOOL },
    contract: { valid: validation.checked !== null, errors: contract },
    scans: allScans,
    fixtures: evidenceFixtures,
    summary: {
      fixtures: evidenceFixtures.length,
      passed,
      failed: evidenceFixtures.length - passed,
      scanErrors: scanErrorCount,
      scanWarnings: scanWarningCount,
    },
    status: errors.length === 0 ? "sandbox-validated" : "draft",
  };
  const scans: ScansFile = {
    package: identity,
    tool: { ...TOOL },
    findings: allScans,
    summary: { errors: scanErrorCount, warnings: scanWarningCount },
  };
  // Findings never carry secret values by construction; goldens' and fixtures' content
  // could (a payload echoing a token), so everything passes through the redactor once more.
  return redact({ digest, evidence, scans, traces, results, errors, warnings, parts });
}

/** The generated files of an evaluation, package-relative path → bytes to write (canonical JSON). */
export function evaluationFiles(evaluation: Evaluation): Map<string, string> {
  const out = new Map<string, string>();
  out.set(EVIDENCE_FILE, canonicalJson(evaluation.evidence, { indent: 2 }));
  out.set(SCANS_FILE, canonicalJson(evaluation.scans, { indent: 2 }));
  for (const name of Object.keys(evaluation.traces).sort()) {
    out.set(`traces/${name}.json`, canonicalJson({ fixture: name, trace: evaluation.traces[name] }, { indent: 2 }));
  }
  return out;
}
