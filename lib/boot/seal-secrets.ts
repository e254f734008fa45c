// Start-up step for secrets at rest, after the migrations: seals every secret still in
// plain text (rows written before encryption, marked "plain:" by the 20261204100000
// migration) under the current key, and refuses to start when a stored secret is under a
// key id that is not configured: serving would fail every webhook and delivery that
// needs it. Runs under its own advisory lock, so app processes starting together seal
// each row once. Older keys are left to `npm run secrets:reencrypt` on purpose: while a
// new key rolls out, processes still on the old configuration must keep reading.
import type pg from "pg";
import { log } from "@/lib/log";
import { sealStoredSecrets, unknownKeysIn, type SealReport } from "@/lib/store/secret-columns.mjs";
import { secretKeyring } from "@/lib/store/secret-values";

export function unknownKeyMessage(report: SealReport, configured: readonly string[]): string | null {
  const unknown = unknownKeysIn(report);
  if (unknown.length === 0) return null;
  const byKid = new Map<string, string[]>();
  for (const u of unknown) byKid.set(u.kid, [...(byKid.get(u.kid) ?? []), `${u.kind} ×${u.count}`]);
  const listed = [...byKid].map(([kid, where]) => `${kid} (${where.join(", ")})`).join("; ");
  return (
    `Stored secrets are encrypted under key ids that are not configured: ${listed}. ` +
    `Configured key ids: ${configured.join(", ")} (the first is PROVENANCE_SECRET_KEY). ` +
    "Add the keys with those ids to PROVENANCE_SECRET_KEY_PREVIOUS (`npm run secrets:key-id` prints a key's id); " +
    "if a key is lost, `npm run secrets:reencrypt -- --forget-unreadable` clears what it sealed, to be set again."
  );
}

export async function sealSecretsAtStart(client: pg.ClientBase): Promise<SealReport> {
  const ring = secretKeyring();
  const report = await sealStoredSecrets(client, ring);
  const sealed = Object.fromEntries(report.columns.filter((c) => c.sealed > 0).map((c) => [c.kind, c.sealed]));
  if (Object.keys(sealed).length > 0) log.info({ sealed, keyId: ring.currentKid }, "stored secrets that were plain text are now encrypted");
  const refusal = unknownKeyMessage(report, ring.kids);
  if (refusal) throw new Error(refusal);
  for (const c of report.columns) {
    const corrupt = c.unreadableRows.filter((r) => r.reason === "corrupt").map((r) => r.id);
    if (corrupt.length > 0) {
      log.error({ column: c.kind, rows: corrupt }, `${c.kind}: stored secrets that do not decrypt (changed or moved in the database); they are refused until set again`);
    }
    const older = Object.keys(c.older);
    if (older.length > 0) {
      log.info({ column: c.kind, keyIds: c.older }, `${c.kind}: secrets under older keys; \`npm run secrets:reencrypt\` moves them to the current key`);
    }
  }
  return report;
}
