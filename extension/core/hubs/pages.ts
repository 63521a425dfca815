/**
 * Which adapter speaks for a hub origin, page part only (what content scripts load: no API client).
 * The one place origins are mapped to adapters; hubs/index.ts looks the full adapter up by name.
 */
import type { HubPages } from './adapter.js';
import { huggingfacePages } from './huggingface/pages.js';

/**
 * Every configured hub speaks the Hugging Face API and page grammar today (huggingface.co,
 * hf-mirror.com, custom endpoints). A hub of another kind gets its adapter here.
 */
export function pagesFor(_origin: string): HubPages {
  return huggingfacePages;
}

/** Configured hubs grouped by the adapter that speaks for them (order kept). */
export function groupHubs<A extends HubPages>(hubs: readonly string[], lookup: (origin: string) => A): Array<{ adapter: A; hubs: string[] }> {
  const groups = new Map<string, { adapter: A; hubs: string[] }>();
  for (const hub of hubs) {
    const adapter = lookup(hub);
    const g = groups.get(adapter.name);
    if (g) g.hubs.push(hub);
    else groups.set(adapter.name, { adapter, hubs: [hub] });
  }
  return [...groups.values()];
}
