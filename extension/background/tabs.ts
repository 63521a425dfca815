/**
 * Per-tab state: what each hub tab shows. A tab goes checking → final verdict; a newer page context
 * replaces an older one (generation counter), so a slow verification of a page the user already
 * left never overwrites the current one. Mirrored to session storage so a restarted worker can still
 * answer the popup.
 */
import type { TabState, PageContext } from '../shared/messages.js';
import { repoKey, type RepoRef } from '../core/repo-ref.js';
import type { Verdict } from '../core/verdict.js';
import type { StorageAreaLike } from './storage.js';

export type TabListener = (state: TabState) => void;
export type ClearListener = (tabId: number) => void;

export class TabRegistry {
  private readonly states = new Map<number, TabState>();
  private readonly generations = new Map<number, number>();
  private readonly listeners: TabListener[] = [];
  private readonly clearListeners: ClearListener[] = [];

  constructor(
    private readonly session: StorageAreaLike | undefined,
    private readonly now: () => number,
  ) {}

  onChange(l: TabListener): void {
    this.listeners.push(l);
  }

  /** Told when a tab's state is dropped, so open views stop showing it. */
  onClear(l: ClearListener): void {
    this.clearListeners.push(l);
  }

  async get(tabId: number): Promise<TabState | undefined> {
    const known = this.states.get(tabId);
    if (known || !this.session) return known;
    const key = `tab:${tabId}`;
    const saved = (await this.session.get(key))[key] as TabState | undefined;
    if (saved && !this.states.has(tabId)) this.states.set(tabId, saved);
    return this.states.get(tabId);
  }

  /** A new page in the tab: state becomes checking; returns the generation that may finish it. */
  begin(tabId: number, context: PageContext): number {
    const gen = (this.generations.get(tabId) ?? 0) + 1;
    this.generations.set(tabId, gen);
    const verdict: Verdict = {
      state: 'checking',
      checkedAt: this.now(),
      subject: { repo: context.repo, revision: context.revision },
    };
    this.put({ tabId, context, verdict, startedAt: this.now() });
    return gen;
  }

  /** Progress text while checking (e.g. rate limited); ignored once superseded. */
  progress(tabId: number, gen: number, progress: string | undefined): void {
    const cur = this.states.get(tabId);
    if (!cur || this.generations.get(tabId) !== gen || cur.verdict.state !== 'checking') return;
    this.put({ ...cur, progress });
  }

  /** Final verdict for generation `gen`; a stale generation changes nothing. */
  finish(tabId: number, gen: number, verdict: Verdict): boolean {
    const cur = this.states.get(tabId);
    if (!cur || this.generations.get(tabId) !== gen) return false;
    this.put({ tabId, context: cur.context, verdict, startedAt: cur.startedAt, finishedAt: this.now() });
    return true;
  }

  /** The page left the hub or the tab closed. */
  clear(tabId: number): void {
    this.generations.set(tabId, (this.generations.get(tabId) ?? 0) + 1);
    const had = this.states.delete(tabId);
    void this.session?.remove(`tab:${tabId}`).catch(() => undefined);
    if (had) for (const l of this.clearListeners) l(tabId);
  }

  /** Every tab whose page is about this repo (to refresh after the user accepts a signer). */
  /** Tabs showing a page of `ref`. */
  tabsFor(ref: RepoRef): TabState[] {
    const key = repoKey(ref);
    return [...this.states.values()].filter((s) => s.context && repoKey(s.context) === key);
  }

  all(): TabState[] {
    return [...this.states.values()];
  }

  private put(state: TabState): void {
    this.states.set(state.tabId, state);
    void this.session?.set({ [`tab:${state.tabId}`]: state }).catch(() => undefined);
    for (const l of this.listeners) l(state);
  }
}
