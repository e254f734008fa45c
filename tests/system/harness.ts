// What the system tests share: the built app on a throwaway database (started, killed,
// restarted), the management API with the bootstrap token, a raw HTTP sender for
// inbound requests, bounded concurrency and bounded waits.
import { randomBytes } from "node:crypto";
import http from "node:http";
import path from "node:path";
import pg from "pg";
import Stripe from "stripe";
import { createKeyring, parseSecretKey } from "@/lib/crypto/secret-box.mjs";
import { rowKeyOf, secretContext, type SecretKind } from "@/lib/store/secret-columns.mjs";
import { startApp, type AppServer } from "../app-server.mjs";
import { createTestDatabase } from "../test-database";

export const ROOT = path.resolve(import.meta.dirname, "../..");

export type System = {
  readonly app: AppServer;
  /** The app's database, for assertions. */
  readonly db: pg.Pool;
  readonly orgSlug: string;
  readonly orgId: string;
  /** The org's admin API token (the bootstrap token). */
  readonly token: string;
  /** The app's database URL (for a command run against it). */
  readonly databaseUrl: string;
  /** The key the app seals stored secrets with (PROVENANCE_SECRET_KEY), fresh per system. */
  readonly secretKey: string;
  /** The settings this app started with: a replica on the same database starts with them too. */
  readonly env: Readonly<Record<string, string>>;
  /** Opens a value read from a secret column with secretKey (throws if it does not open). */
  openStored(kind: SecretKind, row: { id?: string; orgId?: string; name?: string }, stored: string): string;
  /** Calls the management API; throws unless the status is one of `expect`. */
  api<T = Record<string, unknown>>(method: string, apiPath: string, body?: unknown, expect?: number[]): Promise<T>;
  /** Starts the app again on the same database and port (after kill()); `env` overrides this start's settings. */
  restart(env?: Record<string, string>): Promise<void>;
  /** Stops the app and drops the database. */
  close(): Promise<void>;
};

/** Calls the management API of the app at `baseUrl` with `token`; throws unless the status is one of `expect`. */
export async function apiCall<T = Record<string, unknown>>(
  baseUrl: string,
  token: string,
  method: string,
  apiPath: string,
  body?: unknown,
  expect = [200, 201, 202, 204],
): Promise<T> {
  const res = await fetch(`${baseUrl}${apiPath}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  if (!expect.includes(res.status)) throw new Error(`${method} ${apiPath} answered ${res.status}: ${text.slice(0, 2000)}`);
  return (text ? JSON.parse(text) : {}) as T;
}

/** The built app on a fresh database with a bootstrap org and admin token. */
export async function startSystem(label: string, env: Record<string, string> = {}): Promise<System> {
  const database = await createTestDatabase(`sys_${label}`);
  const orgSlug = `sys-${label}`.toLowerCase().replace(/[^a-z0-9-]/g, "-");
  const token = `prv_sys_${randomBytes(24).toString("base64url")}`;
  const secretKey = randomBytes(32).toString("base64");
  const options = {
    root: ROOT,
    databaseUrl: database.url,
    secrets: [token],
    env: {
      PROVENANCE_SECRET_KEY: secretKey,
      PROVENANCE_ALLOW_SYNC: "1",
      PROVENANCE_ALLOW_PRIVATE_TARGETS: "1",
      PROVENANCE_BOOTSTRAP_ORG: orgSlug,
      PROVENANCE_BOOTSTRAP_TOKEN: token,
      PROVENANCE_DEMO: "0",
      ...env,
    },
  };
  const db = new pg.Pool({ connectionString: database.url, max: 4 });
  // An idle connection ended by the server (the database dropped at close) is expected;
  // without a listener the pool would turn it into an uncaught exception.
  db.on("error", () => {});
  let app: AppServer;
  try {
    app = await startApp(options);
  } catch (error) {
    await db.end();
    await database.drop();
    throw error;
  }
  const org = await db.query<{ id: string }>(`SELECT "id" FROM "Org" WHERE "slug" = $1`, [orgSlug]);

  return {
    get app() {
      return app;
    },
    db,
    orgSlug,
    orgId: org.rows[0]!.id,
    token,
    databaseUrl: database.url,
    secretKey,
    env: options.env,
    openStored(kind, row, stored) {
      const opened = createKeyring({ current: parseSecretKey(secretKey) }).open(stored, secretContext(kind, rowKeyOf(kind, row)));
      if (!opened.ok) throw new Error(`${kind} does not open with the system's key: ${opened.reason}`);
      return opened.value;
    },
    api(method, apiPath, body, expect) {
      return apiCall(app.baseUrl, token, method, apiPath, body, expect);
    },
    async restart(env = {}) {
      app = await startApp({ ...options, env: { ...options.env, ...env }, port: app.port });
    },
    async close() {
      await app.stop();
      await db.end();
      if (process.env.KEEP_TEST_DB !== "1") await database.drop();
    },
  };
}

// --- sources, mappings, targets, routes --------------------------------------------------

export async function createSource(sys: System, mnemonic: string, verification?: { preset: "stripe"; secret: string }): Promise<string> {
  const source = await sys.api<{ id: string }>("POST", "/api/v1/inbound-sources", {
    title: mnemonic,
    mnemonic,
    ...(verification ? { verification } : {}),
  });
  return source.id;
}

/**
 * An "order.created" mapping whose resource id is the payload's `id`. Without an
 * idempotency path on purpose where a test counts interactions: a second processing of
 * one event would then show up as a second interaction instead of a "duplicate".
 */
export async function createMapping(sys: System, sourceId: string, opts: { idempotencyPath?: string; resourceType?: string } = {}): Promise<string> {
  const mapping = await sys.api<{ id: string }>("POST", "/api/v1/inbound-mappings", {
    sourceId,
    resourceType: opts.resourceType ?? "order",
    action: "created",
    resourceIdPath: "id",
    ...(opts.idempotencyPath ? { idempotencyPath: opts.idempotencyPath } : {}),
  });
  return mapping.id;
}

export type TargetSpec = { name: string; url: string; maxAttempts: number; backoff: "fixed" | "exponential"; initialDelaySeconds: number; timeoutSeconds: number };

export async function createTarget(sys: System, t: TargetSpec): Promise<string> {
  const target = await sys.api<{ id: string }>("POST", "/api/v1/targets", {
    name: t.name,
    url: t.url,
    retry: { maxAttempts: t.maxAttempts, backoff: t.backoff, initialDelaySeconds: t.initialDelaySeconds },
    timeoutSeconds: t.timeoutSeconds,
  });
  return target.id;
}

export async function createRoute(sys: System, mappingId: string, targetId: string): Promise<string> {
  const route = await sys.api<{ id: string }>("POST", "/api/v1/routes", { mappingId, targetId });
  return route.id;
}

// --- inbound requests -------------------------------------------------------------------

export type Answer = { status: number; body: Record<string, unknown> | null; text: string };

/**
 * One POST over node:http. Resolves with the answer as soon as it arrives, even when the
 * server answers before reading the whole body (413) and then drops the connection;
 * rejects on a transport error before any answer (a killed server). `agent: false` sends
 * it on a connection of its own, closed afterwards.
 */
export function send(
  baseUrl: string,
  urlPath: string,
  body: string | Buffer,
  opts: { headers?: Record<string, string>; chunked?: boolean; agent?: http.Agent | false; timeoutMs?: number } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { "content-type": "application/json", ...opts.headers };
    if (!opts.chunked) headers["content-length"] = Buffer.byteLength(body);
    const req = http.request(`${baseUrl}${urlPath}`, { method: "POST", headers, agent: opts.agent, timeout: opts.timeoutMs ?? 30_000 });
    let answered = false;
    req.on("response", (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", () => finish());
      res.on("end", () => finish());
      function finish() {
        const text = Buffer.concat(chunks).toString("utf8");
        let parsed: Record<string, unknown> | null = null;
        try {
          parsed = JSON.parse(text) as Record<string, unknown>;
        } catch {
          // Not JSON: the test shows `text`.
        }
        resolve({ status: res.statusCode ?? 0, body: parsed, text });
      }
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${opts.timeoutMs ?? 30_000} ms`)));
    req.on("error", (err) => {
      if (!answered) reject(err);
    });
    if (opts.chunked) {
      // Several writes, so the body really arrives in chunks with no declared length.
      const buf = Buffer.from(body);
      const step = 256 * 1024;
      for (let off = 0; off < buf.length; off += step) req.write(buf.subarray(off, off + step));
      req.end();
    } else {
      req.end(body);
    }
  });
}

/** A Stripe-Signature header for the body, made by Stripe's own library as its servers would. */
export function stripeSignature(body: string, secret: string): string {
  return Stripe.webhooks.generateTestHeaderString({ payload: body, secret });
}

// --- concurrency and waiting ------------------------------------------------------------

/** Runs task(0 … count-1) with at most `concurrency` in flight; results in index order. */
export async function runBounded<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

/**
 * Polls `probe` until it says done, at most `timeoutMs`; fails with what it saw last.
 * `probe` returns [done, description of the state].
 */
export async function waitUntil(what: string, timeoutMs: number, probe: () => Promise<[boolean, string]>, intervalMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let state = "not probed yet";
  for (;;) {
    const [done, seen] = await probe();
    state = seen;
    if (done) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what} (last seen: ${state})`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Counts of the org's events by status, e.g. "queued=3 processed=120". */
export async function eventStatusCounts(db: pg.Pool): Promise<Record<string, number>> {
  const res = await db.query<{ status: string; n: string }>(`SELECT "status"::text AS "status", count(*) AS "n" FROM "InboundEvent" GROUP BY 1`);
  return Object.fromEntries(res.rows.map((r) => [r.status, Number(r.n)]));
}

export const describeCounts = (c: Record<string, number>) =>
  Object.entries(c)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ") || "no events";
