/**
 * A read-only map whose entries are looked up one by one when asked for, and listed from a
 * complete map built only when something iterates or counts (an error's "known profiles", doctor).
 * The two must agree: `lookup(key)` is what the complete map holds under `key`.
 */
export class OnDemandMap<V> implements ReadonlyMap<string, V> {
  private readonly found = new Map<string, V | undefined>();
  private complete: ReadonlyMap<string, V> | undefined;

  constructor(
    private readonly lookup: (key: string) => V | undefined,
    private readonly everything: () => ReadonlyMap<string, V>,
  ) {}

  get(key: string): V | undefined {
    if (this.complete) return this.complete.get(key);
    if (!this.found.has(key)) this.found.set(key, this.lookup(key));
    return this.found.get(key);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  get size(): number {
    return this.all().size;
  }

  forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.all()) callback.call(thisArg, value, key, this);
  }

  entries(): MapIterator<[string, V]> {
    return this.all().entries();
  }

  keys(): MapIterator<string> {
    return this.all().keys();
  }

  values(): MapIterator<V> {
    return this.all().values();
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.all()[Symbol.iterator]();
  }

  private all(): ReadonlyMap<string, V> {
    this.complete ??= this.everything();
    return this.complete;
  }
}
