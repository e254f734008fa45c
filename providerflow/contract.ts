// TypeScript types of provider-flow.yaml, exactly what schema/provider-flow.schema.json
// accepts. A value has these types only after it passed that schema (check.ts); before,
// it is `unknown`.

import type { Condition, HmacAlgorithm, SignatureEncoding, VerificationPreset } from "../lib/inbound/types";

export const API_VERSION = "providerflow/v1";

/** A JSON Schema object (draft 2020-12), inline in the contract or read from schemas/. */
export type JsonSchemaObject = { [key: string]: unknown };

/** `schemas/<name>.json` or an inline schema. */
export type SchemaRef = string | JsonSchemaObject;

export type VerificationSpec = {
  preset: VerificationPreset;
  secretRef: string;
  header?: string;
  prefix?: string;
  algorithm?: HmacAlgorithm;
  encoding?: SignatureEncoding;
  timestampField?: string;
  replayTolerance?: number;
};

export type EndpointSpec = {
  name: string;
  provider?: string;
  description?: string;
  url?: string;
  verification?: VerificationSpec;
  payloadSchema?: SchemaRef;
};

export type TargetAuthSpec =
  | { type: "none" }
  | { type: "bearer"; secretRef: string }
  | { type: "basic"; username: string; secretRef: string }
  | { type: "header"; headerName: string; secretRef: string }
  | { type: "standard-webhooks"; secretRef: string };

export type RetrySpec = {
  maxAttempts?: number;
  backoff?: "exponential" | "fixed";
  initialDelaySeconds?: number;
};

export type TargetSpec = {
  name: string;
  provider?: string;
  description?: string;
  url: string;
  auth?: TargetAuthSpec;
  retry?: RetrySpec;
  timeoutSeconds?: number;
};

export type FilterStep = { filter: { all: Condition[] } };
export type ValidateStep = { validate: { schema: SchemaRef; root?: string } };
export type MapStep = {
  map: {
    resourceType: string;
    action: string | { path: string };
    resourceIdPath: string;
    idempotencyPath?: string;
    fields?: Record<string, string>;
    metadata?: Record<string, string>;
  };
};
export type Step = FilterStep | ValidateStep | MapStep;

export type FlowSpec = {
  name: string;
  provider?: string;
  description?: string;
  endpoint: string;
  target?: string;
  targets?: string[];
  steps: Step[];
};

export type ProviderFlowContract = {
  apiVersion: typeof API_VERSION;
  name: string;
  version: string;
  provider: string;
  description?: string;
  endpoints: EndpointSpec[];
  targets: TargetSpec[];
  flows: FlowSpec[];
};

export type StepKind = "filter" | "validate" | "map";

export function stepKind(step: Step): StepKind {
  if ("filter" in step) return "filter";
  if ("validate" in step) return "validate";
  return "map";
}

/** The names of the targets a flow delivers to, in declaration order. */
export function flowTargets(flow: FlowSpec): string[] {
  return flow.target !== undefined ? [flow.target] : [...(flow.targets ?? [])];
}

/** The JSON Pointer of a flow's target reference number `i` (as returned by flowTargets). */
export function flowTargetPointer(flowIndex: number, flow: FlowSpec, i: number): string {
  return flow.target !== undefined ? `/flows/${flowIndex}/target` : `/flows/${flowIndex}/targets/${i}`;
}
