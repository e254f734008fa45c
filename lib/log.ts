// One structured logger. Secrets never reach it: callers log ids and messages, never
// bodies, headers or tokens; the redact paths are a second line of defence.
import pino from "pino";
import { env } from "@/lib/env";

type Tap = (line: string) => void;
const holder = globalThis as unknown as { __provenanceLogTaps?: Set<Tap> };
const taps = (holder.__provenanceLogTaps ??= new Set<Tap>());

/** Observes every log line written by this process (used by the no-secrets tests). */
export function tapLogs(fn: Tap): () => void {
  taps.add(fn);
  return () => taps.delete(fn);
}

function level(): string {
  try {
    return env().PROVENANCE_LOG_LEVEL;
  } catch {
    return "info";
  }
}

const destination = {
  write(line: string) {
    for (const tap of taps) tap(line);
    process.stdout.write(line);
  },
};

export const log = pino(
  {
    level: level(),
    base: undefined,
    redact: {
      paths: [
        "secret",
        "*.secret",
        "token",
        "*.token",
        "password",
        "*.password",
        "headers.authorization",
        "headers.cookie",
        "*.headers.authorization",
        "*.headers.cookie",
        "verificationSecret",
        "*.verificationSecret",
        "authSecret",
        "*.authSecret",
        "signingSecret",
        "*.signingSecret",
      ],
      censor: "[redacted]",
    },
  },
  destination,
);
