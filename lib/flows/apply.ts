// Plan and apply of a ProviderFlow package (spec providerflow.md §5): the compiled
// package becomes inbound sources, mappings, targets and routes marked
// `managedBy = "<package>/<name>"` (sources by endpoint, mappings by flow, targets by
// target name, routes by "<flow>-><target>"), in one transaction.
//
// - A re-apply updates what it manages and deletes what it managed but no longer
//   declares, so nothing is duplicated. Declared state wins over manual edits of a
//   managed object.
// - Objects it does not manage are never touched: a name clash with one (a source's
//   mnemonic, a target's name, a route between two managed objects) is a 409 naming
//   it, and so is a deletion whose cascade would take an unmanaged object with it (a
//   mapping added by hand to a managed source, a route added by hand to a managed
//   target).
// - Inputs go through the management API's own create schemas (SourceCreate,
//   MappingCreate, TargetCreate) with the secrets resolved, and through the target
//   URL's create-time SSRF check, so apply accepts exactly what the API would. The
//   writes themselves are done here rather than by createSource & co.: those own
//   their transactions, and an apply must be all or nothing.
// - Plan runs the same comparison and writes nothing.
// - Secrets are compared in plain and written sealed (secret-values.ts) for the row they
//   belong to, so a created row's id is chosen here.
import { randomUUID } from "node:crypto";
import { prisma } from "@/lib/db";
import { env } from "@/lib/env";
import { Prisma } from "@/lib/generated/prisma/client";
import { conflict, validationFailed, type Detail } from "@/lib/errors";
import { MappingCreate, type MappingCreateInput } from "@/lib/schemas/mappings";
import type { ApplyResultDto, ChangeDto, FieldChangeDto, PlanDto } from "@/lib/schemas/providerflow";
import { SourceCreate, isStandardWebhooksSecret, toStoredVerification, type SourceCreateInput } from "@/lib/schemas/sources";
import { TargetCreate, type TargetCreateInput } from "@/lib/schemas/targets";
import type { Principal } from "@/lib/auth/principal";
import { checkTargetUrl } from "@/lib/delivery/ssrf-guard";
import { generateSigningSecret } from "@/lib/delivery/sign-outbound";
import { canonicalJson } from "@/lib/inbound/json-value";
import { toStorableValue } from "@/lib/inbound/storable-text";
import {
  mappingCreateInput,
  originOf,
  resolveSourceInput,
  resolveTargetInput,
  type CompiledPackage,
  type Origins,
  type SecretLookup,
} from "@/providerflow/compile";
import type { CheckedPackage } from "@/providerflow/check";
import { CONTRACT_FILE } from "@/providerflow/load-package";
import { secretLookup } from "./secrets";
import { revalidate } from "./revalidate";
import {
  actorLabel,
  findingToDetail,
  findVersionRow,
  getVersionSummary,
  loadStoredFiles,
  loadUpload,
  STATUS_TO_API,
  type LoadedUpload,
} from "./versions";
import { toMapping } from "@/lib/store/mappings";
import { isUniqueViolation, toSource } from "@/lib/store/sources";
import { toTarget } from "@/lib/store/targets";
import { invalidateSourceCache } from "@/lib/store/source-lookup";
import { openSecret, sealSecret, type SecretKind, type SecretRow } from "@/lib/store/secret-values";

type Tx = Prisma.TransactionClient;

const REDACTED = "[redacted]";
/** Long enough for a large package on a slow database; Prisma's default is 5 s. */
const APPLY_TIMEOUT_MS = 60_000;
const MAX_FIELD_CHANGES = 100;
const PLACEHOLDER_SOURCE_ID = "00000000-0000-4000-8000-000000000000";

// ---------------------------------------------------------------------------------
// The desired state: compiled inputs with secrets resolved, through the API's schemas

type DesiredSource = { name: string; managedBy: string; pointer: string; input: SourceCreateInput; secret: string | null };
type DesiredMapping = { name: string; managedBy: string; endpoint: string; input: MappingCreateInput };
type DesiredTarget = { name: string; managedBy: string; pointer: string; input: TargetCreateInput; signingSecret: string | null };
type DesiredRoute = { name: string; managedBy: string; flow: string; target: string };

type Desired = {
  packageName: string;
  sources: DesiredSource[];
  mappings: DesiredMapping[];
  targets: DesiredTarget[];
  routes: DesiredRoute[];
};

const managedKey = (pkg: string, name: string) => `${pkg}/${name}`;
const routeName = (flow: string, target: string) => `${flow}->${target}`;

type IssueLike = { path: readonly PropertyKey[]; message: string };

/**
 * Builds the desired state or throws a 400 listing every problem: a secretRef the
 * org's store does not hold, or a resolved value the API refuses (a bearer token with
 * a newline, a non-whsec_ Standard Webhooks secret). Messages name the secretRef and
 * never the value.
 */
function buildDesired(checked: { package: CheckedPackage; compiled: CompiledPackage }, lookup: SecretLookup): Desired {
  const { compiled, package: pkg } = checked;
  const name = compiled.package.name;
  const details: Detail[] = [];
  const at = (pointer: string, message: string) =>
    details.push(findingToDetail(pkg.positions.finding("apply-rejected", message, pointer)));
  const missing = (refs: string[], pointer: string) => {
    for (const ref of refs) {
      at(pointer, `secretRef ${ref} is not set in this organization's secret store (PUT /api/v1/secrets/${ref})`);
    }
  };
  const rejected = (issues: readonly IssueLike[], origins: Origins, what: string) => {
    for (const issue of issues) {
      const inputPointer = issue.path
        .filter((p): p is string | number => typeof p !== "symbol")
        .map((p) => `/${String(p)}`)
        .join("");
      const origin = originOf(origins, inputPointer);
      const ref = /\/secret$/.test(inputPointer) ? " (the value of its secretRef)" : "";
      at(origin.file === CONTRACT_FILE ? origin.pointer : "", `${what}${inputPointer}${ref}: ${issue.message}`);
    }
  };

  const sources: DesiredSource[] = [];
  for (const s of compiled.sources) {
    const resolved = resolveSourceInput(s.input, lookup);
    if (!resolved.ok) {
      missing(resolved.missing, `${s.pointer}/verification/secretRef`);
      continue;
    }
    const parsed = SourceCreate.safeParse(resolved.input);
    if (!parsed.success) {
      rejected(parsed.error.issues, s.origins, `endpoint "${s.endpoint}"`);
      continue;
    }
    sources.push({
      name: s.endpoint,
      managedBy: managedKey(name, s.endpoint),
      pointer: s.pointer,
      input: parsed.data,
      secret: parsed.data.verification?.secret ?? null,
    });
  }

  const allowPrivate = env().PROVENANCE_ALLOW_PRIVATE_TARGETS;
  const targets: DesiredTarget[] = [];
  for (const t of compiled.targets) {
    const resolved = resolveTargetInput(t.input, lookup);
    if (!resolved.ok) {
      missing(resolved.missing, `${t.pointer}/auth/secretRef`);
      continue;
    }
    if (resolved.signingSecret !== null && !isStandardWebhooksSecret(resolved.signingSecret)) {
      at(
        `${t.pointer}/auth/secretRef`,
        `target "${t.name}": the value of its secretRef must be "whsec_" followed by base64 (a Standard Webhooks secret)`,
      );
      continue;
    }
    const parsed = TargetCreate.safeParse(resolved.input);
    if (!parsed.success) {
      rejected(parsed.error.issues, t.origins, `target "${t.name}"`);
      continue;
    }
    // The same create-time SSRF check as POST /api/v1/targets, with the deployment's flag.
    const url = checkTargetUrl(parsed.data.url, { allowPrivate });
    if (!url.ok) {
      at(`${t.pointer}/url`, `target "${t.name}": ${url.message}`);
      continue;
    }
    targets.push({
      name: t.name,
      managedBy: managedKey(name, t.name),
      pointer: t.pointer,
      input: parsed.data,
      signingSecret: resolved.signingSecret,
    });
  }

  const mappings: DesiredMapping[] = [];
  for (const m of compiled.mappings) {
    // sourceId is known only once the source exists; the placeholder stands in for the check.
    const parsed = MappingCreate.safeParse(mappingCreateInput(m.input, PLACEHOLDER_SOURCE_ID));
    if (!parsed.success) {
      rejected(parsed.error.issues, m.origins, `flow "${m.flow}"`);
      continue;
    }
    mappings.push({ name: m.flow, managedBy: managedKey(name, m.flow), endpoint: m.endpoint, input: parsed.data });
  }

  if (details.length > 0) throw validationFailed(details);
  const routes = compiled.routes.map((r) => ({
    name: routeName(r.flow, r.target),
    managedBy: managedKey(name, routeName(r.flow, r.target)),
    flow: r.flow,
    target: r.target,
  }));
  return { packageName: name, sources, mappings, targets, routes };
}

// ---------------------------------------------------------------------------------
// Comparable views and field diffs

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const sameJson = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

/** Field-level differences: objects are descended into, anything else is compared whole. */
function diffValues(from: unknown, to: unknown, path: string, out: FieldChangeDto[]): void {
  if (out.length >= MAX_FIELD_CHANGES || sameJson(from, to)) return;
  if (isRecord(from) && isRecord(to)) {
    for (const key of [...new Set([...Object.keys(from), ...Object.keys(to)])].sort()) {
      diffValues(from[key], to[key], `${path}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`, out);
    }
    return;
  }
  out.push({ path, from: from ?? null, to: to ?? null });
}

/** A stored secret that cannot be decrypted: it differs from every value, so apply replaces it. */
const UNREADABLE = Symbol("unreadable secret");

function storedSecret(kind: SecretKind, row: SecretRow, stored: string | null): string | null | typeof UNREADABLE {
  const opened = openSecret(kind, row, stored);
  if (opened.ok) return opened.value;
  return opened.reason === "missing" ? null : UNREADABLE;
}

/** A secret's change, shown without either value. */
function diffSecret(from: string | null | typeof UNREADABLE, to: string | null, path: string, out: FieldChangeDto[]): void {
  if (from !== to) out.push({ path, from: from === null ? null : REDACTED, to: to === null ? null : REDACTED });
}

type SourceRow = Prisma.InboundSourceGetPayload<{
  include: { mappings: { select: { id: true; title: true; managedBy: true } } };
}>;
type MappingRow = Prisma.InboundMappingGetPayload<{
  include: {
    resourceType: true;
    action: true;
    source: { select: { managedBy: true; mnemonic: true } };
    routes: { select: { id: true; managedBy: true } };
  };
}>;
type TargetRow = Prisma.TargetGetPayload<{ include: { routes: { select: { id: true; managedBy: true } } } }>;
type RouteRow = Prisma.RouteGetPayload<object>;

function sourceView(row: SourceRow): Json {
  const dto = toSource(row);
  let verification: Json | null = null;
  if (dto.verification) {
    // The settings only: the hint is derived from the secret, which is compared on its own.
    const settings: Json = { ...dto.verification };
    delete settings.secretHint;
    verification = settings;
  }
  return {
    title: dto.title,
    mnemonic: dto.mnemonic,
    description: dto.description,
    active: dto.active,
    verification,
    payloadSchema: dto.payloadSchema,
  };
}

function desiredSourceView(d: DesiredSource): Json {
  const v = d.input.verification;
  return {
    title: d.input.title,
    mnemonic: d.input.mnemonic,
    description: d.input.description ?? null,
    active: d.input.active,
    verification: v ? toStoredVerification(v) : null,
    payloadSchema: d.input.payloadSchema ?? null,
  };
}

/** The endpoint a mapping hangs off, by the name its source is managed under. */
function endpointOf(pkg: string, source: { managedBy: string | null; mnemonic: string }): string {
  return source.managedBy?.startsWith(`${pkg}/`) ? source.managedBy.slice(pkg.length + 1) : source.mnemonic;
}

function mappingView(pkg: string, row: MappingRow): Json {
  const dto = toMapping(row);
  return {
    endpoint: endpointOf(pkg, row.source),
    title: dto.title,
    active: dto.active,
    priority: dto.priority,
    resourceType: dto.resourceType,
    action: dto.actionPath === null ? dto.action : null,
    actionPath: dto.actionPath,
    conditions: dto.conditions,
    payloadSchema: dto.payloadSchema,
    schemaRootPath: dto.schemaRootPath,
    idempotencyPath: dto.idempotencyPath,
    resourceIdPath: dto.resourceIdPath,
    fieldMappings: dto.fieldMappings,
    metadataPaths: dto.metadataPaths,
  };
}

function desiredMappingView(d: DesiredMapping): Json {
  const i = d.input;
  return {
    endpoint: d.endpoint,
    title: i.title ?? null,
    active: i.active,
    priority: i.priority,
    resourceType: i.resourceType,
    action: i.action ?? null,
    actionPath: i.actionPath ?? null,
    conditions: i.conditions,
    payloadSchema: i.payloadSchema ?? null,
    schemaRootPath: i.schemaRootPath ?? null,
    idempotencyPath: i.idempotencyPath ?? null,
    resourceIdPath: i.resourceIdPath,
    fieldMappings: i.fieldMappings ?? null,
    metadataPaths: i.metadataPaths ?? null,
  };
}

function targetView(row: TargetRow): Json {
  const dto = toTarget(row);
  return {
    name: dto.name,
    url: dto.url,
    active: dto.active,
    auth: { type: dto.auth.type, headerName: dto.auth.headerName },
    signing: { enabled: dto.signing.enabled },
    retry: dto.retry,
    timeoutSeconds: dto.timeoutSeconds,
  };
}

function desiredTargetView(d: DesiredTarget): Json {
  const i = d.input;
  return {
    name: i.name,
    url: i.url,
    active: i.active,
    auth: { type: i.auth.type, headerName: i.auth.type === "header" ? (i.auth.headerName ?? null) : null },
    signing: { enabled: i.signing.enabled },
    retry: i.retry,
    timeoutSeconds: i.timeoutSeconds,
  };
}

const authSecretOf = (i: TargetCreateInput): string | null => (i.auth.type === "none" ? null : (i.auth.secret ?? null));

// ---------------------------------------------------------------------------------
// Reconciliation

type Current = {
  sources: SourceRow[];
  mappings: MappingRow[];
  targets: TargetRow[];
  routes: RouteRow[];
};

async function readCurrent(db: Tx, orgId: string, pkg: string): Promise<Current> {
  const managed = { orgId, managedBy: { startsWith: `${pkg}/` } };
  const [sources, mappings, targets, routes] = await Promise.all([
    db.inboundSource.findMany({ where: managed, include: { mappings: { select: { id: true, title: true, managedBy: true } } } }),
    db.inboundMapping.findMany({
      where: managed,
      include: {
        resourceType: true,
        action: true,
        source: { select: { managedBy: true, mnemonic: true } },
        routes: { select: { id: true, managedBy: true } },
      },
    }),
    db.target.findMany({ where: managed, include: { routes: { select: { id: true, managedBy: true } } } }),
    db.route.findMany({ where: managed }),
  ]);
  return { sources, mappings, targets, routes };
}

const byManagedBy = <T extends { managedBy: string | null }>(rows: T[]) => new Map(rows.map((r) => [r.managedBy ?? "", r]));

type Step = { change: ChangeDto; run?: (db: Tx, ids: Ids) => Promise<void> };
/** Ids of the objects as they stand after the steps so far (created ones included), by managedBy. */
type Ids = { sources: Map<string, string>; mappings: Map<string, string>; targets: Map<string, string> };

/**
 * Compares the desired state with what the package manages now and returns the steps:
 * each a change for the plan and, for create/update/delete, the write that makes it.
 * Throws a 409 for a clash with an object the package does not manage.
 */
async function reconcile(db: Tx, orgId: string, desired: Desired): Promise<{ steps: Step[]; ids: Ids }> {
  const pkg = desired.packageName;
  const current = await readCurrent(db, orgId, pkg);
  const clashes: Detail[] = [];
  const clash = (message: string) => clashes.push({ path: "", message });
  const owner = (managedBy: string | null) =>
    managedBy ? `managed by "${managedBy.split("/")[0]}"` : "not managed by any package";

  // Unmanaged (or other packages') objects holding a name the package declares.
  const [sourceHolders, targetHolders] = await Promise.all([
    db.inboundSource.findMany({
      where: { orgId, mnemonic: { in: desired.sources.map((s) => s.input.mnemonic) } },
      select: { id: true, mnemonic: true, managedBy: true },
    }),
    db.target.findMany({
      where: { orgId, name: { in: desired.targets.map((t) => t.input.name) } },
      select: { id: true, name: true, managedBy: true },
    }),
  ]);
  for (const s of sourceHolders) {
    if (!s.managedBy?.startsWith(`${pkg}/`)) {
      clash(
        `inbound source "${s.mnemonic}" (${s.id}) already exists and is ${owner(s.managedBy)}; rename the endpoint, or rename or delete that source`,
      );
    }
  }
  for (const t of targetHolders) {
    if (!t.managedBy?.startsWith(`${pkg}/`)) {
      clash(
        `target "${t.name}" (${t.id}) already exists and is ${owner(t.managedBy)}; rename the package's target, or rename or delete that target`,
      );
    }
  }

  const sources = byManagedBy(current.sources);
  const mappings = byManagedBy(current.mappings);
  const targets = byManagedBy(current.targets);
  const routes = byManagedBy(current.routes);
  const wanted = (list: { managedBy: string }[]) => new Set(list.map((x) => x.managedBy));
  const wantedSources = wanted(desired.sources);
  const wantedMappings = wanted(desired.mappings);
  const wantedTargets = wanted(desired.targets);
  const wantedRoutes = wanted(desired.routes);

  // A deletion must not cascade into objects the package does not manage.
  for (const s of current.sources) {
    if (wantedSources.has(s.managedBy ?? "")) continue;
    for (const m of s.mappings) {
      if (!m.managedBy?.startsWith(`${pkg}/`)) {
        clash(
          `inbound source "${s.mnemonic}" is to be deleted, but mapping "${m.title}" (${m.id}) on it is ${owner(m.managedBy)}; move or delete that mapping first`,
        );
      }
    }
  }
  for (const m of current.mappings) {
    if (wantedMappings.has(m.managedBy ?? "")) continue;
    for (const r of m.routes) {
      if (!r.managedBy?.startsWith(`${pkg}/`))
        clash(
          `mapping "${m.title}" is to be deleted, but route ${r.id} from it is ${owner(r.managedBy)}; delete that route first`,
        );
    }
  }
  for (const t of current.targets) {
    if (wantedTargets.has(t.managedBy ?? "")) continue;
    for (const r of t.routes) {
      if (!r.managedBy?.startsWith(`${pkg}/`))
        clash(`target "${t.name}" is to be deleted, but route ${r.id} to it is ${owner(r.managedBy)}; delete that route first`);
    }
  }

  const ids: Ids = {
    sources: new Map(current.sources.map((s) => [s.managedBy ?? "", s.id])),
    mappings: new Map(current.mappings.map((m) => [m.managedBy ?? "", m.id])),
    targets: new Map(current.targets.map((t) => [t.managedBy ?? "", t.id])),
  };

  // A route between two managed objects that exist already may have been added by hand.
  const pairs = desired.routes.flatMap((r) => {
    const mappingId = ids.mappings.get(managedKey(pkg, r.flow));
    const targetId = ids.targets.get(managedKey(pkg, r.target));
    return mappingId && targetId && !routes.has(r.managedBy) ? [{ mappingId, targetId, name: r.name }] : [];
  });
  if (pairs.length > 0) {
    const found = await db.route.findMany({
      where: { orgId, OR: pairs.map(({ mappingId, targetId }) => ({ mappingId, targetId })) },
    });
    for (const row of found) {
      const pair = pairs.find((p) => p.mappingId === row.mappingId && p.targetId === row.targetId);
      if (pair && !row.managedBy?.startsWith(`${pkg}/`)) {
        clash(
          `route ${row.id} (${pair.name}) already exists and is ${owner(row.managedBy)}; delete it so the package can manage it`,
        );
      }
    }
  }
  if (clashes.length > 0) throw conflict(clashes);

  // Deletions first (routes, mappings, targets, sources) so their names are free for
  // what follows; then sources, targets, mappings and routes are created or updated.
  const deletes: Step[] = [];
  const upserts: Step[] = [];
  const removed = (kind: ChangeDto["kind"], managedBy: string | null) => ({
    action: "delete" as const,
    kind,
    name: (managedBy ?? "").slice(pkg.length + 1),
  });
  for (const r of current.routes) {
    if (!wantedRoutes.has(r.managedBy ?? "")) {
      deletes.push({
        change: removed("route", r.managedBy),
        run: async (tx) => void (await tx.route.deleteMany({ where: { id: r.id, orgId } })),
      });
    }
  }
  for (const m of current.mappings) {
    if (!wantedMappings.has(m.managedBy ?? "")) {
      deletes.push({
        change: removed("mapping", m.managedBy),
        run: async (tx, state) => {
          await tx.inboundMapping.deleteMany({ where: { id: m.id, orgId } });
          state.mappings.delete(m.managedBy ?? "");
        },
      });
    }
  }
  for (const t of current.targets) {
    if (!wantedTargets.has(t.managedBy ?? "")) {
      deletes.push({
        change: removed("target", t.managedBy),
        run: async (tx, state) => {
          await tx.target.deleteMany({ where: { id: t.id, orgId } });
          state.targets.delete(t.managedBy ?? "");
        },
      });
    }
  }
  for (const s of current.sources) {
    if (!wantedSources.has(s.managedBy ?? "")) {
      deletes.push({
        change: removed("source", s.managedBy),
        run: async (tx, state) => {
          await tx.inboundSource.deleteMany({ where: { id: s.id, orgId } });
          state.sources.delete(s.managedBy ?? "");
        },
      });
    }
  }

  for (const d of desired.sources) {
    const row = sources.get(d.managedBy);
    if (!row) {
      upserts.push({
        change: { action: "create", kind: "source", name: d.name },
        run: (tx, state) => createSourceRow(tx, orgId, d, state),
      });
      continue;
    }
    const diff: FieldChangeDto[] = [];
    diffValues(sourceView(row), desiredSourceView(d), "", diff);
    diffSecret(storedSecret("InboundSource.verificationSecret", row, row.verificationSecret), d.secret, "/verification/secret", diff);
    upserts.push(
      diff.length === 0
        ? { change: { action: "unchanged", kind: "source", name: d.name } }
        : {
            change: { action: "update", kind: "source", name: d.name, diff },
            run: (tx) => updateSourceRow(tx, orgId, row.id, row.originId, d),
          },
    );
  }

  for (const d of desired.targets) {
    const row = targets.get(d.managedBy);
    if (!row) {
      upserts.push({
        change: { action: "create", kind: "target", name: d.name },
        run: (tx, state) => createTargetRow(tx, orgId, d, state),
      });
      continue;
    }
    const diff: FieldChangeDto[] = [];
    diffValues(targetView(row), desiredTargetView(d), "", diff);
    diffSecret(storedSecret("Target.authSecret", row, row.authSecret), authSecretOf(d.input), "/auth/secret", diff);
    // Without a secretRef for signing, the target keeps the secret the server generated.
    if (d.signingSecret !== null) diffSecret(storedSecret("Target.signingSecret", row, row.signingSecret), d.signingSecret, "/signing/secret", diff);
    upserts.push(
      diff.length === 0
        ? { change: { action: "unchanged", kind: "target", name: d.name } }
        : {
            change: { action: "update", kind: "target", name: d.name, diff },
            run: (tx) => updateTargetRow(tx, orgId, row.id, d),
          },
    );
  }

  for (const d of desired.mappings) {
    const row = mappings.get(d.managedBy);
    const sourceKey = managedKey(pkg, d.endpoint);
    if (!row) {
      upserts.push({
        change: { action: "create", kind: "mapping", name: d.name },
        run: (tx, state) => createMappingRow(tx, orgId, d, requireId(state.sources, sourceKey), state),
      });
      continue;
    }
    const diff: FieldChangeDto[] = [];
    diffValues(mappingView(pkg, row), desiredMappingView(d), "", diff);
    upserts.push(
      diff.length === 0
        ? { change: { action: "unchanged", kind: "mapping", name: d.name } }
        : {
            change: { action: "update", kind: "mapping", name: d.name, diff },
            run: (tx, state) => updateMappingRow(tx, orgId, row.id, d, requireId(state.sources, sourceKey)),
          },
    );
  }

  for (const d of desired.routes) {
    const row = routes.get(d.managedBy);
    const mappingKey = managedKey(pkg, d.flow);
    const targetKey = managedKey(pkg, d.target);
    if (!row) {
      upserts.push({
        change: { action: "create", kind: "route", name: d.name },
        run: async (tx, state) => {
          const data = {
            orgId,
            mappingId: requireId(state.mappings, mappingKey),
            targetId: requireId(state.targets, targetKey),
            active: true,
            managedBy: d.managedBy,
          };
          await tx.route.create({ data });
        },
      });
      continue;
    }
    // A route's identity is its two ends, which its name fixes; only `active` can drift.
    upserts.push(
      row.active
        ? { change: { action: "unchanged", kind: "route", name: d.name } }
        : {
            change: { action: "update", kind: "route", name: d.name, diff: [{ path: "/active", from: false, to: true }] },
            run: async (tx) => void (await tx.route.updateMany({ where: { id: row.id, orgId }, data: { active: true } })),
          },
    );
  }
  return { steps: [...deletes, ...upserts], ids };
}

function requireId(map: Map<string, string>, key: string): string {
  const id = map.get(key);
  // compile.ts only routes and maps between declared names, all of which are upserted first.
  if (!id) throw new Error(`internal: ${key} was not created before it was referenced`);
  return id;
}

const jsonOrDbNull = (value: object | null | undefined): Prisma.InputJsonValue | typeof Prisma.DbNull =>
  value === null || value === undefined ? Prisma.DbNull : (value as Prisma.InputJsonValue);

function sourceData(d: DesiredSource, id: string) {
  const v = d.input.verification ?? null;
  return {
    title: d.input.title,
    mnemonic: d.input.mnemonic,
    description: d.input.description ?? null,
    active: d.input.active,
    verification: v ? (toStoredVerification(v) as unknown as Prisma.InputJsonValue) : Prisma.DbNull,
    verificationSecret: v ? sealSecret("InboundSource.verificationSecret", { id }, v.secret) : null,
    payloadSchema: jsonOrDbNull(d.input.payloadSchema),
    managedBy: d.managedBy,
  };
}

async function createSourceRow(tx: Tx, orgId: string, d: DesiredSource, state: Ids): Promise<void> {
  const origin = await tx.origin.create({ data: { orgId, name: d.input.title, kind: "inbound-source" } });
  const id = randomUUID();
  const row = await tx.inboundSource.create({ data: { id, orgId, originId: origin.id, ...sourceData(d, id) }, select: { id: true } });
  state.sources.set(d.managedBy, row.id);
}

async function updateSourceRow(tx: Tx, orgId: string, id: string, originId: string, d: DesiredSource): Promise<void> {
  await tx.inboundSource.update({ where: { id, orgId }, data: sourceData(d, id) });
  await tx.origin.updateMany({ where: { id: originId, orgId }, data: { name: d.input.title } });
}

function targetData(d: DesiredTarget, id: string) {
  const i = d.input;
  const authSecret = authSecretOf(i);
  return {
    name: i.name,
    url: i.url,
    active: i.active,
    authType: i.auth.type,
    authSecret: authSecret === null ? null : sealSecret("Target.authSecret", { id }, authSecret),
    authHeaderName: i.auth.type === "header" ? (i.auth.headerName ?? null) : null,
    signingEnabled: i.signing.enabled,
    maxAttempts: i.retry.maxAttempts,
    backoff: i.retry.backoff,
    initialDelaySeconds: i.retry.initialDelaySeconds,
    timeoutSeconds: i.timeoutSeconds,
    managedBy: d.managedBy,
  };
}

async function createTargetRow(tx: Tx, orgId: string, d: DesiredTarget, state: Ids): Promise<void> {
  // As POST /api/v1/targets: a fresh signing secret unless the package names its own.
  const id = randomUUID();
  const signingSecret = sealSecret("Target.signingSecret", { id }, d.signingSecret ?? generateSigningSecret());
  const row = await tx.target.create({ data: { id, orgId, ...targetData(d, id), signingSecret }, select: { id: true } });
  state.targets.set(d.managedBy, row.id);
}

async function updateTargetRow(tx: Tx, orgId: string, id: string, d: DesiredTarget): Promise<void> {
  await tx.target.update({
    where: { id, orgId },
    data: {
      ...targetData(d, id),
      ...(d.signingSecret !== null ? { signingSecret: sealSecret("Target.signingSecret", { id }, d.signingSecret) } : {}),
    },
  });
}

/** Insert-if-missing that holds under concurrency (ON CONFLICT DO NOTHING, then read), as lib/store/mappings.ts does. */
async function resourceTypeId(tx: Tx, orgId: string, name: string): Promise<string> {
  await tx.resourceType.createMany({ data: [{ orgId, name }], skipDuplicates: true });
  return (await tx.resourceType.findUniqueOrThrow({ where: { orgId_name: { orgId, name } }, select: { id: true } })).id;
}

async function actionId(tx: Tx, orgId: string, name: string): Promise<string> {
  await tx.action.createMany({ data: [{ orgId, name }], skipDuplicates: true });
  return (await tx.action.findUniqueOrThrow({ where: { orgId_name: { orgId, name } }, select: { id: true } })).id;
}

async function mappingData(tx: Tx, orgId: string, d: DesiredMapping, sourceId: string) {
  const i = d.input;
  return {
    sourceId,
    title: i.title ?? d.name,
    active: i.active,
    priority: i.priority,
    resourceTypeId: await resourceTypeId(tx, orgId, i.resourceType),
    actionId: i.action !== undefined ? await actionId(tx, orgId, i.action) : null,
    actionPath: i.actionPath ?? null,
    conditions: i.conditions as unknown as Prisma.InputJsonValue,
    payloadSchema: jsonOrDbNull(i.payloadSchema),
    schemaRootPath: i.schemaRootPath ?? null,
    idempotencyPath: i.idempotencyPath ?? null,
    resourceIdPath: i.resourceIdPath,
    fieldMappings: jsonOrDbNull(i.fieldMappings),
    metadataPaths: jsonOrDbNull(i.metadataPaths),
    managedBy: d.managedBy,
  };
}

async function createMappingRow(tx: Tx, orgId: string, d: DesiredMapping, sourceId: string, state: Ids): Promise<void> {
  const row = await tx.inboundMapping.create({
    data: { orgId, ...(await mappingData(tx, orgId, d, sourceId)) },
    select: { id: true },
  });
  state.mappings.set(d.managedBy, row.id);
}

async function updateMappingRow(tx: Tx, orgId: string, id: string, d: DesiredMapping, sourceId: string): Promise<void> {
  await tx.inboundMapping.update({ where: { id, orgId }, data: await mappingData(tx, orgId, d, sourceId) });
}

// ---------------------------------------------------------------------------------
// Plan, apply

const KIND_ORDER: Record<ChangeDto["kind"], number> = { source: 0, mapping: 1, target: 2, route: 3 };

/** Changes grouped by kind (sources, mappings, targets, routes), declaration order within a kind, deletions last. */
function ordered(steps: Step[]): ChangeDto[] {
  const changes = steps.map((s) => s.change);
  return changes
    .map((change, index) => ({ change, index }))
    .sort(
      (a, b) =>
        KIND_ORDER[a.change.kind] - KIND_ORDER[b.change.kind] ||
        Number(a.change.action === "delete") - Number(b.change.action === "delete") ||
        a.index - b.index,
    )
    .map((x) => x.change);
}

/** What applying these files would change; changes nothing. The files need not be uploaded. */
export async function planFiles(orgId: string, encoded: Readonly<Record<string, string>>): Promise<PlanDto> {
  const upload = loadUpload(encoded);
  const desired = buildDesired(upload.checked, await secretLookup(orgId));
  const { steps } = await reconcile(prisma(), orgId, desired);
  return { changes: ordered(steps) };
}

type ApplicableVersion = { id: string; status: keyof typeof STATUS_TO_API; files: Prisma.JsonValue };

/**
 * The status rule of §5: a production org applies only an approved digest (or one
 * already revalidated there); a sandbox org (Org.environment = "sandbox") any version
 * that passed its sandbox run.
 */
function assertApplicable(environment: string, version: ApplicableVersion): void {
  const status = STATUS_TO_API[version.status];
  if (environment === "sandbox") {
    if (version.status === "draft") {
      throw conflict([
        {
          path: "",
          message: `Version ${version.id} is draft: its sandbox run did not pass (see its evidence), so it cannot be applied.`,
        },
      ]);
    }
    return;
  }
  if (version.status !== "approved" && version.status !== "prod_revalidated") {
    throw conflict([
      {
        path: "",
        message: `Version ${version.id} is ${status}; a production organization applies only an approved version. A reviewer approves it with POST /api/v1/providerflow/versions/${version.id}/approve.`,
      },
    ]);
  }
}

function inboundUrls(orgSlug: string, upload: LoadedUpload): Record<string, string> {
  const base = env().publicUrl;
  return Object.fromEntries(
    upload.checked.compiled.sources.map((s) => [
      s.endpoint,
      `${base}/api/inbound/${encodeURIComponent(orgSlug)}/by-mnemonic/${encodeURIComponent(s.input.mnemonic)}`,
    ]),
  );
}

async function applyVersionRow(principal: Principal, version: ApplicableVersion): Promise<ApplyResultDto> {
  const { orgId } = principal;
  const org = await prisma().org.findUniqueOrThrow({ where: { id: orgId }, select: { environment: true, slug: true } });
  assertApplicable(org.environment, version);
  const upload = loadStoredFiles(version.files);
  const lookup = await secretLookup(orgId);
  const desired = buildDesired(upload.checked, lookup);
  const appliedBy = await actorLabel(principal);
  const sourceIds = new Set<string>();
  let steps: Step[];
  try {
    steps = await prisma().$transaction(
      async (tx) => {
        // One apply of a package at a time per org: a second waits, then sees the first's result.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`providerflow:${orgId}:${desired.packageName}`}, 0))`;
        const { steps: planned, ids } = await reconcile(tx, orgId, desired);
        for (const id of ids.sources.values()) sourceIds.add(id);
        for (const step of planned) {
          if (step.run) await step.run(tx, ids);
        }
        for (const id of ids.sources.values()) sourceIds.add(id);
        await tx.flowPackageVersion.updateMany({ where: { id: version.id, orgId }, data: { appliedAt: new Date(), appliedBy } });
        return planned;
      },
      { timeout: APPLY_TIMEOUT_MS, maxWait: 10_000 },
    );
  } catch (error) {
    // Another object took a declared name between the clash check and the write.
    if (isUniqueViolation(error))
      throw conflict([
        { path: "", message: "A source mnemonic or target name the package declares was taken concurrently; plan again." },
      ]);
    throw error;
  }
  // Every source the package managed before or after: created, changed and deleted ones
  // must not be served from this process's 60 s lookup cache.
  for (const id of sourceIds) invalidateSourceCache(id);

  const result = await revalidate(orgId, upload, lookup);
  // The status follows the last revalidation: passing in production makes it
  // prod-revalidated; failing sends a prod-revalidated version back to approved.
  const status =
    org.environment !== "sandbox" && (version.status === "approved" || version.status === "prod_revalidated")
      ? result.passed
        ? "prod_revalidated"
        : "approved"
      : version.status;
  await prisma().flowPackageVersion.updateMany({
    where: { id: version.id, orgId },
    // Differences quote fixture values, stored as the pipeline stores a provider's data.
    data: { revalidation: toStorableValue(result) as unknown as Prisma.InputJsonObject, revalidatedAt: new Date(), status },
  });
  return {
    applied: ordered(steps),
    inboundUrls: inboundUrls(org.slug, upload),
    version: await getVersionSummary(orgId, version.id),
  };
}

/** POST …/versions/:id/apply. */
export async function applyVersion(principal: Principal, id: string): Promise<ApplyResultDto> {
  const row = await findVersionRow(principal.orgId, id);
  const stored = await prisma().flowPackageVersion.findFirstOrThrow({
    where: { id: row.id, orgId: principal.orgId },
    select: { files: true },
  });
  return applyVersionRow(principal, { id: row.id, status: row.status, files: stored.files });
}

/**
 * POST /api/v1/providerflow/apply: the files must be, byte for byte, a version this org
 * uploaded (their digest identifies it), with the status the org's environment needs.
 */
export async function applyFiles(principal: Principal, encoded: Readonly<Record<string, string>>): Promise<ApplyResultDto> {
  const { orgId } = principal;
  const upload = loadUpload(encoded);
  const name = upload.checked.compiled.package.name;
  const version = await prisma().flowPackageVersion.findFirst({
    where: { orgId, digest: upload.digest, package: { orgId, name } },
    select: { id: true, status: true, files: true },
  });
  if (!version) {
    throw conflict([
      {
        path: "",
        message: `No uploaded version of package "${name}" has digest ${upload.digest}; upload it first (POST /api/v1/providerflow/versions).`,
      },
    ]);
  }
  return applyVersionRow(principal, { id: version.id, status: version.status, files: version.files });
}
