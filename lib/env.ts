// Configuration, validated once at start-up. Nothing else reads process.env.
import { z } from "zod";
import { parseSecretKey, parseSecretKeyList } from "@/lib/crypto/secret-box.mjs";
import { ORG_SLUG_RE } from "@/lib/inbound/inbound-url-grammar";

const flag = z
  .enum(["0", "1", "true", "false", ""])
  .optional()
  .transform((v) => v === "1" || v === "true");

// Keys for secrets at rest (lib/crypto/secret-box.mjs). Parsed here so a bad value stops
// the app at start-up; the messages name the variable, never the value.
const secretKey = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v.trim() === "") return undefined;
    try {
      return parseSecretKey(v);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message.replace(/^PROVENANCE_SECRET_KEY /, "") });
      return z.NEVER;
    }
  });
const previousSecretKeys = z
  .string()
  .optional()
  .transform((v, ctx) => {
    try {
      return parseSecretKeyList(v);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message.replace(/^PROVENANCE_SECRET_KEY_PREVIOUS /, "") });
      return z.NEVER;
    }
  });

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATABASE_URL: z.string().url().optional(),
  PROVENANCE_EMBEDDED_DB: flag,
  PROVENANCE_DATA_DIR: z.string().min(1).default(".data"),
  PROVENANCE_PUBLIC_URL: z.string().url().optional(),
  PROVENANCE_BOOTSTRAP_ORG: z
    .string()
    .regex(ORG_SLUG_RE, "must be a lower-case slug (a-z, 0-9, -)")
    .optional(),
  PROVENANCE_BOOTSTRAP_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  PROVENANCE_ADMIN_EMAIL: z.string().email().optional(),
  PROVENANCE_ADMIN_PASSWORD: z.string().min(8, "must be at least 8 characters").optional(),
  PROVENANCE_ALLOW_SYNC: flag,
  PROVENANCE_DEMO: z.enum(["0", "1"]).optional(),
  PROVENANCE_DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  PROVENANCE_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  PROVENANCE_WORKER: z.enum(["0", "1"]).default("1"),
  PROVENANCE_LEAN_INBOUND: z.enum(["0", "1"]).default("1"),
  PROVENANCE_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  PROVENANCE_WORKER_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(200),
  PROVENANCE_ALLOW_PRIVATE_TARGETS: flag,
  PROVENANCE_DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  PROVENANCE_FAILED_EVENTS_PER_HOUR: z.coerce.number().int().min(1).max(1_000_000).default(100),
  PROVENANCE_RETAIN_BODY_DAYS: z.coerce.number().int().min(0).max(36_500).default(30),
  PROVENANCE_RETAIN_FAILED_DAYS: z.coerce.number().int().min(0).max(36_500).default(7),
  PROVENANCE_MAX_INFLIGHT_BODIES: z.coerce.number().int().min(1).max(100_000).default(64),
  PROVENANCE_EVENT_QUEUE_MAX_ROWS: z.coerce.number().int().min(100).max(1_000_000).default(10_000),
  PROVENANCE_EVENT_QUEUE_MAX_MB: z.coerce.number().int().min(1).max(4096).default(64),
  PROVENANCE_DELIVERY_TARGET_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(2),
  // Payload validation against JSON Schemas (lib/inbound/schema-pool.ts): worker threads,
  // each job's time and each thread's heap, and the jobs that may wait.
  PROVENANCE_SCHEMA_WORKERS: z.coerce.number().int().min(1).max(16).default(1),
  PROVENANCE_SCHEMA_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  PROVENANCE_SCHEMA_MEMORY_MB: z.coerce.number().int().min(16).max(4096).default(128),
  PROVENANCE_SCHEMA_QUEUE: z.coerce.number().int().min(1).max(100_000).default(256),
  QSTASH_TOKEN: z.string().min(1).optional(),
  QSTASH_URL: z.string().url().optional(),
  QSTASH_CURRENT_SIGNING_KEY: z.string().min(1).optional(),
  QSTASH_NEXT_SIGNING_KEY: z.string().min(1).optional(),
  // Reverse proxies in front of the app whose X-Forwarded-For entries are believed (0: none,
  // the socket's address is the client's).
  PROVENANCE_TRUST_PROXY: z.coerce
    .number({ message: "must be a whole number of proxy hops (0 = no proxy)" })
    .int("must be a whole number of proxy hops (0 = no proxy)")
    .min(0)
    .max(10)
    .default(0),
  // Password hashes running at once (each holds 128 MiB while it runs).
  PROVENANCE_PASSWORD_HASH_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(1),
  PROVENANCE_SECRET_KEY: secretKey,
  PROVENANCE_SECRET_KEY_PREVIOUS: previousSecretKeys,
  PROVENANCE_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

/** Every variable the app's configuration reads (the README's table documents each). */
export const ENV_VARIABLES = Object.keys(EnvSchema.shape);

export type Env = z.infer<typeof EnvSchema> & {
  databaseUrl: string | undefined;
  publicUrl: string;
  embedded: boolean;
  demo: boolean;
  syncAllowed: boolean;
  qstash: { token: string; url: string | undefined; currentSigningKey: string; nextSigningKey: string } | null;
  /** The key ring's keys; null when PROVENANCE_SECRET_KEY is unset (start-up then refuses: lib/crypto/keyring.ts). */
  secretKeys: { current: Buffer; previous: Buffer[] } | null;
};

let cached: Env | undefined;

export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  if (Boolean(e.PROVENANCE_BOOTSTRAP_TOKEN) !== Boolean(e.PROVENANCE_BOOTSTRAP_ORG)) {
    throw new Error("Invalid configuration:\n  PROVENANCE_BOOTSTRAP_ORG and PROVENANCE_BOOTSTRAP_TOKEN go together");
  }
  if (Boolean(e.PROVENANCE_ADMIN_EMAIL) !== Boolean(e.PROVENANCE_ADMIN_PASSWORD)) {
    throw new Error("Invalid configuration:\n  PROVENANCE_ADMIN_EMAIL and PROVENANCE_ADMIN_PASSWORD go together");
  }
  if (e.QSTASH_TOKEN && !(e.QSTASH_CURRENT_SIGNING_KEY && e.QSTASH_NEXT_SIGNING_KEY)) {
    throw new Error("Invalid configuration:\n  QSTASH_TOKEN needs QSTASH_CURRENT_SIGNING_KEY and QSTASH_NEXT_SIGNING_KEY (callbacks are verified)");
  }
  if (e.QSTASH_TOKEN && !e.PROVENANCE_PUBLIC_URL) {
    throw new Error("Invalid configuration:\n  QSTASH_TOKEN needs PROVENANCE_PUBLIC_URL (where QStash calls back)");
  }
  if (e.PROVENANCE_SECRET_KEY_PREVIOUS.length > 0 && !e.PROVENANCE_SECRET_KEY) {
    throw new Error("Invalid configuration:\n  PROVENANCE_SECRET_KEY_PREVIOUS needs PROVENANCE_SECRET_KEY (the key new secrets are encrypted with)");
  }
  const embedded = e.PROVENANCE_EMBEDDED_DB;
  return {
    ...e,
    databaseUrl: e.DATABASE_URL,
    publicUrl: (e.PROVENANCE_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ""),
    embedded,
    // The demo org is seeded by default only on the embedded database.
    demo: e.PROVENANCE_DEMO ? e.PROVENANCE_DEMO === "1" : embedded,
    // ?sync=true is a development aid; production refuses it unless explicitly allowed.
    syncAllowed: e.NODE_ENV !== "production" || e.PROVENANCE_ALLOW_SYNC,
    qstash:
      e.QSTASH_TOKEN && e.QSTASH_CURRENT_SIGNING_KEY && e.QSTASH_NEXT_SIGNING_KEY
        ? { token: e.QSTASH_TOKEN, url: e.QSTASH_URL, currentSigningKey: e.QSTASH_CURRENT_SIGNING_KEY, nextSigningKey: e.QSTASH_NEXT_SIGNING_KEY }
        : null,
    secretKeys: e.PROVENANCE_SECRET_KEY ? { current: e.PROVENANCE_SECRET_KEY, previous: e.PROVENANCE_SECRET_KEY_PREVIOUS } : null,
  };
}

export function env(): Env {
  cached ??= loadEnv();
  return cached;
}
