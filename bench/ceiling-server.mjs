// Ceiling 2 of the benchmark: the least a webhook receiver can do, on bare node:http. It
// reads the body (1 MiB cap), checks the Stripe signature exactly as the app does
// (t=…,v1=… over "<t>.<raw body>", HMAC-SHA256, timing-safe compare, 300 s tolerance),
// parses the JSON, INSERTs the raw event into a table with pg and answers 202.
// Started by bench/run.mjs: node bench/ceiling-server.mjs <port> <databaseUrl> <secret>
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import http from "node:http";
import pg from "pg";

const [port, databaseUrl, secret] = process.argv.slice(2);
const LIMIT = 1024 * 1024;
const TOLERANCE_S = 300;
const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
await pool.query(`CREATE TABLE IF NOT EXISTS bench_ceiling_event (id uuid PRIMARY KEY, body bytea NOT NULL, received_at timestamptz NOT NULL DEFAULT now())`);

function verify(header, body) {
  let t;
  const candidates = [];
  for (const part of String(header ?? "").split(",")) {
    const [k, v] = part.split("=", 2);
    if (k === "t") t = Number(v);
    else if (k === "v1" && v) candidates.push(Buffer.from(v, "hex"));
  }
  if (!Number.isFinite(t) || candidates.length === 0) return 401;
  const expected = createHmac("sha256", secret).update(`${t}.`).update(body).digest();
  if (!candidates.some((c) => c.length === expected.length && timingSafeEqual(c, expected))) return 401;
  if (Math.abs(Date.now() / 1000 - t) > TOLERANCE_S) return 401;
  return 0;
}

const send = (res, status, obj) => {
  const text = JSON.stringify(obj);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) }).end(text);
};

http
  .createServer((req, res) => {
    const chunks = [];
    let size = 0;
    req.on("data", (c) => {
      size += c.length;
      if (size > LIMIT) {
        send(res, 413, { error: "Payload too large" });
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", async () => {
      if (size > LIMIT) return;
      const body = Buffer.concat(chunks);
      if (verify(req.headers["stripe-signature"], body)) return send(res, 401, { error: "Signature verification failed" });
      try {
        JSON.parse(body.toString("utf8"));
      } catch {
        return send(res, 400, { error: "Invalid JSON body" });
      }
      const id = randomUUID();
      try {
        await pool.query(`INSERT INTO bench_ceiling_event (id, body) VALUES ($1, $2)`, [id, body]);
        send(res, 202, { queued: true, eventId: id });
      } catch {
        send(res, 500, { error: "Internal server error" });
      }
    });
  })
  .listen(Number(port), "127.0.0.1", () => process.stdout.write("ready\n"));

process.on("SIGTERM", () => pool.end().finally(() => process.exit(0)));
