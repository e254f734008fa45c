// Which keys seal stored secrets, for the launcher (scripts/start.mjs) and the secrets
// command (scripts/secrets.mjs). PROVENANCE_SECRET_KEY wins. Without it, the embedded
// database and `npm run dev` use a key generated once into <data dir>/secret-key (mode
// 0600); production on a real DATABASE_URL gets none here, and the app refuses to start.
import { chmod, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { generateSecretKey, keyIdOf, parseSecretKey } from "../lib/crypto/secret-box.mjs";

export const KEY_FILE_NAME = "secret-key";

async function readKeyFile(file) {
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if (error.code === "ENOENT") return null;
    throw error;
  }
  const key = parseSecretKey(text, file);
  const { mode } = await stat(file);
  const notices = [];
  if ((mode & 0o077) !== 0) {
    notices.push(`${file} can be read by other users (mode ${(mode & 0o777).toString(8)}); \`chmod 600 ${file}\``);
  }
  return { text: text.trim(), key, notices };
}

/** Reads the key file, creating it (exclusively, mode 0600) when missing. */
async function ensureKeyFile(file) {
  const found = await readKeyFile(file);
  if (found) return { ...found, created: false };
  await mkdir(path.dirname(file), { recursive: true });
  const text = generateSecretKey();
  // Exclusive: when another launcher created it meanwhile, theirs is read instead.
  try {
    await writeFile(file, `${text}\n`, { mode: 0o600, flag: "wx" });
    await chmod(file, 0o600); // the umask may have taken bits away, never added: set it exactly
  } catch (error) {
    if (error.code !== "EEXIST") throw error;
    return { ...(await readKeyFile(file)), created: false };
  }
  return { text, key: parseSecretKey(text), notices: [], created: true };
}

/**
 * The key variables to give the app: `{ env, notices }`. `useFile`: the embedded
 * database or `npm run dev`, where the key file is used, and made when missing if
 * `create`. When an explicit key replaces the file's, the file's key is kept readable
 * through PROVENANCE_SECRET_KEY_PREVIOUS, so `npm run secrets:reencrypt` can move the
 * secrets.
 */
export async function resolveSecretKeys({ source, dataDir, useFile, create = true }) {
  const file = path.join(dataDir, KEY_FILE_NAME);
  const explicit = (source.PROVENANCE_SECRET_KEY ?? "").trim();
  const previous = (source.PROVENANCE_SECRET_KEY_PREVIOUS ?? "").trim();
  if (!useFile) return { env: {}, notices: [] };
  if (!explicit) {
    const k = create ? await ensureKeyFile(file) : await readKeyFile(file);
    if (!k) return { env: {}, notices: [] };
    const notices = [...k.notices];
    if (k.created) {
      notices.push(
        `generated the key that encrypts stored secrets (key id ${keyIdOf(k.key)}): ${file}, mode 0600. ` +
          "Back it up with the database: without it no stored secret can be read.",
      );
    }
    return { env: { PROVENANCE_SECRET_KEY: k.text }, notices };
  }
  const k = await readKeyFile(file);
  let explicitKey;
  try {
    explicitKey = parseSecretKey(explicit);
  } catch {
    return { env: {}, notices: [] }; // the app reports the bad value
  }
  if (!k || keyIdOf(k.key) === keyIdOf(explicitKey) || previous.includes(k.text)) return { env: {}, notices: k?.notices ?? [] };
  return {
    env: { PROVENANCE_SECRET_KEY_PREVIOUS: [previous, k.text].filter(Boolean).join(",") },
    notices: [
      ...k.notices,
      `PROVENANCE_SECRET_KEY replaces the generated key in ${file} (key id ${keyIdOf(k.key)}), which stays readable; ` +
        "`npm run secrets:reencrypt` moves the stored secrets to the new key, after which the file can go.",
    ],
  };
}

/** Marks the embedded database as open by this process (the secrets command must not open it too). */
export function pidFileOf(dataDir) {
  return path.join(dataDir, "pglite.pid");
}
