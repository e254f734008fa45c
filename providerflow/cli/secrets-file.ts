// `--secrets <file>`: values for a package's secretRefs on the machine running the
// sandbox. Two forms, told apart by the first non-blank character:
//
//   JSON       { "STRIPE_WEBHOOK_SECRET": "…", "DW_TOKEN": "…" }   (string values only)
//   KEY=VALUE  one per line; blank lines and lines starting with # are skipped; an
//              optional leading `export `; a value wrapped in matching single or double
//              quotes loses them (nothing else is unescaped)
//
// Names follow the secretRef grammar (^[A-Z][A-Z0-9_]{0,127}$), so a typo'd name is an
// error rather than a secret silently never found. Problems name the line, never a
// value: the file is full of secrets.

export const SECRET_REF_RE = /^[A-Z][A-Z0-9_]{0,127}$/;
export const MAX_SECRETS_FILE_BYTES = 1024 * 1024;

export type SecretsFile = { ok: true; secrets: Map<string, string> } | { ok: false; message: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function fromJson(text: string): SecretsFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // JSON.parse's message may quote the text; the text is secrets.
    return { ok: false, message: "starts with { but is not valid JSON" };
  }
  if (!isRecord(value)) return { ok: false, message: "must be a JSON object of NAME → value" };
  const secrets = new Map<string, string>();
  for (const [name, v] of Object.entries(value)) {
    if (!SECRET_REF_RE.test(name)) return { ok: false, message: `"${name}" is not a secret name (${SECRET_REF_RE.source})` };
    if (typeof v !== "string") return { ok: false, message: `the value of ${name} must be a string` };
    secrets.set(name, v);
  }
  return { ok: true, secrets };
}

function fromLines(text: string): SecretsFile {
  const secrets = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(line);
    if (!m) return { ok: false, message: `line ${i + 1}: expected NAME=VALUE` };
    const name = m[1] as string;
    if (!SECRET_REF_RE.test(name))
      return { ok: false, message: `line ${i + 1}: "${name}" is not a secret name (${SECRET_REF_RE.source})` };
    let value = (m[2] as string).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) {
      value = value.slice(1, -1);
    }
    secrets.set(name, value);
  }
  return { ok: true, secrets };
}

/** Parses a secrets file's text (see the header). */
export function parseSecretsFile(text: string): SecretsFile {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return body.trimStart().startsWith("{") ? fromJson(body) : fromLines(body);
}

/** Looks a secretRef up in the file first, then in the environment variable of that name. */
export function secretResolver(
  file: ReadonlyMap<string, string>,
  env: Readonly<Record<string, string | undefined>>,
): (ref: string) => string | undefined {
  return (ref) => {
    if (!SECRET_REF_RE.test(ref)) return undefined;
    const fromFile = file.get(ref);
    if (fromFile !== undefined && fromFile !== "") return fromFile;
    const fromEnv = Object.hasOwn(env, ref) ? env[ref] : undefined;
    return fromEnv === "" ? undefined : fromEnv;
  };
}
