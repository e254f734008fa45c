// The sandbox: each fixture runs through the live inbound entry itself (handleInbound,
// stages 1–7 in sync mode) with in-memory ports, and each delivery the live worker
// would make is recorded with the worker's own request builder (buildOutboundRequest).
// Nothing here re-implements a stage; what differs from production is only the ports:
//
//   SourceLookup   the package's compiled endpoints (compile.ts), secrets resolved
//   PipelineStore  lib/inbound's MemoryPipelineStore, fresh per fixture, so fixtures
//                  are independent and their order does not matter; it deduplicates as
//                  the SQL store's unique index does, with the pipeline's stage texts
//   Clock          fixed at the fixture's receivedAt
//   IdGen          "<id:1>", "<id:2>", … per fixture, in the order the pipeline asks
//   targets        recorded, never contacted
//
// Configuration ids that production would take from the database are named
// placeholders: "<source:payment-webhook>", "<mapping:refunds>", "<org>", …
//
// Signatures: a fixture that carries its endpoint's signature header is sent exactly as
// written; one that does not is signed here with the resolved secret at its clock, the
// way its provider would (sign-fixture.ts), unless it is marked expectSignature:
// invalid. Either way the live verifier decides.
//
// Secrets: the verification secret of an endpoint must be resolvable, or its fixtures
// cannot run (a signature cannot be checked against nothing). Target secrets (auth,
// signing) only ever appear in headers that goldens redact, so an unresolved one is
// replaced by a placeholder: goldens then do not depend on whether a machine holds
// them. Everything the sandbox returns is redacted (redact.ts).

import { createHash } from "node:crypto";
import { buildOutboundRequest, type OutboundTarget } from "../lib/delivery/outbound-request";
import type { ConditionResult } from "../lib/inbound/conditions";
import { handleInbound, type BodyRead } from "../lib/inbound/handle-inbound";
import { MemoryPipelineStore } from "../lib/inbound/memory-store";
import type { InboundResponse } from "../lib/inbound/outcomes";
import type { MappingRecord, PipelineStore, SourceKey, SourceRecord, StageOutcome } from "../lib/inbound/ports";
import type { VerificationConfig } from "../lib/inbound/types";
import type { CheckedPackage } from "./check";
import {
  resolveSourceInput,
  resolveTargetInput,
  type CompiledMapping,
  type CompiledPackage,
  type CompiledSource,
  type Origins,
} from "./compile";
import { formatLocation, type Finding } from "./findings";
import type { Fixture } from "./fixture";
import { CONTRACT_FILE } from "./load-package";
import { redactRequestHeaders, secretRedactor, type Redactor } from "./redact";
import type { FixtureScanResult } from "./scan";
import { fixtureRequestHeaders, signatureHeaderOf } from "./sign-fixture";

/** The live route's default body limit (inbound-api.md: 1 MiB); a larger fixture gets the live 413. */
export const SANDBOX_MAX_BODY_BYTES = 1024 * 1024;
export const SANDBOX_ORG_SLUG = "sandbox";
export const SANDBOX_ORG_ID = "<org>";
export const SANDBOX_ORIGIN_ID = "<origin>";

export type SecretResolver = (secretRef: string) => string | undefined;

export type SandboxInteraction = {
  resourceType: string;
  action: string;
  resourceId: string;
  idempotencyKey: string | null;
  object: Record<string, unknown>;
};

export type SandboxDelivery = {
  /** The target's name in the package. */
  target: string;
  method: "POST";
  url: string;
  /** Signature and auth header values "[redacted]". */
  headers: Record<string, string>;
  /** The JSON body the worker sends, parsed (it is always JSON), so goldens diff by pointer. */
  body: unknown;
};

/** The golden shape (providerflow.md §3, §9). */
export type SandboxResult = {
  status: number;
  body: Record<string, unknown>;
  interaction: SandboxInteraction | null;
  deliveries: SandboxDelivery[];
};

export type TraceOutcome = "pass" | "fail" | "skip";
export type TraceStage = { stage: string; outcome: TraceOutcome; detail: Record<string, unknown> };

export type FixtureRun =
  | { ran: true; fixture: string; result: SandboxResult; trace: TraceStage[]; scan: FixtureScanResult }
  | { ran: false; fixture: string; trace: TraceStage[]; missingSecret: string; finding: Finding };

type SourceSetup = {
  compiled: CompiledSource;
  /** Null when the verification secret could not be resolved. */
  record: SourceRecord | null;
  missingSecret: string | null;
  schemaFile: string | null;
};

type MappingSetup = { compiled: CompiledMapping; record: MappingRecord; schemaFile: string | null };

type TargetSetup = { outbound: OutboundTarget; extraRedactedHeaders: string[] };

export type Sandbox = {
  /** Runs one fixture. Deterministic: the same fixture always gives the same run. */
  run(fixture: Fixture): Promise<FixtureRun>;
  /** Problems with resolved secrets found while setting up (a malformed signing secret). */
  problems: Finding[];
  /** Redacts every resolved secret (and placeholder) from a value. */
  redact: Redactor;
};

const sourceId = (endpoint: string) => `<source:${endpoint}>`;
const mappingId = (flow: string) => `<mapping:${flow}>`;
const resourceTypeId = (name: string) => `<resource-type:${name}>`;
const actionId = (name: string) => `<action:${name}>`;

/** A Standard Webhooks secret, as signOutbound requires it. */
const WHSEC_RE = /^whsec_[A-Za-z0-9+/]+={0,2}$/;

/** A fixed signing key per target: the server generates one on apply, and signatures are redacted anyway. */
function placeholderSigningSecret(target: string): string {
  return `whsec_${createHash("sha256").update(`providerflow-sandbox-signing:${target}`).digest("base64")}`;
}

function placeholderAuthSecret(secretRef: string): string {
  return `providerflow-sandbox-placeholder-${secretRef}`;
}

/** The file a compiled schema came from ("schemas/x.json"), or "provider-flow.yaml" for an inline one. */
function schemaFileOf(origins: Origins, key: string): string | null {
  return origins[key]?.file ?? null;
}

const OUTCOME: Readonly<Record<StageOutcome["outcome"], TraceOutcome>> = { passed: "pass", failed: "fail", skipped: "skip" };

function jsonClone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function conditionDetail(result: ConditionResult, index: number, location: string): Record<string, unknown> {
  const out: Record<string, unknown> = { index, path: result.path, op: result.op, pass: result.pass, location };
  if (result.value !== undefined) out.value = result.value;
  // JSON has no undefined: a path that finds nothing is said so, distinct from null.
  if (result.actual === undefined) out.missing = true;
  else out.actual = result.actual;
  return out;
}

/**
 * One fixture through the live inbound entry (handleInbound, sync mode) against a source
 * record and a store, at the fixture's clock, signed as its provider would sign it when it
 * carries no signature header. The sandbox and prod revalidation (lib/flows) both send
 * fixtures this way; only the ports differ.
 */
export async function sendFixture(
  record: SourceRecord,
  key: SourceKey,
  fixture: Fixture,
  store: PipelineStore,
  newId: () => string,
): Promise<{ response: InboundResponse; headers: Record<string, string>; signedBy: ReturnType<typeof fixtureRequestHeaders>["signedBy"] }> {
  const body = fixture.body;
  const readBody = async (limit: number): Promise<BodyRead> =>
    body.length > limit ? { ok: false, head: body.subarray(0, limit) } : { ok: true, bytes: body };
  const { headers, signedBy } = fixtureRequestHeaders(record.verification, fixture);
  const response = await handleInbound(
    // The slug only has to be well formed: findSource answers with the record.
    { slug: SANDBOX_ORG_SLUG, key, sync: true, headers: { ...headers }, readBody },
    {
      sources: { findSource: async () => record },
      store,
      queue: { notify: async () => {} },
      clock: { now: () => fixture.receivedAtMs },
      ids: { uuid: newId },
      maxBodyBytes: SANDBOX_MAX_BODY_BYTES,
      syncAllowed: true,
    },
  );
  return { response, headers, signedBy };
}

/** Sets up the in-memory configuration of a checked, compiled package. */
export function createSandbox(pkg: CheckedPackage, compiled: CompiledPackage, secrets: SecretResolver): Sandbox {
  const resolved = new Map<string, string>();
  const lookup = (ref: string): string | undefined => {
    const value = secrets(ref);
    if (typeof value !== "string" || value === "") return undefined;
    resolved.set(ref, value);
    return value;
  };
  const placeholders: string[] = [];
  const problems: Finding[] = [];
  const at = (pointer: string) => pkg.positions.locate(pointer);

  const sources = new Map<string, SourceSetup>();
  for (const source of compiled.sources) {
    const input = resolveSourceInput(source.input, lookup);
    const schemaFile = source.input.payloadSchema ? schemaFileOf(source.origins, "/payloadSchema") : null;
    if (!input.ok) {
      sources.set(source.endpoint, { compiled: source, record: null, missingSecret: input.missing[0] ?? null, schemaFile });
      continue;
    }
    const record: SourceRecord = {
      id: sourceId(source.endpoint),
      orgId: SANDBOX_ORG_ID,
      orgSlug: SANDBOX_ORG_SLUG,
      originId: SANDBOX_ORIGIN_ID,
      active: true,
      verification: input.input.verification as VerificationConfig | null,
      payloadSchema: source.input.payloadSchema,
    };
    sources.set(source.endpoint, { compiled: source, record, missingSecret: null, schemaFile });
  }

  const mappingsBySource = new Map<string, MappingRecord[]>();
  const mappings = new Map<string, MappingSetup>();
  for (const m of compiled.mappings) {
    const d = m.input;
    const record: MappingRecord = {
      id: mappingId(m.flow),
      title: m.flow,
      priority: d.priority,
      // Equal for all: the live order breaks priority ties by creation time, and
      // compiled priorities on one endpoint are distinct anyway.
      createdAt: new Date(0),
      resourceTypeId: resourceTypeId(d.resourceType),
      actionId: d.action !== undefined ? actionId(d.action) : null,
      resourceType: d.resourceType,
      action: d.action ?? null,
      actionPath: d.actionPath ?? null,
      conditions: d.conditions,
      payloadSchema: d.payloadSchema,
      schemaRootPath: d.schemaRootPath,
      idempotencyPath: d.idempotencyPath,
      resourceIdPath: d.resourceIdPath,
      fieldMappings: d.fieldMappings,
      metadataPaths: d.metadataPaths,
    };
    mappings.set(record.id, {
      compiled: m,
      record,
      schemaFile: d.payloadSchema ? schemaFileOf(m.origins, "/payloadSchema") : null,
    });
    const list = mappingsBySource.get(sourceId(m.endpoint)) ?? [];
    list.push(record);
    mappingsBySource.set(sourceId(m.endpoint), list);
  }
  // loadActiveMappings' order: priority DESC, createdAt ASC, id ASC.
  for (const list of mappingsBySource.values()) {
    list.sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  const targets = new Map<string, TargetSetup>();
  for (const t of compiled.targets) {
    const withPlaceholders = (ref: string): string => {
      const value = lookup(ref);
      if (value !== undefined) return value;
      const placeholder = placeholderAuthSecret(ref);
      placeholders.push(placeholder);
      return placeholder;
    };
    const input = resolveTargetInput(t.input, withPlaceholders);
    // withPlaceholders never leaves a secret missing, so resolution always succeeds.
    if (!input.ok) throw new Error(`internal: target ${t.name} did not resolve`);
    let signingSecret = input.signingSecret;
    if (signingSecret !== null && !WHSEC_RE.test(signingSecret)) {
      const ref = t.input.signing.secretRef ?? "";
      const pos = at(`${t.pointer}/auth/secretRef`);
      problems.push({
        code: "secret-invalid",
        message: `targets: the value of ${ref} is not a Standard Webhooks secret (whsec_ followed by base64); deliveries to "${t.name}" cannot be signed with it`,
        file: CONTRACT_FILE,
        line: pos.line,
        column: pos.column,
        pointer: `${t.pointer}/auth/secretRef`,
      });
      signingSecret = null;
    }
    if (signingSecret === null) {
      signingSecret = placeholderSigningSecret(t.name);
      placeholders.push(signingSecret);
    }
    const auth = input.input.auth;
    targets.set(t.name, {
      outbound: {
        url: t.input.url,
        authType: auth.type,
        authSecret: auth.type === "none" ? null : auth.secret,
        authHeaderName: auth.type === "header" ? auth.headerName : null,
        signingEnabled: true,
        signingSecret,
      },
      extraRedactedHeaders: auth.type === "header" ? [auth.headerName] : [],
    });
  }

  const routesByMapping = new Map<string, string[]>();
  for (const r of compiled.routes) {
    const list = routesByMapping.get(mappingId(r.flow)) ?? [];
    list.push(r.target);
    routesByMapping.set(mappingId(r.flow), list);
  }

  // Every secret the package names that resolves, whether or not a fixture uses it.
  for (const ref of compiled.secretRefs) lookup(ref);
  const redact = secretRedactor([...resolved.values(), ...placeholders]);

  const conditionLocation = (m: MappingSetup, index: number): string => {
    const pointer = m.compiled.conditionPointers[index];
    if (pointer === undefined) return CONTRACT_FILE;
    const pos = at(pointer);
    return formatLocation({ file: CONTRACT_FILE, line: pos.line, column: pos.column });
  };

  async function run(fixture: Fixture): Promise<FixtureRun> {
    const source = sources.get(fixture.endpoint);
    if (!source) throw new Error(`internal: fixture ${fixture.name} names unknown endpoint ${fixture.endpoint}`);
    if (!source.record) {
      const ref = source.missingSecret ?? "";
      const pointer = `${source.compiled.pointer}/verification/secretRef`;
      const pos = at(pointer);
      const finding: Finding = {
        code: "secret-missing",
        message: `endpoint "${fixture.endpoint}" verifies signatures with ${ref}, which is not set: pass it with --secrets <file> or the environment variable ${ref}`,
        file: CONTRACT_FILE,
        line: pos.line,
        column: pos.column,
        pointer,
      };
      return {
        ran: false,
        fixture: fixture.name,
        missingSecret: ref,
        finding,
        trace: [
          {
            stage: "request",
            outcome: "fail",
            detail: { endpoint: fixture.endpoint, error: "secret-missing", secretRef: ref },
          },
        ],
      };
    }
    const record = source.record;

    let counter = 0;
    const newId = () => `<id:${++counter}>`;
    const store = new MemoryPipelineStore(mappingsBySource, (id) => routesByMapping.get(id)?.length ?? 0);
    // A fixture without its own signature header is signed here, as its provider
    // would sign it (sign-fixture.ts); a rejection case (expectSignature: invalid) never is.
    const verification = record.verification;
    const body = fixture.body;
    const { response, headers, signedBy } = await sendFixture(record, { mnemonic: fixture.endpoint }, fixture, store, newId);

    // Mapping selection, explained by the pipeline's own trace: every mapping tried, in
    // order, with each condition's value and result, up to the first that matched.
    const outcome = store.outcome;
    const tried = (outcome?.trace.tried ?? []).map((t) => ({
      setup: mappings.get(t.mapping.id) as MappingSetup,
      pass: t.matched,
      results: t.conditions,
    }));
    const selected = tried.find((t) => t.pass)?.setup ?? null;

    let interaction: SandboxInteraction | null = null;
    const deliveries: SandboxDelivery[] = [];
    const deliveryTrace: Record<string, unknown>[] = [];
    if (outcome?.kind === "ready" && store.commit?.status === "processed" && store.event) {
      const i = outcome.interaction;
      interaction = {
        resourceType: i.mapping.resourceType,
        action: i.action,
        resourceId: i.resourceId,
        idempotencyKey: i.idempotencyKey,
        object: i.object,
      };
      // lib/store/interactions.ts toInteraction: the JSON the worker sends. createdAt is
      // the commit time, which in sync mode is the moment the request is handled.
      const interactionJson = {
        id: i.id,
        orgId: record.orgId,
        originId: record.originId,
        sourceId: record.id,
        mappingId: i.mapping.id,
        eventId: store.event.id,
        resourceTypeId: i.mapping.resourceTypeId,
        actionId: i.mapping.actionId && i.mapping.action === i.action ? i.mapping.actionId : actionId(i.action),
        resourceType: i.mapping.resourceType,
        action: i.action,
        resourceId: i.resourceId,
        idempotencyKey: i.idempotencyKey,
        object: i.object,
        createdAt: new Date(fixture.receivedAtMs).toISOString(),
      };
      for (const targetName of routesByMapping.get(i.mapping.id) ?? []) {
        const target = targets.get(targetName);
        if (!target) throw new Error(`internal: route to unknown target ${targetName}`);
        const deliveryId = newId();
        const request = buildOutboundRequest({
          deliveryId,
          target: target.outbound,
          interaction: interactionJson,
          nowMs: fixture.receivedAtMs,
        });
        deliveries.push({
          target: targetName,
          method: request.method,
          url: request.url,
          headers: redactRequestHeaders(request.headers, null, target.extraRedactedHeaders),
          body: JSON.parse(request.body) as unknown,
        });
        deliveryTrace.push({ deliveryId, target: targetName, url: request.url });
      }
    }

    const trace: TraceStage[] = [];
    const request: Record<string, unknown> = {
      endpoint: fixture.endpoint,
      receivedAt: new Date(fixture.receivedAtMs).toISOString(),
      headers: redactRequestHeaders(headers, verification),
      bodyBytes: body.length,
    };
    if (fixture.description !== undefined) request.description = fixture.description;
    if (fixture.expectSignature !== undefined) request.expectSignature = fixture.expectSignature;
    trace.push({ stage: "request", outcome: "pass", detail: request });

    let signature: FixtureScanResult["signature"] = "none";
    for (const s of store.stages) {
      const outcomeName = OUTCOME[s.outcome];
      const detail: Record<string, unknown> = {};
      switch (s.stage) {
        case "source":
          detail.endpoint = fixture.endpoint;
          detail.sourceId = record.id;
          break;
        case "signature":
          if (verification) {
            detail.preset = verification.preset;
            detail.header = signatureHeaderOf(verification);
            // "fixture": sent as the fixture wrote it; "sandbox": signed here with the
            // resolved secret; null: no signature was sent.
            detail.signedBy = signedBy;
          }
          if (s.outcome !== "passed") detail.reason = s.detail ?? "";
          signature = s.outcome === "passed" ? "valid" : s.outcome === "failed" ? "invalid" : "none";
          break;
        case "sourceSchema":
          if (s.outcome === "passed") detail.schema = source.schemaFile;
          else if (s.outcome === "skipped") detail.reason = s.detail ?? "";
          else {
            detail.error = store.error?.message ?? s.detail ?? "";
            if (store.error?.details) detail.errors = store.error.details;
            if (source.schemaFile && store.error?.details) detail.schema = source.schemaFile;
          }
          break;
        case "mappingSelection":
          detail.mappings = tried.map((t) => ({
            flow: t.setup.compiled.flow,
            priority: t.setup.record.priority,
            matched: t.pass,
            conditions: t.results.map((r, index) => conditionDetail(r, index, conditionLocation(t.setup, index))),
          }));
          detail.selected = selected?.compiled.flow ?? null;
          break;
        case "mappingSchema":
          detail.flow = selected?.compiled.flow ?? null;
          if (s.outcome === "skipped") detail.reason = s.detail ?? "";
          else {
            detail.schema = selected?.schemaFile ?? null;
            detail.root = selected?.record.schemaRootPath ?? null;
          }
          if (s.outcome === "failed" && outcome?.kind === "failed") detail.errors = outcome.details ?? [];
          break;
        case "dedup":
          detail.idempotencyKey = outcome?.kind === "ready" ? outcome.interaction.idempotencyKey : null;
          if (s.detail !== undefined) detail.reason = s.detail;
          break;
        case "interaction":
          if (s.outcome === "failed" && outcome?.kind === "failed") {
            detail.error = outcome.error;
            detail.details = outcome.details ?? [];
          } else if (outcome?.kind === "ready") {
            const i = outcome.interaction;
            detail.interactionId = i.id;
            detail.flow = selected?.compiled.flow ?? null;
            detail.resourceType = i.mapping.resourceType;
            detail.action = i.action;
            detail.resourceId = i.resourceId;
            detail.idempotencyKey = i.idempotencyKey;
          }
          break;
        default:
          if (s.detail !== undefined) detail.reason = s.detail;
      }
      trace.push({ stage: s.stage, outcome: outcomeName, detail });
    }
    trace.push(
      deliveryTrace.length > 0
        ? { stage: "delivery", outcome: "pass", detail: { deliveries: deliveryTrace } }
        : { stage: "delivery", outcome: "skip", detail: { reason: "No interaction was created" } },
    );
    trace.push({
      stage: "response",
      outcome: response.status < 400 ? "pass" : "fail",
      detail: { status: response.status, body: response.body },
    });

    const result: SandboxResult = { status: response.status, body: response.body, interaction, deliveries };
    const scan: FixtureScanResult = {
      fixture: fixture.name,
      signature,
      // Reached = selected, even when the flow then refused the payload (schema, ids):
      // the fixture exercised it.
      flow: selected?.compiled.flow ?? null,
      conditions: tried.flatMap((t) => t.results.map((r, index) => ({ flow: t.setup.compiled.flow, index, pass: r.pass }))),
    };
    if (fixture.expectSignature !== undefined) scan.expectSignature = fixture.expectSignature;
    return { ran: true, fixture: fixture.name, result: redact(jsonClone(result)), trace: redact(jsonClone(trace)), scan };
  }

  return { run, problems, redact };
}
