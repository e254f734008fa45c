import { afterEach, describe, expect, it } from "vitest";
import { isOverloaded } from "./overloaded";
import { createSchemaPool, type SchemaPool } from "./schema-pool";
import { MAX_SCHEMA_ERRORS, validateAgainstSchema } from "./validate-schema";

const event = {
  type: "object",
  required: ["id", "amount"],
  properties: { id: { type: "string", pattern: "^evt_" }, amount: { type: "integer", minimum: 0 }, tags: { type: "array", uniqueItems: true } },
};
// Validating anything but an integer against it applies d0 2^40 times.
const doubling = (() => {
  const $defs: Record<string, object> = { d0: { type: "integer" } };
  for (let i = 1; i <= 40; i += 1) $defs[`d${i}`] = { anyOf: [{ $ref: `#/$defs/d${i - 1}` }, { $ref: `#/$defs/d${i - 1}` }] };
  return { $ref: "#/$defs/d40", $defs };
})();

let pool: SchemaPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

const start = (o: Partial<Parameters<typeof createSchemaPool>[0]> = {}) => {
  pool = createSchemaPool({ workers: 1, timeoutMs: 5_000, memoryMb: 128, queue: 16, ...o });
  return pool;
};

describe("schema pool", () => {
  it("answers as validation on this thread does, with the pointer prefix", async () => {
    const validate = start().validator("src_1");
    const cases: [unknown, string][] = [
      [{ id: "evt_1", amount: 3, tags: ["a", "b"] }, ""],
      [{ id: "x", amount: -1, tags: [{ a: 1, b: 2 }, { b: 2, a: 1 }] }, "/data"],
      [{}, ""],
      [undefined, "/missing"],
    ];
    for (const [data, prefix] of cases) {
      expect(await validate(event, data, { pointerPrefix: prefix })).toEqual(validateAgainstSchema(event, data, { pointerPrefix: prefix }));
    }
    expect((await validate(event, { id: "x", amount: 1 })).ok).toBe(false);
  });

  it("parses the raw body in the worker when given it, with the same answer", async () => {
    const validate = start().validator("src_1");
    const data = { id: "x", amount: -1 };
    // A view into a larger buffer, as Node's pooled Buffers are.
    const raw = Buffer.from(`garbage${JSON.stringify(data)}trailing`).subarray(7, 7 + JSON.stringify(data).length);
    expect(await validate(event, data, { raw })).toEqual(validateAgainstSchema(event, data));
  });

  it("validates a 1 MiB array of 500,000 errors off this thread, reporting at most the cap", async () => {
    const validate = start().validator("src_1");
    const data = Array.from({ length: 500_000 }, () => 0);
    let tickedFirst = false;
    const ticked = new Promise<void>((resolve) => setTimeout(() => resolve(), 5)).then(() => {
      tickedFirst = true;
    });
    const result = await validate({ type: "array", items: { type: "string" } }, data);
    await ticked;
    // This thread's timer ran while the worker collected the errors.
    expect(tickedFirst).toBe(true);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(MAX_SCHEMA_ERRORS);
    expect(result.errors[0]).toEqual({ path: "/0", message: "must be string" });
  });

  it("stops a validation past its time budget, says so, and validates the next payload with a new thread", async () => {
    const p = start({ timeoutMs: 300 });
    const validate = p.validator("src_1");
    expect(await validate(doubling, "not an integer", { pointerPrefix: "/data" })).toEqual({
      ok: false,
      errors: [{ path: "/data", message: "validation stopped after 300 ms (PROVENANCE_SCHEMA_TIMEOUT_MS)" }],
    });
    // A spare thread now waits, loaded, to replace the next one ended.
    expect(p.stats()).toMatchObject({ restarts: 1, spare: true });
    expect(await validate(event, { id: "evt_2", amount: 1 })).toEqual({ ok: true });
    expect(await validate(doubling, "x")).toMatchObject({ ok: false });
    expect(await validate(event, { id: "evt_3", amount: 1 })).toEqual({ ok: true });
    expect(p.stats()).toMatchObject({ restarts: 2, spare: true });
  });

  it("ends a thread whose heap passes the memory budget, keeping the first error", async () => {
    const p = start({ memoryMb: 32 });
    // 500,000 error objects need about 90 MB.
    const result = await p.validator("src_1")({ type: "array", items: { type: "string" } }, Array.from({ length: 500_000 }, () => 0));
    expect(result).toEqual({
      ok: false,
      errors: [
        { path: "/0", message: "must be string" },
        { path: "", message: "validation stopped: it needed more than 32 MB (PROVENANCE_SCHEMA_MEMORY_MB); further errors were not collected" },
      ],
    });
    expect(p.stats().restarts).toBe(1);
    expect(await p.validator("src_1")(event, { id: "evt_1", amount: 1 })).toEqual({ ok: true });
  });

  it("keeps the first error found before the budget ran out", async () => {
    const p = start({ timeoutMs: 300 });
    // The first error (at /a) is found at once; collecting all of them takes 2^40 steps.
    const schema = { type: "object", properties: { a: { type: "string" }, b: { $ref: "#/$defs/d40" } }, $defs: doubling.$defs };
    const result = await p.validator("src_1")(schema, { a: 1, b: "x" });
    expect(result).toEqual({
      ok: false,
      errors: [
        { path: "/a", message: "must be string" },
        { path: "", message: "validation stopped after 300 ms (PROVENANCE_SCHEMA_TIMEOUT_MS); further errors were not collected" },
      ],
    });
  });

  it("refuses with 503-style overload past a lane's share of the queue, while other lanes still get in, cheap ones first", async () => {
    const p = start({ timeoutMs: 400, queue: 4 });
    const slow = p.validator("attacker");
    // A thread is up and idle.
    expect(await slow(event, { id: "evt_0", amount: 0 })).toEqual({ ok: true });
    const order: string[] = [];
    // One running and two waiting (a lane holds half of the queue)...
    const attacker = [0, 1, 2].map((i) => slow(doubling, "x").then(() => order.push(`attacker${i}`)));
    // ...and the next is refused at once.
    const refused = await slow(doubling, "x").then(
      () => null,
      (e: unknown) => e,
    );
    expect(isOverloaded(refused)).toBe(true);
    // Another source, cheap so far, goes next: not behind the expensive lane's queue.
    const other = p.validator("bystander")(event, { id: "evt_3", amount: 1 }).then((r) => {
      order.push("bystander");
      return r;
    });
    expect(await other).toEqual({ ok: true });
    await Promise.all(attacker);
    expect(order).toEqual(["attacker0", "bystander", "attacker1", "attacker2"]);
  });

  it("bounds the payload bytes that wait, a lane's first job always getting in", async () => {
    const p = start({ timeoutMs: 400, queue: 100, queueBytes: 1_000 });
    const lane = p.validator("attacker");
    expect(await lane(event, { id: "evt_0", amount: 0 })).toEqual({ ok: true });
    const running = lane(doubling, "x", { bytes: 900 });
    // Bigger than the lane's half, but the lane has nothing waiting.
    const first = lane(doubling, "x", { bytes: 900 });
    const refused = await lane(event, {}, { bytes: 10 }).catch((e: unknown) => e);
    expect(isOverloaded(refused)).toBe(true);
    // Past the total with this one: refused too, while a small one fits.
    expect(isOverloaded(await p.validator("other")(event, {}, { bytes: 200 }).catch((e: unknown) => e))).toBe(true);
    expect(await p.validator("other")(event, { id: "evt_1", amount: 1 }, { bytes: 50 })).toEqual({ ok: true });
    await Promise.all([running, first]);
    expect(p.stats()).toMatchObject({ waiting: 0, waitingBytes: 0 });
  });

  it("never refuses background jobs", async () => {
    const p = start({ queue: 1 });
    const background = p.validator("worker", { background: true });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => background(event, { id: `evt_${i}`, amount: i })));
    expect(results.every((r) => r.ok)).toBe(true);
  });

  it("answers a small valid payload against a small schema without refs on this thread; the rest goes to a thread", async () => {
    // No thread can start: whatever needs one is refused.
    const p = start({ workerFile: "/nonexistent/schema-worker.mjs" });
    const validate = p.validator("src_1");
    expect(await validate(event, { id: "evt_1", amount: 1 }, { bytes: 30 })).toEqual({ ok: true });
    // Invalid: its errors are collected in a thread.
    await expect(validate(event, { id: "x", amount: 1 }, { bytes: 30 })).rejects.toThrow(/schema worker cannot start/);
    // A schema with refs, a body past 64 KiB, or no size known: a thread.
    await expect(validate({ $ref: "#/$defs/a", $defs: { a: { type: "integer" } } }, 1, { bytes: 2 })).rejects.toThrow(/cannot start/);
    await expect(validate(event, { id: "evt_1", amount: 1 }, { bytes: 65 * 1024 })).rejects.toThrow(/cannot start/);
    await expect(validate(event, { id: "evt_1", amount: 1 })).rejects.toThrow(/cannot start/);
  });

  it("a missing worker script is an error for the waiting jobs, not a restart loop", async () => {
    const p = start({ workerFile: "/nonexistent/schema-worker.mjs" });
    await expect(p.validator("src_1")(event, {})).rejects.toThrow(/schema worker cannot start/);
    expect(p.stats().restarts).toBe(0);
  });

  describe("a schema the thread has not seen is compiled before the budget starts", () => {
    // 300 properties, each with its own pattern (RE2): compiling takes most of a second,
    // far past the 100 ms budget below; validating a payload with none of them takes far less.
    const big = {
      type: "object",
      required: ["id"],
      properties: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`p${i}`, { type: "string", pattern: `^v${i}-[a-z]+$` }])),
    };

    it("within its allowance: the payload gets its whole budget, and its first error is found", async () => {
      const validate = start({ timeoutMs: 100 }).validator("src_big");
      expect(await validate(big, {})).toEqual({ ok: false, errors: [{ path: "/id", message: "must have required property 'id'" }] });
    });

    it("past its allowance: the thread is replaced and the payload fails, saying why", async () => {
      const validate = start({ compileTimeoutMs: 1 }).validator("src_big");
      expect(await validate(big, { id: "x" })).toEqual({
        ok: false,
        errors: [{ path: "", message: "validation stopped: the schema did not compile within 1 ms" }],
      });
      expect(pool?.stats().restarts).toBe(1);
    });
  });
});
