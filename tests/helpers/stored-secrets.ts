// Reading secret columns in tests: a stored value must be sealed (no plain text at rest),
// and it must open, for its own row, to what the API was given.
import { expect } from "vitest";
import { openSecret, type SecretKind, type SecretRow } from "@/lib/store/secret-values";

export const SEALED_RE = /^enc:v1:[0-9a-f]{16}:[A-Za-z0-9_-]+$/;

/** The plain value of a stored secret (null when none is stored), after checking it is sealed. */
export function openStored(kind: SecretKind, row: SecretRow, stored: string | null): string | null {
  if (stored === null) return null;
  expect(stored, `${kind} is stored sealed`).toMatch(SEALED_RE);
  const opened = openSecret(kind, row, stored);
  if (!opened.ok) throw new Error(`${kind} of ${JSON.stringify(row)} does not open: ${opened.reason}`);
  return opened.value;
}
