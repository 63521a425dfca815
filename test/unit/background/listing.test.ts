/**
 * Listing marks through the worker's typed messages, over the fixture hub as a fetch: one API
 * request per listing page (and none again for a re-render), only signed entries marked, a repo
 * checked before carries its recorded state, marks answered only to frames in that tab's listing,
 * and content scripts may ask only about their own hub.
 */
import { describe, expect, it } from 'vitest';
import { ModelSealWorker } from '../../../extension/background/worker.js';
import { RevisionChecker } from '../../../extension/background/revision-checker.js';
import { MemoryArea, SerializedStorage } from '../../../extension/background/storage.js';
import { TrustStore } from '../../../extension/core/trust/store.js';
import type { ListingMarks } from '../../../extension/shared/messages.js';
import { createHubHandler, hubFetch, HUB } from '../../fixture-hub/hub.mjs';
import { listingRepos, signedIndices } from '../../fixture-hub/lineage.mjs';
import { EXT, OWN, key } from './harness.js';

const ORG = 'listing-org';
const SIGNED = signedIndices(200, 5).map((i) => `${ORG}/model-${String(i).padStart(3, '0')}`);

function setup() {
  const hub = createHubHandler(listingRepos(key, { owner: ORG, count: 200, signed: 5 }));
  const fetch = hubFetch(hub);
  const local = new SerializedStorage(new MemoryArea());
  const trust = new TrustStore(local);
  const worker = new ModelSealWorker({
    ownId: OWN,
    extensionBase: EXT,
    now: () => Date.now(),
    local,
    session: new MemoryArea(),
    checker: new RevisionChecker({ fetch, trust, cache: local, now: () => Date.now(), maxHashBytes: () => 1 << 20 }),
    trust,
    downloads: { pause: async () => undefined, resume: async () => undefined, cancel: async () => undefined, download: async () => 1 },
    openTab: async () => 1,
    pushToTab: () => undefined,
    showTabState: () => undefined,
    showAlertCount: () => undefined,
    fetch,
  });
  return { worker, hub };
}

const content = (tabId: number, url: string) => ({ id: OWN, url, tab: { id: tabId, url }, frameId: 0 });
const frame = (tabId: number, tabUrl: string) => ({ id: OWN, url: `${EXT}extension/pages/listing-mark.html?tab=${tabId}`, tab: { id: tabId, url: tabUrl }, frameId: 4 });

describe('listing marks', () => {
  it('marks the signed entries of a 200-model organisation page from one API request, and reuses it', async () => {
    const { worker, hub } = setup();
    const url = `${HUB}/${ORG}`;
    const r = await worker.handle({ type: 'listing/marks', url }, content(3, url));
    expect(r.ok).toBe(true);
    const marks = (r as { value: ListingMarks }).value;
    expect(marks.tabId).toBe(3);
    expect(marks.marks.map((m) => m.repo).sort()).toEqual([...SIGNED].sort());
    expect(marks.marks.every((m) => m.signatureFiles[0] === 'model.sig' && /^[0-9a-f]{40}$/.test(m.commit ?? ''))).toBe(true);
    expect(hub.stats.requests.filter((q) => q.includes('/api/'))).toHaveLength(1);
    // A re-render (or a second tab) of the same page asks the hub nothing more.
    await worker.handle({ type: 'listing/marks', url }, content(4, url));
    expect(hub.stats.requests.filter((q) => q.includes('/api/'))).toHaveLength(1);
  });

  it('shows the state recorded by the user\'s own check of that commit', async () => {
    const { worker } = setup();
    const reply = await worker.handle({ type: 'trust/set-expected-key', scope: `${ORG}/*`, publicKeyPem: key.pem }, { id: OWN, url: `${EXT}popup/index.html` });
    expect(reply.ok).toBe(true);
    expect((await worker.verdictFor({ hub: HUB, kind: 'model', repo: SIGNED[1]!, revision: ':default' })).state).toBe('verified');
    const url = `${HUB}/${ORG}`;
    const r = (await worker.handle({ type: 'listing/marks', url }, content(3, url))) as { ok: true; value: ListingMarks };
    const byRepo = new Map(r.value.marks.map((m) => [m.repo, m.state]));
    expect(byRepo.get(SIGNED[1]!)).toBe('verified');
    expect(byRepo.get(SIGNED[0]!)).toBeUndefined();
  });

  it('answers a mark frame only inside the tab\'s listing page, and only about a listed signed repo', async () => {
    const { worker } = setup();
    const url = `${HUB}/${ORG}`;
    await worker.handle({ type: 'listing/marks', url }, content(3, url));
    const ask = (repo: string, sender: ReturnType<typeof frame>, tabId = 3) => worker.handle({ type: 'listing/mark', tabId, kind: 'model', repo }, sender);
    expect(await ask(SIGNED[0]!, frame(3, url))).toMatchObject({ ok: true, value: { repo: SIGNED[0], signatureFiles: ['model.sig'] } });
    // An unsigned entry, a tab that moved on, another tab, a frame that is not embedded: nothing.
    expect(await ask(`${ORG}/model-001`, frame(3, url))).toEqual({ ok: true, value: null });
    expect(await ask(SIGNED[0]!, frame(3, `${HUB}/${ORG}/model-001`))).toEqual({ ok: true, value: null });
    expect(await ask(SIGNED[0]!, frame(5, url), 3)).toMatchObject({ ok: false, error: { code: 'REFUSED' } });
    expect(await ask(SIGNED[0]!, { ...frame(3, url), frameId: 0 })).toMatchObject({ ok: false, error: { code: 'REFUSED' } });
    // Content scripts cannot ask for marks, and may ask for a listing of their own hub only.
    expect(await worker.handle({ type: 'listing/mark', tabId: 3, kind: 'model', repo: SIGNED[0] }, content(3, url))).toMatchObject({ ok: false });
    expect(await worker.handle({ type: 'listing/marks', url: 'https://evil.example/x' }, content(3, url))).toMatchObject({ ok: false, error: { code: 'REFUSED' } });
    // Not a listing: null, and no request.
    expect(await worker.handle({ type: 'listing/marks', url: `${HUB}/docs` }, content(3, `${HUB}/docs`))).toEqual({ ok: true, value: null });
  });
});
