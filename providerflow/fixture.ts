// Fixtures (providerflow.md §1, §9): one inbound request each, in fixtures/<name>.json:
//
//   { "endpoint"?: <endpoint name; required when the package has several>,
//     "headers": { <name>: <string value> },
//     "body": <a string = the exact bytes, or any other JSON value = JSON.stringify(body)>,
//     "receivedAt"?: <ISO 8601 date-time with a zone; the sandbox clock, default 2025-01-01T00:00:00Z>,
//     "expectSignature"?: "valid" | "invalid",
//     "description"?: <string> }
//
// Unknown keys are errors, as everywhere in a package. Header names are matched
// case-insensitively by the pipeline, so two names differing only in case are an
// error rather than a silent "last one wins". receivedAt must carry a zone: a
// zone-less time would be read in the machine's local time zone and make outputs
// differ between machines.

import { parseIso8601 } from "../lib/inbound/timestamps";
import type { ProviderFlowContract } from "./contract";
import { pointerFrom, type Finding } from "./findings";
import { baseName, filesOfKind, type PackageFiles } from "./load-package";
import { parseJson } from "./parse";

export const DEFAULT_RECEIVED_AT = "2025-01-01T00:00:00Z";

const KNOWN_KEYS: ReadonlySet<string> = new Set(["endpoint", "headers", "body", "receivedAt", "expectSignature", "description"]);

export type Fixture = {
  /** fixtures/<name>.json → name. */
  name: string;
  file: string;
  endpoint: string;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** The request body exactly as sent. */
  body: Uint8Array;
  /** The sandbox clock for this fixture, epoch ms. */
  receivedAtMs: number;
  expectSignature?: "valid" | "invalid";
  description?: string;
};

export type FixtureRead = { ok: true; fixture: Fixture } | { ok: false; findings: Finding[] };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Parses and checks one fixture file against the contract's endpoints. Never throws. */
export function readFixture(file: string, bytes: Uint8Array, contract: ProviderFlowContract): FixtureRead {
  const parsed = parseJson(bytes, file);
  if (!parsed.ok) return { ok: false, findings: parsed.findings };
  const { value, positions } = parsed;
  const findings: Finding[] = [];
  const fail = (code: string, message: string, pointer: string, at: "key" | "value" = "value") =>
    findings.push(positions.finding(code, `${file}: ${message}`, pointer, at));

  if (!isRecord(value)) {
    fail("fixture-invalid", "a fixture is a JSON object with headers and body", "");
    return { ok: false, findings };
  }
  for (const key of Object.keys(value)) {
    if (!KNOWN_KEYS.has(key)) {
      fail("unknown-key", `unknown key "${key}" (allowed: ${[...KNOWN_KEYS].join(", ")})`, pointerFrom([key]), "key");
    }
  }

  const headers: Record<string, string> = {};
  if (!Object.hasOwn(value, "headers")) {
    fail("fixture-invalid", 'missing "headers" (use {} for none)', "");
  } else if (!isRecord(value.headers)) {
    fail("fixture-invalid", '"headers" must be an object of header name → string value', "/headers");
  } else {
    for (const [name, v] of Object.entries(value.headers)) {
      const pointer = pointerFrom(["headers", name]);
      const lower = name.toLowerCase();
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
        fail("fixture-invalid", `"${name}" is not a valid HTTP header name`, pointer, "key");
      } else if (typeof v !== "string") {
        fail("fixture-invalid", `header "${name}" must be a string`, pointer);
      } else if (Object.hasOwn(headers, lower)) {
        fail("fixture-invalid", `header "${name}" is given twice (header names are case-insensitive)`, pointer, "key");
      } else {
        headers[lower] = v;
      }
    }
  }

  let body: Uint8Array = new Uint8Array(0);
  if (!Object.hasOwn(value, "body")) {
    fail("fixture-invalid", 'missing "body" (a string for exact bytes, or a JSON value)', "");
  } else {
    const raw = value.body;
    body = new TextEncoder().encode(typeof raw === "string" ? raw : JSON.stringify(raw));
  }

  let receivedAtMs = parseIso8601(DEFAULT_RECEIVED_AT) as number;
  if (Object.hasOwn(value, "receivedAt")) {
    const at = typeof value.receivedAt === "string" ? parseIso8601(value.receivedAt) : null;
    if (at === null) {
      fail(
        "fixture-invalid",
        '"receivedAt" must be an ISO 8601 date-time with a zone, e.g. "2025-01-01T00:00:00Z"',
        "/receivedAt",
      );
    } else {
      receivedAtMs = at;
    }
  }

  let expectSignature: Fixture["expectSignature"];
  if (Object.hasOwn(value, "expectSignature")) {
    if (value.expectSignature === "valid" || value.expectSignature === "invalid") expectSignature = value.expectSignature;
    else fail("fixture-invalid", '"expectSignature" must be "valid" or "invalid"', "/expectSignature");
  }

  let description: string | undefined;
  if (Object.hasOwn(value, "description")) {
    if (typeof value.description === "string") description = value.description;
    else fail("fixture-invalid", '"description" must be a string', "/description");
  }

  const endpoints = contract.endpoints.map((e) => e.name);
  let endpoint = "";
  if (Object.hasOwn(value, "endpoint")) {
    if (typeof value.endpoint !== "string" || !endpoints.includes(value.endpoint)) {
      fail("fixture-invalid", `"endpoint" must name an endpoint of the package (${endpoints.join(", ")})`, "/endpoint");
    } else {
      endpoint = value.endpoint;
    }
  } else if (endpoints.length === 1) {
    endpoint = endpoints[0] as string;
  } else {
    fail("fixture-invalid", `the package has ${endpoints.length} endpoints; say which one with "endpoint"`, "");
  }

  if (findings.length > 0) return { ok: false, findings };
  const fixture: Fixture = { name: baseName(file), file, endpoint, headers, body, receivedAtMs };
  if (expectSignature !== undefined) fixture.expectSignature = expectSignature;
  if (description !== undefined) fixture.description = description;
  return { ok: true, fixture };
}

/** Every fixture of the package, in name order, and the findings of those that did not read. */
export function readFixtures(
  files: PackageFiles,
  contract: ProviderFlowContract,
): { fixtures: Fixture[]; failed: { name: string; file: string; findings: Finding[] }[] } {
  const fixtures: Fixture[] = [];
  const failed: { name: string; file: string; findings: Finding[] }[] = [];
  for (const [file, bytes] of filesOfKind(files, "fixture")) {
    const read = readFixture(file, bytes, contract);
    if (read.ok) fixtures.push(read.fixture);
    else failed.push({ name: baseName(file), file, findings: read.findings });
  }
  return { fixtures, failed };
}
