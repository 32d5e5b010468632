// A small per-isolate cache with a time-to-live and a size bound: for lookups that are read on every request
// and change rarely (routes, egress policies, decrypted secrets). Entries leave on expiry, on purge, or oldest
// first when the bound is reached.

export class TtlCache<V> {
  readonly #entries = new Map<string, { value: V; expiresAt: number }>();
  readonly #maxEntries: number;

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  async get(key: string, ttlMs: number, load: () => Promise<V>): Promise<V> {
    if (ttlMs <= 0) return load();
    const now = Date.now();
    const hit = this.#entries.get(key);
    if (hit && hit.expiresAt > now) return hit.value;
    const value = await load();
    this.#entries.delete(key); // re-insert at the end: Map order is the eviction order
    this.#entries.set(key, { value, expiresAt: now + ttlMs });
    if (this.#entries.size > this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    return value;
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }
}

/** A TTL from configuration (a string of milliseconds): the fallback when unset, not a number or negative. */
export function ttlFromConfig(value: string | undefined, fallbackMs: number): number {
  const ttl = Number(value ?? fallbackMs);
  return Number.isFinite(ttl) && ttl >= 0 ? ttl : fallbackMs;
}
