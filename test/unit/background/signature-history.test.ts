/**
 * The signing history service in Node: the real worker logic, real crypto (real Sigstore signatures
 * from ../shared and factory key signatures), over the fixture hub's history endpoints served as a
 * fetch. Requests grow with signature versions, not commits; a repeat visit costs no history request
 * (a moved head: one); a signer change, a removal and a version that does not verify all show; a 429
 * in the middle of a walk is waited out.
 */
import { describe, expect, it } from 'vitest';
import { ModelSealWorker, type WorkerHost } from '../../../extension/background/worker.js';
import { RevisionChecker } from '../../../extension/background/revision-checker.js';
import { MemoryArea, SerializedStorage } from '../../../extension/background/storage.js';
import { TrustStore } from '../../../extension/core/trust/store.js';
import { historyBands, summarizeHistory } from '../../../extension/core/history/bands.js';
import type { SignatureHistoryView, TabState } from '../../../extension/shared/messages.js';
import { createHubHandler, hubFetch, HUB } from '../../fixture-hub/hub.mjs';
import { commitSha } from '../../fixture-hub/repo.mjs';
import { fixtureKey, SIGSTORE_IDENTITY } from '../../fixture-hub/scenarios.mjs';
import { HISTORY_REPOS, historyRepos } from '../../fixture-hub/history.mjs';

const OWN = 'abcdefghijklmnopabcdefghijklmnop';
const EXT = `chrome-extension://${OWN}/`;
const POPUP = { id: OWN, url: `${EXT}popup/index.html` };
const key = fixtureKey();
const repos = historyRepos(key);

function setup(local = new SerializedStorage(new MemoryArea()), hub = createHubHandler(repos), fetch: (input: string, init?: RequestInit) => Promise<Response> = hubFetch(hub)) {
  const store = new TrustStore(local);
  const pushed: SignatureHistoryView[] = [];
  const host: WorkerHost = {
    ownId: OWN,
    extensionBase: EXT,
    now: () => Date.now(),
    local,
    session: new MemoryArea(),
    checker: new RevisionChecker({ fetch, trust: store, cache: local, now: () => Date.now(), maxHashBytes: () => 1 << 20 }),
    trust: store,
    fetch,
    downloads: { pause: async () => undefined, resume: async () => undefined, cancel: async () => undefined, download: async () => 1 },
    openTab: async () => 1,
    pushToTab: () => undefined,
    showTabState: () => undefined,
    showAlertCount: () => undefined,
    pushHistory: (v) => void pushed.push(structuredClone(v)),
  };
  return { worker: new ModelSealWorker(host), hub, local, pushed, store };
}

async function visit(worker: ModelSealWorker, tabId: number, path: string): Promise<TabState> {
  await worker.openPage(tabId, `${HUB}/${path}`);
  for (;;) {
    const s = await worker.tabs.get(tabId);
    if (s && s.verdict.state !== 'checking') return s;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Asks as the popup does until the walk is done. */
async function history(worker: ModelSealWorker, tabId: number, more = false): Promise<SignatureHistoryView> {
  let first = true;
  for (;;) {
    const reply = await worker.handle({ type: 'history/get', tabId, ...(more && first ? { more: true } : {}) }, POPUP);
    first = false;
    if (!reply.ok) throw new Error(reply.error.message);
    const v = reply.value as SignatureHistoryView | null;
    if (!v) throw new Error('no history');
    if (v.status !== 'loading') return v;
    await new Promise((r) => setTimeout(r, 10));
  }
}

const keyPolicy = async (worker: ModelSealWorker) =>
  expect((await worker.handle({ type: 'trust/set-expected-key', scope: 'history-fixture/*', publicKeyPem: key.pem }, POPUP)).ok).toBe(true);

const commit = (repo: string, label: string) => commitSha(`${repo}:${label}`);
const historyRequests = (hub: ReturnType<typeof createHubHandler>) => hub.stats.requests.filter((r) => /\/(paths-info|commits)\//.test(r)).length;

describe('signing history service (worker, fixture hub, real crypto)', () => {
  it('the same signer over 14 versions (28 commits): one band, each version verified, newest first; pushed as found; a repeat visit costs no history request, a moved head one', async () => {
    const { worker, hub, local, pushed } = setup();
    await keyPolicy(worker);
    const tab = await visit(worker, 1, HISTORY_REPOS.sameSigner);
    expect(tab.verdict.state).toBe('verified');
    const view = await history(worker, 1);
    expect(view.status).toBe('done');
    expect(view.versions).toHaveLength(14);
    // 3 requests per version (paths-info, parent, the signature file), whatever the commits in between.
    expect(view.requests).toBe(42);
    expect(view.versions.every((v) => v.outcome.ok && v.outcome.evidence.signer.keyFingerprint === key.fingerprint)).toBe(true);
    expect(view.versions[0]!.commit).toBe(commit(HISTORY_REPOS.sameSigner, 'v13'));
    expect(view.versions.at(-1)!.commit).toBe(commit(HISTORY_REPOS.sameSigner, 'v0'));
    expect(view.versions.at(-1)!.added).toBe(true);
    expect(view.more).toBe(false);
    const bands = historyBands(view.versions);
    expect(bands).toHaveLength(1);
    expect(bands[0]!.versions).toHaveLength(14);
    expect(bands[0]!.signerChangedFromOlder).toBe(false);
    // Progressive: views were pushed while versions were still being found.
    expect(pushed.some((p) => p.status === 'loading' && p.versions.length > 0 && p.versions.length < 14)).toBe(true);

    // A new worker over the same storage (the browser restarted): the same head costs nothing.
    const again = setup(local, createHubHandler(repos));
    await visit(again.worker, 2, HISTORY_REPOS.sameSigner);
    const before = historyRequests(again.hub);
    const second = await history(again.worker, 2);
    expect(second.versions).toHaveLength(14);
    expect(historyRequests(again.hub) - before).toBe(0);
    expect(again.hub.stats.requests.filter((r) => r.includes('/resolve/') && r.endsWith('model.sig') && !r.includes(commit(HISTORY_REPOS.sameSigner, 'v13-edit0'))).length).toBe(0);

    // The branch moves to another commit: one history request.
    again.hub.moveBranch('model', HISTORY_REPOS.sameSigner, 'main', 'v13');
    await visit(again.worker, 3, HISTORY_REPOS.sameSigner);
    const moved0 = historyRequests(again.hub);
    const moved = await history(again.worker, 3);
    expect(moved.versions).toHaveLength(14);
    expect(historyRequests(again.hub) - moved0).toBe(1);
    expect(hub).toBeDefined();
  });

  it('a signer change in the middle (real Granite signatures, then the real oms-real ones): two bands, the change marked; a version that does not verify is its own row', async () => {
    const { worker } = setup();
    const tab = await visit(worker, 1, HISTORY_REPOS.signerChange);
    // The first visit read this history (see the first-visit tests): the popup's ask reuses that walk.
    expect(tab.verdict.state).toBe('unpinned-revision');
    const view = await history(worker, 1);
    expect(view.status).toBe('done');
    const byLabel = (l: string) => view.versions.find((v) => v.commit === commit(HISTORY_REPOS.signerChange, l));
    expect(view.versions.map((v) => v.commit)).toEqual(['s2', 's1', 'bad', 'g2', 'g1'].map((l) => commit(HISTORY_REPOS.signerChange, l)));
    const s2 = byLabel('s2')!;
    expect(s2.outcome.ok && s2.outcome.evidence.signer.identity).toBe(SIGSTORE_IDENTITY);
    expect(s2.outcome.ok && s2.outcome.evidence.logEntries.length).toBeGreaterThan(0);
    const g2 = byLabel('g2')!;
    expect(g2.outcome.ok && g2.outcome.evidence.signer.identity).toMatch(/@ibm\.com$/);
    const bad = byLabel('bad')!;
    expect(bad.outcome.ok).toBe(false);
    expect(!bad.outcome.ok && bad.outcome.failure.code).toMatch(/_INVALID$/);
    const bands = historyBands(view.versions);
    expect(bands[0]!.signer?.identity).toBe(SIGSTORE_IDENTITY);
    expect(bands[0]!.signerChangedFromOlder).toBe(true);
    const summary = summarizeHistory(view.versions)!;
    expect(summary.versions).toBe(2);
    expect(summary.changedFrom?.signer.identity).toMatch(/@ibm\.com$/);
  });

  it('a removal and a re-signing: the walk stops where model.sig was absent; with a signed commit this browser saw, it goes on past it and names the removal', async () => {
    const { worker } = setup();
    const R = HISTORY_REPOS.removal;
    // Without any earlier visit: only the re-signed version, marked as where the file was added.
    await visit(worker, 1, R);
    const alone = await history(worker, 1);
    expect(alone.versions.map((v) => v.commit)).toEqual([commit(R, 'a4')]);
    expect(alone.versions[0]!.added).toBe(true);
    expect(alone.removals).toEqual([]);

    const { worker: w2 } = setup();
    expect((await visit(w2, 1, `${R}/tree/old`)).verdict.state).toBe('unpinned-revision');
    await visit(w2, 2, R);
    const view = await history(w2, 2);
    expect(view.versions.map((v) => v.commit)).toEqual([commit(R, 'a4'), commit(R, 'a1')]);
    expect(view.removals).toEqual([{ path: 'model.sig', after: commit(R, 'a1'), before: commit(R, 'a4') }]);
  });

  it('1,000 commits with 3 signature versions: 9 hub requests (3 × paths-info, parent, signature), not 1,000', async () => {
    const { worker, hub } = setup();
    await keyPolicy(worker);
    await visit(worker, 1, HISTORY_REPOS.long);
    const before = hub.stats.requests.length;
    const view = await history(worker, 1);
    expect(view.versions.map((v) => v.commit)).toEqual(['c800', 'c400', 'c0'].map((l) => commit(HISTORY_REPOS.long, l)));
    expect(view.requests).toBe(9);
    expect(hub.stats.requests.length - before).toBe(9);
  });

  it('a 429 in the middle of a walk is waited out and the walk goes on', async () => {
    const { worker, pushed } = setup();
    await keyPolicy(worker);
    await visit(worker, 1, HISTORY_REPOS.rateLimited);
    const view = await history(worker, 1);
    expect(view.status).toBe('done');
    expect(view.versions).toHaveLength(4);
    expect(pushed.some((p) => p.progress?.startsWith('rate limited'))).toBe(true);
  });

  it('first visit with a signer change in the history: not blue, nothing pinned, the change named; the user picks either signer with the typed confirmation', async () => {
    const R = HISTORY_REPOS.signerChange;
    const { worker, store } = setup();
    const tab = await visit(worker, 1, R);
    const v = tab.verdict;
    expect(v.state).toBe('unpinned-revision');
    expect(v.state === 'unpinned-revision' && v.failure.code).toBe('HISTORY_SIGNER_CHANGED');
    expect(v.state === 'unpinned-revision' && v.failure.reason).toMatch(/from .*Granite-sign@ibm\.com.* to .*stefanb@us\.ibm\.com.* on 2026-06-\d\d/);
    expect(v.history).toMatchObject({ status: 'read', versions: 2, complete: true, signer: { identity: SIGSTORE_IDENTITY }, changedFrom: { signer: { identity: 'Granite-sign@ibm.com' }, commit: commit(R, 'g2') } });
    expect((await store.repo({ hub: HUB, kind: 'model', repo: R }))?.pins ?? []).toEqual([]);
    // A second look is the same (the history is cached; still nothing pinned).
    expect((await visit(worker, 1, R)).verdict.state).toBe('unpinned-revision');

    // Choosing the earlier signer needs the typed repo name; then the head is an identity change.
    const earlier = v.history?.status === 'read' ? v.history.changedFrom!.signer : undefined;
    expect((await worker.handle({ type: 'trust/accept-signer', hub: HUB, kind: 'model', repo: R, signer: earlier, confirmation: 'wrong' }, POPUP)).ok).toBe(false);
    expect((await worker.handle({ type: 'trust/accept-signer', hub: HUB, kind: 'model', repo: R, signer: earlier, confirmation: R }, POPUP)).ok).toBe(true);
    expect((await visit(worker, 1, R)).verdict.state).toBe('identity-changed');

    // In another browser, choosing the current signer makes the head green.
    const other = setup();
    const t2 = await visit(other.worker, 1, R);
    const current = 'signature' in t2.verdict ? t2.verdict.signature?.signer : undefined;
    expect((await other.worker.handle({ type: 'trust/accept-signer', hub: HUB, kind: 'model', repo: R, signer: current, confirmation: R }, POPUP)).ok).toBe(true);
    expect((await visit(other.worker, 1, R)).verdict.state).toBe('verified');
  });

  it('first visit with one signer in the history: blue, "signed by X since DATE (N versions)", pinned', async () => {
    const R = HISTORY_REPOS.removal;
    const { worker, store } = setup();
    const v = (await visit(worker, 1, R)).verdict;
    expect(v.state).toBe('verified-first-use');
    expect(v.history).toMatchObject({ status: 'read', versions: 1, complete: true, since: expect.stringMatching(/^2026-06-/), signer: { identity: SIGSTORE_IDENTITY } });
    expect(v.history?.status === 'read' && v.history.changedFrom).toBeFalsy();
    expect((await store.repo({ hub: HUB, kind: 'model', repo: R }))?.pins).toHaveLength(1);
  });

  it('first visit when the history cannot be read: blue and pinned as before, but the verdict says the history was not read and why (no "since")', async () => {
    const hub = createHubHandler(repos);
    const served = hubFetch(hub);
    const local = new SerializedStorage(new MemoryArea());
    const { worker, store } = setup(local, hub, (input, init) => (String(input).includes('/paths-info/') ? Promise.resolve(new Response('down', { status: 503 })) : served(input, init)));
    const R = HISTORY_REPOS.removal;
    const v = (await visit(worker, 1, R)).verdict;
    expect(v.state).toBe('verified-first-use');
    expect(v.history?.status).toBe('unreadable');
    expect(v.history?.status === 'unreadable' && v.history.failure.code).toBeTruthy();
    expect(JSON.stringify(v.history)).not.toContain('since');
    expect((await store.repo({ hub: HUB, kind: 'model', repo: R }))?.pins).toHaveLength(1);
  });

  it('answers only about a tab with a checked revision, and refuses malformed asks', async () => {
    const { worker } = setup();
    expect(await worker.handle({ type: 'history/get', tabId: 9 }, POPUP)).toEqual({ ok: true, value: null });
    expect((await worker.handle({ type: 'history/get', tabId: 'x' }, POPUP)).ok).toBe(false);
    expect((await worker.handle({ type: 'history/get', tabId: 1, more: 'yes' }, POPUP)).ok).toBe(false);
  });
});
