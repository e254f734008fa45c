// Types of app-server.mjs (plain JavaScript so the benchmark can run it with node).

export type StartAppOptions = {
  /** The repository root holding the build (`.next/`). */
  root: string;
  databaseUrl: string;
  /** Chosen when omitted. Reusing a killed app's port is fine: SIGKILL frees it at once. */
  port?: number;
  /** Added to (and overriding) the defaults: NODE_ENV=production, PORT, HOSTNAME_BIND=127.0.0.1,
   * DATABASE_URL, PROVENANCE_PUBLIC_URL, PROVENANCE_DEMO=0, PROVENANCE_LOG_LEVEL=warn,
   * PROVENANCE_SECRET_KEY=TEST_SECRET_KEY. */
  env?: Record<string, string>;
  /** Node options for the server (e.g. ["--cpu-prof"], which NODE_OPTIONS refuses). When given,
   * `next start` is spawned directly instead of through scripts/start.mjs. */
  nodeArgs?: string[];
  /** Values replaced by "[secret]" wherever the server's output is shown. */
  secrets?: string[];
  /** Default 120 s. */
  healthTimeoutMs?: number;
};

export type AppServer = {
  baseUrl: string;
  port: number;
  /** The launcher's (or `next start`'s, see nodeArgs) pid, which is also the process group's id. */
  pid: number;
  /** What the processes printed (the last 200,000 characters), secrets redacted. */
  output(): string;
  /** The end of the output, for error messages. */
  shownOutput(): string;
  /** The launcher is running. */
  alive(): boolean;
  /** Pids of the live processes of the group. */
  groupPids(): number[];
  /** SIGTERM to the group, SIGKILL after 15 s; resolves when every process of the group is gone. */
  stop(): Promise<void>;
  /** SIGKILL to the whole group at once (a crash); resolves when every process of it is gone. */
  kill(): Promise<void>;
};

/** The key for secrets at rest that test apps get by default (tests only: it is public). */
export const TEST_SECRET_KEY: string;
export function freePort(): Promise<number>;
export function assertBuilt(root: string): void;
export function processGroupPids(pgid: number): number[];
/** Starts the app and resolves once /api/health answers 200. Otherwise it stops the app and throws
 * an Error whose message ends with the output's tail and whose `serverOutput` holds all of it. */
export function startApp(opts: StartAppOptions): Promise<AppServer>;
