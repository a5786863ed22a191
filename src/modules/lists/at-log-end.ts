/**
 * One value per key, made from the verdict log and kept while the log ends where it was made: the lists for
 * apps and browsers are rebuilt only when a verdict changed.
 */
export class AtLogEnd<K, V extends { version: number }> {
  private readonly made = new Map<K, Promise<V>>();

  constructor(private readonly logEnd: () => Promise<number>) {}

  async get(key: K, make: () => Promise<V>): Promise<V> {
    const end = await this.logEnd();
    const cached = this.made.get(key);
    if (cached !== undefined && (await cached).version === end) return cached;
    const fresh = make();
    this.made.set(key, fresh);
    fresh.catch(() => this.made.delete(key));
    return fresh;
  }
}
