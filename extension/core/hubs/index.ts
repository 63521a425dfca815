/**
 * The hub adapters with their API clients (worker, CLI). Content scripts import hubs/pages.ts instead.
 * Adding a hub means writing one adapter under hubs/<name>/ and naming it here and in pages.ts.
 */
import type { HubAdapter } from './adapter.js';
import { huggingface } from './huggingface/index.js';
import { pagesFor } from './pages.js';

const ADAPTERS: readonly HubAdapter[] = [huggingface];

/** The adapter for a hub origin (the same one pagesFor names). */
export function adapterFor(origin: string): HubAdapter {
  const name = pagesFor(origin).name;
  const a = ADAPTERS.find((x) => x.name === name);
  if (!a) throw new Error(`no hub adapter named ${name}`);
  return a;
}
