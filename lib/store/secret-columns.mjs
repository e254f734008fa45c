// Every column that holds a secret, and the one routine that moves their values to the
// current key: at start-up (lib/boot/seal-secrets.ts) it seals values still in plain text
// and checks that every key id in use is configured; `npm run secrets:reencrypt`
// (scripts/secrets.mjs) also re-seals values under older keys. Plain JavaScript, typed by
// secret-columns.d.mts, so the command runs with plain node on a fresh clone.
//
// - Works on one connection (a pg client or PGlite): the advisory lock and the batch
//   transactions must share it.
// - Keyset pages by id, one transaction per page; each UPDATE is a compare-and-set on the
//   value it read, so a secret an operator changes meanwhile is never overwritten.
// - `updatedAt` is left alone: re-sealing is no change anyone made.
// - Reports counts, ids and key ids; never a value.
import { classifyStored } from "../crypto/secret-box.mjs";

/**
 * One lock for every writer of this kind; arbitrary and constant ("provenance secrets at
 * rest"), apart from the others in use (72_616_763 migrations, 72_616_764 first admin, 72_616_766
 * retention, 72_616_765 bootstrap token).
 */
export const SECRET_LOCK_KEY = 72_616_790;

const ZERO_UUID = "00000000-0000-0000-0000-000000000000";
const MAX_LISTED_ROWS = 20;

export const SECRET_COLUMNS = Object.freeze([
  { kind: "InboundSource.verificationSecret", table: "InboundSource", column: "verificationSecret", nullable: true },
  { kind: "Target.authSecret", table: "Target", column: "authSecret", nullable: true },
  { kind: "Target.signingSecret", table: "Target", column: "signingSecret", nullable: true },
  { kind: "OrgSecret.value", table: "OrgSecret", column: "value", nullable: false },
]);

/**
 * The associated data a value is sealed for: its column and its row. Rows are named by
 * their id (lower-case, as PostgreSQL prints a uuid); an org secret by org and name, which
 * is how it is written (PUT by name).
 */
export function secretContext(kind, rowKey) {
  return `${kind}:${rowKey}`;
}

export function rowKeyOf(kind, row) {
  return kind === "OrgSecret.value" ? `${String(row.orgId).toLowerCase()}:${row.name}` : String(row.id).toLowerCase();
}

const affected = (res) => res.rowCount ?? res.affectedRows ?? 0;

/**
 * Seals plain values under the current key; with `rotate`, also re-seals values under
 * older keys of the ring. `forgetUnreadable` clears what no configured key opens (a lost
 * key): NULL in the nullable columns, the row itself for an org secret.
 */
export async function sealStoredSecrets(db, keyring, opts = {}) {
  const { rotate = false, dryRun = false, forgetUnreadable = false, batchSize = 500 } = opts;
  const report = { currentKid: keyring.currentKid, dryRun, columns: [] };
  await db.query("SELECT pg_advisory_lock($1)", [SECRET_LOCK_KEY]);
  try {
    for (const col of SECRET_COLUMNS) report.columns.push(await sealColumn(db, keyring, col, { rotate, dryRun, forgetUnreadable, batchSize }));
  } finally {
    await db.query("SELECT pg_advisory_unlock($1)", [SECRET_LOCK_KEY]);
  }
  return report;
}

async function sealColumn(db, keyring, col, opts) {
  const { kind, table, column } = col;
  const out = { kind, total: 0, current: 0, sealed: 0, rotated: 0, older: {}, unreadable: {}, unreadableRows: [], forgotten: 0, changedMeanwhile: 0 };
  const extra = kind === "OrgSecret.value" ? `, "orgId", "name"` : "";
  let after = ZERO_UUID;
  for (;;) {
    const page = await db.query(
      `SELECT "id"${extra}, "${column}" AS "value" FROM "${table}" WHERE "${column}" IS NOT NULL AND "id" > $1 ORDER BY "id" LIMIT $2`,
      [after, opts.batchSize],
    );
    if (page.rows.length === 0) break;
    after = page.rows[page.rows.length - 1].id;
    const writes = [];
    for (const row of page.rows) {
      out.total += 1;
      const context = secretContext(kind, rowKeyOf(kind, row));
      const opened = keyring.open(row.value, context);
      if (opened.ok) {
        if (opened.kid === keyring.currentKid) out.current += 1;
        else if (opts.rotate) {
          writes.push({ row, next: keyring.seal(opened.value, context), count: "rotated" });
        } else out.older[opened.kid] = (out.older[opened.kid] ?? 0) + 1;
        continue;
      }
      if (opened.reason === "plain") {
        const { value } = classifyStored(row.value);
        writes.push({ row, next: keyring.seal(value, context), count: "sealed" });
        continue;
      }
      const label = opened.reason === "unknown-key" ? `key ${opened.kid}` : `corrupt under key ${opened.kid}`;
      out.unreadable[label] = (out.unreadable[label] ?? 0) + 1;
      if (out.unreadableRows.length < MAX_LISTED_ROWS) out.unreadableRows.push({ id: row.id, reason: opened.reason, kid: opened.kid });
      if (opts.forgetUnreadable) writes.push({ row, next: null, count: "forgotten" });
    }
    if (writes.length === 0) continue;
    if (opts.dryRun) {
      for (const w of writes) out[w.count] += 1;
      continue;
    }
    await db.query("BEGIN");
    try {
      for (const w of writes) {
        const res =
          w.next === null && !col.nullable
            ? await db.query(`DELETE FROM "${table}" WHERE "id" = $1 AND "${column}" = $2`, [w.row.id, w.row.value])
            : await db.query(`UPDATE "${table}" SET "${column}" = $3 WHERE "id" = $1 AND "${column}" = $2`, [w.row.id, w.row.value, w.next]);
        if (affected(res) === 1) out[w.count] += 1;
        else out.changedMeanwhile += 1;
      }
      await db.query("COMMIT");
    } catch (error) {
      await db.query("ROLLBACK").catch(() => {});
      throw error;
    }
  }
  return out;
}

/** Key ids in use that the ring lacks, with where they are: the start-up check's verdict. */
export function unknownKeysIn(report) {
  const found = [];
  for (const c of report.columns) {
    for (const [label, count] of Object.entries(c.unreadable)) {
      const m = /^key ([0-9a-f]{16})$/.exec(label);
      if (m) found.push({ kind: c.kind, kid: m[1], count });
    }
  }
  return found;
}
