// Types of secret-columns.mjs (plain JavaScript so scripts/secrets.mjs runs it with node).
import type { Keyring } from "../crypto/secret-box.mjs";

export type SecretKind = "InboundSource.verificationSecret" | "Target.authSecret" | "Target.signingSecret" | "OrgSecret.value";

export const SECRET_LOCK_KEY: number;
export const SECRET_COLUMNS: readonly { kind: SecretKind; table: string; column: string; nullable: boolean }[];

export function secretContext(kind: SecretKind, rowKey: string): string;
/** Row ids lower-cased; an org secret as "<orgId>:<name>". */
export function rowKeyOf(kind: SecretKind, row: { id?: string; orgId?: string; name?: string }): string;

/** A single connection: a pg Client / PoolClient, or PGlite. */
export type Queryable = {
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[]; rowCount?: number | null; affectedRows?: number }>;
};

export type ColumnReport = {
  kind: SecretKind;
  /** Non-null values looked at. */
  total: number;
  /** Already under the current key. */
  current: number;
  /** Plain text sealed now. */
  sealed: number;
  /** Re-sealed from an older key (with `rotate`). */
  rotated: number;
  /** Under an older key of the ring and left there (without `rotate`), by key id. */
  older: Record<string, number>;
  /** Values no configured key opens, by "key <id>" or "corrupt under key <id>". */
  unreadable: Record<string, number>;
  /** The first few of those, by row id. */
  unreadableRows: { id: string; reason: "unknown-key" | "corrupt"; kid: string }[];
  /** Cleared by `forgetUnreadable`. */
  forgotten: number;
  /** Changed by someone else between read and write, so left as they wrote it. */
  changedMeanwhile: number;
};

export type SealReport = { currentKid: string; dryRun: boolean; columns: ColumnReport[] };

export function sealStoredSecrets(
  db: Queryable,
  keyring: Keyring,
  opts?: { rotate?: boolean; dryRun?: boolean; forgetUnreadable?: boolean; batchSize?: number },
): Promise<SealReport>;

export function unknownKeysIn(report: SealReport): { kind: SecretKind; kid: string; count: number }[];
