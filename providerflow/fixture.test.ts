import { beforeAll, describe, expect, test } from "vitest";
import { checkPackage } from "./check";
import type { ProviderFlowContract } from "./contract";
import { readFixture } from "./fixture";
import { loadTestPackage } from "./test-packages/packages";

let contract: ProviderFlowContract;

beforeAll(async () => {
  const check = checkPackage(await loadTestPackage("valid-stripe"));
  if (!check.ok) throw new Error("valid-stripe does not check");
  contract = check.package.contract;
});

const read = (text: string) => readFixture("fixtures/f.json", Buffer.from(text), contract);

describe("readFixture", () => {
  test("defaults: the only endpoint, the fixed clock, lower-cased headers, compact JSON bytes", () => {
    const r = read('{ "headers": { "Content-Type": "application/json" }, "body": { "b": 1, "a": [1, 2] } }');
    expect(r).toEqual({
      ok: true,
      fixture: {
        name: "f",
        file: "fixtures/f.json",
        endpoint: "payment-webhook",
        headers: { "content-type": "application/json" },
        body: new TextEncoder().encode('{"b":1,"a":[1,2]}'),
        receivedAtMs: Date.parse("2025-01-01T00:00:00Z"),
      },
    });
  });

  test("a string body is the exact bytes; receivedAt with an offset; expectSignature and description kept", () => {
    const r = read(
      JSON.stringify({
        headers: {},
        body: " raw\n",
        receivedAt: "2025-02-03T04:05:06+01:00",
        expectSignature: "invalid",
        description: "d",
      }),
    );
    expect(r.ok && r.fixture).toMatchObject({
      body: new TextEncoder().encode(" raw\n"),
      receivedAtMs: Date.parse("2025-02-03T03:05:06Z"),
      expectSignature: "invalid",
      description: "d",
    });
  });

  test("every problem at its line and column", () => {
    const r = read(
      [
        "{",
        '  "headers": { "A": "1", "a": "2", "b": 3, "bad name": "x" },',
        '  "receivedAt": "2025-01-01T00:00:00",',
        '  "expectSignature": "maybe",',
        '  "endpoint": "nope",',
        '  "colour": "blue"',
        "}",
      ].join("\n"),
    );
    expect(r.ok ? [] : r.findings.map((f) => [f.code, f.line, f.column, f.message])).toEqual([
      [
        "unknown-key",
        6,
        3,
        'fixtures/f.json: unknown key "colour" (allowed: endpoint, headers, body, receivedAt, expectSignature, description)',
      ],
      ["fixture-invalid", 2, 26, 'fixtures/f.json: header "a" is given twice (header names are case-insensitive)'],
      ["fixture-invalid", 2, 41, 'fixtures/f.json: header "b" must be a string'],
      ["fixture-invalid", 2, 44, 'fixtures/f.json: "bad name" is not a valid HTTP header name'],
      ["fixture-invalid", 1, 1, 'fixtures/f.json: missing "body" (a string for exact bytes, or a JSON value)'],
      [
        "fixture-invalid",
        3,
        17,
        'fixtures/f.json: "receivedAt" must be an ISO 8601 date-time with a zone, e.g. "2025-01-01T00:00:00Z"',
      ],
      ["fixture-invalid", 4, 22, 'fixtures/f.json: "expectSignature" must be "valid" or "invalid"'],
      ["fixture-invalid", 5, 15, 'fixtures/f.json: "endpoint" must name an endpoint of the package (payment-webhook)'],
    ]);
  });

  test("not JSON, not an object, a __proto__ key", () => {
    expect(read("{").ok).toBe(false);
    expect(read("[]")).toMatchObject({ ok: false, findings: [{ code: "fixture-invalid" }] });
    expect(read('{ "headers": {}, "body": { "__proto__": {} } }')).toMatchObject({
      ok: false,
      findings: [{ code: "forbidden-key" }],
    });
  });
});
