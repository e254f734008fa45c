// Shared types of the inbound pipeline. Framework-free: no next/*, Prisma or QStash.

/** A problem found in a payload or a request body; `path` is a JSON Pointer ("" = root). */
export type Detail = { path: string; message: string };

export type ConditionOp =
  | "eq"
  | "neq"
  | "in"
  | "nin"
  | "exists"
  | "notExists"
  | "contains"
  | "startsWith"
  | "endsWith"
  | "matches"
  | "gt"
  | "gte"
  | "lt"
  | "lte";

export const CONDITION_OPS: readonly ConditionOp[] = Object.freeze([
  "eq",
  "neq",
  "in",
  "nin",
  "exists",
  "notExists",
  "contains",
  "startsWith",
  "endsWith",
  "matches",
  "gt",
  "gte",
  "lt",
  "lte",
] as const);

export type Condition = { path: string; op: ConditionOp; value?: unknown };

export type VerificationPreset = "hmac" | "stripe" | "github" | "shopify" | "slack" | "standard-webhooks";

export const VERIFICATION_PRESETS: readonly VerificationPreset[] = Object.freeze([
  "hmac",
  "stripe",
  "github",
  "shopify",
  "slack",
  "standard-webhooks",
] as const);

/**
 * Where each provider names the delivery, suggested as a new mapping's idempotency path
 * so a provider's redelivery (a retry of the same delivery) is a duplicate: GitHub and
 * Shopify say it in a header, Standard Webhooks in webhook-id, Stripe and Slack in the
 * event's own id. A generic HMAC sender has no convention.
 */
export const DELIVERY_ID_PATHS: Readonly<Partial<Record<VerificationPreset, string>>> = Object.freeze({
  github: "$headers.x-github-delivery",
  shopify: "$headers.x-shopify-webhook-id",
  "standard-webhooks": "$headers.webhook-id",
  stripe: "id",
  slack: "event_id",
});

export type HmacAlgorithm = "sha1" | "sha256" | "sha512";
export type SignatureEncoding = "hex" | "base64";

export type VerificationConfig = {
  preset: VerificationPreset;
  header?: string;
  prefix?: string | null;
  algorithm?: HmacAlgorithm;
  encoding?: SignatureEncoding;
  secret: string;
  timestampField?: string | null;
  replayTolerance?: number | null;
};

export type MappingSpec = {
  resourceType: string;
  /** A fixed action name, or null when `actionPath` reads it from the payload. */
  action: string | null;
  actionPath?: string | null;
  conditions: Condition[];
  payloadSchema?: object | null;
  schemaRootPath?: string | null;
  idempotencyPath?: string | null;
  resourceIdPath: string;
  fieldMappings?: Record<string, string> | null;
  metadataPaths?: Record<string, string> | null;
};
