import { afterEach, describe, expect, it } from "vitest";
import { startSlotScheduler, type SlotClaim, type SlotScheduler } from "./slot-scheduler";

type Job = { name: string; done: Promise<void>; finish: () => void };

function job(name: string): Job {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { name, done, finish };
}

const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, what: string, ms = 2_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await tick(5);
  }
}

/** A queue of jobs the fake claim hands out, recording what each claim asked for. */
function queue(jobs: Job[]) {
  const asks: SlotClaim[] = [];
  return {
    asks,
    jobs,
    claim: async (want: SlotClaim) => {
      asks.push(want);
      return jobs.splice(0, want.regular + want.spare);
    },
  };
}

let scheduler: SlotScheduler | undefined;
afterEach(async () => {
  await scheduler?.stop();
  scheduler = undefined;
});

describe("slot scheduler", () => {
  it("refills a slot as soon as its job ends while a slow job still holds its own (no batch barrier)", async () => {
    const slow = job("slow");
    const fast = Array.from({ length: 5 }, (_, i) => job(`fast${i}`));
    const q = queue([slow, ...fast]);
    const finished: string[] = [];
    scheduler = startSlotScheduler<Job>({
      slots: 2,
      pollMs: 60_000,
      claim: q.claim,
      run: async (j) => {
        if (j !== slow) setTimeout(j.finish, 5);
        await j.done;
        finished.push(j.name);
      },
    });
    await until(() => finished.length === fast.length, "every fast job to finish");
    expect(finished).toEqual(fast.map((j) => j.name));
    expect(scheduler.inFlight()).toBe(1); // only the slow one
    slow.finish();
    await until(() => scheduler!.inFlight() === 0, "the slow job to finish");
  });

  it("never runs more than slots + spare, and offers spare slots only beyond the free ones", async () => {
    const jobs = Array.from({ length: 12 }, (_, i) => job(`j${i}`));
    const q = queue([...jobs]);
    let running = 0;
    let peak = 0;
    scheduler = startSlotScheduler<Job>({
      slots: 3,
      spareSlots: 2,
      pollMs: 60_000,
      claim: q.claim,
      run: async (j) => {
        running += 1;
        peak = Math.max(peak, running);
        await j.done;
        running -= 1;
      },
    });
    await until(() => running === 5, "slots and spare slots to fill");
    expect(q.asks[0]).toEqual({ regular: 3, spare: 2 });
    jobs[0]!.finish();
    await until(() => q.asks.length >= 2 && running === 5, "the freed slot to be refilled");
    // Five in flight, three slots: nothing regular is free, one spare slot is.
    expect(q.asks.at(-1)).toEqual({ regular: 0, spare: 1 });
    for (const j of jobs) j.finish();
    await until(() => q.jobs.length === 0 && running === 0, "every job to run");
    expect(peak).toBe(5);
  });

  it("sleeps while nothing is due and claims at once when woken", async () => {
    const q = queue([]);
    const ran: string[] = [];
    scheduler = startSlotScheduler<Job>({
      slots: 2,
      pollMs: 60_000,
      claim: q.claim,
      run: async (j) => {
        ran.push(j.name);
      },
    });
    await until(() => q.asks.length === 1, "the first claim");
    await tick(100);
    expect(q.asks).toHaveLength(1); // asleep, not polling in a loop
    const late = job("late");
    q.jobs.push(late);
    scheduler.wake();
    await until(() => ran.includes("late"), "the woken claim to run the job");
  });

  it("stop() resolves only after the jobs in flight have finished", async () => {
    const j = job("long");
    const q = queue([j]);
    let finished = false;
    const s = startSlotScheduler<Job>({
      slots: 1,
      pollMs: 60_000,
      claim: q.claim,
      run: async (x) => {
        await x.done;
        finished = true;
      },
    });
    await until(() => s.inFlight() === 1, "the job to start");
    let stopped = false;
    const stopping = s.stop().then(() => (stopped = true));
    await tick(50);
    expect(stopped).toBe(false);
    j.finish();
    await stopping;
    expect(finished).toBe(true);
    expect(q.asks).toHaveLength(1);
  });

  it("reports a failing claim or job and keeps going, retrying a claim only after the poll interval", async () => {
    const errors: unknown[] = [];
    let claims = 0;
    const good = job("good");
    good.finish();
    scheduler = startSlotScheduler<Job>({
      slots: 2,
      pollMs: 50,
      claim: async () => {
        claims += 1;
        if (claims <= 3) throw new Error(`claim ${claims} failed`);
        return claims === 4 ? [job("bad"), good] : [];
      },
      run: async (j) => {
        if (j.name === "bad") throw new Error("job failed");
        await j.done;
      },
      onError: (err) => errors.push(err),
    });
    await until(() => claims >= 5, "the claims after the failures", 3_000);
    expect(errors.map((e) => (e as Error).message)).toEqual(["claim 1 failed", "claim 2 failed", "claim 3 failed", "job failed"]);
    const before = claims;
    await tick(200);
    // Waiting pollMs between empty claims: a handful in 200 ms, not a hot loop.
    expect(claims - before).toBeLessThanOrEqual(6);
  });
});
