import { describe, expect, it } from "vitest";
import { isOverloaded } from "@/lib/inbound/overloaded";
import { createGroupWriter } from "./group-writer";

const tick = () => new Promise((r) => setImmediate(r));

function recorder(opts: { failMany?: (items: number[]) => boolean; failOne?: (item: number) => boolean } = {}) {
  const calls: { kind: "many" | "one"; items: number[] }[] = [];
  const gates: (() => void)[] = [];
  let holding = false;
  const gate = () => (holding ? new Promise<void>((r) => gates.push(r)) : Promise.resolve());
  return {
    calls,
    hold: () => (holding = true),
    release: () => {
      holding = false;
      gates.splice(0).forEach((g) => g());
    },
    writeMany: async (items: number[]) => {
      calls.push({ kind: "many", items });
      await gate();
      if (opts.failMany?.(items)) throw new Error("statement failed");
    },
    writeOne: async (item: number) => {
      calls.push({ kind: "one", items: [item] });
      await gate();
      if (opts.failOne?.(item)) throw new Error(`row ${item} refused`);
    },
  };
}

describe("createGroupWriter", () => {
  it("writes a lone row by itself, on the next turn of the event loop", async () => {
    const r = recorder();
    const write = createGroupWriter(r.writeMany, r.writeOne, { maxBatch: 10, maxInFlight: 2 });
    await write(1);
    expect(r.calls).toEqual([{ kind: "one", items: [1] }]);
  });

  it("sends rows that arrive together, or while statements are in flight, in one statement each", async () => {
    const r = recorder();
    const write = createGroupWriter(r.writeMany, r.writeOne, { maxBatch: 100, maxInFlight: 1 });
    r.hold();
    const first = [1, 2, 3].map((i) => write(i));
    await tick();
    const later = [4, 5, 6, 7].map((i) => write(i)); // arrive while [1,2,3] is in flight
    await tick();
    expect(r.calls).toEqual([{ kind: "many", items: [1, 2, 3] }]);
    r.release();
    await Promise.all(first);
    await tick();
    r.release();
    await Promise.all(later);
    expect(r.calls).toEqual([
      { kind: "many", items: [1, 2, 3] },
      { kind: "many", items: [4, 5, 6, 7] },
    ]);
  });

  it("keeps at most maxInFlight statements and maxBatch rows per statement", async () => {
    const r = recorder();
    const write = createGroupWriter(r.writeMany, r.writeOne, { maxBatch: 3, maxInFlight: 2 });
    r.hold();
    const all = Array.from({ length: 10 }, (_, i) => write(i));
    await tick();
    expect(r.calls.map((c) => c.items)).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    for (let i = 0; i < 5 && r.calls.length < 4; i++) {
      r.release();
      r.hold();
      await tick();
    }
    r.release();
    await Promise.all(all);
    expect(r.calls.flatMap((c) => c.items).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Math.max(...r.calls.map((c) => c.items.length))).toBeLessThanOrEqual(3);
  });

  it("retries a failed group row by row, so only the bad row's caller sees the error", async () => {
    const r = recorder({ failMany: () => true, failOne: (i) => i === 2 });
    const write = createGroupWriter(r.writeMany, r.writeOne, { maxBatch: 10, maxInFlight: 1 });
    const results = await Promise.allSettled([1, 2, 3].map((i) => write(i)));
    expect(results.map((x) => x.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe("row 2 refused");
    expect(r.calls[0]).toEqual({ kind: "many", items: [1, 2, 3] });
    expect(r.calls.slice(1).map((c) => c.items[0]).sort()).toEqual([1, 2, 3]);
  });

  it("keeps going after a failure", async () => {
    const r = recorder({ failOne: (i) => i === 1 });
    const write = createGroupWriter(r.writeMany, r.writeOne, { maxBatch: 10, maxInFlight: 1 });
    await expect(write(1)).rejects.toThrow("row 1 refused");
    await expect(write(2)).resolves.toBeUndefined();
  });

  it("refuses a row at once when the rows waiting or in flight reach the bound, and takes rows again once they are written", async () => {
    const r = recorder();
    const write = createGroupWriter(r.writeMany, r.writeOne, { maxBatch: 2, maxInFlight: 1, maxPendingRows: 5 });
    r.hold();
    const accepted = [1, 2, 3, 4, 5].map((i) => write(i));
    const refused = await write(6).then(
      () => null,
      (err: unknown) => err,
    );
    expect(isOverloaded(refused)).toBe(true);
    expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) {
      r.release();
      r.hold();
      await tick();
    }
    r.release();
    await Promise.all(accepted);
    await expect(write(7)).resolves.toBeUndefined();
    expect(r.calls.flatMap((c) => c.items)).not.toContain(6);
  });

  it("bounds the bytes waiting too, and splits statements by bytes (a bigger row goes alone)", async () => {
    const r = recorder();
    const write = createGroupWriter(r.writeMany, r.writeOne, {
      maxBatch: 100,
      maxInFlight: 1,
      maxPendingBytes: 900,
      maxBatchBytes: 300,
      sizeOf: (n: number) => n,
    });
    r.hold();
    const first = write(50); // in flight alone
    await tick();
    const rest = [100, 100, 100, 400].map((n) => write(n));
    await expect(write(200)).rejects.toThrow("The event write queue is full");
    r.release();
    await Promise.all([first, ...rest]);
    expect(r.calls.map((c) => c.items)).toEqual([[50], [100, 100, 100], [400]]);
  });
});
