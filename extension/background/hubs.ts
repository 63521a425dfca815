/**
 * Hubs beyond huggingface.co (hf-mirror.com, custom endpoints) get the same content script,
 * registered at run time once the user has granted the optional host permission for them.
 */
import browser from 'webextension-polyfill';
import { DEFAULT_HUB } from './settings.js';

const PREFIX = 'modelseal-hub-';

export async function syncHubContentScripts(hubs: readonly string[]): Promise<void> {
  const scripting = browser.scripting;
  if (!scripting?.registerContentScripts) return;
  const js = browser.runtime.getManifest().content_scripts?.[0]?.js;
  if (!js?.length) return;
  const wanted = new Map<string, string>();
  for (const hub of hubs) {
    if (hub === DEFAULT_HUB) continue;
    const pattern = `${hub}/*`;
    // Without the optional permission the script could not run there anyway.
    if (await browser.permissions.contains({ origins: [pattern] }).catch(() => false)) wanted.set(PREFIX + new URL(hub).host, pattern);
  }
  const existing = await scripting.getRegisteredContentScripts().catch(() => []);
  const stale = existing.map((s) => s.id).filter((id) => id.startsWith(PREFIX) && !wanted.has(id));
  if (stale.length) await scripting.unregisterContentScripts({ ids: stale }).catch(() => undefined);
  const have = new Set(existing.map((s) => s.id));
  const add = [...wanted].filter(([id]) => !have.has(id)).map(([id, pattern]) => ({ id, matches: [pattern], js, runAt: 'document_start' as const, persistAcrossSessions: true }));
  if (add.length) await scripting.registerContentScripts(add).catch(() => undefined);
}
