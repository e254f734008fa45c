// What-if replay for `npm run bench`: POST /api/v1/inbound-mappings/:id/what-if over the
// source's newest 5,000 stored events (the drain phase's), a draft that adds a field and
// a stricter schema, against the baseline of merely reading those 5,000 rows from
// PostgreSQL in the same run. Target: ≤ 2 s per answer.
import { performance } from "node:perf_hooks";

const LIMIT = 5000;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function measureWhatIf({ baseUrl, token, db, sourceId, mappingId, runs = 5 }) {
  const draft = {
    fieldMappings: { amount: "data.object.amount", currency: "data.object.currency", customer: "data.object.customer", kind: "type" },
    payloadSchema: {
      type: "object",
      required: ["id", "amount", "currency", "customer"],
      properties: { amount: { type: "integer", minimum: 100 }, currency: { type: "string", enum: ["eur", "usd"] } },
    },
  };
  const call = async () => {
    const t0 = performance.now();
    const res = await fetch(`${baseUrl}/api/v1/inbound-mappings/${mappingId}/what-if`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ draft, limit: LIMIT }),
    });
    const body = await res.json();
    if (res.status !== 200) throw new Error(`what-if answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
    return { ms: performance.now() - t0, summary: body.summary };
  };
  const read = async () => {
    const t0 = performance.now();
    await db.query(
      `SELECT "id", "body", "headers", "query", "stages", "bodyTruncated", "receivedAt" FROM "InboundEvent"
        WHERE "sourceId" = $1 AND "bodyPurgedAt" IS NULL ORDER BY "receivedAt" DESC, "id" DESC LIMIT $2`,
      [sourceId, LIMIT],
    );
    return performance.now() - t0;
  };
  await call(); // warm-up: compiles the draft's schema, loads the route
  await read();
  const whatIf = [];
  const baseline = [];
  let summary;
  for (let i = 0; i < runs; i += 1) {
    baseline.push(await read());
    const r = await call();
    whatIf.push(r.ms);
    summary = r.summary;
  }
  const ms = Math.round(median(whatIf));
  const readMs = Math.round(median(baseline));
  return { events: summary.events, changed: summary.changed, text: summary.text, ms, readMs, ratio: Number((ms / readMs).toFixed(1)), met: ms <= 2000 };
}
