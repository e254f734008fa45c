// The one wrapper every management route goes through: authentication, role, the CSRF
// rule for cookie sessions, a size-capped body read, zod validation of body and query,
// a request id, and error mapping. Route files stay thin; handlers get typed input.
//
// Only `request.headers` is read (never `next/headers`), so tests call the exported
// route handlers directly with `new Request(...)`.
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { authenticate } from "@/lib/auth/authenticate";
import { hasRole, type Principal, type Role } from "@/lib/auth/principal";
import { isSafeMethod, isSameOrigin } from "@/lib/auth/same-origin";
import { env } from "@/lib/env";
import { escapePointerToken } from "@/lib/inbound/paths";
import { readBodyCapped } from "@/lib/http/read-body";
import { hasUnstorableText, toStorableText } from "@/lib/inbound/storable-text";
import { ApiError, jsonResponse, toResponse, validationFailed, type Detail } from "./errors";

/** Management request bodies are configuration, never payloads: 1 MiB is plenty. */
export const MAX_API_BODY_BYTES = 1024 * 1024;

export type AuthLevel = Role | "public";

export type ApiResult = { status: number; body?: unknown; headers?: HeadersInit };

type Schema = z.ZodType | undefined;
type Parsed<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

export type ApiContext<A extends AuthLevel, B extends Schema, Q extends Schema> = {
  request: Request;
  /** The caller; null only on public routes. */
  principal: A extends "public" ? null : Principal;
  params: Record<string, string>;
  body: Parsed<B>;
  query: Parsed<Q>;
  requestId: string;
};

export type RouteContext = { params: Promise<Record<string, string>> };
export type RouteHandler = (request: Request, ctx: RouteContext) => Promise<Response>;

export type ApiOptions<A extends AuthLevel, B extends Schema, Q extends Schema> = {
  auth: A;
  body?: B;
  query?: Q;
  /** The body cap for this route; MAX_API_BODY_BYTES unless a route carries more than configuration (a ProviderFlow package upload). */
  maxBodyBytes?: number;
};

const REQUEST_ID_RE = /^[A-Za-z0-9._:-]{1,128}$/;

export function withApi<A extends AuthLevel, B extends Schema = undefined, Q extends Schema = undefined>(
  options: ApiOptions<A, B, Q>,
  handler: (ctx: ApiContext<A, B, Q>) => Promise<Response | ApiResult>,
): RouteHandler {
  return async (request, ctx) => {
    // A caller's own id is kept (it ties our log line to theirs) when it is harmless.
    const incoming = request.headers.get("x-request-id");
    const requestId = incoming && REQUEST_ID_RE.test(incoming) ? incoming : randomUUID();
    try {
      const principal = options.auth === "public" ? null : await authorize(request, options.auth);
      const details: Detail[] = [];
      const query = options.query ? parseQuery(options.query, request.url, details) : undefined;
      const body = options.body ? await parseBody(options.body, request, details, options.maxBodyBytes ?? MAX_API_BODY_BYTES) : undefined;
      if (details.length > 0) throw validationFailed(details);
      const params = (await ctx?.params) ?? {};
      const result = await handler({
        request,
        principal: principal as ApiContext<A, B, Q>["principal"],
        params,
        body: body as Parsed<B>,
        query: query as Parsed<Q>,
        requestId,
      });
      const headers = new Headers(result.headers);
      headers.set("x-request-id", requestId);
      // A handler's own Response may have immutable headers (Response.redirect): re-wrap it.
      if (result instanceof Response) return new Response(result.body, { status: result.status, statusText: result.statusText, headers });
      return jsonResponse(result.status, result.body, headers);
    } catch (error) {
      return toResponse(error, requestId);
    }
  };
}

/** Optional request header naming the org the caller means to act on. */
export const ORG_HEADER = "x-provenance-org";

async function authorize(request: Request, needed: Role): Promise<Principal> {
  const principal = await authenticate(request.headers);
  if (!principal) throw new ApiError("unauthorized");
  if (!hasRole(principal, needed)) throw new ApiError("forbidden");
  // A client that names the org it means (the ProviderFlow CLI's --org) is refused when
  // its token belongs to another one, rather than changing the wrong org. The body is
  // the spec's exact 403 body; the client knows which org it named.
  const namedOrg = request.headers.get(ORG_HEADER);
  if (namedOrg !== null && namedOrg !== principal.orgSlug) throw new ApiError("forbidden");
  // Browsers attach the session cookie to cross-site requests on their own; a bearer
  // token they never attach, so only cookie sessions need the origin check.
  if (principal.kind === "session" && !isSafeMethod(request.method)) {
    if (!isSameOrigin(request.headers, request.url, env().publicUrl)) throw new ApiError("forbidden");
  }
  return principal;
}

function toPointer(path: readonly PropertyKey[]): string {
  return path.map((s) => `/${escapePointerToken(typeof s === "symbol" ? String(s.description) : s)}`).join("");
}

/** zod issues as spec details: JSON Pointers into the body, or `/query/<name>`. */
export function issuesToDetails(issues: readonly z.core.$ZodIssue[], prefix = ""): Detail[] {
  return issues.map((issue) => ({ path: prefix + toPointer(issue.path), message: issue.message }));
}

function parseQuery<S extends z.ZodType>(schema: S, url: string, details: Detail[]): z.output<S> | undefined {
  // A repeated parameter keeps its first value: filters are single-valued.
  const raw: Record<string, string> = {};
  for (const [key, value] of new URL(url).searchParams) {
    if (hasUnstorableText(key) || hasUnstorableText(value)) {
      details.push({ path: `/query/${escapePointerToken(toStorableText(key))}`, message: UNSTORABLE_MESSAGE });
      return undefined;
    }
    if (!(key in raw)) raw[key] = value;
  }
  const res = schema.safeParse(raw);
  if (res.success) return res.data;
  details.push(...issuesToDetails(res.error.issues, "/query"));
  return undefined;
}

async function parseBody<S extends z.ZodType>(schema: S, request: Request, details: Detail[], limit: number): Promise<z.output<S> | undefined> {
  // Streamed with a cap: refused as soon as it passes `limit`, never buffered beyond it.
  const read = await readBodyCapped(request, limit);
  if (!read.ok) throw new ApiError("payload_too_large");
  const bytes = read.bytes;
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    // Empty bodies land here too: every operation with a body schema needs one.
    details.push({ path: "", message: "Invalid JSON body" });
    return undefined;
  }
  const refused = refusedContent(value);
  if (refused.length > 0) {
    details.push(...refused);
    return undefined;
  }
  const res = schema.safeParse(value);
  if (res.success) return res.data;
  details.push(...issuesToDetails(res.error.issues));
  return undefined;
}

const UNSTORABLE_MESSAGE = "must not contain U+0000 (NUL) or unpaired surrogate characters";
const MAX_REFUSED_DETAILS = 20;

/**
 * What no management body may hold, with a pointer to each place:
 * - a `"__proto__"` key: JSON.parse makes it an own key, zod then drops it silently, and
 *   any later spread or merge could turn it into prototype pollution; no body needs one;
 * - U+0000 or an unpaired surrogate in a string or key: valid JSON, but PostgreSQL text
 *   and jsonb cannot store it, so it is refused here rather than failing at the insert.
 */
function refusedContent(root: unknown): Detail[] {
  const found: Detail[] = [];
  // Iterative: JSON.parse accepts nesting deeper than a recursive walk could follow.
  const stack: { value: unknown; pointer: string }[] = [{ value: root, pointer: "" }];
  while (stack.length > 0 && found.length < MAX_REFUSED_DETAILS) {
    const { value, pointer } = stack.pop()!;
    if (typeof value === "string") {
      if (hasUnstorableText(value)) found.push({ path: pointer, message: UNSTORABLE_MESSAGE });
      continue;
    }
    if (!value || typeof value !== "object") continue;
    for (const key of Object.keys(value)) {
      const child = `${pointer}/${escapePointerToken(toStorableText(key))}`;
      if (key === "__proto__") found.push({ path: child, message: '"__proto__" is not allowed as a key' });
      else if (hasUnstorableText(key)) found.push({ path: child, message: `key ${UNSTORABLE_MESSAGE}` });
      else stack.push({ value: (value as Record<string, unknown>)[key], pointer: child });
    }
  }
  return found;
}
