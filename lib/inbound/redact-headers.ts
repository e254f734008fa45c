// Stored request headers keep everything useful for debugging and replay except the
// values that prove identity: signatures, credentials and cookies.
import type { VerificationConfig } from "./types";
import { signatureHeaderNames } from "./verify-signature";

const ALWAYS_REDACTED = ["authorization", "cookie", "proxy-authorization", "x-api-key", "upstash-signature"];

export const REDACTED = "[redacted]";

export function redactHeaders(headers: Record<string, string>, verification: VerificationConfig | null): Record<string, string> {
  const secretNames = new Set([...ALWAYS_REDACTED, ...(verification ? signatureHeaderNames(verification) : [])]);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    out[lower] = secretNames.has(lower) || lower.includes("signature") ? REDACTED : value;
  }
  return out;
}
