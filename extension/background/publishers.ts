/**
 * The publishers' directory in force for the worker: the user's imported directories first (their
 * entries speak for their namespaces), then the shipped one; none when the user switched it off.
 */
import type { SerializedStorage } from './storage.js';
import { builtinDirectory } from '../core/publishers/builtin.js';
import { mergeDirectories, parsePublisherDirectory, type PublisherDirectory } from '../core/publishers/directory.js';
import { confirmPublisherImport, MAX_IMPORTED_DIRECTORIES, previewPublisherImport, type PublisherImportPreview } from '../core/publishers/import.js';
import { ModelSealError } from '../core/errors.js';
import type { PublishersView } from '../shared/messages.js';

const IMPORTED_KEY = 'publishers.imported';

export type { PublishersView };

export class PublishersStore {
  private imported?: PublisherDirectory[];

  constructor(
    private readonly store: SerializedStorage,
    private readonly enabled: () => Promise<boolean>,
  ) {}

  /** Stored directories are read back through the strict reader: a corrupt one is dropped, never trusted. */
  private async load(): Promise<PublisherDirectory[]> {
    if (!this.imported) {
      const raw = await this.store.get(IMPORTED_KEY);
      const list = Array.isArray(raw) ? raw.slice(0, MAX_IMPORTED_DIRECTORIES) : [];
      this.imported = list.flatMap((d) => {
        try {
          return [parsePublisherDirectory(d)];
        } catch {
          return [];
        }
      });
    }
    return this.imported;
  }

  async active(): Promise<PublisherDirectory | undefined> {
    if (!(await this.enabled())) return undefined;
    return mergeDirectories([...(await this.load()), builtinDirectory()]);
  }

  async view(): Promise<PublishersView> {
    return { enabled: await this.enabled(), builtin: builtinDirectory(), imported: await this.load() };
  }

  async preview(json: string): Promise<PublisherImportPreview> {
    return previewPublisherImport(json, mergeDirectories([...(await this.load()), builtinDirectory()]));
  }

  async apply(json: string, previewId: string, confirmation: string): Promise<PublishersView> {
    const dir = confirmPublisherImport(json, previewId, confirmation);
    const current = await this.load();
    if (current.length >= MAX_IMPORTED_DIRECTORIES) throw new ModelSealError('STORE_INVALID', `at most ${MAX_IMPORTED_DIRECTORIES} directories can be imported`);
    const next = [dir, ...current];
    await this.store.set(IMPORTED_KEY, next);
    this.imported = next;
    return this.view();
  }

  async removeImported(): Promise<PublishersView> {
    await this.store.remove(IMPORTED_KEY);
    this.imported = [];
    return this.view();
  }
}
