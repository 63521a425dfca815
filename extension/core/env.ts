/**
 * What the core needs from its host, injected so the same code runs in a service worker, in Node
 * (CLI, tests, benchmarks) and in any page.
 */

/** A subset of the WHATWG fetch the core relies on. */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Key/value persistence (chrome.storage.local in the extension, a Map or a file in Node). */
export interface KeyValueStorage {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}
