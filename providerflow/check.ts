// Contract validation of a package (providerflow.md §2, §9): YAML syntax, the
// published JSON Schema, then the rules a schema cannot express, each with its own
// finding code and a line and column:
//
//   duplicate-name              a name used twice among endpoints, targets or flows
//   unknown-endpoint            flow.endpoint names no endpoint
//   unknown-target              flow.target / flow.targets[i] names no target
//   duplicate-target-reference  the same target listed twice in one flow's targets
//   unused-endpoint             an endpoint no flow reads from
//   unused-target               a target no flow delivers to
//   missing-map-step            a flow without a map step (exactly one is required)
//   duplicate-map-step          a second map step
//   duplicate-validate-step     a second validate step (at most one)
//   step-order                  steps out of their run order: filter(s), validate, map.
//                               The compiled mapping always runs them in that order,
//                               so another order in the file would misstate what runs.
//   too-many-conditions         more than 100 conditions across a flow's filter steps
//   invalid-path                a path that is not valid dot/bracket notation
//   forbidden-path-segment      a path reaching __proto__, constructor or prototype
//   forbidden-key               __proto__, constructor or prototype as a fields or
//                               metadata output key (or _proto__, which metadata would
//                               turn into __proto__)
//   invalid-condition           an op/value mismatch (in without a list, …)
//   unsafe-regex                a `matches` pattern that is invalid or may backtrack
//                               catastrophically (lib/inbound/safe-regex.ts)
//   schema-file-missing         a schemas/<name>.json reference to a file not in the package
//   invalid-json, json-too-deep, schema-not-object, invalid-json-schema
//                               a referenced schema that is not valid JSON, not an
//                               object, or not a usable draft 2020-12 schema
//                               (lib/inbound/validate-schema.ts checkJsonSchema)
//   invalid-url, url-credentials  a target URL that does not parse, or carries user:pass
//   unstorable-text             a string or key of the contract or of a referenced
//                               schema file holding U+0000 or an unpaired surrogate
//                               (YAML "\0", JSON "\u0000"): PostgreSQL cannot store it
//                               and the management API refuses it. Fixtures may hold
//                               them: they are a provider's data, stored as U+FFFD.
//   api-rejected                a compiled input the management API's own request
//                               schemas (lib/schemas) refuse, e.g. a header a preset
//                               fixes, or an auth header the platform sets itself. This
//                               last stage keeps "valid package" and "applies cleanly"
//                               the same thing.
//
// Acyclic: a flow names one endpoint and targets; nothing can name a flow, so the
// graph endpoint → flow → target has no edge back and no package can express a cycle.
// There is therefore no cycle check. Confinement: schema references must match
// schemas/<name>.json (no "..", no absolute path; see contract-schema.ts), and the
// files themselves were read by load-package.ts, which refuses symlinks out.
//
// Later stages run only when earlier ones pass (syntax → schema → rules → API), so
// every rule can rely on the shapes the schema guarantees.

import { MappingCreate } from "../lib/schemas/mappings";
import { SourceCreate } from "../lib/schemas/sources";
import { TargetCreate } from "../lib/schemas/targets";
import { MAX_CONDITIONS, validateConditions } from "../lib/inbound/conditions";
import { FORBIDDEN_PATH_KEYS, isRequestPath, parseRequestPath, unreadableHeaderReason } from "../lib/inbound/paths";
import type { VerificationConfig } from "../lib/inbound/types";
import { signatureHeaderNames } from "../lib/inbound/verify-signature";
import { unstorableTextPointers } from "../lib/inbound/storable-text";
import { checkJsonSchema } from "../lib/inbound/validate-schema";
import { compilePackage, originOf, type CompiledPackage, type Origins } from "./compile";
import {
  flowTargetPointer,
  flowTargets,
  stepKind,
  type JsonSchemaObject,
  type ProviderFlowContract,
  type SchemaRef,
  type StepKind,
} from "./contract";
import { validateContractSchema } from "./contract-schema";
import { describePointer, normalizeFindings, pointerFrom, type Finding } from "./findings";
import { CONTRACT_FILE, type PackageFiles } from "./load-package";
import { parseJson, parseYaml, type PositionIndex } from "./parse";

export type SchemaFile = { schema: JsonSchemaObject; positions: PositionIndex };

/** A package whose contract passed every check: typed, with its referenced schema files parsed. */
export type CheckedPackage = {
  contract: ProviderFlowContract;
  files: PackageFiles;
  /** Positions in provider-flow.yaml. */
  positions: PositionIndex;
  /** Referenced schema files by package path ("schemas/event.json"). */
  schemaFiles: ReadonlyMap<string, SchemaFile>;
};

export type CheckResult = { ok: true; package: CheckedPackage; compiled: CompiledPackage } | { ok: false; findings: Finding[] };

/** Placeholders standing in for secrets when compiled inputs are run through the API's schemas. */
const PLACEHOLDER_SECRET = "providerflow-placeholder-secret";
const PLACEHOLDER_WHSEC = `whsec_${Buffer.alloc(24).toString("base64")}`;
const PLACEHOLDER_UUID = "00000000-0000-4000-8000-000000000000";

const STEP_RANK: Readonly<Record<StepKind, number>> = { filter: 0, validate: 1, map: 2 };

function checkUniqueNames(contract: ProviderFlowContract, pos: PositionIndex): Finding[] {
  const findings: Finding[] = [];
  const kinds = [
    ["endpoints", "endpoint", contract.endpoints],
    ["targets", "target", contract.targets],
    ["flows", "flow", contract.flows],
  ] as const;
  for (const [key, label, items] of kinds) {
    const first = new Map<string, number>();
    items.forEach((item: { name: string }, i: number) => {
      const earlier = first.get(item.name);
      if (earlier === undefined) {
        first.set(item.name, i);
        return;
      }
      const line = pos.locate(`/${key}/${earlier}/name`).line;
      findings.push(
        pos.finding(
          "duplicate-name",
          `${key}[${i}].name: ${label} "${item.name}" is already declared (line ${line})`,
          `/${key}/${i}/name`,
        ),
      );
    });
  }
  return findings;
}

function checkReferences(contract: ProviderFlowContract, pos: PositionIndex): Finding[] {
  const findings: Finding[] = [];
  const endpoints = new Set(contract.endpoints.map((e) => e.name));
  const targets = new Set(contract.targets.map((t) => t.name));
  const list = (names: Set<string>) => [...names].join(", ");
  const usedEndpoints = new Set<string>();
  const usedTargets = new Set<string>();
  contract.flows.forEach((flow, i) => {
    if (endpoints.has(flow.endpoint)) usedEndpoints.add(flow.endpoint);
    else {
      findings.push(
        pos.finding(
          "unknown-endpoint",
          `flows[${i}].endpoint: flow "${flow.name}" reads from endpoint "${flow.endpoint}", which is not declared (endpoints: ${list(endpoints)})`,
          `/flows/${i}/endpoint`,
        ),
      );
    }
    const seen = new Set<string>();
    flowTargets(flow).forEach((name, t) => {
      const pointer = flowTargetPointer(i, flow, t);
      if (seen.has(name)) {
        findings.push(
          pos.finding("duplicate-target-reference", `${describePointer(pointer)}: target "${name}" is listed twice`, pointer),
        );
      }
      seen.add(name);
      if (targets.has(name)) usedTargets.add(name);
      else {
        findings.push(
          pos.finding(
            "unknown-target",
            `${describePointer(pointer)}: flow "${flow.name}" delivers to target "${name}", which is not declared (targets: ${list(targets)})`,
            pointer,
          ),
        );
      }
    });
  });
  contract.endpoints.forEach((e, i) => {
    if (!usedEndpoints.has(e.name)) {
      findings.push(
        pos.finding("unused-endpoint", `endpoints[${i}]: endpoint "${e.name}" is not used by any flow`, `/endpoints/${i}/name`),
      );
    }
  });
  contract.targets.forEach((t, i) => {
    if (!usedTargets.has(t.name)) {
      findings.push(
        pos.finding("unused-target", `targets[${i}]: target "${t.name}" is not used by any flow`, `/targets/${i}/name`),
      );
    }
  });
  return findings;
}

function checkSteps(contract: ProviderFlowContract, pos: PositionIndex): Finding[] {
  const findings: Finding[] = [];
  contract.flows.forEach((flow, i) => {
    const count: Record<StepKind, number> = { filter: 0, validate: 0, map: 0 };
    let conditions = 0;
    let highest: StepKind = "filter";
    flow.steps.forEach((step, s) => {
      const kind = stepKind(step);
      const at = `/flows/${i}/steps/${s}`;
      count[kind] += 1;
      if (kind === "filter" && "filter" in step) conditions += step.filter.all.length;
      if (kind === "map" && count.map > 1) {
        findings.push(pos.finding("duplicate-map-step", `flows[${i}].steps[${s}]: a flow has exactly one map step`, at));
      } else if (kind === "validate" && count.validate > 1) {
        findings.push(
          pos.finding("duplicate-validate-step", `flows[${i}].steps[${s}]: a flow has at most one validate step`, at),
        );
      } else if (STEP_RANK[kind] < STEP_RANK[highest]) {
        findings.push(
          pos.finding(
            "step-order",
            `flows[${i}].steps[${s}]: this ${kind} step comes after a ${highest} step, but steps run as filter(s) → validate → map; move it up`,
            at,
          ),
        );
      }
      if (STEP_RANK[kind] > STEP_RANK[highest]) highest = kind;
    });
    if (count.map === 0) {
      findings.push(
        pos.finding(
          "missing-map-step",
          `flows[${i}]: flow "${flow.name}" has no map step (exactly one is required)`,
          `/flows/${i}/steps`,
        ),
      );
    }
    if (conditions > MAX_CONDITIONS) {
      findings.push(
        pos.finding(
          "too-many-conditions",
          `flows[${i}]: its filter steps hold ${conditions} conditions; a flow may have at most ${MAX_CONDITIONS}`,
          `/flows/${i}/steps`,
        ),
      );
    }
  });
  return findings;
}

/**
 * A path's problem: its grammar, a request path where only the body can be read
 * (`body`: validate.root, timestampField), or a header no path may read (it carries the
 * endpoint's signature or a credential, and events store it redacted).
 */
function pathFinding(
  path: string,
  pointer: string,
  pos: PositionIndex,
  opts: { body?: boolean; signatureHeaders?: readonly string[] } = {},
): Finding | null {
  if (opts.body && isRequestPath(path)) {
    return pos.finding("request-path-not-allowed", `${describePointer(pointer)}: must be a path into the body ($headers and $query paths are not allowed here)`, pointer);
  }
  const parsed = parseRequestPath(path);
  if (parsed.ok) {
    const reason = unreadableHeaderReason(path, opts.signatureHeaders ?? []);
    return reason ? pos.finding("unreadable-header", `${describePointer(pointer)}: ${reason}`, pointer) : null;
  }
  const forbidden = path.split(/[.[\]]/).find((segment) => FORBIDDEN_PATH_KEYS.includes(segment));
  if (forbidden !== undefined) {
    return pos.finding(
      "forbidden-path-segment",
      `${describePointer(pointer)}: path segment "${forbidden}" is not allowed (paths never reach __proto__, constructor or prototype)`,
      pointer,
    );
  }
  return pos.finding("invalid-path", `${describePointer(pointer)}: ${parsed.message}`, pointer);
}

function checkPathsAndKeys(contract: ProviderFlowContract, pos: PositionIndex): Finding[] {
  const findings: Finding[] = [];
  let signatureHeaders: readonly string[] = [];
  const path = (value: string | undefined, pointer: string, body = false) => {
    if (value === undefined) return;
    const f = pathFinding(value, pointer, pos, { body, signatureHeaders });
    if (f) findings.push(f);
  };
  contract.endpoints.forEach((e, i) => path(e.verification?.timestampField, `/endpoints/${i}/verification/timestampField`, true));
  contract.flows.forEach((flow, i) => {
    signatureHeaders = endpointSignatureHeaders(contract, flow.endpoint);
    flow.steps.forEach((step, s) => {
      const at = `/flows/${i}/steps/${s}`;
      if ("validate" in step) path(step.validate.root, `${at}/validate/root`, true);
      if (!("map" in step)) return;
      const m = step.map;
      if (typeof m.action !== "string") path(m.action.path, `${at}/map/action/path`);
      path(m.resourceIdPath, `${at}/map/resourceIdPath`);
      path(m.idempotencyPath, `${at}/map/idempotencyPath`);
      const outputs = [
        ["fields", m.fields, (k: string) => FORBIDDEN_PATH_KEYS.includes(k)],
        // metadata keys become "_<key>" in the interaction object.
        ["metadata", m.metadata, (k: string) => FORBIDDEN_PATH_KEYS.includes(k) || `_${k}` === "__proto__"],
      ] as const;
      for (const [key, record, forbidden] of outputs) {
        for (const [name, value] of Object.entries(record ?? {})) {
          const pointer = `${at}/map/${key}${pointerFrom([name])}`;
          if (forbidden(name)) {
            findings.push(
              pos.finding(
                "forbidden-key",
                `${describePointer(pointer)}: "${name}" is not allowed as a ${key} key (__proto__, constructor and prototype are refused)`,
                pointer,
                "key",
              ),
            );
          }
          path(value, pointer);
        }
      }
    });
  });
  return findings;
}

/** The header names the flow's endpoint signs in (lower-cased; none when it verifies nothing). */
function endpointSignatureHeaders(contract: ProviderFlowContract, endpoint: string): string[] {
  const v = contract.endpoints.find((e) => e.name === endpoint)?.verification;
  return v ? signatureHeaderNames({ preset: v.preset, header: (v as { header?: string }).header } as VerificationConfig) : [];
}

function checkConditions(contract: ProviderFlowContract, pos: PositionIndex): Finding[] {
  const findings: Finding[] = [];
  contract.flows.forEach((flow, i) => {
    flow.steps.forEach((step, s) => {
      if (!("filter" in step)) return;
      const base = `/flows/${i}/steps/${s}/filter/all`;
      for (const detail of validateConditions(step.filter.all, base)) {
        const index = Number(detail.path.slice(base.length + 1).split("/")[0]);
        const condition = step.filter.all[index];
        if (detail.path.endsWith("/path") && condition) {
          const f = pathFinding(condition.path, detail.path, pos, { signatureHeaders: endpointSignatureHeaders(contract, flow.endpoint) });
          if (f) findings.push(f);
          continue;
        }
        const regex = detail.path.endsWith("/value") && condition?.op === "matches" && typeof condition.value === "string";
        findings.push(
          pos.finding(
            regex ? "unsafe-regex" : "invalid-condition",
            `${describePointer(detail.path)}: ${detail.message}`,
            detail.path,
          ),
        );
      }
    });
  });
  return findings;
}

function checkTargetUrls(contract: ProviderFlowContract, pos: PositionIndex): Finding[] {
  const findings: Finding[] = [];
  contract.targets.forEach((t, i) => {
    const pointer = `/targets/${i}/url`;
    let url: URL;
    try {
      url = new URL(t.url);
    } catch {
      findings.push(pos.finding("invalid-url", `targets[${i}].url: "${t.url}" is not a valid URL`, pointer));
      return;
    }
    if (url.hostname === "") findings.push(pos.finding("invalid-url", `targets[${i}].url: the URL has no host`, pointer));
    if (url.username !== "" || url.password !== "") {
      findings.push(
        pos.finding(
          "url-credentials",
          `targets[${i}].url: credentials in the URL are not allowed; use the target's auth with a secretRef`,
          pointer,
        ),
      );
    }
  });
  return findings;
}

/** Every schema reference in the contract, with the pointer of the reference. */
function schemaRefs(contract: ProviderFlowContract): { ref: SchemaRef; pointer: string }[] {
  const refs: { ref: SchemaRef; pointer: string }[] = [];
  contract.endpoints.forEach((e, i) => {
    if (e.payloadSchema !== undefined) refs.push({ ref: e.payloadSchema, pointer: `/endpoints/${i}/payloadSchema` });
  });
  contract.flows.forEach((flow, i) =>
    flow.steps.forEach((step, s) => {
      if ("validate" in step) refs.push({ ref: step.validate.schema, pointer: `/flows/${i}/steps/${s}/validate/schema` });
    }),
  );
  return refs;
}

function isPlainObject(v: unknown): v is JsonSchemaObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function checkSchemas(
  contract: ProviderFlowContract,
  pos: PositionIndex,
  files: PackageFiles,
): { findings: Finding[]; schemaFiles: Map<string, SchemaFile> } {
  const findings: Finding[] = [];
  const schemaFiles = new Map<string, SchemaFile>();
  const done = new Set<string>();
  for (const { ref, pointer } of schemaRefs(contract)) {
    if (typeof ref !== "string") {
      for (const d of checkJsonSchema(ref, pointer)) {
        findings.push(pos.finding("invalid-json-schema", `${describePointer(d.path)}: ${d.message}`, d.path));
      }
      continue;
    }
    const bytes = files.get(ref);
    if (!bytes) {
      findings.push(pos.finding("schema-file-missing", `${describePointer(pointer)}: ${ref} is not in the package`, pointer));
      continue;
    }
    if (done.has(ref)) continue;
    done.add(ref);
    const parsed = parseJson(bytes, ref);
    if (!parsed.ok) {
      findings.push(...parsed.findings);
      continue;
    }
    if (!isPlainObject(parsed.value)) {
      findings.push(parsed.positions.finding("schema-not-object", `${ref}: a schema file must hold a JSON Schema object`, ""));
      continue;
    }
    const details = checkJsonSchema(parsed.value, "");
    for (const d of details) {
      findings.push(
        parsed.positions.finding("invalid-json-schema", `${ref}${d.path === "" ? "" : ` at ${d.path}`}: ${d.message}`, d.path),
      );
    }
    if (details.length === 0) schemaFiles.set(ref, { schema: parsed.value, positions: parsed.positions });
  }
  return { findings, schemaFiles };
}

/**
 * Strings and keys that could not be stored (lib/inbound/storable-text.ts), in the
 * contract and in each referenced schema file, located at the offending key or value.
 */
function checkStorableText(contract: ProviderFlowContract, pos: PositionIndex, schemaFiles: ReadonlyMap<string, SchemaFile>): Finding[] {
  const findings: Finding[] = [];
  const report = (value: unknown, positions: PositionIndex, where: (pointer: string) => string) => {
    for (const { pointer, message } of unstorableTextPointers(value)) {
      const at = message.startsWith("key ") ? "key" : "value";
      findings.push(positions.finding("unstorable-text", `${where(pointer)}: ${message} (the database cannot store it)`, pointer, at));
    }
  };
  report(contract, pos, describePointer);
  for (const [ref, file] of schemaFiles) report(file.schema, file.positions, (pointer) => `${ref}${pointer === "" ? "" : ` at ${pointer}`}`);
  return findings;
}

type IssueLike = { path: readonly PropertyKey[]; message: string };

/**
 * Runs each compiled input through the management API's request schema (with
 * placeholder secrets and ids) and reports what it would refuse, at the line the
 * refused value came from.
 */
function checkApiCompatibility(compiled: CompiledPackage, pkg: CheckedPackage): Finding[] {
  const findings: Finding[] = [];
  const report = (issues: readonly IssueLike[], origins: Origins) => {
    for (const issue of issues) {
      const inputPointer = pointerFrom(issue.path.filter((p): p is string | number => typeof p !== "symbol"));
      const origin = originOf(origins, inputPointer);
      const positions =
        origin.file === CONTRACT_FILE ? pkg.positions : (pkg.schemaFiles.get(origin.file)?.positions ?? pkg.positions);
      const where =
        origin.file === CONTRACT_FILE ? describePointer(origin.pointer) : `${origin.file} at ${origin.pointer || "/"}`;
      findings.push(
        positions.finding("api-rejected", `${where}: ${issue.message} (the management API refuses this)`, origin.pointer),
      );
    }
  };
  for (const source of compiled.sources) {
    const v = source.input.verification;
    let verification: Record<string, unknown> | null = null;
    if (v) {
      verification = { ...v, secret: v.preset === "standard-webhooks" ? PLACEHOLDER_WHSEC : PLACEHOLDER_SECRET };
      delete verification.secretRef;
    }
    const body = { ...source.input, verification };
    const result = SourceCreate.safeParse(body);
    if (!result.success) report(result.error.issues, source.origins);
  }
  for (const mapping of compiled.mappings) {
    const result = MappingCreate.safeParse({ sourceId: PLACEHOLDER_UUID, ...mapping.input });
    if (!result.success) report(result.error.issues, mapping.origins);
  }
  for (const target of compiled.targets) {
    const a = target.input.auth;
    const auth =
      a.type === "none"
        ? { type: "none" }
        : a.type === "basic"
          ? { type: "basic", secret: `${a.username}:${PLACEHOLDER_SECRET}` }
          : a.type === "header"
            ? { type: "header", headerName: a.headerName, secret: PLACEHOLDER_SECRET }
            : { type: "bearer", secret: PLACEHOLDER_SECRET };
    const result = TargetCreate.safeParse({ ...target.input, auth, signing: { type: "standard-webhooks", enabled: true } });
    if (!result.success) report(result.error.issues, target.origins);
  }
  return findings;
}

/**
 * Checks a loaded package's contract. On success the package is typed and compiled
 * (compilePackage), ready for the sandbox, plan and apply. Never throws for a user's
 * mistake; findings are sorted by file, line and column.
 */
export function checkPackage(files: PackageFiles): CheckResult {
  const bytes = files.get(CONTRACT_FILE);
  if (!bytes)
    return { ok: false, findings: [{ code: "missing-contract", message: `${CONTRACT_FILE} is missing`, file: CONTRACT_FILE }] };
  const parsed = parseYaml(bytes, CONTRACT_FILE);
  if (!parsed.ok) return { ok: false, findings: normalizeFindings(parsed.findings) };
  const pos = parsed.positions;

  const schemaFindings = validateContractSchema(parsed.value, pos);
  if (schemaFindings.length > 0) return { ok: false, findings: normalizeFindings(schemaFindings) };
  const contract = parsed.value as ProviderFlowContract;

  const schemas = checkSchemas(contract, pos, files);
  const findings = [
    ...checkUniqueNames(contract, pos),
    ...checkReferences(contract, pos),
    ...checkSteps(contract, pos),
    ...checkPathsAndKeys(contract, pos),
    ...checkConditions(contract, pos),
    ...checkTargetUrls(contract, pos),
    ...schemas.findings,
    ...checkStorableText(contract, pos, schemas.schemaFiles),
  ];
  if (findings.length > 0) return { ok: false, findings: normalizeFindings(findings) };

  const pkg: CheckedPackage = { contract, files, positions: pos, schemaFiles: schemas.schemaFiles };
  const compiled = compilePackage(pkg);
  const apiFindings = checkApiCompatibility(compiled, pkg);
  if (apiFindings.length > 0) return { ok: false, findings: normalizeFindings(apiFindings) };
  return { ok: true, package: pkg, compiled };
}
