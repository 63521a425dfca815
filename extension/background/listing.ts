/**
 * Listing pages (an organisation, a profile, search results): which listed repos carry a signature
 * at their latest revision, from ONE hub API request per listing page (`/api/models?…&expand[]=
 * siblings&expand[]=sha`), never one per repo. A repo the user already verified in this browser at
 * that very commit shows its recorded state instead. Answers are kept per tab for the mark frames
 * (which ask the worker, never the page) and per URL for a short while (re-renders ask again).
 */
import { ModelSealError } from '../core/errors.js';
import type { FetchLike } from '../core/env.js';
import { readBounded } from '../core/hubs/huggingface/http.js';
import { listingApiUrl, parseListingUrl, type ListingPage } from '../core/hubs/huggingface/listing-url.js';
import { readListingAnswer } from '../core/hubs/huggingface/listing-answer.js';
import { repoKey } from '../core/repo-ref.js';
import type { TrustStore } from '../core/trust/store.js';
import type { ListingMark, ListingMarks } from '../shared/messages.js';

export interface ListingDeps {
  fetch: FetchLike;
  trust: Pick<TrustStore, 'snapshot'>;
  now: () => number;
  hubs: () => readonly string[];
  /** Counts hub requests (tests and the bench: one per listing page). */
  onRequest?: () => void;
}

/** A listing answer is reused this long for the same URL (in-page re-renders, a second tab). */
const ANSWER_TTL_MS = 60_000;
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;
const MAX_TABS = 200;
const MAX_URLS = 50;

type Answer = { at: number; marks: ListingMark[] };

export class ListingMarker {
  private readonly answers = new Map<string, Promise<Answer>>();
  private readonly tabs = new Map<number, { url: string; byRepo: Map<string, ListingMark> }>();

  constructor(private readonly deps: ListingDeps) {}

  /** The marks of the listing page at `url`, remembered for `tabId`'s frames. null: not a listing page. */
  async forTab(tabId: number, url: string): Promise<ListingMarks | null> {
    const page = parseListingUrl(url, this.deps.hubs());
    if (!page) return null;
    const answer = await this.answer(url, page);
    const marks = await this.withRecordedStates(page, answer.marks);
    if (this.tabs.size >= MAX_TABS) this.tabs.clear();
    this.tabs.set(tabId, { url: pageKey(url), byRepo: new Map(marks.map((m) => [markKey(m.kind, m.repo), m])) });
    return { tabId, kind: page.kind, marks };
  }

  /** One mark for a frame in `tabId`, only while that tab still shows the listing it was made for. */
  markFor(tabId: number, tabUrl: string | undefined, kind: string, repo: string): ListingMark | null {
    const t = this.tabs.get(tabId);
    if (!t || !tabUrl || t.url !== pageKey(tabUrl)) return null;
    return t.byRepo.get(markKey(kind, repo)) ?? null;
  }

  private answer(url: string, page: ListingPage): Promise<Answer> {
    const key = pageKey(url);
    const known = this.answers.get(key);
    if (known) {
      return known.then((a) => (this.deps.now() - a.at < ANSWER_TTL_MS ? a : this.fresh(key, page)));
    }
    return this.fresh(key, page);
  }

  private fresh(key: string, page: ListingPage): Promise<Answer> {
    if (this.answers.size >= MAX_URLS) this.answers.clear();
    const p = this.request(page);
    // A failure is not remembered: the next view asks again.
    p.catch(() => this.answers.delete(key));
    this.answers.set(key, p);
    return p;
  }

  private async request(page: ListingPage): Promise<Answer> {
    const url = listingApiUrl(page);
    this.deps.onRequest?.();
    const res = await this.deps.fetch(url, { credentials: 'include', redirect: 'error', signal: AbortSignal.timeout(30_000), headers: { Accept: 'application/json' } });
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw new ModelSealError(res.status === 429 ? 'RATE_LIMITED' : 'NETWORK_ERROR', `the hub answered ${res.status} to the listing request`);
    }
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(await readBounded(res, MAX_ANSWER_BYTES, url)));
    } catch (e) {
      if (e instanceof ModelSealError) throw e;
      throw new ModelSealError('RESPONSE_MALFORMED', 'the listing answer is not JSON');
    }
    const marks: ListingMark[] = [];
    for (const r of readListingAnswer(json)) {
      if (r.signatureFiles.length === 0) continue;
      marks.push({ kind: page.kind, repo: r.repo, signatureFiles: r.signatureFiles, ...(r.sha ? { commit: r.sha } : {}) });
    }
    return { at: this.deps.now(), marks };
  }

  /** Signed repos the user already checked at this commit carry the state recorded then. */
  private async withRecordedStates(page: ListingPage, marks: ListingMark[]): Promise<ListingMark[]> {
    const doc = await this.deps.trust.snapshot().catch(() => undefined);
    if (!doc) return marks;
    return marks.map((m) => {
      const seen = m.commit ? doc.repos[repoKey({ hub: page.hub, kind: page.kind, repo: m.repo })]?.history.find((h) => h.commit === m.commit) : undefined;
      return seen ? { ...m, state: seen.state } : m;
    });
  }
}

const pageKey = (url: string): string => url.split('#')[0] ?? url;
const markKey = (kind: string, repo: string): string => `${kind}:${repo.toLowerCase()}`;
