// The cap on inbound request bodies being read at once (PROVENANCE_MAX_INFLIGHT_BODIES).
// Each body being read may hold up to the body limit (1 MiB) in memory, and a slow sender
// holds its slot for as long as it trickles (the server's request timeout ends that), so
// without a cap the memory held by bodies in flight grows with the number of connections.
// A request that finds every slot taken is refused at once (503, Retry-After) instead of
// waiting: waiting would only hold its connection and memory longer.

export class BodySlots {
  readonly max: number;
  #used = 0;

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError("BodySlots needs a positive integer");
    this.max = max;
  }

  get used(): number {
    return this.#used;
  }

  /** Takes a slot if one is free. */
  tryAcquire(): boolean {
    if (this.#used >= this.max) return false;
    this.#used += 1;
    return true;
  }

  release(): void {
    if (this.#used > 0) this.#used -= 1;
  }
}
