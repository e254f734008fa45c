// The HTTP core of the SDK: configuration, one request function every method goes
// through (auth header, JSON, timeout, retries of idempotent calls, errors), and paging.
import { OPERATIONS, type OperationId } from "./operations.js";
import type { Operations } from "./types.gen.js";

export const SDK_VERSION = "1.0.0";

export type ProvenanceOptions = {
  /** Base URL of the app, e.g. http://localhost:3000. Default: PROVENANCE_URL. */
  url?: string;
  /** An API token (prv_…). Default: PROVENANCE_TOKEN. */
  token?: string;
  /** The org the token must belong to (sent as x-provenance-org). Default: PROVENANCE_ORG. */
  org?: string;
  /** Per attempt, in milliseconds. Default 30 000. */
  timeoutMs?: number;
  /** Retries of GET and DELETE after a connection error or a 502/503/504. Default 2. */
  retries?: number;
  /** The fetch to use (tests, proxies). Default: the global fetch. */
  fetch?: typeof fetch;
};

/** The API's JSON error object, e.g. `{ error: "Conflict", details: [{ path, message }] }`. */
export type ErrorBody = { error: string; details?: { path: string; message: string }[]; [key: string]: unknown };

/**
 * Every failure of an SDK call: an API error (`status` is the HTTP status, `body` the API's
 * JSON error object), or a network failure, timeout or missing configuration (`status` 0,
 * `body` null). The message names the method, status and error; never the token.
 */
export class ProvenanceError extends Error {
  readonly status: number;
  readonly body: ErrorBody | null;
  /** The SDK method that failed, e.g. "inboundSources.get". */
  readonly method: string;

  constructor(method: string, status: number, body: ErrorBody | null, reason?: string) {
    const what = reason ?? (body && typeof body.error === "string" ? body.error : "error");
    super(`${method} failed: ${status === 0 ? "" : `${status} `}${what}`);
    this.name = "ProvenanceError";
    this.method = method;
    this.status = status;
    this.body = body;
  }
}

type Resolved = { url: string; token: string; org?: string; timeoutMs: number; retries: number; fetch: typeof fetch };

function env(name: string): string | undefined {
  // No @types/node dependency: Node's process is read through globalThis (absent in a browser).
  const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
  return value === undefined || value === "" ? undefined : value;
}

export function resolveOptions(options: ProvenanceOptions = {}): Resolved {
  const url = options.url ?? env("PROVENANCE_URL");
  const token = options.token ?? env("PROVENANCE_TOKEN");
  const org = options.org ?? env("PROVENANCE_ORG");
  if (!url)
    throw new ProvenanceError(
      "provenance.api",
      0,
      null,
      "no URL: pass { url } or set PROVENANCE_URL (e.g. http://localhost:3000)",
    );
  if (!token)
    throw new ProvenanceError(
      "provenance.api",
      0,
      null,
      "no token: pass { token } or set PROVENANCE_TOKEN (an API token, prv_…)",
    );
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    throw new ProvenanceError("provenance.api", 0, null, `the URL is not valid: ${JSON.stringify(url)}`);
  }
  if (base.protocol !== "http:" && base.protocol !== "https:")
    throw new ProvenanceError("provenance.api", 0, null, "the URL must be http or https");
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retries = options.retries ?? 2;
  if (!(timeoutMs > 0)) throw new ProvenanceError("provenance.api", 0, null, "timeoutMs must be positive");
  if (!(Number.isInteger(retries) && retries >= 0))
    throw new ProvenanceError("provenance.api", 0, null, "retries must be a whole number ≥ 0");
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== "function")
    throw new ProvenanceError("provenance.api", 0, null, "no fetch: Node.js ≥ 20, or pass { fetch }");
  return { url: base.href.replace(/\/+$/, ""), token, ...(org ? { org } : {}), timeoutMs, retries, fetch: fetchImpl };
}

type Query = Record<string, string | number | boolean | null | undefined>;

export type CallInput = { params?: Record<string, string>; query?: object; body?: unknown };

const IDEMPOTENT = new Set(["GET", "DELETE"]);
const RETRY_STATUSES = new Set([502, 503, 504]);
const MAX_RETRY_AFTER_MS = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function backoffMs(attempt: number, retryAfter: string | null): number {
  const seconds = retryAfter !== null && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter) : NaN;
  if (Number.isFinite(seconds)) return Math.min(seconds * 1000, MAX_RETRY_AFTER_MS);
  const base = 250 * 2 ** attempt;
  return base / 2 + Math.random() * (base / 2);
}

function fillPath(template: string, params: Record<string, string>, method: string): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (typeof value !== "string" || value.length === 0) throw new ProvenanceError(method, 0, null, `missing ${name}`);
    return encodeURIComponent(value);
  });
}

function queryString(query: Query | undefined): string {
  if (!query) return "";
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null) search.append(k, String(v));
  const s = search.toString();
  return s ? `?${s}` : "";
}

/** The transport every resource method uses. The token lives in a private field only. */
export class Transport {
  readonly #config: Resolved;

  constructor(config: Resolved) {
    this.#config = config;
  }

  get url(): string {
    return this.#config.url;
  }

  async call<K extends OperationId>(method: string, id: K, input: CallInput = {}): Promise<Operations[K]["response"]> {
    const [verb, template] = OPERATIONS[id];
    const config = this.#config;
    const target = `${config.url}${fillPath(template, input.params ?? {}, method)}${queryString(input.query as Query | undefined)}`;
    const headers: Record<string, string> = {
      accept: "application/json",
      authorization: `Bearer ${config.token}`,
      "user-agent": `provenance-sdk-typescript/${SDK_VERSION}`,
    };
    if (config.org) headers["x-provenance-org"] = config.org;
    const body = input.body === undefined ? undefined : JSON.stringify(input.body);
    if (body !== undefined) headers["content-type"] = "application/json";
    const retries = IDEMPOTENT.has(verb) ? config.retries : 0;

    for (let attempt = 0; ; attempt += 1) {
      let res: Response;
      let text: string;
      try {
        res = await config.fetch(target, {
          method: verb,
          headers,
          body,
          signal: AbortSignal.timeout(config.timeoutMs),
          redirect: "manual",
        });
        text = await res.text();
      } catch (error) {
        const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
        if (attempt < retries && !timedOut) {
          await sleep(backoffMs(attempt, null));
          continue;
        }
        const reason = timedOut ? `timed out after ${config.timeoutMs} ms` : `network error: ${networkReason(error)}`;
        throw new ProvenanceError(method, 0, null, reason);
      }
      if (RETRY_STATUSES.has(res.status) && attempt < retries) {
        await sleep(backoffMs(attempt, res.headers.get("retry-after")));
        continue;
      }
      const parsed = parseJson(text);
      if (res.status >= 200 && res.status < 300) {
        if (res.status === 204 || text.length === 0) return undefined as Operations[K]["response"];
        if (parsed === NOT_JSON) throw new ProvenanceError(method, res.status, null, "the answer is not JSON");
        return parsed as Operations[K]["response"];
      }
      const errorBody =
        parsed !== NOT_JSON && parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as ErrorBody) : null;
      throw new ProvenanceError(method, res.status, errorBody, errorBody ? undefined : `HTTP ${res.status}`);
    }
  }

  /** Every item of every page of a list operation, following nextCursor. */
  async *pages<K extends OperationId>(method: string, id: K, query: object = {}): AsyncGenerator<unknown> {
    let cursor: string | undefined = (query as { cursor?: string }).cursor;
    for (;;) {
      const page = (await this.call(method, id, { query: { ...query, ...(cursor ? { cursor } : {}) } })) as {
        data: unknown[];
        nextCursor?: string | null;
      };
      for (const item of page.data) yield item;
      if (!page.nextCursor) return;
      cursor = page.nextCursor;
    }
  }

  /** What a console.log or util.inspect of the client shows: never the token. */
  toJSON(): Record<string, unknown> {
    return {
      url: this.#config.url,
      org: this.#config.org ?? null,
      timeoutMs: this.#config.timeoutMs,
      retries: this.#config.retries,
    };
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `Transport ${JSON.stringify(this.toJSON())}`;
  }
}

const NOT_JSON = Symbol("not json");

function parseJson(text: string): unknown {
  if (text.length === 0) return NOT_JSON;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NOT_JSON;
  }
}

function networkReason(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = cause && typeof cause === "object" && "code" in cause ? String((cause as { code: unknown }).code) : undefined;
  const message = cause instanceof Error ? cause.message : String(cause);
  return code && !message.includes(code) ? `${code} ${message}` : message;
}
