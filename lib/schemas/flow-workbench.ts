// What the browser's package editor calls besides upload, plan and apply: validate a draft,
// run its fixtures in the sandbox (optionally writing goldens), read a stored version's
// files back, and start a package from a provider preset's template.
import { z } from "zod";
import { TEMPLATE_PRESETS } from "@/providerflow/templates";
import { PackageFilesBody } from "./providerflow";

const Finding = z
  .object({
    code: z.string(),
    message: z.string(),
    file: z.string().optional(),
    line: z.number().int().optional(),
    column: z.number().int().optional(),
    pointer: z.string().optional(),
  })
  .meta({ id: "FlowFinding", description: "A located finding: the file, 1-based line and column, and a JSON Pointer into the file's data" });

const GraphJson = z.looseObject({ package: z.string(), nodes: z.array(z.unknown()), edges: z.array(z.unknown()), flows: z.array(z.unknown()) });

export const FlowValidation = z
  .object({
    ok: z.boolean().meta({ description: "No error (warnings do not count)" }),
    errors: z.array(Finding),
    warnings: z.array(Finding),
    digest: z.string().nullable().meta({ description: "The package digest, when the files load" }),
    graph: GraphJson.nullable().meta({ description: "The package graph (as `providerflow graph --format json`), when the contract is valid" }),
  })
  .meta({ id: "FlowValidation" });

export const FlowTestBody = PackageFilesBody.extend({
  update: z.boolean().optional().meta({ description: "Also return goldens written from this run (as `providerflow test --update`); nothing is stored" }),
}).meta({ id: "FlowTestBody" });

export const FlowTestRun = z
  .object({
    ok: z.boolean().meta({ description: "The package would be sandbox-validated: valid, no scan error, every fixture matches its golden" }),
    status: z.enum(["sandbox-validated", "draft"]),
    digest: z.string(),
    fixtures: z.array(
      z.looseObject({
        name: z.string(),
        passed: z.boolean(),
        diff: z.array(z.looseObject({ pointer: z.string() })),
        trace: z.array(z.unknown()),
      }),
    ),
    errors: z.array(Finding),
    warnings: z.array(Finding),
    goldens: z
      .record(z.string(), z.string())
      .nullable()
      .meta({ description: "With update: goldens/<fixture>.json → the new golden's text, for every fixture that ran" }),
  })
  .meta({ id: "FlowTestRun" });

export const FlowFiles = z
  .object({ files: z.record(z.string(), z.string()).meta({ description: "Package-relative path → base64 bytes" }) })
  .meta({ id: "FlowFiles" });


export const FlowTemplateBody = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: "must be lowercase letters, digits and dashes (up to 63)" }),
    preset: z.enum(TEMPLATE_PRESETS, { error: `must be one of: ${TEMPLATE_PRESETS.join(", ")}` }),
  })
  .meta({ id: "FlowTemplateRequest" });

export type FlowValidationDto = z.output<typeof FlowValidation>;
export type FlowTestRunDto = z.output<typeof FlowTestRun>;
