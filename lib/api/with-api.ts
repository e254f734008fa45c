// The one wrapper every management route goes through. It takes the route's entry of the
// operation table (lib/api/operations.ts) and enforces it: authentication, role, the CSRF
// rule for cookie sessions, a size-capped body read, zod validation of body and query, a
// request id, error mapping, and that the answer's status is one the operation declares
// (outside production an undeclared one becomes a 500, so tests find the gap in the table;
// in production it is logged). Route files stay thin; handlers get typed input.
//
// Only `request.headers` is read (never `next/headers`), so tests call the exported
// route handlers directly with `new Request(...)`.
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { authenticate } from "@/lib/auth/authenticate";
import { hasRole, type Principal, type Role } from "@/lib/auth/principal";
import { isSafeMethod, isSameOrigin } from "@/lib/auth/same-origin";
import { env } from "@/lib/env";
import { MAX_JSON_DEPTH } from "@/lib/inbound/json-value";
import { escapePointerToken } from "@/lib/inbound/paths";
import { hasUnstorableText, unstorableTextReason } from "@/lib/inbound/storable-text";
import { readBodyCapped } from "@/lib/http/read-body";
import { ApiError, ERROR_STATUS, jsonResponse, notFound, toResponse, validationFailed, type Detail } from "@/lib/errors";
import { errorCodesOf, type OperationSpec } from "./operations";

/** Management request bodies are configuration, never payloads: 1 MiB is plenty. */
export const MAX_API_BODY_BYTES = 1024 * 1024;

export type AuthLevel = Role | "public";

export type ApiResult = { status: number; body?: unknown; headers?: HeadersInit };

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export type ApiContext<A extends AuthLevel, B, Q> = {
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

/** An operation `withApi` can serve: called with a role, or by anyone. */
export type ApiOperation = OperationSpec & { id: string; auth: AuthLevel };

/** The property naming the operation a route handler serves (read by the route-coverage test). */
export const OPERATION = Symbol.for("provenance.operation");

export type DeclaredHandler<F> = F & { readonly [OPERATION]: OperationSpec & { id: string } };

/** Marks a route handler that does not go through `withApi` (inbound URLs, callbacks) with its operation. */
export function declareRoute<F extends (...args: never[]) => unknown>(
  operation: OperationSpec & { id: string },
  handler: F,
): DeclaredHandler<F> {
  return Object.assign(handler, { [OPERATION]: operation });
}

const REQUEST_ID_RE = /^[A-Za-z0-9._:-]{1,128}$/;

/** The statuses an operation may answer: its own responses and its shared errors. */
function declaredStatuses(op: OperationSpec): Set<number> {
  return new Set([...Object.keys(op.responses).map(Number), ...errorCodesOf(op).map((c) => ERROR_STATUS[c])]);
}

const strictTable = () => process.env.NODE_ENV !== "production";

export function withApi<const O extends ApiOperation>(
  op: O,
  handler: (ctx: ApiContext<O["auth"], O["body"], O["query"]>) => Promise<Response | ApiResult>,
): DeclaredHandler<RouteHandler> {
  type B = O["body"];
  type Q = O["query"];
  const statuses = declaredStatuses(op);
  const maxBodyBytes = op.maxBodyBytes ?? MAX_API_BODY_BYTES;
  const route: RouteHandler = async (request, ctx) => {
    // A caller's own id is kept (it ties our log line to theirs) when it is harmless.
    const incoming = request.headers.get("x-request-id");
    const requestId = incoming && REQUEST_ID_RE.test(incoming) ? incoming : randomUUID();
    let response: Response;
    try {
      const principal = op.auth === "public" ? null : await authorize(request, op.auth);
      const details: Detail[] = [];
      const query = op.query ? parseQuery(op.query, request.url, details) : undefined;
      const body = op.body ? await parseBody(op.body, request, details, maxBodyBytes) : undefined;
      if (details.length > 0) throw validationFailed(details);
      const params = (await ctx?.params) ?? {};
      // No id, name or mnemonic holds U+0000 or an unpaired surrogate (the API refuses
      // them on the way in), so such a path names nothing; the database would refuse it.
      if (Object.values(params).some((p) => typeof p === "string" && hasUnstorableText(p))) throw notFound();
      const result = await handler({
        request,
        principal: principal as ApiContext<O["auth"], B, Q>["principal"],
        params,
        body: body as Parsed<B>,
        query: query as Parsed<Q>,
        requestId,
      });
      const headers = new Headers(result.headers);
      headers.set("x-request-id", requestId);
      // Management answers are tenant data and sometimes secrets (a new token, a target's
      // signing secret): no cache keeps them unless the route says otherwise.
      if (!headers.has("cache-control")) headers.set("cache-control", "no-store");
      // A handler's own Response may have immutable headers (Response.redirect): re-wrap it.
      response =
        result instanceof Response
          ? new Response(result.body, { status: result.status, statusText: result.statusText, headers })
          : jsonResponse(result.status, result.body, headers);
    } catch (error) {
      response = toResponse(error, requestId);
      response.headers.set("cache-control", "no-store");
    }
    if (!statuses.has(response.status)) {
      console.error(
        `[api] ${op.id} answered ${response.status}, which lib/api/operations.ts does not declare (request ${requestId})`,
      );
      if (strictTable()) {
        await response.body?.cancel();
        return toResponse(new Error(`undeclared status ${response.status} from ${op.id}`), requestId);
      }
    }
    return response;
  };
  return declareRoute(op, route);
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
  for (const [key, value] of new URL(url).searchParams) if (!(key in raw)) raw[key] = value;
  // Percent-decoding can yield U+0000 (%00), which no filter can match and PostgreSQL
  // cannot compare; unknown parameters are checked too, so no route depends on its schema.
  const unstorable: Detail[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const reason = unstorableTextReason(key) ?? unstorableTextReason(value);
    if (reason)
      unstorable.push({ path: `/query/${escapePointerToken(key)}`, message: hasUnstorableText(key) ? `name ${reason}` : reason });
  }
  if (unstorable.length > 0) {
    details.push(...unstorable);
    return undefined;
  }
  const res = schema.safeParse(raw);
  if (res.success) return res.data;
  details.push(...issuesToDetails(res.error.issues, "/query"));
  return undefined;
}

async function parseBody<S extends z.ZodType>(
  schema: S,
  request: Request,
  details: Detail[],
  limit: number,
): Promise<z.output<S> | undefined> {
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
  const problems = bodyProblems(value);
  if (problems.length > 0) {
    details.push(...problems);
    return undefined;
  }
  const res = schema.safeParse(value);
  if (res.success) return res.data;
  details.push(...issuesToDetails(res.error.issues));
  return undefined;
}

/** At most this many problems of a body are reported. */
const MAX_BODY_PROBLEMS = 20;

/**
 * What no management body may hold, whatever its schema, found in one iterative walk
 * (JSON.parse accepts nesting deeper than a recursive walk could follow), each with a
 * pointer to where it is:
 * - a `"__proto__"` key: JSON.parse makes it an own key, zod drops it silently, and a
 *   later spread or merge could turn it into prototype pollution;
 * - a string or key holding U+0000 or an unpaired surrogate, which PostgreSQL's text
 *   and jsonb refuse: a 400 naming the field, never a 500 from the database;
 * - nesting deeper than MAX_JSON_DEPTH, past which PostgreSQL's jsonb parser (and
 *   the pipeline's own walks) stop.
 */
function bodyProblems(root: unknown): Detail[] {
  const found: Detail[] = [];
  // Children are pushed last-first so problems come out in document order; a bad key is
  // reported when its member comes up, and nothing under it is looked at.
  const stack: { value: unknown; pointer: string; depth: number; badKey?: string }[] = [{ value: root, pointer: "", depth: 0 }];
  while (stack.length > 0 && found.length < MAX_BODY_PROBLEMS) {
    const { value, pointer, depth, badKey } = stack.pop()!;
    if (badKey) {
      found.push({ path: pointer, message: badKey });
      continue;
    }
    if (typeof value === "string") {
      const reason = unstorableTextReason(value);
      if (reason) found.push({ path: pointer, message: reason });
      continue;
    }
    if (!value || typeof value !== "object") continue;
    if (depth >= MAX_JSON_DEPTH) {
      found.push({ path: pointer, message: `is nested deeper than ${MAX_JSON_DEPTH} levels` });
      continue;
    }
    const keys = Object.keys(value);
    for (let i = keys.length - 1; i >= 0; i -= 1) {
      const key = keys[i]!;
      const reason = unstorableTextReason(key);
      const badKey = key === "__proto__" ? '"__proto__" is not allowed as a key' : reason ? `key ${reason}` : undefined;
      stack.push({
        value: (value as Record<string, unknown>)[key],
        pointer: `${pointer}/${escapePointerToken(key)}`,
        depth: depth + 1,
        badKey,
      });
    }
  }
  return found.slice(0, MAX_BODY_PROBLEMS);
}
