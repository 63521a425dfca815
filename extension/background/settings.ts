/** User settings with defaults; huggingface.co is always a hub. */
import type { Settings } from '../shared/messages.js';
import type { SerializedStorage } from './storage.js';

export const DEFAULT_HUB = 'https://huggingface.co';
export const DEFAULT_SETTINGS: Settings = { hubs: [DEFAULT_HUB], signersPerRepo: 1, maxHashBytes: 64 * 1024 * 1024 };

export function normalizeSettings(raw: unknown): Settings {
  const s = { ...DEFAULT_SETTINGS };
  if (typeof raw !== 'object' || raw === null) return s;
  const r = raw as Partial<Settings>;
  if (Array.isArray(r.hubs)) s.hubs = [DEFAULT_HUB, ...r.hubs.filter((h) => typeof h === 'string' && h !== DEFAULT_HUB)].slice(0, 33);
  if (typeof r.signersPerRepo === 'number') s.signersPerRepo = r.signersPerRepo;
  if (typeof r.maxHashBytes === 'number') s.maxHashBytes = r.maxHashBytes;
  return s;
}

export class SettingsStore {
  private current: Settings | undefined;
  constructor(private readonly store: SerializedStorage) {}

  async get(): Promise<Settings> {
    if (!this.current) this.current = normalizeSettings(await this.store.get('settings'));
    return this.current;
  }

  /** Cached value for synchronous checks (sender validation); defaults until loaded. */
  peek(): Settings {
    return this.current ?? DEFAULT_SETTINGS;
  }

  async set(patch: Partial<Settings>): Promise<Settings> {
    const next = await this.store.update('settings', (cur) => normalizeSettings({ ...normalizeSettings(cur), ...patch }));
    this.current = next;
    return next;
  }
}
