#!/usr/bin/env node
// `npm run bench` — not a test: measures the BUILT app (`npm run build` first) as
// `npm start` runs it (scripts/server.mjs: Next.js behind the lean inbound path) on a
// throwaway PostgreSQL database, with load from a second process
// (autocannon, bench/load.mjs), and appends the figures to bench/RESULTS.md.
//
// Every figure is read against ceilings measured in the same run on the same machine:
//   ceiling 1  an empty App Router route handler in the same app (POST /api/bench/empty,
//              enabled by PROVENANCE_BENCH_ROUTES=1 which only this script sets)
//   ceiling 2  bare node:http doing the same Stripe check and one INSERT (bench/ceiling-server.mjs)
// Phases: ceiling 1, queue-mode acceptance of /api/inbound/… (the lean path), the same
// through the App Router route handler (POST /api/bench/inbound/…, bench only), ceiling 2, end-to-end
// (accepted → delivered to a local target), then the worker draining a backlog of queued
// events inserted in bulk, a what-if replay of a draft mapping over 5,000 of those stored
// events (bench/what-if.mjs), and the peak RSS (VmHWM) of the app's server process.
//
// Options: --seconds N (per load phase, default 10), --connections N (default 50),
//          --backlog N (default 50000), --e2e N (events, default 500), --e2e-rate N (per s, default 100),
//          --profile (ceiling 1 and acceptance only, with the server under `node --cpu-prof`; prints
//          the top frames of each measured phase, per request; profiles kept in bench/profiles/),
//          --no-write (print only).
// Environment: TEST_DATABASE_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres, local only).
import { measureCli } from "./cli.mjs";
import { measureWhatIf } from "./what-if.mjs";
import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { assertBuilt, freePort, startApp } from "../tests/app-server.mjs";
import { STRIPE_SECRET, makeEvent, stripeSignature } from "./event.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const ORG = "bench";

const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? Number(argv[i + 1]) : fallback;
};
const SECONDS = opt("seconds", 10);
const CONNECTIONS = opt("connections", 50);
const BACKLOG = opt("backlog", 50_000);
const E2E_EVENTS = opt("e2e", 500);
const E2E_RATE = opt("e2e-rate", 100);
const PROFILE = argv.includes("--profile");
const WRITE = !argv.includes("--no-write");
const WARMUP_SECONDS = 3;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.log("[bench]", ...a);
const round = (n, d = 0) => (Number.isFinite(n) ? Number(n.toFixed(d)) : n);

// --- database ---------------------------------------------------------------------------

function assertLocal(url) {
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host))
    throw new Error(`Refusing a non-local database server (${host})`);
}

async function createDatabase() {
  assertLocal(ADMIN_URL);
  const name = `provenance_bench_${Date.now()}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const version = (await admin.query("SHOW server_version")).rows[0].server_version;
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    version,
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

// --- app, API, processes -----------------------------------------------------------------

function apiClient(baseUrl, token) {
  return async (method, apiPath, body) => {
    const res = await fetch(`${baseUrl}${apiPath}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${apiPath} answered ${res.status}: ${text.slice(0, 500)}`);
    return text ? JSON.parse(text) : {};
  };
}

/** Peak and current resident memory of the app's biggest process (the server, not the small launcher), from /proc. */
function memoryOf(app) {
  const rows = [];
  for (const pid of app.groupPids()) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
      const name = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0];
      rows.push({ pid, name, hwmMb: kb("VmHWM") / 1024, rssMb: kb("VmRSS") / 1024 });
    } catch {
      // Gone.
    }
  }
  rows.sort((a, b) => b.hwmMb - a.hwmMb);
  return rows[0] ?? { pid: 0, name: "?", hwmMb: NaN, rssMb: NaN };
}

/** autocannon in a child process; resolves with its result object. */
function load(url, { seconds, signed = true, tag }) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, "bench", "load.mjs"), JSON.stringify({ url, connections: CONNECTIONS, seconds, signed, tag })],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.on("error", reject);
    child.on("exit", (code) => {
      const line = out.trim().split("\n").pop();
      if (code !== 0 || !line) return reject(new Error(`load generator exited with ${code}`));
      resolve(JSON.parse(line));
    });
  });
}

function summarize(r) {
  const errors = (r.errors ?? 0) + (r.timeouts ?? 0);
  return {
    rps: round(r.requests.total / r.duration, 0),
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    requests: r.requests.total,
    errors,
    non2xx: r.non2xx ?? 0,
    statuses: Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count])),
  };
}

async function measure(label, url, opts) {
  log(`${label}: warm-up ${WARMUP_SECONDS} s`);
  await load(url, { ...opts, seconds: WARMUP_SECONDS, tag: `${opts.tag}w` });
  if (opts.beforeMeasure) await opts.beforeMeasure();
  log(`${label}: ${SECONDS} s at ${CONNECTIONS} connections`);
  const fromUs = Number(process.hrtime.bigint() / 1000n);
  const s = summarize(await load(url, { ...opts, seconds: SECONDS }));
  // CLOCK_MONOTONIC in µs, the clock of V8's profile timestamps: --profile slices by it.
  s.window = { fromUs, toUs: Number(process.hrtime.bigint() / 1000n) };
  const mem = opts.app ? memoryOf(opts.app) : undefined;
  if (mem) s.memory = { rssMb: round(mem.rssMb), hwmMb: round(mem.hwmMb) };
  log(
    `${label}: ${s.rps} req/s, p50 ${s.p50} ms, p99 ${s.p99} ms, errors ${s.errors}, non-2xx ${s.non2xx} ${JSON.stringify(s.statuses)}` +
      (mem ? `; app RSS now ${s.memory.rssMb} MB, peak ${s.memory.hwmMb} MB` : ""),
  );
  return s;
}

async function waitQueueEmpty(db, what, timeoutMs = 600_000) {
  const started = Date.now();
  for (;;) {
    const q = Number((await db.query(`SELECT count(*) AS n FROM "InboundEvent" WHERE "status" = 'queued'`)).rows[0].n);
    if (q === 0) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: ${q} events still queued after ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}

function startCeilingServer(port, databaseUrl) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, "bench", "ceiling-server.mjs"), String(port), databaseUrl, STRIPE_SECRET],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`ceiling server exited with ${code}`)));
    child.stdout.on("data", (c) => {
      if (String(c).includes("ready")) resolve(child);
    });
  });
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

// --- phases ------------------------------------------------------------------------------

/** Paced events through the inbound route to a local target; latency from the 202 to arrival. */
async function endToEnd(app, api, mappingId) {
  const arrivals = new Map();
  const target = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      try {
        const { eventId } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        if (!arrivals.has(eventId)) arrivals.set(eventId, performance.now());
      } catch {
        // Not ours.
      }
      res.writeHead(200).end("ok");
    });
  });
  await new Promise((r) => target.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${target.address().port}/hook`;
  const targetId = (
    await api("POST", "/api/v1/targets", {
      name: "bench-target",
      url,
      retry: { maxAttempts: 3, backoff: "fixed", initialDelaySeconds: 1 },
      timeoutSeconds: 5,
    })
  ).id;
  const routeId = (await api("POST", "/api/v1/routes", { mappingId, targetId })).id;

  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const accepted = new Map();
  const acceptMs = [];
  let failures = 0;
  const post = (n) =>
    new Promise((resolve) => {
      const body = makeEvent(n, "e2e");
      const t0 = performance.now();
      const req = http.request(`${app.baseUrl}/api/inbound/${ORG}/by-mnemonic/stripe`, {
        method: "POST",
        agent,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          "stripe-signature": stripeSignature(body),
        },
      });
      req.on("response", (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const t1 = performance.now();
          if (res.statusCode === 202) {
            accepted.set(JSON.parse(Buffer.concat(chunks).toString("utf8")).eventId, t1);
            acceptMs.push(t1 - t0);
          } else failures++;
          resolve();
        });
      });
      req.on("error", () => {
        failures++;
        resolve();
      });
      req.end(body);
    });
  log(`end-to-end: ${E2E_EVENTS} events at ${E2E_RATE}/s to a local target`);
  const sends = [];
  const start = performance.now();
  for (let n = 0; n < E2E_EVENTS; n++) {
    const due = start + (n * 1000) / E2E_RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    sends.push(post(n));
  }
  await Promise.all(sends);
  const deadline = Date.now() + 120_000;
  while ([...accepted.keys()].some((id) => !arrivals.has(id)) && Date.now() < deadline) await sleep(100);
  agent.destroy();
  await new Promise((r) => target.close(r));
  await api("DELETE", `/api/v1/routes/${routeId}`);

  const latencies = [...accepted]
    .filter(([id]) => arrivals.has(id))
    .map(([id, t]) => arrivals.get(id) - t)
    .sort((a, b) => a - b);
  acceptMs.sort((a, b) => a - b);
  const result = {
    events: E2E_EVENTS,
    rate: E2E_RATE,
    accepted: accepted.size,
    delivered: latencies.length,
    failures,
    p50: round(percentile(latencies, 50), 1),
    p99: round(percentile(latencies, 99), 1),
    max: round(latencies.at(-1), 1),
    acceptP50: round(percentile(acceptMs, 50), 1),
    acceptP99: round(percentile(acceptMs, 99), 1),
  };
  log(
    `end-to-end: ${result.delivered}/${result.accepted} delivered; accepted→delivered p50 ${result.p50} ms, p99 ${result.p99} ms, max ${result.max} ms`,
  );
  return result;
}

/**
 * Inserts `count` queued 1 KiB events straight into the table, in batches, received one
 * millisecond apart in the past (as real traffic would be: no ties in the claim's order).
 */
async function insertBacklog(db, count) {
  const src = (await db.query(`SELECT "id", "orgId" FROM "InboundSource" WHERE "mnemonic" = 'stripe'`)).rows[0];
  const stages = JSON.stringify([
    { stage: "source", outcome: "passed" },
    { stage: "signature", outcome: "passed" },
    { stage: "schema", outcome: "passed" },
  ]);
  const BATCH = 2_000;
  for (let off = 0; off < count; off += BATCH) {
    const n = Math.min(BATCH, count - off);
    const ids = [];
    const bodies = [];
    for (let i = 0; i < n; i++) {
      ids.push(randomUUID());
      bodies.push(Buffer.from(makeEvent(off + i, "drain")));
    }
    await db.query(
      `INSERT INTO "InboundEvent" ("id","orgId","sourceId","status","headers","body","stages","receivedAt","availableAt")
       SELECT u.id, $3, $4, 'queued', '{"bench":"drain"}'::jsonb, u.body, $5::jsonb, t.at, t.at
         FROM unnest($1::uuid[], $2::bytea[]) WITH ORDINALITY AS u(id, body, n),
              LATERAL (SELECT now() - make_interval(secs => ($6::int - $7::int - u.n) / 1000.0) AS at) t`,
      [ids, bodies, src.orgId, src.id, stages, count, off],
    );
  }
}

/**
 * Top frames of a .cpuprofile by self time, and self time by where the code lives, over
 * the samples taken within `window` (the measured load, not start-up or warm-up).
 */
function profileSummary(prof, window, top = 25) {
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let t = prof.startTime;
  for (let i = 0; i < prof.samples.length; i++) {
    t += prof.timeDeltas[i] ?? 0;
    if (t < window.fromUs || t > window.toUs) continue;
    self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const frames = new Map();
  const places = new Map();
  for (const [id, us] of self) {
    const f = byId.get(id).callFrame;
    const where = f.url ? `${f.url.replace(/^file:\/\//, "").replace(ROOT + "/", "")}:${f.lineNumber + 1}` : "";
    const key = `${f.functionName || "(anonymous)"} ${where}`.trim();
    frames.set(key, (frames.get(key) ?? 0) + us);
    const place = !f.url
      ? f.functionName.startsWith("(")
        ? f.functionName
        : "(native)"
      : f.url.startsWith("node:")
        ? "node internals"
        : (/node_modules\/((@[^/]+\/)?[^/]+)/.exec(f.url)?.[1] ??
          (f.url.includes(".next/server/chunks") ? "app bundle (.next/server/chunks)" : "other"));
    places.set(place, (places.get(place) ?? 0) + us);
  }
  const pct = (us) => `${((us / total) * 100).toFixed(1)}%`;
  return {
    totalMs: round(total / 1000),
    frames: [...frames]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => ({ frame: k, selfMs: round(us / 1000), share: pct(us) })),
    places: [...places]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([k, us]) => ({ place: k, selfMs: round(us / 1000), share: pct(us) })),
  };
}

// --- main --------------------------------------------------------------------------------

async function main() {
  assertBuilt(ROOT);
  const startedAt = new Date();
  // First, on a quiet machine: the ProviderFlow CLI's start-up beside a bare node.
  log("providerflow validate vs node -e 0 (15 alternating runs after 3 warm-ups)");
  const cli = measureCli(ROOT);
  log(
    `providerflow validate p50 ${cli.validate.p50} ms (p90 ${cli.validate.p90}), node -e 0 p50 ${cli.node.p50} ms: ${cli.ratio}×`,
  );
  const database = await createDatabase();
  const token = `prv_bench_${randomBytes(24).toString("base64url")}`;
  const db = new pg.Pool({ connectionString: database.url, max: 4 });
  db.on("error", () => {}); // idle connections ended by the database's drop at the end
  const profileDir = path.join(ROOT, "bench", "profiles", startedAt.toISOString().replace(/[:.]/g, "-"));
  const appEnv = {
    PROVENANCE_BENCH_ROUTES: "1",
    PROVENANCE_BOOTSTRAP_ORG: ORG,
    PROVENANCE_BOOTSTRAP_TOKEN: token,
    PROVENANCE_ALLOW_PRIVATE_TARGETS: "1",
    PROVENANCE_LOG_LEVEL: "warn",
  };
  const nodeArgs = PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : undefined;
  const results = { cli, startedAt: startedAt.toISOString(), seconds: SECONDS, connections: CONNECTIONS };
  let app;
  let ceiling;
  try {
    log(`database ${database.url.replace(/\/\/[^@]*@/, "//")} (PostgreSQL ${database.version})`);
    app = await startApp({ root: ROOT, databaseUrl: database.url, env: appEnv, nodeArgs, secrets: [token] });
    const api = apiClient(app.baseUrl, token);
    const source = await api("POST", "/api/v1/inbound-sources", {
      title: "Stripe (bench)",
      mnemonic: "stripe",
      verification: { preset: "stripe", secret: STRIPE_SECRET },
      payloadSchema: {
        type: "object",
        required: ["id", "type", "data"],
        properties: { id: { type: "string", pattern: "^evt_" }, type: { type: "string" }, data: { type: "object" } },
      },
    });
    const mapping = await api("POST", "/api/v1/inbound-mappings", {
      sourceId: source.id,
      title: "Payment succeeded",
      resourceType: "payment",
      action: "succeeded",
      conditions: [{ path: "type", op: "eq", value: "payment_intent.succeeded" }],
      payloadSchema: {
        type: "object",
        required: ["id", "amount", "currency"],
        properties: { amount: { type: "integer", minimum: 1 }, currency: { type: "string", minLength: 3, maxLength: 3 } },
      },
      schemaRootPath: "data.object",
      idempotencyPath: "id",
      resourceIdPath: "data.object.id",
      fieldMappings: { amount: "data.object.amount", currency: "data.object.currency", customer: "data.object.customer" },
      metadataPaths: { userId: "data.object.metadata.user_id" },
    });
    const inboundUrl = `${app.baseUrl}/api/inbound/${ORG}/by-mnemonic/stripe`;
    const drained = () => waitQueueEmpty(db, "queue after a load phase");

    const emptyCheck = await fetch(`${app.baseUrl}/api/bench/empty`, { method: "POST", body: "{}" });
    if (emptyCheck.status !== 202)
      throw new Error(`/api/bench/empty answered ${emptyCheck.status}: is PROVENANCE_BENCH_ROUTES honoured by this build?`);

    results.ceiling1 = await measure("ceiling 1: empty App Router route", `${app.baseUrl}/api/bench/empty`, { tag: "c1", app });
    results.acceptance = await measure("acceptance: POST /api/inbound/:slug/by-mnemonic/stripe (queue mode)", inboundUrl, {
      tag: "a",
      app,
      beforeMeasure: drained,
    });
    if (!PROFILE) {
      const drainMs = await drained();
      results.drainAfterLoad = { events: results.acceptance.statuses["202"] ?? 0, ms: drainMs };
      log(`the worker needed ${round(drainMs / 1000, 1)} s after the phase to process what it had accepted`);
      results.routeHandler = await measure(
        "acceptance through the App Router route handler (/api/bench/inbound/…)",
        `${app.baseUrl}/api/bench/inbound/${ORG}/by-mnemonic/stripe`,
        {
          tag: "r",
          app,
          beforeMeasure: drained,
        },
      );
    }
    if (PROFILE) {
      await app.stop(); // --cpu-prof writes the profile at exit
      app = undefined;
      const file = readdirSync(profileDir)
        .map((f) => path.join(profileDir, f))
        .sort((a, b) => statSync(b).size - statSync(a).size)[0];
      const prof = JSON.parse(readFileSync(file, "utf8"));
      results.profile = {
        file: path.relative(ROOT, file),
        ceiling1: { requests: results.ceiling1.requests, ...profileSummary(prof, results.ceiling1.window) },
        acceptance: { requests: results.acceptance.requests, ...profileSummary(prof, results.acceptance.window) },
      };
      return results;
    }
    await drained();
    const statuses = (await db.query(`SELECT "status"::text AS s, count(*) AS n FROM "InboundEvent" GROUP BY 1`)).rows;
    results.eventStatuses = Object.fromEntries(statuses.map((r) => [r.s, Number(r.n)]));

    const ceilingPort = await freePort();
    ceiling = await startCeilingServer(ceilingPort, database.url);
    results.ceiling2 = await measure("ceiling 2: node:http + Stripe check + INSERT", `http://127.0.0.1:${ceilingPort}/`, {
      tag: "c2",
    });
    ceiling.removeAllListeners("exit");
    ceiling.kill("SIGTERM");
    ceiling = undefined;

    results.e2e = await endToEnd(app, api, mapping.id);
    results.rssLoad = memoryOf(app);
    log(
      `peak RSS of ${results.rssLoad.name} (pid ${results.rssLoad.pid}) during the load phases: ${round(results.rssLoad.hwmMb)} MB`,
    );
    await app.stop();
    app = undefined;

    log(`worker drain: inserting ${BACKLOG} queued 1 KiB events`);
    await insertBacklog(db, BACKLOG);
    const t0 = Date.now();
    app = await startApp({ root: ROOT, databaseUrl: database.url, env: appEnv, secrets: [token] });
    const bootMs = Date.now() - t0;
    await waitQueueEmpty(db, "backlog drain");
    const wallMs = Date.now() - t0;
    const d = (
      await db.query(
        `SELECT count(*) AS n, count(*) FILTER (WHERE "status" = 'processed') AS processed,
                EXTRACT(EPOCH FROM max("processedAt") - min("processedAt")) * 1000 AS ms
           FROM "InboundEvent" WHERE "headers"->>'bench' = 'drain'`,
      )
    ).rows[0];
    results.drain = {
      events: Number(d.n),
      processed: Number(d.processed),
      ms: round(Number(d.ms)),
      rate: round(Number(d.processed) / (Number(d.ms) / 1000)),
      wallMs,
      bootMs,
    };
    results.rssDrain = memoryOf(app);
    log(
      `worker drain: ${results.drain.processed} processed in ${results.drain.ms} ms = ${results.drain.rate} interactions/s; peak RSS ${round(results.rssDrain.hwmMb)} MB`,
    );
    results.whatIf = await measureWhatIf({ baseUrl: app.baseUrl, token, db, sourceId: source.id, mappingId: mapping.id });
    log(
      `what-if over ${results.whatIf.events} events: ${results.whatIf.ms} ms (reading them: ${results.whatIf.readMs} ms, ${results.whatIf.ratio}×); ${results.whatIf.text}`,
    );
    return results;
  } finally {
    if (ceiling) {
      ceiling.removeAllListeners("exit");
      ceiling.kill("SIGTERM");
    }
    if (app) await app.stop();
    await db.end();
    await database.drop();
    results.pgVersion = database.version;
  }
}

function report(r) {
  const cpu = os.cpus();
  const lines = [];
  lines.push(`## Run ${r.startedAt}${PROFILE ? " (profile)" : ""}`);
  lines.push("");
  lines.push(
    `Machine: ${cpu.length} cores (${cpu[0]?.model ?? "?"}), ${round(os.totalmem() / 2 ** 30, 1)} GiB RAM, ${os.type()} ${os.release()}; ` +
      `Node ${process.version}; PostgreSQL ${r.pgVersion}; load: autocannon, ${r.connections} connections, ${r.seconds} s per phase ` +
      `after ${WARMUP_SECONDS} s warm-up, distinct 1 KiB Stripe-signed events.`,
  );
  lines.push("");
  const mem = (s) => (s.memory ? `${s.memory.rssMb} / ${s.memory.hwmMb}` : "—");
  const row = (name, s) => `| ${name} | ${s.rps} | ${s.p50} | ${s.p99} | ${s.errors} | ${s.non2xx} | ${mem(s)} |`;
  lines.push(
    "| phase | req/s | p50 ms | p99 ms | errors | non-2xx | app RSS / peak after, MB |",
    "|---|---:|---:|---:|---:|---:|---:|",
  );
  if (r.ceiling1) lines.push(row("ceiling 1: empty App Router route (`/api/bench/empty`)", r.ceiling1));
  if (r.acceptance)
    lines.push(row("**acceptance**: `/api/inbound/bench/by-mnemonic/stripe`, queue mode (lean path)", r.acceptance));
  if (r.routeHandler) lines.push(row("the same through the App Router route handler (`/api/bench/inbound/…`)", r.routeHandler));
  if (r.ceiling2) lines.push(row("ceiling 2: `node:http` + Stripe check + INSERT", r.ceiling2));
  lines.push("");
  if (r.ceiling1 && r.ceiling2 && r.drain) {
    const a = r.acceptance.rps;
    const ok = (b) => (b ? "met" : "**missed**");
    lines.push("| figure | value | target | |", "|---|---:|---:|---|");
    lines.push(`| acceptance / ceiling 1 | ${round(a / r.ceiling1.rps, 2)} | ≥ 0.7 | ${ok(a / r.ceiling1.rps >= 0.7)} |`);
    lines.push(`| acceptance / ceiling 2 | ${round(a / r.ceiling2.rps, 3)} | — | |`);
    if (r.routeHandler) lines.push(`| route handler / ceiling 1 | ${round(r.routeHandler.rps / r.ceiling1.rps, 2)} | — | |`);
    lines.push(
      `| acceptance errors + non-2xx | ${r.acceptance.errors + r.acceptance.non2xx} | 0 | ${ok(r.acceptance.errors + r.acceptance.non2xx === 0)} |`,
    );
    lines.push(
      `| acceptance p99 at ${r.connections} connections | ${r.acceptance.p99} ms | ≤ 50 ms | ${ok(r.acceptance.p99 <= 50)} |`,
    );
    lines.push(
      `| worker drain of ${r.drain.events} queued events | ${r.drain.rate} interactions/s | ≥ 2,000/s | ${ok(r.drain.rate >= 2000)} |`,
    );
    lines.push(
      `| end-to-end accepted → delivered, ${r.e2e.delivered}/${r.e2e.events} events at ${r.e2e.rate}/s | p50 ${r.e2e.p50} ms, p99 ${r.e2e.p99} ms (max ${r.e2e.max}) | — | |`,
    );
    const rss = Math.max(r.rssLoad.hwmMb, r.rssDrain.hwmMb);
    if (r.cli) {
      lines.push(
        `| \`providerflow validate ${r.cli.package}\` (prebuilt CLI), wall | p50 ${r.cli.validate.p50} ms, p90 ${r.cli.validate.p90} ms; \`node -e 0\` p50 ${r.cli.node.p50} ms (${r.cli.ratio}×) | ≤ 150 ms | ${ok(r.cli.met)} |`,
      );
    }
    if (r.whatIf) {
      lines.push(
        `| what-if replay of a draft over ${r.whatIf.events} stored events (${r.whatIf.changed} changed) | ${r.whatIf.ms} ms (reading the rows: ${r.whatIf.readMs} ms, ${r.whatIf.ratio}×) | ≤ 2,000 ms | ${ok(r.whatIf.met)} |`,
      );
    }
    lines.push(
      `| peak RSS of the app server (VmHWM) | ${round(rss)} MB (load ${round(r.rssLoad.hwmMb)}, drain ${round(r.rssDrain.hwmMb)}) | ≤ 400 MB | ${ok(rss <= 400)} |`,
    );
    lines.push("");
    lines.push(
      `Also: the ${r.drainAfterLoad.events} events accepted in the acceptance phase took the worker ${round(r.drainAfterLoad.ms / 1000, 1)} s more to process after the load stopped; ` +
        `the drain took ${round(r.drain.ms / 1000, 1)} s from first to last processed event (${round(r.drain.wallMs / 1000, 1)} s from launch, boot ${round(r.drain.bootMs / 1000, 1)} s); ` +
        `events at the end: ${JSON.stringify(r.eventStatuses)}; end-to-end 202 latency p50 ${r.e2e.acceptP50} ms, p99 ${r.e2e.acceptP99} ms.`,
    );
  }
  if (r.profile) {
    lines.push(`CPU profile of the app server (\`node --cpu-prof\`): \`${r.profile.file}\`, sliced to each measured phase.`, "");
    for (const [name, p] of [
      ["ceiling 1 (empty route)", r.profile.ceiling1],
      ["acceptance (inbound route)", r.profile.acceptance],
    ]) {
      const perReq = (ms) => round((ms * 1000) / p.requests, 0);
      lines.push(
        `**${name}**: ${p.totalMs} ms sampled over ${p.requests} requests (${perReq(p.totalMs)} µs of samples per request, idle included).`,
        "",
      );
      lines.push("| top frames by self time | self ms | share | µs/request |", "|---|---:|---:|---:|");
      for (const f of p.frames)
        lines.push(`| \`${f.frame.replaceAll("|", "\\|")}\` | ${f.selfMs} | ${f.share} | ${perReq(f.selfMs)} |`);
      lines.push("", "| self time by where the code lives | self ms | share | µs/request |", "|---|---:|---:|---:|");
      for (const q of p.places) lines.push(`| ${q.place} | ${q.selfMs} | ${q.share} | ${perReq(q.selfMs)} |`);
      lines.push("");
    }
  }
  lines.push("");
  return lines.join("\n");
}

const results = await main();
const text = report(results);
console.log(`\n${text}`);
if (WRITE) {
  const file = path.join(ROOT, "bench", "RESULTS.md");
  if (!existsSync(file)) appendFileSync(file, "# Benchmark results\n\nAppended by `npm run bench`.\n\n");
  appendFileSync(file, `${text}\n`);
  log(`appended to ${path.relative(process.cwd(), file)}`);
}
