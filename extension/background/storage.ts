/**
 * Persistence for the worker: a KeyValueStorage over `storage.local` where every write goes through
 * one promise chain, so several tabs updating the trust store at once cannot interleave
 * read-modify-write cycles, and a stopped worker loses at most the write in flight.
 */
import type { KeyValueStorage } from '../core/env.js';

/** The part of `browser.storage.StorageArea` we use (kept small so tests can pass a Map-backed one). */
export interface StorageAreaLike {
  get(keys: string | string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

export class SerializedStorage implements KeyValueStorage {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly area: StorageAreaLike,
    private readonly prefix = '',
  ) {}

  async get(key: string): Promise<unknown> {
    // Reads do not wait for the queue: a read inside `update()` must not deadlock on itself.
    const k = this.prefix + key;
    const got = await this.area.get(k);
    return got[k];
  }

  set(key: string, value: unknown): Promise<void> {
    return this.enqueue(() => this.area.set({ [this.prefix + key]: value }));
  }

  remove(key: string): Promise<void> {
    return this.enqueue(() => this.area.remove(this.prefix + key));
  }

  /** Runs `update` with the current value and stores its result, with no other write in between. */
  update<T>(key: string, update: (current: unknown) => T | Promise<T>): Promise<T> {
    return this.enqueue(async () => {
      const k = this.prefix + key;
      const current = (await this.area.get(k))[k];
      const next = await update(current);
      await this.area.set({ [k]: next });
      return next;
    });
  }

  private enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

/** An in-memory StorageAreaLike for tests and for hosts without extension storage. */
export class MemoryArea implements StorageAreaLike {
  readonly data = new Map<string, unknown>();
  async get(keys: string | string[]): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const k of Array.isArray(keys) ? keys : [keys]) if (this.data.has(k)) out[k] = structuredClone(this.data.get(k));
    return out;
  }
  async set(items: Record<string, unknown>): Promise<void> {
    for (const [k, v] of Object.entries(items)) this.data.set(k, structuredClone(v));
  }
  async remove(keys: string | string[]): Promise<void> {
    for (const k of Array.isArray(keys) ? keys : [keys]) this.data.delete(k);
  }
}
