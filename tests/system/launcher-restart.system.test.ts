// The launcher (scripts/start.mjs) brings the server back after it dies: only the server
// process is SIGKILLed (as the kernel's OOM killer or a crash would end it), the
// launcher stays, logs one line, waits 1 s (then 2 s) and starts it again; the app
// answers and processes events again, on PostgreSQL and on the embedded database, which
// lives in the launcher and is not restarted. SIGTERM to the launcher alone still stops
// everything. A server that cannot start is given up on after 5 quick failures, with
// its exit code, instead of being restarted forever.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import http from "node:http";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, startApp, type AppServer } from "../app-server.mjs";
import { apiCall, createMapping, createRoute, createSource, createTarget, ROOT, send, startSystem, waitUntil, type System } from "./harness";

const cleanups: (() => Promise<void> | void)[] = [];

afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** The server process (scripts/server.mjs, titled provenance-server): the launcher's child. */
function serverPid(app: AppServer): number {
  const pids = app.groupPids().filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      // "pid (comm) state ppid …": comm may hold spaces and parentheses.
      return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === app.pid;
    } catch {
      return false;
    }
  });
  expect(pids, "exactly one server process under the launcher").toHaveLength(1);
  return pids[0]!;
}

async function healthStatus(app: AppServer): Promise<number> {
  try {
    const res = await fetch(`${app.baseUrl}/api/health`, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** SIGKILLs the server only and waits until a new server answers /api/health. */
async function killServerAndWaitForRestart(app: AppServer, restart: number, delaySeconds: number): Promise<{ oldPid: number; newPid: number }> {
  const oldPid = serverPid(app);
  const killedAt = Date.now();
  process.kill(oldPid, "SIGKILL");
  await waitUntil(`the launcher to announce restart ${restart}`, 10_000, async () => [
    app.output().includes(`restarting in ${delaySeconds} s (restart ${restart})`),
    app.output().slice(-300),
  ]);
  expect(app.alive(), "the launcher survived its server").toBe(true);
  await waitUntil("the restarted server to answer /api/health", 90_000, async () => {
    const status = await healthStatus(app);
    return [status === 200, `health ${status}`];
  });
  const newPid = serverPid(app);
  expect(newPid).not.toBe(oldPid);
  console.info(`[launcher] restart ${restart}: the app answered again ${((Date.now() - killedAt) / 1000).toFixed(1)} s after SIGKILL`);
  return { oldPid, newPid };
}

/** SIGTERM to the launcher alone stops the whole group. */
async function stopThroughLauncher(app: AppServer) {
  process.kill(app.pid, "SIGTERM");
  await waitUntil("every process of the app to exit after SIGTERM to the launcher", 30_000, async () => [
    !app.alive() && app.groupPids().length === 0,
    `alive=${app.alive()} pids=${app.groupPids().join(",")}`,
  ]);
}

async function eventProcessed(sys: { app: AppServer; api: System["api"] }, sourceId: string, slug: string, id: string) {
  const res = await send(sys.app.baseUrl, `/api/inbound/${slug}/${sourceId}`, JSON.stringify({ id }));
  expect(res.status, res.text).toBe(202);
  const eventId = String(res.body?.eventId);
  await waitUntil(`event ${id} to be processed`, 30_000, async () => {
    const ev = await sys.api<{ status: string }>("GET", `/api/v1/events/${eventId}`);
    return [ev.status === "processed", ev.status];
  });
}

describe("launcher restarts a server that died", () => {
  let sys: System;

  it("on PostgreSQL: restarts after SIGKILL with a growing delay, serves and processes again, and SIGTERM to the launcher stops it all", async () => {
    sys = await startSystem("restart");
    cleanups.push(() => sys.close());
    const sourceId = await createSource(sys, "orders");
    await createMapping(sys, sourceId);
    await eventProcessed(sys, sourceId, sys.orgSlug, "before");

    await killServerAndWaitForRestart(sys.app, 1, 1);
    await eventProcessed(sys, sourceId, sys.orgSlug, "after-first-restart");
    // Still within a minute of the last start: the next delay doubles.
    await killServerAndWaitForRestart(sys.app, 2, 2);
    await eventProcessed(sys, sourceId, sys.orgSlug, "after-second-restart");
    expect(sys.app.output()).toMatch(/the server exited unexpectedly \(signal SIGKILL\) after \d+ s; restarting in 1 s \(restart 1\)/);

    await stopThroughLauncher(sys.app);
  });

  it("on the embedded database: the database stays up in the launcher, keeps the data and delivers across a restart", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "provenance-restart-"));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const token = `prv_sys_${randomBytes(24).toString("base64url")}`;
    const slug = "sys-embedded-restart";
    const app = await startApp({
      root: ROOT,
      databaseUrl: "", // unset: the launcher starts the embedded database
      secrets: [token],
      env: { PROVENANCE_DATA_DIR: dataDir, PROVENANCE_BOOTSTRAP_ORG: slug, PROVENANCE_BOOTSTRAP_TOKEN: token, PROVENANCE_DEMO: "0", PROVENANCE_ALLOW_PRIVATE_TARGETS: "1" },
    });
    cleanups.push(() => app.stop());
    const api: System["api"] = (method, apiPath, body, expect) => apiCall(app.baseUrl, token, method, apiPath, body, expect);
    const embedded = { app, api, orgSlug: slug } as unknown as System;
    const sourceId = await createSource(embedded, "orders");
    const mappingId = await createMapping(embedded, sourceId);
    // Deliveries too: the delivery worker's claim runs on the embedded database as well.
    const received: string[] = [];
    const target = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push((JSON.parse(Buffer.concat(chunks).toString("utf8")) as { resourceId: string }).resourceId);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => target.listen(0, "127.0.0.1", r));
    cleanups.push(() => new Promise<void>((r) => (target.closeAllConnections(), target.close(() => r()))));
    const targetUrl = `http://127.0.0.1:${(target.address() as net.AddressInfo).port}/hook`;
    const targetId = await createTarget(embedded, { name: "t", url: targetUrl, maxAttempts: 3, backoff: "fixed", initialDelaySeconds: 1, timeoutSeconds: 5 });
    await createRoute(embedded, mappingId, targetId);
    await eventProcessed({ app, api }, sourceId, slug, "before");
    await waitUntil("the delivery before the restart", 30_000, async () => [received.includes("before"), received.join(",")]);

    await killServerAndWaitForRestart(app, 1, 1);
    // What was written before the kill is still there, and the restarted server writes on.
    expect((await api<{ id: string }>("GET", `/api/v1/inbound-sources/${sourceId}`)).id).toBe(sourceId);
    await eventProcessed({ app, api }, sourceId, slug, "after-restart");
    await waitUntil("the delivery after the restart", 30_000, async () => [received.includes("after-restart"), received.join(",")]);
    // One database for the launcher's whole life.
    expect(app.output().match(/embedded PostgreSQL \(PGlite\) at/g)).toHaveLength(1);

    await stopThroughLauncher(app);
  });
});

describe("launcher and a server that cannot start", () => {
  it("gives up after 5 quick failures in a row and exits with the server's exit code", async () => {
    // The port is taken: every server start fails at once (a bad configuration would too).
    const port = await freePort();
    const blocker = net.createServer((socket) => socket.destroy());
    await new Promise<void>((r) => blocker.listen(port, "127.0.0.1", r));
    cleanups.push(() => new Promise<void>((r) => blocker.close(() => r())));
    const launcher = spawn(process.execPath, ["scripts/start.mjs"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        NODE_ENV: "production",
        PORT: String(port),
        HOSTNAME_BIND: "127.0.0.1",
        // Never reached: the server fails at listen. Set so the launcher starts no embedded database.
        DATABASE_URL: "postgresql://postgres@127.0.0.1:1/none",
      },
    });
    let output = "";
    launcher.stdout.on("data", (c: Buffer) => (output += c.toString()));
    launcher.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const started = Date.now();
    const code = await new Promise<number | null>((resolve) => launcher.on("exit", (c) => resolve(c)));
    const tookMs = Date.now() - started;

    expect(code, output).toBe(1);
    expect(output.match(/restarting in \d+ s \(restart \d\)/g)).toEqual([
      "restarting in 1 s (restart 1)",
      "restarting in 2 s (restart 2)",
      "restarting in 4 s (restart 3)",
      "restarting in 8 s (restart 4)",
    ]);
    expect(output).toMatch(/the server died 5 times in a row within 60 s of starting \(last: exit code 1\); giving up/);
    expect(output.match(/cannot listen on 127\.0\.0\.1:\d+/g)).toHaveLength(5);
    // 1 + 2 + 4 + 8 s of waiting, plus five short-lived servers.
    expect(tookMs).toBeGreaterThanOrEqual(15_000);
  }, 120_000);
});
