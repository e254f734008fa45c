// Redaction for everything ProviderFlow writes or prints (providerflow.md §9): values of
// headers whose name contains "signature", of authorization and cookie (and the other
// credential headers the live pipeline already redacts when it stores an event), and
// any string equal to a resolved secret become "[redacted]". Applied to traces,
// goldens, evidence, scans and CLI output alike, so no output path can forget it.

import { REDACTED, redactHeaders } from "../lib/inbound/redact-headers";
import type { VerificationConfig } from "../lib/inbound/types";

export { REDACTED };

/**
 * Secrets this short are only redacted where a whole string equals them: replacing
 * every occurrence of a 3-character secret inside other strings would shred unrelated
 * text (and tell a reader where the secret's characters occur).
 */
export const MIN_SUBSTRING_SECRET_LENGTH = 8;

/** Header values with credentials or signatures redacted; names lower-cased, as the pipeline stores them. */
export function redactRequestHeaders(
  headers: Readonly<Record<string, string>>,
  verification: VerificationConfig | null,
  extraNames: readonly string[] = [],
): Record<string, string> {
  const out = redactHeaders({ ...headers }, verification);
  const extra = new Set(extraNames.map((n) => n.toLowerCase()));
  for (const name of Object.keys(out)) if (extra.has(name)) out[name] = REDACTED;
  return out;
}

export type Redactor = <T>(value: T) => T;

/**
 * A deep redactor for a set of secret values. Strings (object keys included) equal to
 * a secret become "[redacted]"; secrets of MIN_SUBSTRING_SECRET_LENGTH or more are also
 * replaced where they occur inside a longer string ("Bearer <token>"). Empty secrets
 * are ignored (an empty string "equals" nothing worth hiding). Returns a copy; JSON
 * values only (what every ProviderFlow output is).
 */
export function secretRedactor(secrets: Iterable<string>): Redactor {
  const exact = new Set<string>();
  for (const s of secrets) if (typeof s === "string" && s !== "") exact.add(s);
  // Longest first, so a secret that contains another is replaced whole.
  const inner = [...exact].filter((s) => s.length >= MIN_SUBSTRING_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  const redactString = (text: string): string => {
    if (exact.has(text)) return REDACTED;
    let out = text;
    for (const secret of inner) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  };
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") return redactString(value);
    if (Array.isArray(value)) return value.map(walk);
    if (typeof value === "object" && value !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const key = redactString(k);
        // defineProperty: a key that redacts to "__proto__" must stay a plain property.
        Object.defineProperty(out, key, { value: walk(v), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    return value;
  };
  return <T>(value: T): T => (exact.size === 0 ? value : (walk(value) as T));
}
