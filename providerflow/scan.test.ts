import { beforeAll, describe, expect, test } from "vitest";
import { checkPackage, type CheckedPackage } from "./check";
import type { CompiledPackage } from "./compile";
import type { PackageFiles } from "./load-package";
import {
  MAX_TEXT_FINDINGS_PER_KIND,
  SECRET_PATTERNS,
  acceptsAnything,
  partitionScanFindings,
  scanFixtureResults,
  scanPackage,
  scanToFinding,
  shannonEntropy,
  targetHostProblem,
  type FixtureScanResult,
} from "./scan";
import { columnOf, contractText, lineOf, loadTestPackage, withContractEdits, withFiles } from "./test-packages/packages";

// Secret-shaped strings are assembled at run time so this file itself never holds one.
const join = (...parts: string[]) => parts.join("");
const STRIPE_LIVE = join("sk_", "live_", "51HxQq2eZvKYlo2C0FAKEFAKEfake");
const SAMPLES: Record<string, string> = {
  "stripe-live": STRIPE_LIVE,
  "stripe-test": join("sk_", "test_", "4eC39HqLyjWDarjtFAKE"),
  "stripe-restricted": join("rk_", "live_", "51HxQq2eZvKYlo2CFAKE"),
  "webhook-secret": join("whsec_", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
  "github-token": join("ghp_", "A".repeat(8), "0123456789abcdefghijklmnopqr"),
  "github-pat": join("github_", "pat_", "11ABCDEFG0123456789_abcdefghijklmnop"),
  "slack-token": join("xox", "b-", "1234567890-0987654321-AbCdEfGhIj"),
  "shopify-token": join("shp", "at_", "0123456789abcdef0123456789abcdef"),
  "aws-access-key": join("AKIA", "IOSFODNN7EXAMPLE"),
  "private-key": join("-----BEGIN ", "RSA PRIVATE KEY-----"),
};
// 40 characters of base64-looking noise: letters, digits, high entropy.
const RANDOM_LOOKING = join("q8Zr2Lw9", "Xk4Tn7Vb", "1Pm6Hs3J", "f0Gd5Ry8", "Ua2Ec9Wo");

let valid: PackageFiles;

beforeAll(async () => {
  valid = await loadTestPackage("valid-stripe");
});

describe("scanPackage on valid-stripe", () => {
  test("finds nothing", () => {
    expect(scanPackage(valid)).toEqual([]);
  });
});

describe("inlined secrets", () => {
  test("an sk_live_ key in provider-flow.yaml is an error at its line and column, and the value is never echoed", () => {
    const files = withContractEdits(valid, [
      ["description: Stripe payment events into the warehouse", `description: Stripe events (key ${STRIPE_LIVE})`],
    ]);
    const text = contractText(files);
    const findings = scanPackage(files);
    expect(findings).toEqual([
      {
        id: "inlined-secret",
        severity: "error",
        message: `provider-flow.yaml holds what looks like a Stripe live secret key (sk_live_…, ${STRIPE_LIVE.length} characters); a package names secrets with secretRef and never carries their values`,
        location: `provider-flow.yaml:${lineOf(text, STRIPE_LIVE)}:${columnOf(text, STRIPE_LIVE)}`,
        file: "provider-flow.yaml",
        line: 6,
        column: 33,
      },
    ]);
    expect(JSON.stringify(findings)).not.toContain(STRIPE_LIVE.slice("sk_live_".length));
  });

  test("secrets in comments count too", () => {
    const files = withContractEdits(valid, [["# Stripe payment events", `# old key: ${STRIPE_LIVE}\n# Stripe payment events`]]);
    expect(scanPackage(files).map((f) => [f.id, f.line, f.column])).toEqual([["inlined-secret", 1, 12]]);
  });

  test.each(Object.entries(SAMPLES))("detects %s", (id, sample) => {
    const pattern = SECRET_PATTERNS.find((p) => p.id === id);
    expect(pattern).toBeDefined();
    const files = withFiles(valid, { "README.md": `# Notes\n\nDo not do this: ${sample}\n` });
    const findings = scanPackage(files).filter((f) => f.id === "inlined-secret");
    expect(findings.map((f) => [f.file, f.line, f.column, f.severity])).toEqual([["README.md", 3, 17, "error"]]);
    expect(findings[0]?.message).toContain(pattern?.label);
  });

  test("in schemas and goldens too, but not in fixtures (which may carry test payloads)", () => {
    const files = withFiles(valid, {
      "schemas/stripe-event.json": JSON.stringify({ type: "object", required: ["id"], description: SAMPLES["aws-access-key"] }),
      "goldens/payment-succeeded.json": JSON.stringify({ status: 200, body: { token: SAMPLES["slack-token"] } }),
      "fixtures/payment-succeeded.json": JSON.stringify({ headers: {}, body: { secret: STRIPE_LIVE, noise: RANDOM_LOOKING } }),
    });
    expect(scanPackage(files).map((f) => [f.id, f.file])).toEqual([
      ["inlined-secret", "goldens/payment-succeeded.json"],
      ["inlined-secret", "schemas/stripe-event.json"],
    ]);
  });

  test("prefixes alone, as in documentation, are not secrets", () => {
    const files = withFiles(valid, { "README.md": "Stripe keys look like sk_live_… and webhook secrets like whsec_…\n" });
    expect(scanPackage(files)).toEqual([]);
  });
});

describe("high-entropy strings", () => {
  test("a long random-looking string outside fixtures is a warning", () => {
    const files = withContractEdits(valid, [["# Stripe payment events", `# token ${RANDOM_LOOKING}\n# Stripe payment events`]]);
    const findings = scanPackage(files);
    expect(findings.map((f) => [f.id, f.severity, f.line, f.column])).toEqual([["high-entropy-string", "warning", 1, 9]]);
    expect(findings[0]?.message).toMatch(
      /^provider-flow\.yaml holds a random-looking string of 40 characters \(\d\.\d bits of entropy per character\)/,
    );
    expect(findings[0]?.message).not.toContain(RANDOM_LOOKING);
  });

  test("reported once per distinct string per file", () => {
    const files = withFiles(valid, { "README.md": `${RANDOM_LOOKING}\n${RANDOM_LOOKING}\n` });
    expect(scanPackage(files).map((f) => [f.id, f.line])).toEqual([["high-entropy-string", 1]]);
  });

  test("long words, repeated characters and short ids are not", () => {
    const files = withFiles(valid, {
      "README.md": [
        "customer-subscription-trial-will-end-notification-event",
        "a".repeat(64),
        "evt_1NG8Du2eZvKYlo2CUI79vXWy",
        "ab12".repeat(10),
      ].join("\n"),
    });
    expect(scanPackage(files)).toEqual([]);
  });

  test("a random-looking string beside a secret is still reported; the secret's own characters are not", () => {
    const files = withFiles(valid, { "README.md": `${STRIPE_LIVE} ${RANDOM_LOOKING}\n${RANDOM_LOOKING.slice(0, 36)}-${STRIPE_LIVE}\n` });
    expect(scanPackage(files).map((f) => [f.id, f.line, f.column])).toEqual([
      ["inlined-secret", 1, 1],
      ["high-entropy-string", 1, STRIPE_LIVE.length + 2],
      // One token from the noise through the key: it overlaps the key, so only the key is reported.
      ["inlined-secret", 2, 38],
    ]);
  });

  test("a file full of secrets and random strings lists the first 50 of each, then says how many more", () => {
    const noise = (i: number) => `${RANDOM_LOOKING.slice(0, 30)}${i.toString(36).padStart(4, "0")}Q7`;
    const lines = Array.from({ length: 3000 }, (_, i) => `${join("sk_", "live_")}${i.toString(36).padStart(4, "0")}FAKEFAKE99 and ${noise(i)}`);
    const findings = scanPackage(withFiles(valid, { "README.md": `${lines.join("\n")}\n` }));
    const secrets = findings.filter((f) => f.id === "inlined-secret");
    const random = findings.filter((f) => f.id === "high-entropy-string");
    expect(secrets).toHaveLength(MAX_TEXT_FINDINGS_PER_KIND + 1);
    expect(random).toHaveLength(MAX_TEXT_FINDINGS_PER_KIND + 1);
    expect(secrets.map((f) => f.message)).toContain(`README.md holds ${3000 - MAX_TEXT_FINDINGS_PER_KIND} more secret-looking value(s) not listed one by one`);
    expect(random.map((f) => f.message)).toContain(`README.md holds ${3000 - MAX_TEXT_FINDINGS_PER_KIND} more random-looking string(s) not listed one by one`);
    // The listed ones are the first in the file, each at its own line.
    expect(secrets.filter((f) => f.line !== undefined).map((f) => f.line)).toEqual(Array.from({ length: MAX_TEXT_FINDINGS_PER_KIND }, (_, i) => i + 1));
  });

  test("shannonEntropy", () => {
    expect(shannonEntropy("")).toBe(0);
    expect(shannonEntropy("aaaa")).toBe(0);
    expect(shannonEntropy("abcd")).toBe(2);
    expect(shannonEntropy("0123456789abcdef")).toBe(4);
  });
});

describe("target URLs (no DNS)", () => {
  test.each([
    "http://localhost/hook",
    "https://localhost:8443/hook",
    "https://api.localhost/hook",
    "https://LOCALHOST./hook",
    "https://[::1]/hook",
    "https://[::]/hook",
    "https://2130706433/hook",
    "https://0x7f.1/hook",
    "https://0177.0.0.1/hook",
    "https://127.1/hook",
    "https://169.254.169.254/latest/meta-data",
    "https://10.0.0.5/hook",
    "https://192.168.1.10/hook",
    "https://172.16.0.1/hook",
    "https://0.0.0.0/hook",
    "https://[::ffff:127.0.0.1]/hook",
    "https://[fe80::1]/hook",
    "https://[fd00::1]/hook",
    "https://100.64.0.1/hook",
  ])("%s is a private target (error)", (url) => {
    const files = withContractEdits(valid, [["url: https://api.data-warehouse.com/events", `url: ${url}`]]);
    const findings = scanPackage(files);
    expect(findings.map((f) => [f.id, f.severity, f.line, f.column, f.pointer])).toEqual([
      ["private-target", "error", 18, 10, "/targets/0/url"],
    ]);
  });

  test("http:// to a public host is a warning", () => {
    const files = withContractEdits(valid, [
      ["url: https://api.data-warehouse.com/events", "url: http://api.data-warehouse.com/events"],
    ]);
    expect(scanPackage(files)).toEqual([
      {
        id: "insecure-target-url",
        severity: "warning",
        message:
          "targets[0].url: plain http sends events and auth headers unencrypted; use https (the management API refuses http targets)",
        location: "provider-flow.yaml:18:10",
        file: "provider-flow.yaml",
        line: 18,
        column: 10,
        pointer: "/targets/0/url",
      },
    ]);
  });

  test("public addresses and names are fine; names are not resolved", () => {
    expect(targetHostProblem("https://93.184.215.14/hook")).toBeNull();
    expect(targetHostProblem("https://[2606:4700::1111]/hook")).toBeNull();
    // Resolves to 127.0.0.1, but only a DNS lookup would tell: judged again at connect time.
    expect(targetHostProblem("https://127.0.0.1.nip.io/hook")).toBeNull();
    expect(targetHostProblem("not a url")).toBeNull();
  });
});

describe("other static scans", () => {
  test("an unsafe regex is an error", () => {
    const files = withContractEdits(valid, [['value: "^[a-z]{3}$"', 'value: "(x+x+)+y"']]);
    expect(scanPackage(files).map((f) => [f.id, f.severity, f.line, f.pointer])).toEqual([
      ["unsafe-regex", "error", 52, "/flows/1/steps/1/filter/all/1/value"],
    ]);
  });

  test("schemas that accept anything are warnings, at the reference", () => {
    const files = withFiles(withContractEdits(valid, [["schema: schemas/payment-intent.json", "schema: {}"]]), {
      "schemas/stripe-event.json": '{ "type": "object", "description": "any event" }',
    });
    expect(scanPackage(files).map((f) => [f.id, f.severity, f.line, f.message])).toEqual([
      [
        "permissive-schema",
        "warning",
        13,
        "endpoints[0].payloadSchema: schemas/stripe-event.json accepts any object, so it validates nothing; list required keys or properties",
      ],
      [
        "permissive-schema",
        "warning",
        33,
        "flows[0].steps[1].validate.schema: this schema accepts any object, so it validates nothing; list required keys or properties",
      ],
    ]);
  });

  test.each([
    [true, true],
    [{}, true],
    [{ $schema: "https://json-schema.org/draft/2020-12/schema", title: "x" }, true],
    [{ type: "object" }, true],
    [{ type: ["object", "null"] }, true],
    [{ type: "object", properties: { a: {}, b: true }, additionalProperties: true, required: [] }, true],
    [{ type: "object", required: ["id"] }, false],
    [{ type: "object", properties: { id: { type: "string" } } }, false],
    [{ type: "object", additionalProperties: false }, false],
    [{ type: "string" }, false],
    [{ $ref: "#/$defs/x" }, false],
    [{ anyOf: [{}] }, false],
    [false, false],
  ])("acceptsAnything(%j) is %s", (schema, expected) => {
    expect(acceptsAnything(schema)).toBe(expected);
  });

  test("an endpoint without signature verification is a warning", () => {
    const files = withContractEdits(valid, [["    verification: { preset: stripe, secretRef: STRIPE_WEBHOOK_SECRET }\n", ""]]);
    expect(scanPackage(files).map((f) => [f.id, f.severity, f.line, f.message])).toEqual([
      [
        "unverified-endpoint",
        "warning",
        9,
        'endpoints[0]: endpoint "payment-webhook" has no signature verification; anyone who learns its URL can post events',
      ],
    ]);
  });

  test("a contract that fails its checks is still scanned for what can be read", () => {
    const brokenYaml = withFiles(valid, { "provider-flow.yaml": `name: [\n# ${STRIPE_LIVE}\n` });
    expect(scanPackage(brokenYaml).map((f) => f.id)).toEqual(["inlined-secret"]);
    const schemaInvalid = withContractEdits(valid, [
      ["url: https://api.data-warehouse.com/events", "url: https://[::1]/events\n    unknown: key"],
    ]);
    expect(checkPackage(schemaInvalid).ok).toBe(false);
    expect(scanPackage(schemaInvalid).map((f) => f.id)).toEqual(["private-target"]);
  });

  test("findings are sorted by location and scans are repeatable", () => {
    const files = withContractEdits(valid, [
      ["url: https://audit.example.com/hooks/stripe", "url: http://audit.example.com/hooks/stripe"],
      ["url: https://api.data-warehouse.com/events", "url: https://10.1.2.3/events"],
      ["# Stripe payment events", `# ${STRIPE_LIVE}\n# Stripe payment events`],
    ]);
    const findings = scanPackage(files);
    expect(findings.map((f) => [f.line, f.id])).toEqual([
      [1, "inlined-secret"],
      [19, "private-target"],
      [23, "insecure-target-url"],
    ]);
    expect(scanPackage(files)).toEqual(findings);
    const { errors, warnings } = partitionScanFindings(findings);
    expect(errors.map((f) => f.id)).toEqual(["inlined-secret", "private-target"]);
    expect(warnings.map((f) => f.id)).toEqual(["insecure-target-url"]);
    expect(scanToFinding(findings[1]!)).toEqual({
      code: "private-target",
      message: findings[1]?.message,
      file: "provider-flow.yaml",
      line: 19,
      column: 10,
      pointer: "/targets/0/url",
    });
  });
});

describe("scanFixtureResults", () => {
  let pkg: CheckedPackage;
  let compiled: CompiledPackage;

  beforeAll(() => {
    const result = checkPackage(valid);
    if (!result.ok) throw new Error("valid package must check");
    pkg = result.package;
    compiled = result.compiled;
  });

  const payment: FixtureScanResult = {
    fixture: "payment-succeeded",
    signature: "valid",
    flow: "payment-events",
    conditions: [{ flow: "payment-events", index: 0, pass: true }],
  };
  const refund: FixtureScanResult = {
    fixture: "charge-refunded",
    signature: "valid",
    flow: "refunds",
    conditions: [
      { flow: "payment-events", index: 0, pass: false },
      { flow: "refunds", index: 0, pass: true },
      { flow: "refunds", index: 1, pass: true },
      { flow: "refunds", index: 2, pass: true },
    ],
  };
  const unmatched: FixtureScanResult = {
    fixture: "customer-created",
    signature: "valid",
    flow: null,
    conditions: [
      { flow: "payment-events", index: 0, pass: false },
      { flow: "refunds", index: 0, pass: false },
      { flow: "refunds", index: 1, pass: false },
      { flow: "refunds", index: 2, pass: false },
    ],
  };

  test("every flow reached and every condition seen both ways: nothing to say", () => {
    expect(scanFixtureResults(pkg, compiled, [payment, refund, unmatched])).toEqual([]);
  });

  test("a flow no fixture reaches, and conditions that never vary, are warnings at their lines", () => {
    const findings = scanFixtureResults(pkg, compiled, [payment]);
    expect(findings.map((f) => [f.id, f.severity, f.line, f.message])).toEqual([
      [
        "condition-not-exercised",
        "warning",
        32,
        "flows[0].steps[0].filter.all[0]: condition never seen both passing and failing (it passed for all 1 fixture evaluation); add fixtures on both sides of it",
      ],
      ["unreached-flow", "warning", 42, 'flows[1]: no fixture reaches flow "refunds"; add a fixture it handles'],
      [
        "condition-not-exercised",
        "warning",
        48,
        "flows[1].steps[0].filter.all[0]: condition never seen both passing and failing (no fixture evaluates it); add fixtures on both sides of it",
      ],
      ["condition-not-exercised", "warning", 51, expect.stringContaining("(no fixture evaluates it)")],
      ["condition-not-exercised", "warning", 52, expect.stringContaining("(no fixture evaluates it)")],
    ]);
  });

  test("a condition that always failed says so", () => {
    const findings = scanFixtureResults(pkg, compiled, [refund, unmatched]);
    expect(findings.map((f) => [f.id, f.line, f.message])).toEqual([
      ["unreached-flow", 27, 'flows[0]: no fixture reaches flow "payment-events"; add a fixture it handles'],
      [
        "condition-not-exercised",
        32,
        "flows[0].steps[0].filter.all[0]: condition never seen both passing and failing (it failed for all 2 fixture evaluations); add fixtures on both sides of it",
      ],
    ]);
  });

  test("a fixture whose signature fails is an error unless it expects to fail", () => {
    const bad = { ...unmatched, fixture: "forged", signature: "invalid" as const };
    expect(scanFixtureResults(pkg, compiled, [payment, refund, unmatched, bad])).toEqual([
      {
        id: "signature-failed",
        severity: "error",
        message: 'fixture "forged": its signature does not verify; fix the signature or mark it "expectSignature": "invalid"',
        location: "fixtures/forged.json",
        file: "fixtures/forged.json",
      },
    ]);
    expect(scanFixtureResults(pkg, compiled, [payment, refund, unmatched, { ...bad, expectSignature: "invalid" }])).toEqual([]);
  });
});
