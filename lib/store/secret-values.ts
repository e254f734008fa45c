// The app's side of secrets at rest: the key ring from PROVENANCE_SECRET_KEY (and
// _PREVIOUS), and the only functions store modules use to write (sealSecret) and read
// (openSecret, readSecret, hintOf) a secret column. A value leaves the database sealed
// and is opened at the one place that needs it in plain: verification (source-lookup),
// the outbound request (delivery-worker), the secret lookup of ProviderFlow, and the
// hints that responses show, which are the same as before encryption.
import { env, type Env } from "@/lib/env";
import { log } from "@/lib/log";
import { createKeyring, type Keyring } from "@/lib/crypto/secret-box.mjs";
import { rowKeyOf, secretContext, type SecretKind } from "./secret-columns.mjs";

export type { SecretKind };
/** A row of a secret column's table: sources and targets by id, org secrets by org and name. */
export type SecretRow = { id: string } | { orgId: string; name: string };

export type OpenedSecret =
  | { ok: true; value: string }
  | { ok: false; reason: "missing" | "plain" }
  | { ok: false; reason: "unknown-key" | "corrupt"; kid: string };

const holder = globalThis as unknown as { __provenanceKeyring?: Keyring; __provenanceSecretWarnings?: Set<string> };
const MAX_WARNINGS_REMEMBERED = 10_000;

/** Why the app cannot start without a key, and what to do, for the mode it runs in. */
export function missingKeyMessage(e: Pick<Env, "NODE_ENV" | "PROVENANCE_DATA_DIR">): string {
  const what =
    "PROVENANCE_SECRET_KEY is not set. Provider secrets, target credentials and org secrets are stored encrypted " +
    "with it, so the app does not start without one.";
  const how =
    "Generate one with `npm run secrets:generate-key` (or `openssl rand -base64 32`), keep it where you keep " +
    "your other production secrets (without it no stored secret can be read) and set PROVENANCE_SECRET_KEY.";
  if (e.NODE_ENV === "production") return `${what} ${how}`;
  return `${what} \`npm start\` on the embedded database and \`npm run dev\` keep a generated key in ${e.PROVENANCE_DATA_DIR}/secret-key; started another way, ${how}`;
}

/** The key ring; throws the start-up message when no key is configured. */
export function secretKeyring(): Keyring {
  if (holder.__provenanceKeyring) return holder.__provenanceKeyring;
  const e = env();
  if (!e.secretKeys) throw new Error(missingKeyMessage(e));
  holder.__provenanceKeyring = createKeyring(e.secretKeys);
  return holder.__provenanceKeyring;
}

const contextOf = (kind: SecretKind, row: SecretRow) => secretContext(kind, rowKeyOf(kind, row));

/** The value to store in `kind`'s column of `row`. */
export function sealSecret(kind: SecretKind, row: SecretRow, plain: string): string {
  return secretKeyring().seal(plain, contextOf(kind, row));
}

/** Opens a stored value; a value that cannot be used says why (never with any of the value). */
export function openSecret(kind: SecretKind, row: SecretRow, stored: string | null | undefined): OpenedSecret {
  if (stored === null || stored === undefined) return { ok: false, reason: "missing" };
  return secretKeyring().open(stored, contextOf(kind, row));
}

/** An operator-readable reason for an unusable secret, safe for logs and event details. */
export function describeUnusable(r: Exclude<OpenedSecret, { ok: true }>): string {
  switch (r.reason) {
    case "missing":
      return "no secret is stored";
    case "plain":
      return "the stored secret is not encrypted yet (restart the app or run `npm run secrets:reencrypt`)";
    case "unknown-key":
      return `the stored secret is encrypted under key id ${r.kid}, which is not configured`;
    case "corrupt":
      return `the stored secret does not decrypt (key id ${r.kid}: changed or moved in the database)`;
  }
}

/** Logs an unusable secret once per row, reason and key id: the callers run per request. */
export function warnUnusable(kind: SecretKind, row: SecretRow, r: Exclude<OpenedSecret, { ok: true }>, consequence: string): void {
  const warned = (holder.__provenanceSecretWarnings ??= new Set<string>());
  const key = `${kind}\u0000${rowKeyOf(kind, row)}\u0000${r.reason}\u0000${"kid" in r ? r.kid : ""}`;
  if (warned.has(key)) return;
  if (warned.size >= MAX_WARNINGS_REMEMBERED) warned.clear();
  warned.add(key);
  // The row's name only: callers pass whole rows, which hold the sealed value.
  const who = kind === "OrgSecret.value" && "name" in row ? { orgId: row.orgId, name: row.name } : { id: "id" in row ? row.id : undefined };
  log.warn({ column: kind, ...who, reason: r.reason, ...("kid" in r ? { keyId: r.kid } : {}) }, `${kind}: ${describeUnusable(r)}; ${consequence}`);
}

/** The plain value, or null (warned once) when there is none or it cannot be opened. */
export function readSecret(kind: SecretKind, row: SecretRow, stored: string | null | undefined, consequence: string): string | null {
  const r = openSecret(kind, row, stored);
  if (r.ok) return r.value;
  if (r.reason !== "missing") warnUnusable(kind, row, r, consequence);
  return null;
}

/**
 * The hint a response shows for a stored secret: `hint(plain)` as before encryption;
 * "…" alone when the value cannot be opened (a response never fails for it); null when
 * nothing is stored.
 */
export function hintOf(kind: SecretKind, row: SecretRow, stored: string | null | undefined, hint: (plain: string) => string): string | null {
  if (stored === null || stored === undefined) return null;
  const plain = readSecret(kind, row, stored, "its hint shows only \"…\"");
  return plain === null ? "…" : hint(plain);
}
