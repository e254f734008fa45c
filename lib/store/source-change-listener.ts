// Hears about source changes made by every process on the database: a trigger on
// "InboundSource" (and on "Org" slug changes) sends NOTIFY provenance_source_changed
// with the source id (or "*") when the writing transaction commits (migration
// 20261204200000_intake_limits). Each app process LISTENs on one connection of its own,
// outside the pool (a pooled connection is handed to other queries and loses its
// LISTEN), and drops what its lookup cache holds for that source.
//
// A notification sent while the connection is down is lost, so on every (re)connect the
// whole cache is dropped, and while down the caller shortens the cache's TTL: a change is
// then seen within that TTL instead of 60 s. The connection is checked with a query now
// and then, as a half-open TCP connection would otherwise look alive for a long time.
// The embedded database (PGlite) is one session of one process: no listener is started
// there, the process's own invalidation is enough.
import pg from "pg";

export const SOURCE_CHANGE_CHANNEL = "provenance_source_changed";

export type SourceChangeListenerOptions = {
  connectionString: string;
  /** A source id, or null: anything may have changed (a reconnect, an org's slug). */
  onChange: (sourceId: string | null) => void;
  /** Called with true once listening, false when the connection is lost. */
  onState?: (listening: boolean) => void;
  onError?: (message: string) => void;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** How often the idle connection is checked with a query. */
  checkEveryMs?: number;
};

export type SourceChangeListener = {
  /** Resolves once listening (true), or false when the first attempt failed (retries continue). */
  readonly firstAttempt: Promise<boolean>;
  listening(): boolean;
  stop(): Promise<void>;
};

export function startSourceChangeListener(opts: SourceChangeListenerOptions): SourceChangeListener {
  const minBackoff = opts.minBackoffMs ?? 250;
  const maxBackoff = opts.maxBackoffMs ?? 30_000;
  const checkEvery = opts.checkEveryMs ?? 30_000;
  let client: pg.Client | null = null;
  let listening = false;
  let stopped = false;
  let backoff = minBackoff;
  let retryTimer: NodeJS.Timeout | undefined;
  let checkTimer: NodeJS.Timeout | undefined;
  let settleFirst: (ok: boolean) => void = () => {};
  const firstAttempt = new Promise<boolean>((resolve) => (settleFirst = resolve));

  const setListening = (value: boolean) => {
    if (listening === value) return;
    listening = value;
    opts.onState?.(value);
  };

  function drop(c: pg.Client, why: string): void {
    if (client !== c) return;
    client = null;
    clearInterval(checkTimer);
    c.removeAllListeners("notification");
    c.end().catch(() => {});
    if (stopped) return;
    opts.onError?.(`source change listener lost its connection (${why}); retrying in ${backoff} ms`);
    setListening(false);
    // What was missed while down is unknown.
    opts.onChange(null);
    settleFirst(false);
    retryTimer = setTimeout(connect, backoff);
    retryTimer.unref();
    // Exponential, with jitter so replicas do not reconnect in step.
    backoff = Math.min(maxBackoff, Math.round(backoff * 2 * (0.75 + Math.random() * 0.5)));
  }

  async function connect(): Promise<void> {
    if (stopped) return;
    const c = new pg.Client({
      connectionString: opts.connectionString,
      keepAlive: true,
      connectionTimeoutMillis: 10_000,
      query_timeout: 10_000,
      application_name: "provenance-source-listener",
    });
    client = c;
    c.on("error", (err) => drop(c, err.message));
    c.on("end", () => drop(c, "connection ended"));
    c.on("notification", (msg) => {
      if (msg.channel !== SOURCE_CHANGE_CHANNEL) return;
      opts.onChange(msg.payload && msg.payload !== "*" ? msg.payload : null);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${SOURCE_CHANGE_CHANNEL}`);
    } catch (err) {
      drop(c, err instanceof Error ? err.message : String(err));
      return;
    }
    if (client !== c) return;
    backoff = minBackoff;
    // Changes made before this point were not heard.
    opts.onChange(null);
    setListening(true);
    settleFirst(true);
    checkTimer = setInterval(() => {
      c.query("SELECT 1").catch((err: Error) => drop(c, err.message));
    }, checkEvery);
    checkTimer.unref();
  }

  void connect();
  return {
    firstAttempt,
    listening: () => listening,
    async stop() {
      stopped = true;
      clearTimeout(retryTimer);
      clearInterval(checkTimer);
      const c = client;
      client = null;
      setListening(false);
      settleFirst(false);
      if (c) await c.end().catch(() => {});
    },
  };
}
