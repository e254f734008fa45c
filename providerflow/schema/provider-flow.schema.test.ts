// The published schema: valid draft 2020-12, usable by any validator (an editor has no
// ProviderFlow code), strict about unknown keys, and in step with the management API's
// limits so that the editor and the API never disagree.

import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, test } from "vitest";
import { MAX_CONDITIONS } from "../../lib/inbound/conditions";
import { MAX_PATH_LENGTH } from "../../lib/inbound/paths";
import { CONDITION_OPS, VERIFICATION_PRESETS } from "../../lib/inbound/types";
import { MAX_FIELD_MAPPINGS, MAX_METADATA_PATHS } from "../../lib/schemas/mappings";
import { MAX_REPLAY_TOLERANCE_S } from "../../lib/schemas/sources";
import {
  BACKOFFS,
  DEFAULT_TIMEOUT_S,
  MAX_ATTEMPTS,
  MAX_INITIAL_DELAY_S,
  MAX_TIMEOUT_S,
  RETRY_DEFAULTS,
} from "../../lib/schemas/targets";
import { TARGET_DEFAULTS } from "../compile";
import { PROVIDER_FLOW_SCHEMA } from "../contract-schema";
import { parseYaml } from "../parse";
import { contractText, loadTestPackage } from "../test-packages/packages";

type Schema = Record<string, unknown>;
const defs = PROVIDER_FLOW_SCHEMA.$defs as Record<string, Schema>;
const prop = (schema: Schema, name: string) => (schema.properties as Record<string, Schema>)[name] as Schema;

/** Every subschema, with its JSON Pointer. */
function walk(schema: unknown, pointer = ""): [string, Schema][] {
  if (typeof schema !== "object" || schema === null) return [];
  if (Array.isArray(schema)) return schema.flatMap((s, i) => walk(s, `${pointer}/${i}`));
  const out: [string, Schema][] = [[pointer, schema as Schema]];
  for (const [k, v] of Object.entries(schema)) {
    if (k === "examples" || k === "x-error" || k === "default") continue;
    out.push(...walk(v, `${pointer}/${k}`));
  }
  return out;
}

describe("provider-flow.schema.json", () => {
  test("is a valid draft 2020-12 schema that a plain validator (an editor's) can use", async () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    expect(ajv.validateSchema(PROVIDER_FLOW_SCHEMA)).toBe(true);
    const validate = ajv.compile(PROVIDER_FLOW_SCHEMA);
    const parse = (text: string) => {
      const parsed = parseYaml(text, "provider-flow.yaml");
      if (!parsed.ok) throw new Error("test package must parse");
      return parsed.value;
    };
    expect(validate(parse(contractText(await loadTestPackage("valid-stripe"))))).toBe(true);
    expect(validate(parse(contractText(await loadTestPackage("unknown-keys"))))).toBe(false);
  });

  test("has a title and description for editors, and refuses unknown keys on every object", () => {
    expect(PROVIDER_FLOW_SCHEMA.title).toBeTypeOf("string");
    expect(PROVIDER_FLOW_SCHEMA.description).toBeTypeOf("string");
    for (const name of [
      "endpoint",
      "target",
      "flow",
      "verification",
      "auth",
      "retry",
      "condition",
      "step",
      "filterStep",
      "validateStep",
      "mapStep",
    ]) {
      expect(defs[name]?.title ?? defs[name]?.description, name).toBeTypeOf("string");
    }
    const objects = walk(PROVIDER_FLOW_SCHEMA).filter(
      ([, s]) => s.type === "object" || (Array.isArray(s.type) && s.type.includes("object") && s.properties !== undefined),
    );
    expect(objects.length).toBeGreaterThan(10);
    for (const [pointer, s] of objects) {
      // Inline JSON Schemas (payloadSchema, validate.schema) are the one open object.
      if (pointer === "/$defs/schemaRef") continue;
      expect(s.additionalProperties, pointer).toBeDefined();
      if (s.properties !== undefined) expect(s.additionalProperties, pointer).toBe(false);
    }
  });

  test("every x-error annotation names a kebab-case code and a message", () => {
    const annotated = walk(PROVIDER_FLOW_SCHEMA).filter(([, s]) => s["x-error"] !== undefined);
    expect(annotated.length).toBeGreaterThan(10);
    for (const [pointer, s] of annotated) {
      const x = s["x-error"] as { code: string; message: string };
      expect(x.code, pointer).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(x.message.length, pointer).toBeGreaterThan(10);
    }
  });

  test("never offers a secret key: secret, password and token are declared only to be refused", () => {
    expect(prop(defs.verification as Schema, "secret")).toEqual({ $ref: "#/$defs/noInlineSecret" });
    for (const key of ["secret", "password", "token"])
      expect(prop(defs.auth as Schema, key)).toEqual({ $ref: "#/$defs/noInlineSecret" });
  });

  test("limits and enums match the management API and the pipeline", () => {
    const verification = defs.verification as Schema;
    expect(prop(verification, "preset").enum).toEqual([...VERIFICATION_PRESETS]);
    expect(prop(verification, "replayTolerance").maximum).toBe(MAX_REPLAY_TOLERANCE_S);
    expect(prop(defs.condition as Schema, "op").enum).toEqual([...CONDITION_OPS]);
    expect((prop(defs.filterStep as Schema, "all") as Schema).maxItems).toBe(MAX_CONDITIONS);
    expect(defs.path?.maxLength).toBe(MAX_PATH_LENGTH);
    const mapStep = defs.mapStep as Schema;
    expect(prop(mapStep, "fields").maxProperties).toBe(MAX_FIELD_MAPPINGS);
    expect(prop(mapStep, "metadata").maxProperties).toBe(MAX_METADATA_PATHS);
    const retry = defs.retry as Schema;
    expect(prop(retry, "maxAttempts")).toMatchObject({ maximum: MAX_ATTEMPTS, default: RETRY_DEFAULTS.maxAttempts });
    expect(prop(retry, "backoff")).toMatchObject({ enum: [...BACKOFFS], default: RETRY_DEFAULTS.backoff });
    expect(prop(retry, "initialDelaySeconds")).toMatchObject({
      maximum: MAX_INITIAL_DELAY_S,
      default: RETRY_DEFAULTS.initialDelaySeconds,
    });
    expect(prop(defs.target as Schema, "timeoutSeconds")).toMatchObject({ maximum: MAX_TIMEOUT_S, default: DEFAULT_TIMEOUT_S });
    expect(TARGET_DEFAULTS).toEqual({ retry: RETRY_DEFAULTS, timeoutSeconds: DEFAULT_TIMEOUT_S });
  });
});
