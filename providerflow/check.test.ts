import { beforeAll, describe, expect, test } from "vitest";
import { checkPackage, type CheckResult } from "./check";
import type { Finding } from "./findings";
import type { PackageFiles } from "./load-package";
import { columnOf, contractText, lineOf, loadTestPackage, withContractEdits, withFiles } from "./test-packages/packages";

let valid: PackageFiles;
let text: string;

beforeAll(async () => {
  valid = await loadTestPackage("valid-stripe");
  text = contractText(valid);
});

function findingsOf(result: CheckResult): Finding[] {
  if (result.ok) throw new Error("expected the check to fail");
  return result.findings;
}

/** Findings of a variant of valid-stripe with provider-flow.yaml edited. */
function check(edits: readonly (readonly [string, string])[], files: Record<string, string | null> = {}): Finding[] {
  return findingsOf(checkPackage(withFiles(withContractEdits(valid, edits), files)));
}

/** Where the first occurrence of `needle` starts in `source`, 1-based. */
function at(source: string, needle: string): { line: number; column: number } {
  return { line: lineOf(source, needle), column: columnOf(source, needle) };
}

describe("a valid package", () => {
  test("passes and comes back typed and compiled", () => {
    const result = checkPackage(valid);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.package.contract.name).toBe("stripe-payments");
    expect([...result.package.schemaFiles.keys()]).toEqual(["schemas/stripe-event.json", "schemas/payment-intent.json"]);
    expect(result.compiled.mappings.map((m) => m.flow)).toEqual(["payment-events", "refunds"]);
  });
});

describe("test package folders", () => {
  test("broken-syntax: a YAML error with its line and column", async () => {
    const files = await loadTestPackage("broken-syntax");
    expect(findingsOf(checkPackage(files))).toEqual([
      {
        code: "yaml-syntax",
        message: "Flow map in block collection must be sufficiently indented and end with a }",
        file: "provider-flow.yaml",
        line: 8,
        column: 1,
      },
    ]);
  });

  test("dangling-reference: the flow's endpoint does not exist (and the real one is then unused)", async () => {
    const files = await loadTestPackage("dangling-reference");
    const source = contractText(files);
    expect(findingsOf(checkPackage(files))).toEqual([
      {
        code: "unused-endpoint",
        message: 'endpoints[0]: endpoint "push-hook" is not used by any flow',
        file: "provider-flow.yaml",
        ...at(source, "push-hook"),
        pointer: "/endpoints/0/name",
      },
      {
        code: "unknown-endpoint",
        message:
          'flows[0].endpoint: flow "pushes" reads from endpoint "push-hooks", which is not declared (endpoints: push-hook)',
        file: "provider-flow.yaml",
        ...at(source, "push-hooks"),
        pointer: "/flows/0/endpoint",
      },
    ]);
  });

  test("unknown-keys: every unknown key, at the key, with the allowed ones", async () => {
    const files = await loadTestPackage("unknown-keys");
    const source = contractText(files);
    expect(findingsOf(checkPackage(files))).toEqual([
      {
        code: "unknown-key",
        message: 'endpoints[0]: unknown key "retries" (allowed: name, provider, description, url, verification, payloadSchema)',
        file: "provider-flow.yaml",
        ...at(source, "retries"),
        pointer: "/endpoints/0/retries",
      },
      {
        code: "unknown-key",
        message:
          'flows[0].steps[0].map: unknown key "transform" (allowed: resourceType, action, resourceIdPath, idempotencyPath, fields, metadata)',
        file: "provider-flow.yaml",
        ...at(source, "transform"),
        pointer: "/flows/0/steps/0/map/transform",
      },
    ]);
  });
});

describe("JSON Schema of the contract", () => {
  test("an empty file says which top-level keys are missing", () => {
    const findings = check([[text, ""]]);
    expect(findings.map((f) => [f.code, f.line, f.column])).toEqual([["wrong-type", 1, 1]]);
    expect(findings[0]?.message).toBe("the document: must be object");
    const bare = check([[text, "apiVersion: providerflow/v1\n"]]);
    expect(bare.map((f) => f.message)).toEqual([
      'the document: missing required key "endpoints"',
      'the document: missing required key "flows"',
      'the document: missing required key "name"',
      'the document: missing required key "provider"',
      'the document: missing required key "targets"',
      'the document: missing required key "version"',
    ]);
  });

  test("a version YAML reads as a number gets a hint", () => {
    const findings = check([["version: 1.0.0", "version: 1.0"]]);
    expect(findings).toEqual([
      {
        code: "invalid-version",
        message: "version: must be a semantic version such as 1.0.0 (quote it if YAML reads it as a number)",
        file: "provider-flow.yaml",
        line: 4,
        column: 10,
        pointer: "/version",
      },
    ]);
  });

  test("names follow ^[a-z0-9][a-z0-9-]{0,62}$", () => {
    const findings = check([["  - name: billing-audit", "  - name: Billing_Audit"]]);
    expect(findings.map((f) => [f.code, f.pointer, f.line])).toEqual([
      ["invalid-name", "/targets/1/name", 21],
      // the flow still refers to billing-audit; references are checked only once the schema passes
    ]);
  });

  test("target and targets together", () => {
    const findings = check([["    target: data-warehouse\n", "    target: data-warehouse\n    targets: [billing-audit]\n"]]);
    expect(findings).toEqual([
      {
        code: "flow-target-conflict",
        message: "flows[0].targets: a flow has target or targets, not both",
        file: "provider-flow.yaml",
        line: 31,
        column: 5,
        pointer: "/flows/0/targets",
      },
    ]);
  });

  test("neither target nor targets", () => {
    const findings = check([["    target: data-warehouse\n", ""]]);
    expect(findings).toEqual([
      {
        code: "flow-target-missing",
        message: "flows[0]: a flow needs target (one name) or targets (a list of names)",
        file: "provider-flow.yaml",
        line: 27,
        column: 5,
        pointer: "/flows/0",
      },
    ]);
  });

  test("a secret value instead of a secretRef", () => {
    const findings = check([["secretRef: STRIPE_WEBHOOK_SECRET }", "secretRef: STRIPE_WEBHOOK_SECRET, secret: not-a-ref }"]]);
    expect(findings).toEqual([
      {
        code: "secret-value-not-allowed",
        message:
          "endpoints[0].verification.secret: packages never carry a secret value; name it with secretRef (its value lives in the org's secret store)",
        file: "provider-flow.yaml",
        ...at(text, "secretRef: STRIPE"),
        column: at(text, "secretRef: STRIPE").column + "secretRef: STRIPE_WEBHOOK_SECRET, ".length,
        pointer: "/endpoints/0/verification/secret",
      },
    ]);
    const auth = check([["auth: { type: bearer, secretRef: DW_TOKEN }", "auth: { type: bearer, token: abc }"]]);
    expect(auth.map((f) => [f.code, f.pointer])).toEqual([
      ["missing-key", "/targets/0/auth/secretRef"],
      ["secret-value-not-allowed", "/targets/0/auth/token"],
    ]);
  });

  test("auth fields must fit the auth type", () => {
    const findings = check([["auth: { type: bearer, secretRef: DW_TOKEN }", "auth: { type: none, secretRef: DW_TOKEN }"]]);
    expect(findings.map((f) => [f.code, f.pointer, f.line])).toEqual([
      ["auth-field-not-allowed", "/targets/0/auth/secretRef", 19],
    ]);
    const basic = check([["auth: { type: bearer, secretRef: DW_TOKEN }", "auth: { type: basic, secretRef: DW_TOKEN }"]]);
    expect(basic.map((f) => [f.code, f.message])).toEqual([["missing-key", 'targets[0].auth: missing required key "username"']]);
  });

  test("a secretRef must look like a secret's name", () => {
    const findings = check([["secretRef: DW_TOKEN", "secretRef: dw-token"]]);
    expect(findings.map((f) => [f.code, f.pointer])).toEqual([["invalid-secret-ref", "/targets/0/auth/secretRef"]]);
  });

  test("a step with two operators, and an unknown operator", () => {
    const twoOps = check([
      [
        "      - validate: { schema: schemas/payment-intent.json, root: data.object }\n",
        "      - validate: { schema: schemas/payment-intent.json, root: data.object }\n        filter: { all: [ { path: a, op: exists } ] }\n",
      ],
    ]);
    expect(twoOps.map((f) => [f.code, f.pointer, f.message])).toEqual([
      ["invalid-step", "/flows/0/steps/1", "flows[0].steps[1]: a step has exactly one operator: filter, validate or map"],
    ]);
    const unknownOp = check([
      [
        "      - validate: { schema: schemas/payment-intent.json, root: data.object }\n",
        "      - transform: { uppercase: true }\n",
      ],
    ]);
    expect(unknownOp.map((f) => [f.code, f.pointer, f.line, f.column])).toEqual([
      ["invalid-step", "/flows/0/steps/1/transform", 33, 9],
    ]);
  });

  test("limits read plainly", () => {
    const findings = check([
      ["retry: { maxAttempts: 8,", "retry: { maxAttempts: 80,"],
      ["timeoutSeconds: 15", "timeoutSeconds: 0"],
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      "targets[0].retry.maxAttempts: must be at most 20",
      "targets[1].timeoutSeconds: must be at least 1",
    ]);
  });

  test("a schema reference leaving the package", () => {
    const traversal = check([["payloadSchema: schemas/stripe-event.json", "payloadSchema: ../secrets/stripe-event.json"]]);
    expect(traversal).toEqual([
      {
        code: "path-traversal",
        message: 'endpoints[0].payloadSchema: "../secrets/stripe-event.json" leaves the package folder (..)',
        file: "provider-flow.yaml",
        line: 13,
        column: 20,
        pointer: "/endpoints/0/payloadSchema",
      },
    ]);
    const absolute = check([["payloadSchema: schemas/stripe-event.json", "payloadSchema: /etc/stripe-event.json"]]);
    expect(absolute.map((f) => f.code)).toEqual(["path-absolute"]);
    const elsewhere = check([["payloadSchema: schemas/stripe-event.json", "payloadSchema: fixtures/payment-succeeded.json"]]);
    expect(elsewhere.map((f) => f.code)).toEqual(["invalid-schema-ref"]);
    const nested = check([["payloadSchema: schemas/stripe-event.json", "payloadSchema: schemas/../provider-flow.json"]]);
    expect(nested.map((f) => f.code)).toEqual(["path-traversal"]);
  });
});

describe("rules beyond the schema", () => {
  test("duplicate names per kind", () => {
    const findings = check([["  - name: refunds", "  - name: payment-events"]]);
    expect(findings).toEqual([
      {
        code: "duplicate-name",
        message: 'flows[1].name: flow "payment-events" is already declared (line 27)',
        file: "provider-flow.yaml",
        line: 42,
        column: 11,
        pointer: "/flows/1/name",
      },
    ]);
  });

  test("an unknown target and a target listed twice", () => {
    const findings = check([
      ["targets: [data-warehouse, billing-audit]", "targets: [data-warehouse, billing-audit, data-warehouse, archive]"],
    ]);
    expect(findings.map((f) => [f.code, f.pointer, f.message])).toEqual([
      ["duplicate-target-reference", "/flows/1/targets/2", 'flows[1].targets[2]: target "data-warehouse" is listed twice'],
      [
        "unknown-target",
        "/flows/1/targets/3",
        'flows[1].targets[3]: flow "refunds" delivers to target "archive", which is not declared (targets: data-warehouse, billing-audit)',
      ],
    ]);
  });

  test("an unused endpoint and an unused target", () => {
    const findings = check([
      ["\ntargets:\n", "  - name: spare-hook\n    verification: { preset: github, secretRef: GH_SECRET }\n\ntargets:\n"],
      ["    timeoutSeconds: 15\n", "    timeoutSeconds: 15\n  - name: spare-target\n    url: https://spare.example.com\n"],
    ]);
    expect(findings.map((f) => [f.code, f.pointer, f.line, f.message])).toEqual([
      ["unused-endpoint", "/endpoints/1/name", 14, 'endpoints[1]: endpoint "spare-hook" is not used by any flow'],
      ["unused-target", "/targets/2/name", 27, 'targets[2]: target "spare-target" is not used by any flow'],
    ]);
  });

  test("exactly one map step, at most one validate step, in run order", () => {
    const noMap = check([
      [
        "      - map:\n          resourceType: refund\n          action: refunded\n          resourceIdPath: data.object.id\n          idempotencyPath: id\n",
        "",
      ],
    ]);
    expect(noMap.map((f) => [f.code, f.pointer])).toEqual([["missing-map-step", "/flows/1/steps"]]);

    const twoMaps = check([
      [
        "      - map:\n          resourceType: refund",
        "      - map: { resourceType: r, action: a, resourceIdPath: id }\n      - map:\n          resourceType: refund",
      ],
    ]);
    expect(twoMaps.map((f) => [f.code, f.pointer])).toEqual([["duplicate-map-step", "/flows/1/steps/3"]]);

    const twoValidates = check([
      [
        "      - map:\n          resourceType: refund",
        "      - validate: { schema: { type: object, required: [id] } }\n      - validate: { schema: { type: object, required: [type] } }\n      - map:\n          resourceType: refund",
      ],
    ]);
    expect(twoValidates.map((f) => [f.code, f.pointer])).toEqual([["duplicate-validate-step", "/flows/1/steps/3"]]);

    const late = check([
      [
        "      - map:\n          resourceType: payment",
        "      - filter: { all: [ { path: livemode, op: eq, value: true } ] }\n      - map:\n          resourceType: payment",
      ],
    ]);
    expect(late.map((f) => [f.code, f.pointer, f.message])).toEqual([
      [
        "step-order",
        "/flows/0/steps/2",
        "flows[0].steps[2]: this filter step comes after a validate step, but steps run as filter(s) → validate → map; move it up",
      ],
    ]);
  });

  test("paths never reach __proto__, constructor or prototype", () => {
    const findings = check([
      [
        "resourceIdPath: data.object.id\n          idempotencyPath: id\n          fields",
        "resourceIdPath: data.constructor.id\n          idempotencyPath: id\n          fields",
      ],
      ["{ path: type, op: eq, value: charge.refunded }", "{ path: data.prototype, op: eq, value: charge.refunded }"],
      ["root: data.object", "root: data..object"],
    ]);
    expect(findings.map((f) => [f.code, f.pointer, f.message])).toEqual([
      ["invalid-path", "/flows/0/steps/1/validate/root", "flows[0].steps[1].validate.root: Empty segment at position 5"],
      [
        "forbidden-path-segment",
        "/flows/0/steps/2/map/resourceIdPath",
        'flows[0].steps[2].map.resourceIdPath: path segment "constructor" is not allowed (paths never reach __proto__, constructor or prototype)',
      ],
      [
        "forbidden-path-segment",
        "/flows/1/steps/0/filter/all/0/path",
        'flows[1].steps[0].filter.all[0].path: path segment "prototype" is not allowed (paths never reach __proto__, constructor or prototype)',
      ],
    ]);
  });

  test("__proto__, constructor and prototype are refused as fields and metadata keys", () => {
    const findings = check([
      ["fields: { amount: data.object.amount,", "fields: { constructor: data.object.amount,"],
      [
        "metadata: { userId: data.object.metadata.user_id }",
        "metadata: { _proto__: data.object.metadata.user_id, prototype: id }",
      ],
    ]);
    expect(findings.map((f) => [f.code, f.pointer, f.line, f.column])).toEqual([
      ["forbidden-key", "/flows/0/steps/2/map/fields/constructor", 39, 21],
      ["forbidden-key", "/flows/0/steps/2/map/metadata/_proto__", 40, 23],
      ["forbidden-key", "/flows/0/steps/2/map/metadata/prototype", 40, 63],
    ]);
    // __proto__ itself never gets this far: the YAML reader refuses the key anywhere.
    const proto = check([["fields: { amount:", "fields: { __proto__:"]]);
    expect(proto.map((f) => [f.code, f.pointer])).toEqual([["forbidden-key", "/flows/0/steps/2/map/fields/__proto__"]]);
  });

  test("an unsafe regex in a matches condition", () => {
    const findings = check([['value: "^[a-z]{3}$"', 'value: "^(a+)+$"']]);
    expect(findings).toEqual([
      {
        code: "unsafe-regex",
        message:
          "flows[1].steps[1].filter.all[1].value: Regular expression may backtrack catastrophically (nested quantifiers such as (a+)+, or more than 25 repetitions)",
        file: "provider-flow.yaml",
        line: 52,
        column: 65,
        pointer: "/flows/1/steps/1/filter/all/1/value",
      },
    ]);
    const lookahead = check([['value: "^[a-z]{3}$"', 'value: "^(?=eur)"']]);
    expect(lookahead.map((f) => f.code)).toEqual(["unsafe-regex"]);
    expect(lookahead[0]?.message).toContain("Lookahead and lookbehind");
  });

  test("conditions whose value does not fit the op", () => {
    const findings = check([
      ["{ path: type, op: eq, value: charge.refunded }", "{ path: type, op: in, value: charge.refunded }"],
      ["op: gt, value: 0 }", "op: exists, value: 0 }"],
    ]);
    expect(findings.map((f) => [f.code, f.pointer, f.message])).toEqual([
      [
        "invalid-condition",
        "/flows/1/steps/0/filter/all/0/value",
        'flows[1].steps[0].filter.all[0].value: must be an array for op "in"',
      ],
      [
        "invalid-condition",
        "/flows/1/steps/1/filter/all/0/value",
        'flows[1].steps[1].filter.all[0].value: must not be set for op "exists"',
      ],
    ]);
  });

  test("more than 100 conditions across a flow's filters", () => {
    const many = Array.from({ length: 60 }, (_, i) => `            - { path: k${i}, op: exists }\n`).join("");
    const findings = check([
      ["          all:\n            - { path: type, op: eq, value: charge.refunded }\n", `          all:\n${many}`],
      [
        "          all:\n            - { path: data.object.amount_refunded",
        `          all:\n${many}            - { path: data.object.amount_refunded`,
      ],
    ]);
    expect(findings.map((f) => [f.code, f.message])).toEqual([
      ["too-many-conditions", "flows[1]: its filter steps hold 122 conditions; a flow may have at most 100"],
    ]);
  });

  test("target URLs parse and carry no credentials", () => {
    const findings = check([
      ["url: https://api.data-warehouse.com/events", "url: https://user:pass@api.data-warehouse.com/events"],
    ]);
    expect(findings.map((f) => [f.code, f.pointer, f.line])).toEqual([["url-credentials", "/targets/0/url", 18]]);
    const broken = check([["url: https://audit.example.com/hooks/stripe", "url: https://exa mple.com/"]]);
    expect(broken.map((f) => f.code)).toEqual(["invalid-url"]);
  });
});

describe("schemas", () => {
  test("a referenced schema file that is not in the package", () => {
    const findings = check([], { "schemas/payment-intent.json": null });
    expect(findings).toEqual([
      {
        code: "schema-file-missing",
        message: "flows[0].steps[1].validate.schema: schemas/payment-intent.json is not in the package",
        file: "provider-flow.yaml",
        line: 33,
        column: 29,
        pointer: "/flows/0/steps/1/validate/schema",
      },
    ]);
  });

  test("a schema file that is not JSON, located in that file", () => {
    const findings = check([], { "schemas/payment-intent.json": '{\n  "type": "object",\n  "required": ["id",]\n}\n' });
    expect(findings).toEqual([
      expect.objectContaining({ code: "invalid-json", file: "schemas/payment-intent.json", line: 3, column: 21 }),
    ]);
  });

  test("a schema file AJV refuses, located in that file", () => {
    const source = '{\n  "type": "object",\n  "properties": {\n    "id": { "type": "strin" }\n  }\n}\n';
    const findings = check([], { "schemas/payment-intent.json": source });
    expect(findings.map((f) => [f.code, f.file, f.line, f.pointer])).toContainEqual([
      "invalid-json-schema",
      "schemas/payment-intent.json",
      4,
      "/properties/id/type",
    ]);
    const arr = check([], { "schemas/payment-intent.json": "[]" });
    expect(arr.map((f) => [f.code, f.file])).toEqual([["schema-not-object", "schemas/payment-intent.json"]]);
  });

  test("an inline schema AJV refuses, located in provider-flow.yaml", () => {
    const findings = check([["schema: schemas/payment-intent.json", "schema: { type: object, requird: [id] }"]]);
    expect(findings).toEqual([
      {
        code: "invalid-json-schema",
        message: 'flows[0].steps[1].validate.schema: strict mode: unknown keyword: "requird"',
        file: "provider-flow.yaml",
        line: 33,
        column: 29,
        pointer: "/flows/0/steps/1/validate/schema",
      },
    ]);
  });

  test("an inline schema that is valid is accepted", () => {
    const files = withContractEdits(valid, [["schema: schemas/payment-intent.json", "schema: { type: object, required: [id] }"]]);
    const result = checkPackage(withFiles(files, { "schemas/payment-intent.json": null }));
    expect(result.ok).toBe(true);
  });
});

describe("what the management API would refuse", () => {
  test("a header the stripe preset fixes", () => {
    const findings = check([
      [
        "{ preset: stripe, secretRef: STRIPE_WEBHOOK_SECRET }",
        "{ preset: stripe, secretRef: STRIPE_WEBHOOK_SECRET, header: X-Sig }",
      ],
    ]);
    expect(findings).toEqual([
      {
        code: "api-rejected",
        message:
          'endpoints[0].verification.header: is fixed by the "stripe" preset ("Stripe-Signature") (the management API refuses this)',
        file: "provider-flow.yaml",
        line: 12,
        column: 79,
        pointer: "/endpoints/0/verification/header",
      },
    ]);
  });

  test("an auth header the platform sets itself", () => {
    const findings = check([["headerName: X-Api-Key", "headerName: Content-Type"]]);
    expect(findings.map((f) => [f.code, f.pointer, f.line, f.message])).toEqual([
      [
        "api-rejected",
        "/targets/1/auth/headerName",
        23,
        "targets[1].auth.headerName: is set by the platform and cannot carry auth (the management API refuses this)",
      ],
    ]);
  });

  test("replay protection half-configured on an hmac endpoint", () => {
    const findings = check([
      [
        "{ preset: stripe, secretRef: STRIPE_WEBHOOK_SECRET }",
        "{ preset: hmac, secretRef: STRIPE_WEBHOOK_SECRET, replayTolerance: 60 }",
      ],
    ]);
    expect(findings.map((f) => [f.code, f.pointer, f.line])).toEqual([
      ["api-rejected", "/endpoints/0/verification/timestampField", 12],
    ]);
    expect(findings[0]?.message).toContain('is required when replayTolerance is set (preset "hmac")');
  });
});

test("findings come sorted by line and column", () => {
  const findings = check([
    ["url: https://api.data-warehouse.com/events", "url: https://user:pass@api.data-warehouse.com/events"],
    ["  - name: refunds", "  - name: payment-events"],
    [
      "resourceIdPath: data.object.id\n          idempotencyPath: id\n          fields",
      "resourceIdPath: a..b\n          idempotencyPath: id\n          fields",
    ],
  ]);
  const lines = findings.map((f) => f.line ?? 0);
  expect(lines).toEqual([...lines].sort((a, b) => a - b));
  expect(findings).toHaveLength(3);
});

describe("text PostgreSQL cannot store", () => {
  test("a NUL or a lone surrogate in the contract or a schema file is a finding at its place", () => {
    const findings = check([['value: "payment_intent."', 'value: "payment_intent.\\0"']], {
      "schemas/payment-intent.json": JSON.stringify({ type: "object", properties: { id: { const: "pi_\ud800" } } }),
    });
    expect(findings.filter((f) => f.code === "unstorable-text").map((f) => [f.file, f.pointer, f.message])).toEqual([
      ["provider-flow.yaml", "/flows/0/steps/0/filter/all/0/value", "flows[0].steps[0].filter.all[0].value must not contain U+0000 (NUL) or unpaired surrogate characters"],
      ["schemas/payment-intent.json", "/properties/id/const", "schemas/payment-intent.json: properties.id.const must not contain U+0000 (NUL) or unpaired surrogate characters"],
    ]);
  });
});
