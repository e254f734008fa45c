// The client half of `plan`, `apply` and `approve`: the package's files POSTed to the
// ProviderFlow routes, bearer-authenticated, and the answer turned into typed changes,
// versions or findings a person can act on.
//
//   request   { "files": { "<relative path>": "<base64 bytes>" } }; generated files
//             (traces/, scans.json, evidence.json) are not sent. The org is the token's
//             (the routes take it from the principal); `--org` travels as the
//             x-provenance-org header so a server can refuse a token of another org.
//   upload    POST /versions → 201 new version, 200 the existing one (same digest)
//             { id, package, version, digest, status, approvals: [...] }
//   approve   POST /versions/<id>/approve { note? } → 200 the version, approvals added
//   plan      200 { changes: [{ action, kind, name, diff? }] }
//   apply     200 { applied: [...same...], inboundUrls: { <endpoint>: <url> }, version? }
//   errors    the management API's error table: { error, details?: [{ path, message }] }
//             with 400, 401, 403, 404, 409, 413, 429 or 500; each becomes a finding
//             "api-<code>" (api-validation-failed, api-conflict, …) and each detail a
//             finding of its own, at its JSON Pointer.
//
// The token never appears in a finding: network errors are described by the URL's
// origin and the error's code only.

import type { Finding } from "../findings";
import { isGeneratedPath, type PackageFiles } from "../load-package";

export const CHANGE_ACTIONS = ["create", "update", "delete", "unchanged"] as const;
export const CHANGE_KINDS = ["source", "mapping", "target", "route"] as const;

export type FieldChange = { path: string; from?: unknown; to?: unknown };
export type Change = {
  action: (typeof CHANGE_ACTIONS)[number];
  kind: (typeof CHANGE_KINDS)[number];
  name: string;
  diff?: FieldChange[];
};
export type PlanResponse = { changes: Change[] };
export type VersionResponse = {
  id: string;
  package: string;
  version: string;
  digest: string;
  status: string;
  approvals: unknown[];
};
export type ApplyResponse = { applied: Change[]; inboundUrls: Record<string, string>; version?: Record<string, unknown> };

export type ApiCall<T> = { ok: true; status: number; body: T } | { ok: false; status: number | null; findings: Finding[] };

/** Error table code by status (lib/errors.ts ERROR_STATUS), as finding codes. */
const CODE_BY_STATUS: Readonly<Record<number, string>> = {
  400: "api-validation-failed",
  401: "api-unauthorized",
  403: "api-forbidden",
  404: "api-not-found",
  409: "api-conflict",
  413: "api-payload-too-large",
  429: "api-rate-limited",
  500: "api-internal",
};

/** What to tell a person about a status, beyond the server's own words. */
const HINT_BY_STATUS: Readonly<Record<number, string>> = {
  401: "check PROVENANCE_TOKEN",
  403: "the token's role may not do this (plan and apply need an operator token, approve a reviewer or admin one), or the token belongs to an org other than --org",
  404: "check --url / PROVENANCE_URL: the server has no ProviderFlow API there",
  413: "the package is larger than the server accepts",
  429: "wait and try again",
};

export const PLAN_PATH = "/api/v1/providerflow/plan";
export const APPLY_PATH = "/api/v1/providerflow/apply";
export const VERSIONS_PATH = "/api/v1/providerflow/versions";
export const approvePath = (id: string) => `${VERSIONS_PATH}/${encodeURIComponent(id)}/approve`;

/** The request body: every non-generated file, base64. */
export function encodeFiles(files: PackageFiles): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [p, bytes] of files) if (!isGeneratedPath(p)) out[p] = bytes.toString("base64");
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isChange(v: unknown): v is Change {
  if (!isRecord(v)) return false;
  if (!(CHANGE_ACTIONS as readonly unknown[]).includes(v.action)) return false;
  if (!(CHANGE_KINDS as readonly unknown[]).includes(v.kind)) return false;
  if (typeof v.name !== "string") return false;
  return v.diff === undefined || (Array.isArray(v.diff) && v.diff.every((d) => isRecord(d) && typeof d.path === "string"));
}

export function parsePlan(body: unknown): PlanResponse | null {
  if (!isRecord(body) || !Array.isArray(body.changes) || !body.changes.every(isChange)) return null;
  return { changes: body.changes };
}

export function parseApply(body: unknown): ApplyResponse | null {
  if (!isRecord(body) || !Array.isArray(body.applied) || !body.applied.every(isChange)) return null;
  if (!isRecord(body.inboundUrls) || !Object.values(body.inboundUrls).every((u) => typeof u === "string")) return null;
  const out: ApplyResponse = { applied: body.applied, inboundUrls: body.inboundUrls as Record<string, string> };
  if (isRecord(body.version)) out.version = body.version;
  return out;
}

export function parseVersion(body: unknown): VersionResponse | null {
  if (!isRecord(body) || !Array.isArray(body.approvals)) return null;
  const { id, package: name, version, digest, status } = body;
  if (typeof id !== "string" || typeof name !== "string" || typeof version !== "string") return null;
  if (typeof digest !== "string" || typeof status !== "string") return null;
  return { id, package: name, version, digest, status, approvals: body.approvals };
}

/** Findings for a non-2xx answer. */
export function errorFindings(status: number, body: unknown): Finding[] {
  const code = CODE_BY_STATUS[status] ?? (status >= 500 ? "api-internal" : "api-error");
  const error = isRecord(body) && typeof body.error === "string" ? body.error : `HTTP ${status}`;
  const hint = HINT_BY_STATUS[status];
  const findings: Finding[] = [{ code, message: `the server answered ${status} ${error}${hint ? ` (${hint})` : ""}` }];
  if (isRecord(body) && Array.isArray(body.details)) {
    for (const d of body.details.slice(0, 200)) {
      if (!isRecord(d) || typeof d.message !== "string") continue;
      const pointer = typeof d.path === "string" ? d.path : "";
      const finding: Finding = { code, message: pointer === "" ? d.message : `${pointer}: ${d.message}` };
      if (pointer !== "") finding.pointer = pointer;
      // A pointer into the files map names a package file: "/files/provider-flow.yaml".
      const file = /^\/files\/([^/]+)/.exec(pointer)?.[1];
      if (file !== undefined) finding.file = file.replace(/~1/g, "/").replace(/~0/g, "~");
      findings.push(finding);
    }
  }
  return findings;
}

export type ServerConnection = {
  baseUrl: string;
  token: string;
  org: string;
  fetch: typeof fetch;
  timeoutMs: number;
};
export type PostOptions = ServerConnection & { files: PackageFiles };

/** POSTs the package to `path` and returns the parsed answer or findings. Never throws. */
export function postPackage<T>(path: string, opts: PostOptions, parse: (body: unknown) => T | null): Promise<ApiCall<T>> {
  return postJson(path, opts, { files: encodeFiles(opts.files) }, parse);
}

/** POSTs `payload` as JSON to `path` and returns the parsed answer or findings. Never throws. */
export async function postJson<T>(
  path: string,
  opts: ServerConnection,
  payload: unknown,
  parse: (body: unknown) => T | null,
): Promise<ApiCall<T>> {
  const url = new URL(path, opts.baseUrl.endsWith("/") ? opts.baseUrl : `${opts.baseUrl}/`);
  let response: Response;
  try {
    response = await opts.fetch(url, {
      method: "POST",
      headers: {
        authorization: `Bearer ${opts.token}`,
        "content-type": "application/json",
        accept: "application/json",
        "x-provenance-org": opts.org,
      },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
  } catch (error) {
    // undici puts the reason in `cause`: an errno code (ECONNREFUSED) or a message ("bad port").
    const c = error instanceof Error && isRecord(error.cause) ? error.cause : null;
    const cause = typeof c?.code === "string" ? c.code : typeof c?.message === "string" && c.message !== "" ? c.message : null;
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    const why = timedOut ? `no answer within ${Math.round(opts.timeoutMs / 1000)} s` : (cause ?? "connection failed");
    return { ok: false, status: null, findings: [{ code: "network-error", message: `cannot reach ${url.origin}: ${why}` }] };
  }
  let body: unknown = null;
  const text = await response.text().catch(() => "");
  try {
    body = text === "" ? null : JSON.parse(text);
  } catch {
    body = null;
  }
  if (!response.ok) return { ok: false, status: response.status, findings: errorFindings(response.status, body) };
  const parsed = parse(body);
  if (parsed === null) {
    return {
      ok: false,
      status: response.status,
      findings: [
        {
          code: "api-bad-response",
          message: `the server's answer to ${path} is not the documented shape; is ${url.origin} a Provenance server of a matching version?`,
        },
      ],
    };
  }
  return { ok: true, status: response.status, body: parsed };
}
