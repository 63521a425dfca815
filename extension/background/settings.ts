/** User settings with defaults; huggingface.co is always a hub. */
import type { Settings } from '../shared/messages.js';
import { DEFAULT_MAX_HASH_BYTES, DEFAULT_WORK_BUDGET, type WorkBudget } from '../core/hub/verify-revision.js';
import type { SerializedStorage } from './storage.js';
import { ModelSealError } from '../core/errors.js';
import type { HubAdapter } from '../core/hubs/adapter.js';
import { adapterFor } from '../core/hubs/index.js';
import { groupHubs } from '../core/hubs/pages.js';

/** The adapter that speaks for a configured hub origin (every one today: Hugging Face's API and pages). */
export { adapterFor };

/** The configured hubs grouped by their adapter: each adapter reads URLs for its own hubs (and their aliases). */
export function hubAdapters(s: Settings): Array<{ adapter: HubAdapter; hubs: string[] }> {
  return groupHubs(s.hubs, adapterFor);
}

export const DEFAULT_HUB = 'https://huggingface.co';
/**
 * Download budget per verification: 128 MiB and 500 downloads by default (a 10,000-file repo with 300
 * small config files needs about 300 downloads and well under 1 MiB). Settable within these bounds.
 */
export const CHECK_BYTES_RANGE = { min: 1024 * 1024, max: 2 * 1024 * 1024 * 1024 } as const;
export const CHECK_REQUESTS_RANGE = { min: 10, max: 20_000 } as const;
export const DEFAULT_SETTINGS: Settings = {
  hubs: [DEFAULT_HUB],
  signersPerRepo: 1,
  maxHashBytes: DEFAULT_MAX_HASH_BYTES,
  maxCheckBytes: DEFAULT_WORK_BUDGET.maxBytes,
  maxCheckRequests: DEFAULT_WORK_BUDGET.maxRequests,
  onlineLogChecks: true,
};

function inRange(v: unknown, r: { min: number; max: number }): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= r.min && v <= r.max;
}

/** The budget the revision checker passes to each verification (out-of-range stored values read as defaults). */
/** The publishers' directory is on unless the user switched it off. */
export function publishersDirectoryOn(s: Settings): boolean {
  return s.publishersDirectory !== false;
}

export function workBudgetOf(s: Settings): WorkBudget {
  return {
    maxBytes: inRange(s.maxCheckBytes, CHECK_BYTES_RANGE) ? s.maxCheckBytes : DEFAULT_WORK_BUDGET.maxBytes,
    maxRequests: inRange(s.maxCheckRequests, CHECK_REQUESTS_RANGE) ? s.maxCheckRequests : DEFAULT_WORK_BUDGET.maxRequests,
  };
}

export function normalizeSettings(raw: unknown): Settings {
  const s = { ...DEFAULT_SETTINGS };
  if (typeof raw !== 'object' || raw === null) return s;
  const r = raw as Partial<Settings>;
  if (Array.isArray(r.hubs)) s.hubs = [DEFAULT_HUB, ...r.hubs.filter((h) => typeof h === 'string' && h !== DEFAULT_HUB)].slice(0, 33);
  if (typeof r.signersPerRepo === 'number') s.signersPerRepo = r.signersPerRepo;
  if (typeof r.maxHashBytes === 'number') s.maxHashBytes = r.maxHashBytes;
  // A value outside its range is refused (the default stays), never clamped into something unasked.
  if (inRange(r.maxCheckBytes, CHECK_BYTES_RANGE)) s.maxCheckBytes = r.maxCheckBytes;
  if (inRange(r.maxCheckRequests, CHECK_REQUESTS_RANGE)) s.maxCheckRequests = r.maxCheckRequests;
  if (typeof r.onlineLogChecks === 'boolean') s.onlineLogChecks = r.onlineLogChecks;
  if (typeof r.publishersDirectory === 'boolean') s.publishersDirectory = r.publishersDirectory;
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
    if (patch.maxCheckBytes !== undefined && !inRange(patch.maxCheckBytes, CHECK_BYTES_RANGE)) {
      throw new ModelSealError('STORE_INVALID', `the download budget must be ${CHECK_BYTES_RANGE.min}..${CHECK_BYTES_RANGE.max} bytes`);
    }
    if (patch.maxCheckRequests !== undefined && !inRange(patch.maxCheckRequests, CHECK_REQUESTS_RANGE)) {
      throw new ModelSealError('STORE_INVALID', `the download budget must be ${CHECK_REQUESTS_RANGE.min}..${CHECK_REQUESTS_RANGE.max} downloads`);
    }
    const next = await this.store.update('settings', (cur) => normalizeSettings({ ...normalizeSettings(cur), ...patch }));
    this.current = next;
    return next;
  }
}
