// Validation of provider-flow.yaml against the published JSON Schema
// (schema/provider-flow.schema.json), with AJV's 2020-12 build and allErrors, turning
// each AJV error into a located finding a YAML author can act on.
//
// Error mapping:
// - additionalProperties → "unknown-key" at the key, listing the allowed keys.
// - required → "missing-key" at the object that lacks it.
// - type → "wrong-type"; anything else → "invalid-value", at the value.
// - A subschema carrying `x-error: { code, message }` names its own errors: every
//   error it raises directly gets that code and message. Errors from inside it (the
//   branches of an anyOf) are dropped, since its message already explains them.
// - `if` errors ("must match then schema") are dropped: the `then` errors say what is
//   wrong.
// - A schema reference that fails its pattern gets a precise code: path-absolute,
//   path-traversal, or invalid-schema-ref.

import Ajv2020 from "ajv/dist/2020.js";
import type { ErrorObject } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describePointer, pointerFrom, type Finding } from "./findings";
import { checkRelativePath } from "./load-package";
import type { PositionIndex } from "./parse";
import contractSchema from "./schema/provider-flow.schema.json";

/** The published schema, as data (for editors and the server's schema endpoint). */
export const PROVIDER_FLOW_SCHEMA: Readonly<Record<string, unknown>> = contractSchema;

type XError = { code: string; message: string };

/** AJV's options for the contract; build.mjs compiles the prebuilt CLI's copy with these too. */
export const CONTRACT_AJV_OPTIONS = {
  allErrors: true,
  verbose: true, // errors carry parentSchema, where x-error lives
  strict: true,
  allowUnionTypes: true, // "type": ["string", "object"] for path-or-inline schemas
  // anyOf/if branches name keys (`required: ["target"]`) declared in the parent's
  // properties, which strictRequired would refuse.
  strictRequired: false,
  logger: false,
} as const;

/** The AJV instance the contract is compiled with (formats and the x-error keyword added). */
export function contractAjv(options: Record<string, unknown> = {}) {
  const ajv = new Ajv2020({ ...CONTRACT_AJV_OPTIONS, ...options });
  addFormats(ajv);
  ajv.addKeyword({
    keyword: "x-error",
    schemaType: "object",
    metaSchema: {
      type: "object",
      required: ["code", "message"],
      properties: { code: { type: "string" }, message: { type: "string" } },
      additionalProperties: false,
    },
  });
  return ajv;
}

type ContractValidator = ReturnType<ReturnType<typeof contractAjv>["compile"]>;

/**
 * Compiling the contract takes ~100 ms, most of the CLI's start-up: the prebuilt CLI
 * (providerflow/cli/build.mjs) carries the validator AJV generated at build time from the
 * same schema and options, and sets it here before this module loads.
 */
const validateContract: ContractValidator =
  (globalThis as { __providerflowContractValidator?: ContractValidator }).__providerflowContractValidator ??
  contractAjv().compile(contractSchema);

function xErrorOf(error: ErrorObject): XError | null {
  const parent = error.parentSchema as Record<string, unknown> | undefined;
  const x = parent?.["x-error"] as XError | undefined;
  return x && typeof x.code === "string" && typeof x.message === "string" ? x : null;
}

function isSchemaRefError(error: ErrorObject): boolean {
  const parent = error.parentSchema as Record<string, unknown> | undefined;
  return error.keyword === "pattern" && typeof parent?.pattern === "string" && parent.pattern.startsWith("^schemas/");
}

function allowedKeys(error: ErrorObject): string {
  const parent = error.parentSchema as { properties?: Record<string, { $ref?: string }> } | undefined;
  const keys = Object.entries(parent?.properties ?? {})
    // Keys declared only to refuse them with a better message are not "allowed".
    .filter(([, s]) => s.$ref !== "#/$defs/noInlineSecret")
    .map(([k]) => k);
  return keys.length > 0 ? ` (allowed: ${keys.join(", ")})` : "";
}

function describeSchemaRef(value: unknown): XError {
  const ref = typeof value === "string" ? value : "";
  const check = checkRelativePath(ref);
  if (!check.ok && check.code !== "path-invalid") return { code: check.code, message: check.message };
  return {
    code: "invalid-schema-ref",
    message: `"${ref}" is not a schema file reference: use schemas/<name>.json (a file in the package's schemas/ folder) or an inline schema`,
  };
}

/** AJV's "must NOT have fewer than 1 items" reads badly in a YAML editor; say it plainly. */
function limitMessage(error: ErrorObject): string | null {
  const limit = (error.params as { limit?: unknown }).limit;
  if (typeof limit !== "number") return null;
  const plural = (noun: string) => `${limit} ${noun}${limit === 1 ? "" : "s"}`;
  switch (error.keyword) {
    case "minItems":
      return `must have at least ${plural("item")}`;
    case "maxItems":
      return `must have at most ${plural("item")}`;
    case "minLength":
      return `must be at least ${plural("character")} long`;
    case "maxLength":
      return `must be at most ${plural("character")} long`;
    case "minProperties":
      return `must have at least ${plural("key")}`;
    case "maxProperties":
      return `must have at most ${plural("key")}`;
    case "minimum":
      return `must be at least ${limit}`;
    case "maximum":
      return `must be at most ${limit}`;
    default:
      return null;
  }
}

function toFinding(error: ErrorObject, positions: PositionIndex): Finding {
  const where = describePointer(error.instancePath);
  const params = error.params as Record<string, unknown>;
  if (isSchemaRefError(error)) {
    const { code, message } = describeSchemaRef(error.data);
    return positions.finding(code, `${where}: ${message}`, error.instancePath);
  }
  const x = xErrorOf(error);
  if (x) {
    const key =
      error.keyword === "additionalProperties" && typeof params.additionalProperty === "string"
        ? params.additionalProperty
        : null;
    const pointer = key === null ? error.instancePath : `${error.instancePath}${pointerFrom([key])}`;
    const shown = key === null ? where : describePointer(pointer);
    // A refused key (`not: {}`: secret, a field the auth type does not use, targets
    // beside target) is the key's fault, not its value's.
    const at = key !== null || error.keyword === "not" ? "key" : "value";
    return positions.finding(x.code, `${shown}: ${x.message}`, pointer, at);
  }
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const pointer = `${error.instancePath}${pointerFrom([key])}`;
      return positions.finding("unknown-key", `${where}: unknown key "${key}"${allowedKeys(error)}`, pointer, "key");
    }
    case "required": {
      const key = String(params.missingProperty);
      const finding = positions.finding("missing-key", `${where}: missing required key "${key}"`, error.instancePath, "key");
      return { ...finding, pointer: `${error.instancePath}${pointerFrom([key])}` };
    }
    case "type":
      return positions.finding(
        "wrong-type",
        `${where}: must be ${Array.isArray(params.type) ? params.type.join(" or ") : String(params.type)}`,
        error.instancePath,
      );
    case "enum":
      return positions.finding(
        "invalid-value",
        `${where}: must be one of: ${(params.allowedValues as unknown[]).map(String).join(", ")}`,
        error.instancePath,
      );
    case "const":
      return positions.finding("invalid-value", `${where}: must be ${JSON.stringify(params.allowedValue)}`, error.instancePath);
    default:
      return positions.finding(
        "invalid-value",
        `${where}: ${limitMessage(error) ?? error.message ?? `fails ${error.keyword}`}`,
        error.instancePath,
      );
  }
}

/**
 * Validates parsed provider-flow.yaml data against the published schema. Empty when
 * the data conforms. Findings are located through `positions` and deduplicated.
 */
export function validateContractSchema(value: unknown, positions: PositionIndex): Finding[] {
  if (validateContract(value)) return [];
  const errors = (validateContract.errors ?? []).filter((e) => e.keyword !== "if");
  const owners = errors.filter((e) => xErrorOf(e) !== null);
  const kept = errors.filter(
    (e) =>
      !owners.some((o) => o !== e && e.schemaPath.startsWith(`${o.schemaPath}/`) && e.instancePath.startsWith(o.instancePath)),
  );
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const error of kept) {
    const f = toFinding(error, positions);
    const key = `${f.code}\u0000${f.pointer ?? ""}\u0000${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push(f);
  }
  return findings;
}
