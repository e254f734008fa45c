// What the hostile-input system tests (tests/system/hostile-*.system.test.ts) share:
// while an abuse runs against the built app, a bystander keeps making ordinary requests
// and records how long each took, a sampler records the server's resident memory, and
// helpers look for secrets where none may appear. Each test asserts the same three
// things: the app stays up, bystanders are answered within BYSTANDER_LIMIT_MS, and RSS
// stays under a bound.
import { readFileSync } from "node:fs";
import type { System } from "./harness";

/** Ordinary requests made during an abuse must be answered within this. */
export const BYSTANDER_LIMIT_MS = 2_000;

export type BystanderReport = {
  /** Requests made and answered. */
  count: number;
  /** Slowest answer, in ms (a request still unanswered at stop counts from its start). */
  maxMs: number;
  /** Statuses other than the expected ones, and transport errors, as text. */
  failures: string[];
};

/**
 * Sends `request` every `intervalMs` (one at a time, a new one as soon as the last is
 * answered and the interval has passed) until stop() is called. `request` resolves with
 * the HTTP status; any status outside `okStatuses` is a failure.
 */
export function startBystander(
  request: () => Promise<number>,
  opts: { intervalMs?: number; okStatuses?: number[] } = {},
): { stop(): Promise<BystanderReport> } {
  const intervalMs = opts.intervalMs ?? 200;
  const ok = opts.okStatuses ?? [200, 202];
  const report: BystanderReport = { count: 0, maxMs: 0, failures: [] };
  let stopped = false;
  let inFlightSince: number | null = null;
  const loop = (async () => {
    while (!stopped) {
      const started = performance.now();
      inFlightSince = started;
      try {
        const status = await request();
        if (!ok.includes(status)) report.failures.push(`status ${status}`);
      } catch (err) {
        report.failures.push(err instanceof Error ? err.message : String(err));
      }
      inFlightSince = null;
      const ms = performance.now() - started;
      report.count += 1;
      report.maxMs = Math.max(report.maxMs, ms);
      const wait = intervalMs - ms;
      if (wait > 0 && !stopped) await new Promise((r) => setTimeout(r, wait));
    }
  })();
  return {
    async stop() {
      stopped = true;
      if (inFlightSince !== null) report.maxMs = Math.max(report.maxMs, performance.now() - inFlightSince);
      await Promise.race([loop, new Promise((r) => setTimeout(r, BYSTANDER_LIMIT_MS * 2))]);
      return report;
    },
  };
}

/** GET /api/health as a bystander request. */
export function healthRequest(sys: System): () => Promise<number> {
  return async () => {
    const res = await fetch(`${sys.app.baseUrl}/api/health`, { signal: AbortSignal.timeout(BYSTANDER_LIMIT_MS * 5) });
    await res.arrayBuffer();
    return res.status;
  };
}

/** Resident set size of every process of the app's group (launcher and server), in MB. */
export function appRssMb(sys: System): number {
  let kb = 0;
  for (const pid of sys.app.groupPids()) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (m) kb += Number(m[1]);
    } catch {
      // Exited while we looked.
    }
  }
  return kb / 1024;
}

/** Samples appRssMb every `intervalMs` until stop(), which returns the peak. */
export function startRssSampler(sys: System, intervalMs = 100): { stop(): number } {
  let peak = appRssMb(sys);
  const timer = setInterval(() => {
    peak = Math.max(peak, appRssMb(sys));
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, appRssMb(sys));
    },
  };
}

/**
 * Runs `abuse` while a bystander and an RSS sampler watch; returns both reports and the
 * abuse's own result. The app must still be alive afterwards (checked here).
 */
export async function underAbuse<T>(
  sys: System,
  abuse: () => Promise<T>,
  opts: { bystander?: () => Promise<number>; okStatuses?: number[]; intervalMs?: number } = {},
): Promise<{ result: T; bystander: BystanderReport; peakRssMb: number }> {
  const bystander = startBystander(opts.bystander ?? healthRequest(sys), { okStatuses: opts.okStatuses, intervalMs: opts.intervalMs });
  const rss = startRssSampler(sys);
  // Both watchers are stopped whatever the abuse does, so a failing one leaves no timers.
  const outcome = await abuse().then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  const report = await bystander.stop();
  const peakRssMb = rss.stop();
  if (!outcome.ok) throw outcome.error;
  if (!sys.app.alive()) throw new Error(`The app died during the abuse.\n${sys.app.shownOutput()}`);
  return { result: outcome.value, bystander: report, peakRssMb };
}

/** The places a secret must never appear, joined for a search: the app's output so far. */
export function findSecrets(haystack: string, secrets: string[]): string[] {
  return secrets.filter((s) => s.length >= 8 && haystack.includes(s));
}
