// Scans (providerflow.md §4, §9): security and coverage findings over a package.
// Errors fail validation; warnings do not. Nothing here resolves DNS: a target name is
// judged only when its host is an IP literal or a localhost name; every other name is
// resolved and checked again when a delivery connects (lib/delivery/ssrf-guard.ts).
//
// Static scans (scanPackage), over the loaded files:
//   inlined-secret        error    a known token shape (SECRET_PATTERNS) anywhere outside
//                                  fixtures/: provider-flow.yaml, schemas/, goldens/,
//                                  README.md, comments included. The message names the
//                                  kind and prefix, never the value.
//   high-entropy-string   warning  outside fixtures/: a run of 32 or more characters of
//                                  [A-Za-z0-9+/=_-] with letters and digits and Shannon
//                                  entropy of at least 4 bits per character (what random
//                                  keys in hex, base64 or base64url look like; the
//                                  letters-and-digits rule keeps long-hyphenated words
//                                  out). One finding per distinct string per file.
//   private-target        error    a target URL whose host is localhost (or *.localhost)
//                                  or an IP literal in a loopback, private, link-local,
//                                  unspecified or otherwise reserved range, in any
//                                  notation WHATWG URL parsing accepts (2130706433,
//                                  0x7f.1, 0177.0.0.1, [::1], [::ffff:127.0.0.1], …).
//   insecure-target-url   warning  http:// to any other host.
//   unsafe-regex          error    a `matches` pattern checkRegex refuses.
//   permissive-schema     warning  a payload or validate schema that accepts every
//                                  object (see acceptsAnything).
//   unverified-endpoint   warning  an endpoint without signature verification: anyone
//                                  who learns its URL can post events.
// Fixture scans (scanFixtureResults), over what the sandbox observed:
//   signature-failed      error    a fixture whose signature did not verify, unless it
//                                  is marked "expectSignature": "invalid".
//   unreached-flow        warning  a flow no fixture was mapped by.
//   condition-not-exercised warning a condition not seen both passing and failing.
//
// The static scans read the contract defensively (as unknown data), so they still
// report what they can on a package whose contract does not pass check.

import { isIP } from "node:net";
import { isPrivateAddress } from "../lib/delivery/ssrf-guard";
import { checkRegex } from "../lib/inbound/safe-regex";
import type { CheckedPackage } from "./check";
import type { CompiledPackage } from "./compile";
import { compareFindings, describePointer, formatLocation, type Finding } from "./findings";
import { CONTRACT_FILE, classifyPath, type PackageFiles } from "./load-package";
import { parseJson, parseYaml, textPositions, type PositionIndex } from "./parse";

export type ScanSeverity = "error" | "warning";

/** A scan finding as scans.json holds it (§4), plus the Finding location fields. */
export type ScanFinding = {
  id: string;
  severity: ScanSeverity;
  message: string;
  /** "provider-flow.yaml:12:7", or the file alone when no line applies. */
  location: string;
  file?: string;
  line?: number;
  column?: number;
  pointer?: string;
};

export type SecretPattern = { id: string; label: string; prefix: string; pattern: RegExp };

/** Token shapes of real credentials. Each pattern is global and anchored at a word boundary. */
export const SECRET_PATTERNS: readonly SecretPattern[] = Object.freeze([
  { id: "stripe-live", label: "a Stripe live secret key", prefix: "sk_live_", pattern: /\bsk_live_[0-9A-Za-z]{10,}/g },
  { id: "stripe-test", label: "a Stripe test secret key", prefix: "sk_test_", pattern: /\bsk_test_[0-9A-Za-z]{10,}/g },
  { id: "stripe-restricted", label: "a Stripe restricted key", prefix: "rk_", pattern: /\brk_(?:live|test)_[0-9A-Za-z]{10,}/g },
  { id: "webhook-secret", label: "a webhook signing secret", prefix: "whsec_", pattern: /\bwhsec_[A-Za-z0-9+/=_-]{16,}/g },
  { id: "github-token", label: "a GitHub token", prefix: "gh", pattern: /\bgh[pousr]_[A-Za-z0-9]{30,}/g },
  { id: "github-pat", label: "a GitHub fine-grained token", prefix: "github_pat_", pattern: /\bgithub_pat_[A-Za-z0-9_]{30,}/g },
  { id: "slack-token", label: "a Slack token", prefix: "xox", pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { id: "shopify-token", label: "a Shopify access token", prefix: "shp", pattern: /\bshp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}\b/g },
  { id: "aws-access-key", label: "an AWS access key id", prefix: "AKIA", pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { id: "private-key", label: "a PEM private key", prefix: "-----BEGIN", pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/g },
]);

export const HIGH_ENTROPY_MIN_LENGTH = 32;
export const HIGH_ENTROPY_MIN_BITS = 4;
/** Runs of the hex, base64 and base64url alphabets, at least HIGH_ENTROPY_MIN_LENGTH long. */
const ENTROPY_TOKEN = new RegExp(`[A-Za-z0-9+/=_-]{${HIGH_ENTROPY_MIN_LENGTH},}`, "g");

/** Shannon entropy in bits per character (over UTF-16 code units). */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** Where a scan finding points. */
type Place = { file: string; line?: number; column?: number; pointer?: string };

function atPointer(pos: PositionIndex, pointer: string): Place {
  const p = pos.locate(pointer);
  return { file: pos.file, line: p.line, column: p.column, pointer };
}

function atOffset(pos: PositionIndex, offset: number): Place {
  const p = pos.positionOfOffset(offset);
  return { file: pos.file, line: p.line, column: p.column };
}

function scanFinding(severity: ScanSeverity, id: string, message: string, place: Place): ScanFinding {
  return { id, severity, message, location: formatLocation(place), ...place };
}

/** Files outside fixtures that are scanned as text: contract, schemas, goldens, README. */
function isTextScanned(relative: string): boolean {
  const kind = classifyPath(relative);
  return kind === "contract" || kind === "schema" || kind === "golden" || kind === "readme";
}

/**
 * At most this many findings of one kind per file; past it, one more finding says how
 * many were left out. A file full of secrets needs fixing all the same, and an evidence
 * file of 100,000 findings helps no reviewer.
 */
export const MAX_TEXT_FINDINGS_PER_KIND = 50;

/**
 * Linear in the text: every pattern is one pass, and a random-looking token is tested
 * against the secret matches with a sweep over them sorted by start (tokens come in
 * offset order), not against all of them (which made a 5 MiB README of keys take ~17 s).
 */
function scanText(file: string, text: string): ScanFinding[] {
  const out: ScanFinding[] = [];
  const positions = textPositions(file, text);
  const secretRanges: [number, number][] = [];
  let secrets = 0;
  for (const { label, prefix, pattern } of SECRET_PATTERNS) {
    pattern.lastIndex = 0;
    for (const match of text.matchAll(pattern)) {
      const start = match.index;
      secretRanges.push([start, start + match[0].length]);
      secrets += 1;
      if (secrets > MAX_TEXT_FINDINGS_PER_KIND) continue;
      out.push(
        scanFinding(
          "error",
          "inlined-secret",
          `${file} holds what looks like ${label} (${prefix}…, ${match[0].length} characters); a package names secrets with secretRef and never carries their values`,
          atOffset(positions, start),
        ),
      );
    }
  }
  if (secrets > MAX_TEXT_FINDINGS_PER_KIND) {
    const more = secrets - MAX_TEXT_FINDINGS_PER_KIND;
    out.push(scanFinding("error", "inlined-secret", `${file} holds ${more} more secret-looking value(s) not listed one by one`, { file }));
  }

  secretRanges.sort((a, b) => a[0] - b[0]);
  // Ranges that start before the current token, with the furthest end among them.
  let next = 0;
  let reach = -1;
  const seen = new Set<string>();
  let random = 0;
  for (const match of text.matchAll(ENTROPY_TOKEN)) {
    const token = match[0];
    const start = match.index;
    const end = start + token.length;
    while (next < secretRanges.length && secretRanges[next]![0] < end) {
      reach = Math.max(reach, secretRanges[next]![1]);
      next += 1;
    }
    // A secret overlapping the token starts before its end (all swept in) and ends after its start.
    if (reach > start) continue;
    if (seen.has(token)) continue;
    if (!/[A-Za-z]/.test(token) || !/[0-9]/.test(token)) continue;
    const bits = shannonEntropy(token);
    if (bits < HIGH_ENTROPY_MIN_BITS) continue;
    seen.add(token);
    random += 1;
    if (random > MAX_TEXT_FINDINGS_PER_KIND) continue;
    out.push(
      scanFinding(
        "warning",
        "high-entropy-string",
        `${file} holds a random-looking string of ${token.length} characters (${bits.toFixed(1)} bits of entropy per character); if it is a secret, name it with secretRef instead`,
        atOffset(positions, start),
      ),
    );
  }
  if (random > MAX_TEXT_FINDINGS_PER_KIND) {
    const more = random - MAX_TEXT_FINDINGS_PER_KIND;
    out.push(scanFinding("warning", "high-entropy-string", `${file} holds ${more} more random-looking string(s) not listed one by one`, { file }));
  }
  return out;
}

export type TargetHostProblem = { kind: "private"; host: string } | { kind: "http" } | null;

function isLocalhostName(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, "");
  return h === "localhost" || h.endsWith(".localhost");
}

/**
 * Judges a target URL without DNS. WHATWG URL parsing canonicalizes odd IPv4 spellings
 * (2130706433, 0x7f.1, 127.1) to dotted quads before the range check sees them.
 */
export function targetHostProblem(url: string): TargetHostProblem {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null; // check.ts reports URLs that do not parse
  }
  const host = parsed.hostname;
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  if (isLocalhostName(host) || (isIP(bare) !== 0 && isPrivateAddress(bare))) return { kind: "private", host };
  if (parsed.protocol === "http:") return { kind: "http" };
  return null;
}

const ANNOTATION_KEYWORDS: ReadonlySet<string> = new Set([
  "$schema",
  "$id",
  "$anchor",
  "$dynamicAnchor",
  "$comment",
  "$defs",
  "definitions",
  "$vocabulary",
  "title",
  "description",
  "default",
  "examples",
  "example",
  "deprecated",
  "readOnly",
  "writeOnly",
]);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `true`, or an object of annotation keywords only (`{}`, `{ description }`): constrains nothing. */
function isTrivialSchema(schema: unknown): boolean {
  return schema === true || (isRecord(schema) && Object.keys(schema).every((k) => ANNOTATION_KEYWORDS.has(k)));
}

/**
 * True when a payload schema accepts every JSON object, judged syntactically: the
 * schema is `true`, or every keyword in it is one of
 *   - an annotation ($schema, $id, $defs, title, description, default, examples, …),
 *   - `type` equal to "object" or a list containing "object",
 *   - `required: []`, `minProperties: 0`,
 *   - `properties`, `patternProperties`, `dependentSchemas` whose subschemas are all
 *     trivial (`true` or annotations only),
 *   - `additionalProperties`, `unevaluatedProperties`, `propertyNames` that are trivial.
 * So `{}`, `true`, `{ type: object }` and `{ type: object, properties: { a: {} } }`
 * accept anything; `{ type: object, required: [id] }` does not. Anything else
 * (combinators, $ref, enum, …) is treated as restrictive: the scan never warns about
 * a schema it did not fully understand.
 */
export function acceptsAnything(schema: unknown): boolean {
  if (schema === true) return true;
  if (!isRecord(schema)) return false;
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATION_KEYWORDS.has(key)) continue;
    switch (key) {
      case "type":
        if (value === "object" || (Array.isArray(value) && value.includes("object"))) continue;
        return false;
      case "required":
        if (Array.isArray(value) && value.length === 0) continue;
        return false;
      case "minProperties":
        if (value === 0) continue;
        return false;
      case "properties":
      case "patternProperties":
      case "dependentSchemas":
        if (isRecord(value) && Object.values(value).every(isTrivialSchema)) continue;
        return false;
      case "additionalProperties":
      case "unevaluatedProperties":
      case "propertyNames":
        if (isTrivialSchema(value)) continue;
        return false;
      default:
        return false;
    }
  }
  return true;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function field(v: unknown, key: string): unknown {
  return isRecord(v) && Object.hasOwn(v, key) ? v[key] : undefined;
}

function scanContract(value: unknown, pos: PositionIndex, files: PackageFiles): ScanFinding[] {
  const out: ScanFinding[] = [];
  const schemaRefs: { ref: unknown; pointer: string }[] = [];

  list(field(value, "endpoints")).forEach((endpoint, i) => {
    const name = field(endpoint, "name");
    if (field(endpoint, "verification") === undefined) {
      out.push(
        scanFinding(
          "warning",
          "unverified-endpoint",
          `endpoints[${i}]: endpoint ${typeof name === "string" ? `"${name}" ` : ""}has no signature verification; anyone who learns its URL can post events`,
          atPointer(pos, `/endpoints/${i}/name`),
        ),
      );
    }
    const payloadSchema = field(endpoint, "payloadSchema");
    if (payloadSchema !== undefined) schemaRefs.push({ ref: payloadSchema, pointer: `/endpoints/${i}/payloadSchema` });
  });

  list(field(value, "targets")).forEach((target, i) => {
    const url = field(target, "url");
    if (typeof url !== "string") return;
    const pointer = `/targets/${i}/url`;
    const problem = targetHostProblem(url);
    if (problem?.kind === "private") {
      out.push(
        scanFinding(
          "error",
          "private-target",
          `targets[${i}].url: host ${problem.host} is a loopback, private, link-local or reserved address; deliveries to it are refused (SSRF)`,
          atPointer(pos, pointer),
        ),
      );
    } else if (problem?.kind === "http") {
      out.push(
        scanFinding(
          "warning",
          "insecure-target-url",
          `targets[${i}].url: plain http sends events and auth headers unencrypted; use https (the management API refuses http targets)`,
          atPointer(pos, pointer),
        ),
      );
    }
  });

  list(field(value, "flows")).forEach((flow, i) => {
    list(field(flow, "steps")).forEach((step, s) => {
      const validate = field(step, "validate");
      if (validate !== undefined) {
        const schema = field(validate, "schema");
        if (schema !== undefined) schemaRefs.push({ ref: schema, pointer: `/flows/${i}/steps/${s}/validate/schema` });
      }
      list(field(field(step, "filter"), "all")).forEach((condition, k) => {
        const pattern = field(condition, "value");
        if (field(condition, "op") !== "matches" || typeof pattern !== "string") return;
        const check = checkRegex(pattern);
        if (check.ok) return;
        const pointer = `/flows/${i}/steps/${s}/filter/all/${k}/value`;
        out.push(scanFinding("error", "unsafe-regex", `${describePointer(pointer)}: ${check.message}`, atPointer(pos, pointer)));
      });
    });
  });

  for (const { ref, pointer } of schemaRefs) {
    let schema: unknown = ref;
    let shown = "this schema";
    if (typeof ref === "string") {
      const bytes = files.get(ref);
      if (!bytes) continue; // check.ts reports missing files
      const parsed = parseJson(bytes, ref);
      if (!parsed.ok) continue;
      schema = parsed.value;
      shown = ref;
    }
    if (acceptsAnything(schema)) {
      out.push(
        scanFinding(
          "warning",
          "permissive-schema",
          `${describePointer(pointer)}: ${shown} accepts any object, so it validates nothing; list required keys or properties`,
          atPointer(pos, pointer),
        ),
      );
    }
  }
  return out;
}

function sortScanFindings(findings: ScanFinding[]): ScanFinding[] {
  return findings.sort(
    (a, b) =>
      compareFindings(
        { code: a.id, message: a.message, file: a.file, line: a.line, column: a.column, pointer: a.pointer },
        { code: b.id, message: b.message, file: b.file, line: b.line, column: b.column, pointer: b.pointer },
      ) || (a.severity < b.severity ? -1 : a.severity > b.severity ? 1 : 0),
  );
}

/** The static scans of a loaded package (see the header). Never throws; sorted by location. */
export function scanPackage(files: PackageFiles): ScanFinding[] {
  const out: ScanFinding[] = [];
  for (const [file, bytes] of files) {
    if (!isTextScanned(file)) continue;
    // Lenient decoding: a secret next to an invalid byte is still a secret.
    out.push(...scanText(file, new TextDecoder("utf-8").decode(bytes)));
  }
  const contract = files.get(CONTRACT_FILE);
  if (contract) {
    const parsed = parseYaml(contract, CONTRACT_FILE);
    if (parsed.ok) out.push(...scanContract(parsed.value, parsed.positions, files));
  }
  return sortScanFindings(out);
}

/** What the sandbox observed for one fixture, as the coverage scans need it. */
export type FixtureScanResult = {
  /** The fixture's name (fixtures/<name>.json). */
  fixture: string;
  /** Outcome of signature verification; "none" when the endpoint verifies nothing. */
  signature: "valid" | "invalid" | "none";
  /** The fixture's own `expectSignature`, when it has one. */
  expectSignature?: "valid" | "invalid";
  /** The flow whose mapping the fixture selected, or null when no flow matched. */
  flow: string | null;
  /**
   * Every condition evaluated while selecting a mapping: the flow, the index of the
   * condition in that flow's compiled conditions (all filter steps joined, as
   * CompiledMapping.input.conditions), and whether it passed.
   */
  conditions: { flow: string; index: number; pass: boolean }[];
};

/**
 * Coverage and signature scans over fixture results from the sandbox: fixtures whose
 * signature failed unexpectedly (error), flows no fixture reached and conditions never
 * seen both passing and failing (warnings), located in provider-flow.yaml.
 */
export function scanFixtureResults(
  pkg: CheckedPackage,
  compiled: CompiledPackage,
  results: readonly FixtureScanResult[],
): ScanFinding[] {
  const out: ScanFinding[] = [];
  for (const r of results) {
    if (r.signature === "invalid" && r.expectSignature !== "invalid") {
      const file = `fixtures/${r.fixture}.json`;
      out.push(
        scanFinding(
          "error",
          "signature-failed",
          `fixture "${r.fixture}": its signature does not verify; fix the signature or mark it "expectSignature": "invalid"`,
          { file },
        ),
      );
    }
  }
  for (const mapping of compiled.mappings) {
    const flowIndex = pkg.contract.flows.findIndex((f) => f.name === mapping.flow);
    const reached = results.filter((r) => r.flow === mapping.flow).length;
    if (reached === 0) {
      out.push(
        scanFinding(
          "warning",
          "unreached-flow",
          `flows[${flowIndex}]: no fixture reaches flow "${mapping.flow}"; add a fixture it handles`,
          atPointer(pkg.positions, `/flows/${flowIndex}/name`),
        ),
      );
    }
    mapping.conditionPointers.forEach((pointer, index) => {
      let passed = 0;
      let failed = 0;
      for (const r of results) {
        for (const c of r.conditions) {
          if (c.flow !== mapping.flow || c.index !== index) continue;
          if (c.pass) passed += 1;
          else failed += 1;
        }
      }
      if (passed > 0 && failed > 0) return;
      const seen =
        passed + failed === 0
          ? "no fixture evaluates it"
          : passed > 0
            ? `it passed for all ${passed} fixture evaluation${passed === 1 ? "" : "s"}`
            : `it failed for all ${failed} fixture evaluation${failed === 1 ? "" : "s"}`;
      out.push(
        scanFinding(
          "warning",
          "condition-not-exercised",
          `${describePointer(pointer)}: condition never seen both passing and failing (${seen}); add fixtures on both sides of it`,
          atPointer(pkg.positions, pointer),
        ),
      );
    });
  }
  return sortScanFindings(out);
}

/** A scan finding in the Finding shape of `--json` output (id → code). */
export function scanToFinding(s: ScanFinding): Finding {
  const f: Finding = { code: s.id, message: s.message };
  if (s.file !== undefined) f.file = s.file;
  if (s.line !== undefined) f.line = s.line;
  if (s.column !== undefined) f.column = s.column;
  if (s.pointer !== undefined) f.pointer = s.pointer;
  return f;
}

export function partitionScanFindings(findings: readonly ScanFinding[]): { errors: ScanFinding[]; warnings: ScanFinding[] } {
  return { errors: findings.filter((f) => f.severity === "error"), warnings: findings.filter((f) => f.severity === "warning") };
}
