// A map whose entries expire, for the in-memory stores (the demo): the same lifetimes as in Redis.

export class ExpiringMap<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expires <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, value: V, ttlMs: number): void {
    this.entries.set(key, { value, expires: this.now() + ttlMs });
  }

  /** How long the entry has left, in milliseconds (0 when there is none). */
  ttl(key: string): number {
    const e = this.entries.get(key);
    return e ? Math.max(0, e.expires - this.now()) : 0;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Deletes every entry whose key matches. */
  deleteWhere(match: (key: string) => boolean): void {
    for (const key of [...this.entries.keys()]) if (match(key)) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
