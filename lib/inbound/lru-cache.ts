// A small bounded LRU over Map's insertion order. Used for the source lookup, parsed
// paths, compiled regular expressions and compiled JSON Schemas, so that hostile or
// merely numerous inputs cannot grow process memory without bound: every cache has a
// cap on entries and, where keys or values can be large, on bytes as well (an entry's
// size is the caller's estimate, e.g. key length plus the serialized value).

export type LruOptions<K, V> = {
  /** Most entries kept. */
  maxEntries: number;
  /** Most bytes kept, as measured by sizeOf; unbounded when omitted. */
  maxBytes?: number;
  /** Estimated bytes an entry costs. An entry larger than maxBytes is not kept at all. */
  sizeOf?: (key: K, value: V) => number;
};

export class LruCache<K, V> {
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #sizeOf: ((key: K, value: V) => number) | undefined;
  readonly #map = new Map<K, { value: V; bytes: number }>();
  #bytes = 0;

  constructor(options: number | LruOptions<K, V>) {
    const o: LruOptions<K, V> = typeof options === "number" ? { maxEntries: options } : options;
    if (!Number.isInteger(o.maxEntries) || o.maxEntries < 1) {
      throw new RangeError("LruCache needs a positive integer size");
    }
    if (o.maxBytes !== undefined && !(o.maxBytes > 0)) throw new RangeError("LruCache needs a positive byte budget");
    this.#maxEntries = o.maxEntries;
    this.#maxBytes = o.maxBytes ?? Number.POSITIVE_INFINITY;
    this.#sizeOf = o.sizeOf;
  }

  get size(): number {
    return this.#map.size;
  }

  /** Estimated bytes held (0 without a sizeOf). */
  get bytes(): number {
    return this.#bytes;
  }

  has(key: K): boolean {
    return this.#map.has(key);
  }

  /** Returns the value and marks it most recently used. */
  get(key: K): V | undefined {
    const entry = this.#map.get(key);
    if (!entry) return undefined;
    this.#map.delete(key);
    this.#map.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V): void {
    this.delete(key);
    const bytes = this.#sizeOf ? Math.max(0, this.#sizeOf(key, value)) : 0;
    // Kept, it would push everything else out and still not fit.
    if (bytes > this.#maxBytes) return;
    this.#map.set(key, { value, bytes });
    this.#bytes += bytes;
    while (this.#map.size > this.#maxEntries || this.#bytes > this.#maxBytes) {
      const oldest = this.#map.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
  }

  delete(key: K): boolean {
    const entry = this.#map.get(key);
    if (!entry) return false;
    this.#map.delete(key);
    this.#bytes -= entry.bytes;
    return true;
  }

  clear(): void {
    this.#map.clear();
    this.#bytes = 0;
  }

  /** Entries from least to most recently used (does not change their order). */
  *entries(): IterableIterator<[K, V]> {
    for (const [key, entry] of this.#map) yield [key, entry.value];
  }
}

/** A rough size of a string in memory: V8 keeps one- or two-byte strings. */
export function stringBytes(s: string): number {
  return s.length * 2;
}
