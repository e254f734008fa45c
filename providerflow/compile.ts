// The one compiler from a checked package to what the management API creates. The
// sandbox, `plan` and `apply` all use it, so what a package was tested as is what is
// applied.
//
//   endpoint → source     title "Payment webhook" from name "payment-webhook", mnemonic
//                         = the name (names are ^[a-z0-9][a-z0-9-]{0,62}$, a subset of
//                         mnemonics), description, verification with `secretRef` in
//                         place of `secret` (never resolved here), payloadSchema.
//   flow → mapping        title = flow name; conditions = every filter step's `all`,
//                         joined in step order; the validate step's schema and root →
//                         payloadSchema and schemaRootPath; the map step →
//                         resourceType, resourceIdPath, idempotencyPath, fieldMappings
//                         (fields), metadataPaths (metadata). `action: "x"` → action;
//                         `action: { path }` → actionPath, and `action` is then omitted
//                         (the management API takes exactly one of the two and reads
//                         the action name from each payload at actionPath).
//   target → target       name, url, auth with `secretRef` in place of `secret`,
//                         signing, retry and timeout with the API's defaults filled in.
//                         auth `standard-webhooks` means "deliveries are signed with the
//                         referenced whsec_ secret": it compiles to auth none and signing
//                         { enabled, secretRef }. Other auth types keep signing enabled
//                         with a server-generated secret (the API's default).
//   flow × target → route
//
// Absent optional fields are explicit nulls (payloadSchema, schemaRootPath, …) so an
// input also serves as a full replacement on update: applying a package that dropped a
// validate step clears the stored schema instead of keeping it.
//
// Priorities: flows on one endpoint run in declaration order. Mappings run highest
// priority first, so the first flow on an endpoint gets PRIORITY_BASE, the next
// PRIORITY_BASE - 1, and so on. A fixed base (rather than "count - index") keeps the
// priorities of existing flows unchanged when a flow is appended, so `plan` shows only
// the new mapping.
//
// Output order is declaration order throughout (sources by endpoint, mappings by flow,
// targets, then routes by flow and target); secretRefs are sorted. The same checked
// package always compiles to the same value.
//
// Every compiled item carries `origins`: JSON Pointers into its `input` mapped to the
// file and pointer they came from, so a problem the management API reports about an
// input (a 400 detail) can be shown at a line of provider-flow.yaml or a schema file.

import { toJsonSafe } from "../lib/inbound/json-value";
import type { Condition, HmacAlgorithm, SignatureEncoding, VerificationPreset } from "../lib/inbound/types";
import type { CheckedPackage } from "./check";
import { flowTargetPointer, flowTargets, type JsonSchemaObject, type SchemaRef } from "./contract";
import { CONTRACT_FILE } from "./load-package";

export const PRIORITY_BASE = 1000;

/** Retry and timeout the management API applies when a target does not set them (delivery.md). */
export const TARGET_DEFAULTS = {
  retry: { maxAttempts: 8, backoff: "exponential", initialDelaySeconds: 5 },
  timeoutSeconds: 10,
} as const;

export type Origin = { file: string; pointer: string };
/** Input JSON Pointer ("" = the whole input) → where it came from. */
export type Origins = Readonly<Record<string, Origin>>;

export type VerificationDraft = {
  preset: VerificationPreset;
  secretRef: string;
  header?: string;
  prefix?: string;
  algorithm?: HmacAlgorithm;
  encoding?: SignatureEncoding;
  timestampField?: string;
  replayTolerance?: number;
};

/** SourceCreate (lib/schemas/sources.ts) with the verification secret named, not given. */
export type SourceDraft = {
  title: string;
  mnemonic: string;
  description: string | null;
  active: true;
  verification: VerificationDraft | null;
  payloadSchema: JsonSchemaObject | null;
};

/** MappingCreate (lib/schemas/mappings.ts) without sourceId, which only apply knows. */
export type MappingDraft = {
  title: string;
  active: true;
  priority: number;
  resourceType: string;
  /** Exactly one of action and actionPath is present. */
  action?: string;
  actionPath?: string;
  conditions: Condition[];
  payloadSchema: JsonSchemaObject | null;
  schemaRootPath: string | null;
  idempotencyPath: string | null;
  resourceIdPath: string;
  fieldMappings: Record<string, string> | null;
  metadataPaths: Record<string, string> | null;
};

export type TargetAuthDraft =
  | { type: "none" }
  | { type: "bearer"; secretRef: string }
  | { type: "basic"; username: string; secretRef: string }
  | { type: "header"; headerName: string; secretRef: string };

export type TargetSigningDraft = { type: "standard-webhooks"; enabled: true; secretRef?: string };

/** TargetCreate (lib/schemas/targets.ts) with secrets named, not given. */
export type TargetDraft = {
  name: string;
  url: string;
  active: true;
  auth: TargetAuthDraft;
  signing: TargetSigningDraft;
  retry: { maxAttempts: number; backoff: "exponential" | "fixed"; initialDelaySeconds: number };
  timeoutSeconds: number;
};

export type CompiledSource = { endpoint: string; pointer: string; input: SourceDraft; origins: Origins };
export type CompiledMapping = {
  flow: string;
  endpoint: string;
  priority: number;
  pointer: string;
  input: MappingDraft;
  /** Where each of input.conditions came from (a pointer into provider-flow.yaml), by index. */
  conditionPointers: string[];
  origins: Origins;
};
export type CompiledTarget = { name: string; pointer: string; input: TargetDraft; origins: Origins };
export type CompiledRoute = { flow: string; target: string; pointer: string };

export type CompiledPackage = {
  package: { name: string; version: string; provider: string; description: string | null };
  sources: CompiledSource[];
  mappings: CompiledMapping[];
  targets: CompiledTarget[];
  routes: CompiledRoute[];
  /** Every secretRef the package names, sorted: what must exist before apply. */
  secretRefs: string[];
};

const yamlAt = (pointer: string): Origin => ({ file: CONTRACT_FILE, pointer });

/** "payment-webhook" → "Payment webhook". */
export function titleFromName(name: string): string {
  const words = name.split("-").filter((w) => w.length > 0);
  const text = words.join(" ");
  return text.length === 0 ? name : `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

/** A deep, JSON-only copy: compiled inputs share nothing with the contract (YAML aliases share objects). */
function copyJson<T>(value: T): T {
  const safe = toJsonSafe(value);
  return (safe.ok ? safe.value : null) as T;
}

/** The schema a reference stands for, and where it came from. */
function resolveSchema(pkg: CheckedPackage, ref: SchemaRef, pointer: string): { schema: JsonSchemaObject; origin: Origin } {
  if (typeof ref !== "string") return { schema: copyJson(ref), origin: yamlAt(pointer) };
  const file = pkg.schemaFiles.get(ref);
  // check.ts only produces a CheckedPackage once every referenced file parsed as a schema.
  if (!file) throw new Error(`internal: schema file ${ref} was not loaded by check`);
  return { schema: copyJson(file.schema), origin: { file: ref, pointer: "" } };
}

function compileSource(pkg: CheckedPackage, index: number): CompiledSource {
  const endpoint = pkg.contract.endpoints[index];
  if (!endpoint) throw new Error(`internal: no endpoint ${index}`);
  const at = `/endpoints/${index}`;
  const origins: Record<string, Origin> = {
    "": yamlAt(at),
    "/title": yamlAt(`${at}/name`),
    "/mnemonic": yamlAt(`${at}/name`),
    "/description": yamlAt(`${at}/description`),
    "/active": yamlAt(at),
  };
  let verification: VerificationDraft | null = null;
  if (endpoint.verification) {
    const v = endpoint.verification;
    verification = { preset: v.preset, secretRef: v.secretRef };
    if (v.header !== undefined) verification.header = v.header;
    if (v.prefix !== undefined) verification.prefix = v.prefix;
    if (v.algorithm !== undefined) verification.algorithm = v.algorithm;
    if (v.encoding !== undefined) verification.encoding = v.encoding;
    if (v.timestampField !== undefined) verification.timestampField = v.timestampField;
    if (v.replayTolerance !== undefined) verification.replayTolerance = v.replayTolerance;
    origins["/verification"] = yamlAt(`${at}/verification`);
    origins["/verification/secret"] = yamlAt(`${at}/verification/secretRef`);
  }
  let payloadSchema: JsonSchemaObject | null = null;
  if (endpoint.payloadSchema !== undefined) {
    const resolved = resolveSchema(pkg, endpoint.payloadSchema, `${at}/payloadSchema`);
    payloadSchema = resolved.schema;
    origins["/payloadSchema"] = resolved.origin;
  }
  return {
    endpoint: endpoint.name,
    pointer: at,
    input: {
      title: titleFromName(endpoint.name),
      mnemonic: endpoint.name,
      description: endpoint.description ?? null,
      active: true,
      verification,
      payloadSchema,
    },
    origins,
  };
}

function compileMapping(pkg: CheckedPackage, index: number, priority: number): CompiledMapping {
  const flow = pkg.contract.flows[index];
  if (!flow) throw new Error(`internal: no flow ${index}`);
  const at = `/flows/${index}`;
  const origins: Record<string, Origin> = {
    "": yamlAt(at),
    "/title": yamlAt(`${at}/name`),
    "/priority": yamlAt(at),
    "/active": yamlAt(at),
    "/conditions": yamlAt(`${at}/steps`),
  };
  const conditions: Condition[] = [];
  const conditionPointers: string[] = [];
  let validate: { schema: JsonSchemaObject; root: string | null } | null = null;
  let mapIndex = -1;
  for (const [s, step] of flow.steps.entries()) {
    const stepAt = `${at}/steps/${s}`;
    if ("filter" in step) {
      for (const [k, c] of step.filter.all.entries()) {
        const copy: Condition = { path: c.path, op: c.op };
        if (c.value !== undefined) copy.value = copyJson(c.value);
        origins[`/conditions/${conditions.length}`] = yamlAt(`${stepAt}/filter/all/${k}`);
        conditionPointers.push(`${stepAt}/filter/all/${k}`);
        conditions.push(copy);
      }
    } else if ("validate" in step) {
      const resolved = resolveSchema(pkg, step.validate.schema, `${stepAt}/validate/schema`);
      validate = { schema: resolved.schema, root: step.validate.root ?? null };
      origins["/payloadSchema"] = resolved.origin;
      origins["/schemaRootPath"] = yamlAt(`${stepAt}/validate/root`);
    } else {
      mapIndex = s;
    }
  }
  const mapStep = flow.steps[mapIndex];
  if (!mapStep || !("map" in mapStep)) throw new Error(`internal: flow ${flow.name} has no map step`);
  const m = mapStep.map;
  const mapAt = `${at}/steps/${mapIndex}/map`;
  Object.assign(origins, {
    "/resourceType": yamlAt(`${mapAt}/resourceType`),
    "/action": yamlAt(`${mapAt}/action`),
    "/actionPath": yamlAt(`${mapAt}/action/path`),
    "/resourceIdPath": yamlAt(`${mapAt}/resourceIdPath`),
    "/idempotencyPath": yamlAt(`${mapAt}/idempotencyPath`),
    "/fieldMappings": yamlAt(`${mapAt}/fields`),
    "/metadataPaths": yamlAt(`${mapAt}/metadata`),
  });
  const input: MappingDraft = {
    title: flow.name,
    active: true,
    priority,
    resourceType: m.resourceType,
    ...(typeof m.action === "string" ? { action: m.action } : { actionPath: m.action.path }),
    conditions,
    payloadSchema: validate?.schema ?? null,
    schemaRootPath: validate?.root ?? null,
    idempotencyPath: m.idempotencyPath ?? null,
    resourceIdPath: m.resourceIdPath,
    fieldMappings: m.fields ? { ...m.fields } : null,
    metadataPaths: m.metadata ? { ...m.metadata } : null,
  };
  return { flow: flow.name, endpoint: flow.endpoint, priority, pointer: at, input, conditionPointers, origins };
}

function compileTarget(pkg: CheckedPackage, index: number): CompiledTarget {
  const target = pkg.contract.targets[index];
  if (!target) throw new Error(`internal: no target ${index}`);
  const at = `/targets/${index}`;
  const authAt = target.auth ? `${at}/auth` : at;
  const auth = target.auth ?? { type: "none" as const };
  let authDraft: TargetAuthDraft;
  const signing: TargetSigningDraft = { type: "standard-webhooks", enabled: true };
  switch (auth.type) {
    case "none":
      authDraft = { type: "none" };
      break;
    case "bearer":
      authDraft = { type: "bearer", secretRef: auth.secretRef };
      break;
    case "basic":
      authDraft = { type: "basic", username: auth.username, secretRef: auth.secretRef };
      break;
    case "header":
      authDraft = { type: "header", headerName: auth.headerName, secretRef: auth.secretRef };
      break;
    case "standard-webhooks":
      authDraft = { type: "none" };
      signing.secretRef = auth.secretRef;
      break;
  }
  const origins: Record<string, Origin> = {
    "": yamlAt(at),
    "/name": yamlAt(`${at}/name`),
    "/url": yamlAt(`${at}/url`),
    "/active": yamlAt(at),
    "/auth": yamlAt(authAt),
    "/auth/secret": yamlAt(target.auth ? `${authAt}/secretRef` : authAt),
    "/signing": yamlAt(auth.type === "standard-webhooks" ? authAt : at),
    "/retry": yamlAt(target.retry ? `${at}/retry` : at),
    "/timeoutSeconds": yamlAt(target.timeoutSeconds !== undefined ? `${at}/timeoutSeconds` : at),
  };
  return {
    name: target.name,
    pointer: at,
    input: {
      name: target.name,
      url: target.url,
      active: true,
      auth: authDraft,
      signing,
      retry: {
        maxAttempts: target.retry?.maxAttempts ?? TARGET_DEFAULTS.retry.maxAttempts,
        backoff: target.retry?.backoff ?? TARGET_DEFAULTS.retry.backoff,
        initialDelaySeconds: target.retry?.initialDelaySeconds ?? TARGET_DEFAULTS.retry.initialDelaySeconds,
      },
      timeoutSeconds: target.timeoutSeconds ?? TARGET_DEFAULTS.timeoutSeconds,
    },
    origins,
  };
}

/** Compiles a package that passed checkPackage. Pure and deterministic; see the header. */
export function compilePackage(pkg: CheckedPackage): CompiledPackage {
  const { contract } = pkg;
  const sources = contract.endpoints.map((_, i) => compileSource(pkg, i));
  const seenOnEndpoint = new Map<string, number>();
  const mappings = contract.flows.map((flow, i) => {
    const position = seenOnEndpoint.get(flow.endpoint) ?? 0;
    seenOnEndpoint.set(flow.endpoint, position + 1);
    return compileMapping(pkg, i, PRIORITY_BASE - position);
  });
  const targets = contract.targets.map((_, i) => compileTarget(pkg, i));
  const routes: CompiledRoute[] = contract.flows.flatMap((flow, i) =>
    flowTargets(flow).map((target, t) => ({ flow: flow.name, target, pointer: flowTargetPointer(i, flow, t) })),
  );
  const refs = new Set<string>();
  for (const e of contract.endpoints) if (e.verification) refs.add(e.verification.secretRef);
  for (const t of contract.targets) if (t.auth && t.auth.type !== "none") refs.add(t.auth.secretRef);
  return {
    package: {
      name: contract.name,
      version: contract.version,
      provider: contract.provider,
      description: contract.description ?? null,
    },
    sources,
    mappings,
    targets,
    routes,
    secretRefs: [...refs].sort(),
  };
}

/** Where the value at `inputPointer` of a compiled input came from (longest known prefix). */
export function originOf(origins: Origins, inputPointer: string): Origin {
  let best = "";
  for (const key of Object.keys(origins)) {
    if (key.length > best.length && (inputPointer === key || inputPointer.startsWith(`${key}/`))) best = key;
  }
  const origin = origins[best] ?? yamlAt("");
  return { file: origin.file, pointer: `${origin.pointer}${inputPointer.slice(best.length)}` };
}

/** Looks a secret up by its reference; undefined when the org has none by that name. */
export type SecretLookup = (secretRef: string) => string | undefined;

export type Resolved<T> = { ok: true; input: T } | { ok: false; missing: string[] };

export type VerificationInput = Omit<VerificationDraft, "secretRef"> & { secret: string };
export type SourceCreateBody = Omit<SourceDraft, "verification"> & { verification: VerificationInput | null };

/** The SourceCreate body for a compiled source, with its secret looked up. */
export function resolveSourceInput(draft: SourceDraft, lookup: SecretLookup): Resolved<SourceCreateBody> {
  if (!draft.verification) return { ok: true, input: { ...draft, verification: null } };
  const { secretRef, ...settings } = draft.verification;
  const secret = lookup(secretRef);
  if (secret === undefined || secret === "") return { ok: false, missing: [secretRef] };
  return { ok: true, input: { ...draft, verification: { ...settings, secret } } };
}

export type TargetAuthInput =
  { type: "none" } | { type: "bearer" | "basic"; secret: string } | { type: "header"; headerName: string; secret: string };
export type TargetCreateBody = Omit<TargetDraft, "auth" | "signing"> & {
  auth: TargetAuthInput;
  signing: { type: "standard-webhooks"; enabled: true };
};

/**
 * The TargetCreate body for a compiled target, with secrets looked up (basic auth's
 * secret is "username:password", as the API takes it). `signingSecret` is the value of
 * the referenced Standard Webhooks secret (auth type standard-webhooks), or null when
 * the package leaves signing to the secret the server generates. TargetCreate has no
 * field for a chosen signing secret, so it is handed back separately for the caller.
 */
export function resolveTargetInput(
  draft: TargetDraft,
  lookup: SecretLookup,
): { ok: true; input: TargetCreateBody; signingSecret: string | null } | { ok: false; missing: string[] } {
  const missing: string[] = [];
  const need = (ref: string): string => {
    const value = lookup(ref);
    if (value === undefined || value === "") missing.push(ref);
    return value ?? "";
  };
  let auth: TargetAuthInput;
  const a = draft.auth;
  if (a.type === "none") auth = { type: "none" };
  else if (a.type === "basic") auth = { type: "basic", secret: `${a.username}:${need(a.secretRef)}` };
  else if (a.type === "header") auth = { type: "header", headerName: a.headerName, secret: need(a.secretRef) };
  else auth = { type: "bearer", secret: need(a.secretRef) };
  const signingSecret = draft.signing.secretRef === undefined ? null : need(draft.signing.secretRef);
  if (missing.length > 0) return { ok: false, missing: [...new Set(missing)].sort() };
  return { ok: true, input: { ...draft, auth, signing: { type: "standard-webhooks", enabled: true } }, signingSecret };
}

export type MappingCreateBody = MappingDraft & { sourceId: string };

/** The MappingCreate body once apply knows the id of the source the flow's endpoint became. */
export function mappingCreateInput(draft: MappingDraft, sourceId: string): MappingCreateBody {
  return { sourceId, ...draft };
}
