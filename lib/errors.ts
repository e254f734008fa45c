// The management API's one error table. Every failure a handler can signal is an
// ErrorCode; the status map is checked with `satisfies`, so adding a code without a
// status does not compile, and anything that is not an ApiError becomes a generic 500.
import { isOverloaded } from "@/lib/inbound/overloaded";
import type { Detail } from "@/lib/inbound/types";

export type { Detail };

export type ErrorCode =
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "validation_failed"
  | "conflict"
  | "payload_too_large"
  | "rate_limited"
  | "busy"
  | "internal";

export const ERROR_STATUS = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  validation_failed: 400,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  busy: 503,
  internal: 500,
} as const satisfies Record<ErrorCode, number>;

// The exact `error` strings of spec §3; clients match on them.
export const ERROR_MESSAGE = {
  unauthorized: "Unauthorized",
  forbidden: "Forbidden",
  not_found: "Not found",
  validation_failed: "Validation failed",
  conflict: "Conflict",
  payload_too_large: "Payload too large",
  rate_limited: "Too many requests",
  busy: "Server busy, retry later",
  internal: "Internal server error",
} as const satisfies Record<ErrorCode, string>;

export type ErrorBody = { error: string; details?: Detail[] };

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details?: Detail[];

  constructor(code: ErrorCode, details?: Detail[]) {
    super(ERROR_MESSAGE[code]);
    this.name = "ApiError";
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  body(): ErrorBody {
    return this.details ? { error: ERROR_MESSAGE[this.code], details: this.details } : { error: ERROR_MESSAGE[this.code] };
  }
}

export const notFound = (): ApiError => new ApiError("not_found");
export const validationFailed = (details: Detail[]): ApiError => new ApiError("validation_failed", details);
export const conflict = (details: Detail[]): ApiError => new ApiError("conflict", details);

export function jsonResponse(status: number, body: unknown, headers?: HeadersInit): Response {
  const h = new Headers(headers);
  if (status === 204 || status === 304) return new Response(null, { status, headers: h });
  h.set("content-type", "application/json; charset=utf-8");
  return new Response(JSON.stringify(body), { status, headers: h });
}

/**
 * Maps any thrown value to a response. Unknown errors are logged once, by request id
 * and the first line of the message only: Prisma's validation errors print the query
 * arguments (which may hold a secret) below that line, and a stack adds nothing a
 * request id cannot find. The client sees nothing internal.
 */
export function toResponse(error: unknown, requestId: string): Response {
  const headers = { "x-request-id": requestId };
  if (error instanceof ApiError) return jsonResponse(error.status, error.body(), headers);
  // A bounded queue was full (the schema workers'): not a failure, and the client may retry.
  if (isOverloaded(error)) {
    return jsonResponse(ERROR_STATUS.busy, { error: ERROR_MESSAGE.busy }, { ...headers, "retry-after": String(error.retryAfterSeconds) });
  }
  const name = error instanceof Error ? error.name : typeof error;
  const firstLine = (error instanceof Error ? error.message : String(error)).split("\n", 1)[0]!.slice(0, 500);
  console.error(`[api] request ${requestId} failed: ${name}: ${firstLine}`);
  return jsonResponse(ERROR_STATUS.internal, { error: ERROR_MESSAGE.internal }, headers);
}
