// Types of secret-key-file.mjs (plain JavaScript: the launcher runs it before anything is compiled).

export const KEY_FILE_NAME: "secret-key";

export function resolveSecretKeys(opts: {
  source: Record<string, string | undefined>;
  dataDir: string;
  /** The embedded database or `npm run dev`: use <dataDir>/secret-key when no key is set. */
  useFile: boolean;
  /** Make the file when it is missing (default true). */
  create?: boolean;
}): Promise<{ env: { PROVENANCE_SECRET_KEY?: string; PROVENANCE_SECRET_KEY_PREVIOUS?: string }; notices: string[] }>;

export function pidFileOf(dataDir: string): string;
