import { describe, expect, it } from "vitest";
import { HashGate, HashGateBusyError, isHashGateBusy } from "./hash-gate";

/** A task that runs until release() is called, recording when it started. */
function heldTask(log: string[], name: string) {
  let release!: () => void;
  const done = new Promise<void>((r) => (release = r));
  return { task: async () => (log.push(name), await done, name), release };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("HashGate", () => {
  it("runs at most `concurrency` tasks at once; the rest wait their turn", async () => {
    const gate = new HashGate({ concurrency: 2, maxQueue: 4 });
    const log: string[] = [];
    const tasks = ["a", "b", "c"].map((n) => heldTask(log, n));
    const runs = tasks.map((t) => gate.run(t.task));
    await tick();
    expect(log).toEqual(["a", "b"]);
    expect(gate.load).toEqual({ active: 2, priority: 0, normal: 1 });
    tasks[0]!.release();
    await tick();
    expect(log).toEqual(["a", "b", "c"]);
    tasks[1]!.release();
    tasks[2]!.release();
    expect(await Promise.all(runs)).toEqual(["a", "b", "c"]);
    expect(gate.load).toEqual({ active: 0, priority: 0, normal: 0 });
  });

  it("refuses at once, with a retry hint, when the queue is full", async () => {
    const gate = new HashGate({ concurrency: 1, maxQueue: 1 });
    const log: string[] = [];
    const a = heldTask(log, "a");
    const b = heldTask(log, "b");
    const ra = gate.run(a.task);
    const rb = gate.run(b.task);
    const refused = gate.run(async () => "never");
    await expect(refused).rejects.toBeInstanceOf(HashGateBusyError);
    await expect(refused).rejects.toMatchObject({ retryAfter: 1 });
    a.release();
    b.release();
    await Promise.all([ra, rb]);
    expect(log).toEqual(["a", "b"]);
  });

  it("serves priority callers first, from a queue of their own that strangers cannot fill", async () => {
    const gate = new HashGate({ concurrency: 1, maxQueue: 2 });
    const log: string[] = [];
    const first = heldTask(log, "first");
    const strangers = ["s1", "s2"].map((n) => heldTask(log, n));
    const owner = heldTask(log, "owner");
    const runs = [gate.run(first.task), ...strangers.map((s) => gate.run(s.task))];
    // The strangers' lane is full, the owner's is not.
    await expect(gate.run(async () => "s3")).rejects.toBeInstanceOf(HashGateBusyError);
    runs.push(gate.run(owner.task, { priority: true }));
    first.release();
    await tick();
    expect(log).toEqual(["first", "owner"]);
    owner.release();
    for (const s of strangers) s.release();
    await Promise.all(runs);
    expect(log).toEqual(["first", "owner", "s1", "s2"]);
  });

  it("recognises its busy error even from another copy of the module (Next.js bundles it more than once)", async () => {
    const gate = new HashGate({ concurrency: 1, maxQueue: 0 });
    let release!: () => void;
    const running = gate.run(() => new Promise<void>((r) => (release = r)));
    const err = await gate.run(async () => "never").catch((e: unknown) => e);
    expect(isHashGateBusy(err)).toBe(true);
    // What a second bundle's copy of the class looks like to this one: a structurally equal error.
    const foreign = Object.assign(new Error("Too many password checks in progress"), { retryAfter: 1, [Symbol.for("provenance.hashGateBusy")]: true });
    expect(foreign instanceof HashGateBusyError).toBe(false);
    expect(isHashGateBusy(foreign)).toBe(true);
    expect(isHashGateBusy(new Error("other"))).toBe(false);
    expect(isHashGateBusy(null)).toBe(false);
    release();
    await running;
  });

  it("frees the slot when a task fails", async () => {
    const gate = new HashGate({ concurrency: 1, maxQueue: 0 });
    await expect(gate.run(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await gate.run(async () => "ok")).toBe("ok");
  });

  it("rejects nonsensical settings", () => {
    expect(() => new HashGate({ concurrency: 0, maxQueue: 1 })).toThrow();
    expect(() => new HashGate({ concurrency: 1, maxQueue: -1 })).toThrow();
  });
});
