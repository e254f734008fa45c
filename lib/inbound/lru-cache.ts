// A small bounded LRU over Map's insertion order, bounded by entries and, when given
// a size function, by an estimate of the bytes its keys and values hold. Used for source
// lookups, parsed paths, compiled regular expressions and compiled JSON Schemas, so that
// hostile or merely numerous inputs cannot grow process memory without bound: a count
// alone is no bound when one key can be 15,000 characters long.

export type LruCacheOptions<K, V> = {
  /** Most bytes held (keys and values, by `sizeOf`); unbounded by bytes when absent. */
  maxBytes?: number;
  /** Estimated bytes an entry holds; a `set` may override it for one entry. */
  sizeOf?: (key: K, value: V) => number;
};

/** Bytes a JavaScript string may hold: two per UTF-16 code unit (V8 keeps a string with
 * any character past U+00FF two bytes wide), plus the string header. */
export function stringBytes(s: string): number {
  return 2 * s.length + 16;
}

export class LruCache<K, V> {
  readonly #max: number;
  readonly #maxBytes: number;
  readonly #sizeOf: ((key: K, value: V) => number) | undefined;
  readonly #map = new Map<K, { value: V; bytes: number }>();
  #bytes = 0;

  constructor(maxEntries: number, options: LruCacheOptions<K, V> = {}) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError("LruCache needs a positive integer size");
    }
    if (options.maxBytes !== undefined && !(Number.isFinite(options.maxBytes) && options.maxBytes > 0)) {
      throw new RangeError("LruCache needs a positive byte bound");
    }
    this.#max = maxEntries;
    this.#maxBytes = options.maxBytes ?? Infinity;
    this.#sizeOf = options.sizeOf;
  }

  get size(): number {
    return this.#map.size;
  }

  /** Estimated bytes held (0 without a size function). */
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

  /**
   * Stores the entry as the most recently used, evicting the least recently used ones
   * past either bound. An entry bigger than the whole byte bound is not stored (false):
   * it would only evict everything else.
   */
  set(key: K, value: V, bytes?: number): boolean {
    this.delete(key);
    const size = bytes ?? this.#sizeOf?.(key, value) ?? 0;
    if (size > this.#maxBytes) return false;
    this.#map.set(key, { value, bytes: size });
    this.#bytes += size;
    while (this.#map.size > this.#max || this.#bytes > this.#maxBytes) {
      const oldest = this.#map.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
    return true;
  }

  delete(key: K): boolean {
    const entry = this.#map.get(key);
    if (!entry) return false;
    this.#bytes -= entry.bytes;
    return this.#map.delete(key);
  }

  /** Deletes every entry the predicate selects. */
  deleteWhere(predicate: (key: K, value: V) => boolean): number {
    let n = 0;
    for (const [key, entry] of this.#map) {
      if (predicate(key, entry.value)) {
        this.delete(key);
        n += 1;
      }
    }
    return n;
  }

  clear(): void {
    this.#map.clear();
    this.#bytes = 0;
  }
}
