/**
 * The worker's logic in Node, over the real core (verifyRevision, TrustStore, real signatures) and
 * the fixture hub served as a fetch: sender rules, one verification per revision however many ask,
 * the commit cache, stale tab generations, the serialized writer and the download guard.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelSealWorker } from '../../../extension/background/worker.js';
import { RevisionChecker, type CacheStorage } from '../../../extension/background/revision-checker.js';
import { MemoryArea, SerializedStorage } from '../../../extension/background/storage.js';
import { validate } from '../../../extension/background/validate.js';
import { allowDownload } from '../../../extension/background/downloads.js';
import { TrustStore } from '../../../extension/core/trust/store.js';
import { createHubHandler, hubFetch, HUB } from '../../fixture-hub/hub.mjs';
import { repo, file } from '../../fixture-hub/repo.mjs';
import { keySignedFiles } from '../../fixture-hub/scenarios.mjs';
import { EXT, OWN, key, keyPolicy, setupWorker } from './harness.js';

const setup = () => setupWorker('unit');

const ref = (repoId: string) => ({ hub: HUB, kind: 'model' as const, repo: repoId, revision: 'main' });


describe('message validation and sender rules', () => {
  const isHub = (u: string) => u.startsWith(`${HUB}/`);
  const content = { id: OWN, url: `${HUB}/acme/signed`, tab: { id: 7 }, frameId: 0 };
  const popup = { id: OWN, url: `${EXT}popup/index.html` };

  it('lets a content script send page and download messages about its own page only', () => {
    expect(validate({ type: 'page/left' }, content, OWN, EXT, isHub).ok).toBe(true);
    expect(validate({ type: 'download/check', url: `${HUB}/acme/signed/resolve/main/x` }, content, OWN, EXT, isHub).ok).toBe(true);
    expect(validate({ type: 'download/check', url: 'https://evil.example/x/y/resolve/main/z' }, content, OWN, EXT, isHub)).toMatchObject({ ok: false });
    expect(validate({ type: 'trust/export' }, content, OWN, EXT, isHub)).toMatchObject({ ok: false, reason: expect.stringContaining('content scripts may not') });
    expect(validate({ type: 'page/left' }, { ...content, frameId: 3 }, OWN, EXT, isHub)).toMatchObject({ ok: false, reason: 'subframe sender' });
    expect(validate({ type: 'page/left' }, { ...content, url: 'https://evil.example/a/b' }, OWN, EXT, isHub)).toMatchObject({ ok: false });
  });

  it('refuses foreign senders, malformed bodies and frames asking about other tabs', () => {
    expect(validate({ type: 'trust/export' }, { ...popup, id: 'someone-else' }, OWN, EXT, isHub)).toMatchObject({ ok: false, reason: 'foreign sender' });
    expect(validate({ type: 'trust/set-expected', scope: 'a/b', identity: '', issuer: 'x' }, popup, OWN, EXT, isHub).ok).toBe(false);
    expect(validate({ type: 'settings/set', settings: { hubs: ['http://insecure.example'] } }, popup, OWN, EXT, isHub).ok).toBe(false);
    expect(validate({ type: 'frame/verdict', tabId: 8 }, { id: OWN, url: `${EXT}extension/pages/frame.html?tab=8`, tab: { id: 7 } }, OWN, EXT, isHub).ok).toBe(false);
    expect(validate({ type: 'frame/verdict', tabId: 7 }, { id: OWN, url: `${EXT}extension/pages/frame.html?tab=7`, tab: { id: 7, url: `${HUB}/acme/signed` }, frameId: 2 }, OWN, EXT, isHub).ok).toBe(true);
    expect(validate({ type: 'nope' }, popup, OWN, EXT, isHub).ok).toBe(false);
  });
});

describe('revision verification service', () => {
  it('shares one verification between concurrent requests and caches it by commit', async () => {
    const { worker, requests } = setup();
    await keyPolicy(worker);
    const verdicts = await Promise.all([worker.verdictFor(ref('acme/signed')), worker.verdictFor(ref('acme/signed')), worker.verdictFor(ref('acme/signed'))]);
    expect(verdicts.map((v) => v.state)).toEqual(['verified', 'verified', 'verified']);
    expect(worker.verifications).toBe(1);
    const cold = requests();
    // revision + tree + model.sig + the non-LFS files (every 10th of 30) + the two revision lookups of the sharers
    expect(cold).toBeLessThanOrEqual(3 + 1 + 3 + 2);
    const again = await worker.verdictFor(ref('acme/signed'));
    expect(again.state).toBe('verified');
    expect(worker.verifications).toBe(1);
    expect(requests() - cold).toBe(1); // warm: one revision lookup, the rest from the cache
  });

  it('names changed files, keeps unsigned repos neutral, and never caches a missing key as a result', async () => {
    const { worker } = setup();
    const noKey = await worker.verdictFor(ref('acme/signed'));
    expect(noKey).toMatchObject({ state: 'unverifiable', failure: { code: 'VERIFICATION_MATERIAL_UNSUPPORTED' } });
    await keyPolicy(worker);
    expect((await worker.verdictFor(ref('acme/signed'))).state).toBe('verified');
    const changed = await worker.verdictFor(ref('acme/changed'));
    expect(changed.state).toBe('files-changed');
    expect('files' in changed && changed.files?.find((f) => f.status === 'mismatch')?.path).toBe('weights/shard-00001.safetensors');
    expect((await worker.verdictFor(ref('other/plain'))).state).toBe('unsigned');
    // Under the acme/* policy a signature is expected: its absence is not neutral there.
    expect((await worker.verdictFor(ref('acme/changed'))).state).toBe('files-changed');
  });

  it('keeps the commit cache within its byte budget, oldest out first, and survives a failing store', async () => {
    const signed = keySignedFiles(key, 20, 'cache');
    const repos = Array.from({ length: 6 }, (_, i) => repo({ id: `other/r${i}`, commits: { v1: [file('config.json', `{"i":${i}}`)] } }));
    repos.push(repo({ id: 'acme/big', commits: { v1: signed } }));
    const hub = createHubHandler(repos);
    const area = new MemoryArea();
    const local = new SerializedStorage(area);
    const store = new TrustStore(local);
    const checker = (cache: CacheStorage, maxCacheBytes?: number) =>
      new RevisionChecker({ fetch: hubFetch(hub), trust: store, cache, now: () => Date.now(), maxHashBytes: () => 1 << 20, ...(maxCacheBytes !== undefined ? { maxCacheBytes } : {}) });
    const one = JSON.stringify((await checker(new SerializedStorage(new MemoryArea())).check(ref('other/r0'))).check).length;
    const svc = checker(local, one * 3 + 10);
    for (let i = 0; i < 6; i++) await svc.check(ref(`other/r${i}`));
    const keys = [...area.data.keys()].filter((k) => k.startsWith('rev:v'));
    expect(keys).toHaveLength(3);
    expect(keys.every((k) => /other\/r[345]@/.test(k))).toBe(true);
    expect((await svc.check(ref('other/r5'))).cached).toBe(true);
    expect((await svc.check(ref('other/r0'))).cached).toBe(false);
    // A storage that refuses writes costs a re-verification, never the verdict.
    const broken = { get: local.get.bind(local), set: async () => Promise.reject(new Error('QUOTA_BYTES exceeded')), remove: async () => undefined };
    const r = await checker(broken).check(ref('other/r1'));
    expect(r.check.outcome.status).toBe('unsigned');
  });

  it('a stale page generation never overwrites the current page', async () => {
    const { worker } = setup();
    const ctx = { url: `${HUB}/other/plain`, hub: HUB, kind: 'model' as const, repo: 'other/plain' };
    const g1 = worker.tabs.begin(5, ctx);
    const g2 = worker.tabs.begin(5, { ...ctx, url: `${HUB}/acme/signed`, repo: 'acme/signed' });
    expect(worker.tabs.finish(5, g1, { state: 'unsigned', checkedAt: 1 })).toBe(false);
    expect((await worker.tabs.get(5))?.verdict.state).toBe('checking');
    expect(worker.tabs.finish(5, g2, { state: 'unsigned', checkedAt: 2 })).toBe(true);
  });
});

describe('download guard', () => {
  it('lets verified files through and holds everything else for the warning page', async () => {
    const { worker, downloads, opened } = setup();
    await keyPolicy(worker);
    const ok = await worker.downloads.onClick(`${HUB}/acme/signed/resolve/main/weights/shard-00001.safetensors?download=true`, 3);
    expect(ok.allow).toBe(true);
    expect(downloads.started).toHaveLength(1);
    // The download the worker just started is not caught a second time.
    await worker.downloads.onCreated({ id: 1, url: downloads.started[0] as string });
    expect(downloads.paused).toEqual([]);

    // Started another way: paused, checked, warned; the user's "cancel" cancels it.
    await worker.downloads.onCreated({ id: 2, url: `${HUB}/acme/changed/resolve/main/weights/shard-00001.safetensors?download=true` });
    expect(downloads.paused).toEqual([2]);
    expect(opened).toHaveLength(1);
    const requestId = new URL(opened[0] as string).searchParams.get('request') as string;
    expect((await worker.downloads.load(requestId))?.check).toMatchObject({ allow: false, verdict: { state: 'files-changed' } });
    expect(await worker.downloads.decide(requestId, false)).toBe(true);
    expect(downloads.cancelled).toEqual([2]);
    expect(await worker.downloads.decide(requestId, true)).toBe(false); // decided once only

    // A warning tab closed with no answer cancels (Cancel is the default).
    await worker.downloads.onCreated({ id: 4, url: `${HUB}/acme/changed/resolve/main/weights/shard-00002.safetensors` });
    expect(downloads.paused).toEqual([2, 4]);
    await worker.downloads.onTabClosed(100 + opened.length);
    expect(downloads.cancelled).toEqual([2, 4]);

    // Not a hub resolve URL: left alone.
    await worker.downloads.onCreated({ id: 3, url: 'https://example.org/file.bin' });
    expect(downloads.paused).toEqual([2, 4]);
  });

  it('Chromium filename step: a held download completes only when allowed or chosen anyway', async () => {
    const { worker, downloads, opened } = setup();
    await keyPolicy(worker);
    worker.downloads.holdMode = true;
    const released: number[] = [];
    await worker.downloads.onHold({ id: 10, url: `${HUB}/acme/signed/resolve/main/weights/shard-00001.safetensors` }, () => released.push(10));
    expect(released).toEqual([10]); // verified: no friction…
    // …but fetched from the verified commit, not from the branch (which may have moved).
    expect(downloads.cancelled).toEqual([10]);
    expect(downloads.started).toEqual([expect.stringMatching(/\/acme\/signed\/resolve\/[0-9a-f]{40}\/weights\/shard-00001\.safetensors\?download=true$/)]);
    downloads.cancelled.length = 0;
    await worker.downloads.onHold({ id: 11, url: `${HUB}/acme/changed/resolve/main/weights/shard-00001.safetensors` }, () => released.push(11));
    expect(released).toEqual([10]); // held while the warning page asks
    const id11 = new URL(opened.at(-1) as string).searchParams.get('request') as string;
    await worker.downloads.decide(id11, true);
    expect(released).toEqual([10, 11]);
    // "Download anyway" fetches the file at the commit the warning described, not the branch.
    expect(downloads.cancelled).toEqual([11]);
    expect(downloads.started.at(-1)).toMatch(/\/acme\/changed\/resolve\/[0-9a-f]{40}\/weights\/shard-00001\.safetensors\?download=true$/);
    downloads.cancelled.length = 0;
    await worker.downloads.onHold({ id: 12, url: `${HUB}/acme/changed/resolve/main/weights/shard-00002.safetensors` }, () => released.push(12));
    const id12 = new URL(opened.at(-1) as string).searchParams.get('request') as string;
    await worker.downloads.decide(id12, false);
    expect(downloads.cancelled).toEqual([12]);
    // onCreated stands back for held downloads, and pauses the ones the filename step never saw.
    await worker.downloads.onCreated({ id: 11, url: `${HUB}/acme/changed/resolve/main/weights/shard-00001.safetensors` });
    expect(downloads.paused).toEqual([]);
    await worker.downloads.onCreated({ id: 13, url: `${HUB}/acme/changed/resolve/main/weights/shard-00003.safetensors` });
    expect(downloads.paused).toEqual([13]);
  });

  it('policy: only verified files in a verified repo pass; never-signed repos are neutral', () => {
    const base = { checkedAt: 0 };
    expect(allowDownload({ ...base, state: 'unsigned' }, undefined)).toBe(true);
    expect(allowDownload({ ...base, state: 'unverifiable', failure: { code: 'RATE_LIMITED', reason: '' } }, undefined)).toBe(false);
    expect(allowDownload({ ...base, state: 'signature-removed', previousSigners: [], failure: { code: 'NOT_FOUND', reason: '' } }, undefined)).toBe(false);
  });
});

describe('settings', () => {
  it('k set through settings is the trust store\'s k, and bad values are refused', async () => {
    const { worker, store } = setup();
    const popup = { id: OWN, url: `${EXT}popup/index.html` };
    expect(await worker.handle({ type: 'settings/set', settings: { signersPerRepo: 3 } }, popup)).toMatchObject({ ok: true });
    expect((await store.snapshot()).settings.signersPerRepo).toBe(3);
    expect(await worker.handle({ type: 'settings/get' }, popup)).toMatchObject({ ok: true, value: { signersPerRepo: 3, hubs: [HUB] } });
    expect(await worker.handle({ type: 'settings/set', settings: { signersPerRepo: 0 } }, popup)).toMatchObject({ ok: false, error: { code: 'REFUSED' } });
  });
});

describe('serialized storage writer', () => {
  it('loses no update when many callers write at once', async () => {
    const s = new SerializedStorage(new MemoryArea());
    await Promise.all(Array.from({ length: 200 }, () => s.update('n', (cur) => (typeof cur === 'number' ? cur : 0) + 1)));
    expect(await s.get('n')).toBe(200);
  });
});

const sharedReal = resolve(process.cwd(), '../shared/fixtures/oms-real');
if (!existsSync(sharedReal)) {
  console.log('certificate policies: ../shared not found, real certificate-signed model not checked');
} else {
  describe('certificate policies', () => {
    const shared = sharedReal;
    it('verifies a real certificate-signed repo only once the user trusts its CA, through the popup message', async () => {
      const dir = join(shared, 'v1.1.0-certificate');
      const files = ['signme-1', 'signme-2', 'ignore-me', 'model.sig'].map((p) => file(p, readFileSync(join(dir, p))));
      const hub = createHubHandler([repo({ id: 'ibm/cert-model', commits: { v1: files } })]);
      const local = new SerializedStorage(new MemoryArea());
      const store = new TrustStore(local);
      const checker = new RevisionChecker({ fetch: hubFetch(hub), trust: store, cache: local, now: () => Date.now(), maxHashBytes: () => 1 << 20 });
      const worker = new ModelSealWorker({
        ownId: OWN,
        extensionBase: EXT,
        now: () => Date.now(),
        local,
        session: new MemoryArea(),
        checker,
        trust: store,
        downloads: { pause: async () => {}, resume: async () => {}, cancel: async () => {}, download: async () => 1 },
        openTab: async () => 101,
        pushToTab: () => undefined,
        showTabState: () => undefined,
        showAlertCount: () => undefined,
      });
      const before = await worker.verdictFor(ref('ibm/cert-model'));
      expect(before).toMatchObject({ state: 'unverifiable', failure: { code: 'CERTIFICATE_CA_NOT_TRUSTED' } });

      const popup = { id: OWN, url: `${EXT}popup/index.html` };
      // Something that is not a certificate is refused before it reaches the store.
      expect((await worker.handle({ type: 'trust/set-expected-ca', scope: 'ibm/*', caPems: ['-----BEGIN PUBLIC KEY-----'] }, popup)).ok).toBe(false);
      const caPem = readFileSync(join(shared, 'keys/certificate/ca-cert.pem'), 'utf8');
      expect((await worker.handle({ type: 'trust/set-expected-ca', scope: 'ibm/*', caPems: [caPem] }, popup)).ok).toBe(true);

      const after = await worker.verdictFor(ref('ibm/cert-model'));
      expect(after.state).toBe('verified');
      if (after.state !== 'verified') return;
      expect(after.signature.signer.kind).toBe('certificate');
      expect(after.files.filter((f) => f.status === 'verified').map((f) => f.path).sort()).toEqual(['signme-1', 'signme-2']);

      // Another CA (the intermediate's issuer is not this one) does not verify the same repo.
      const otherCa = readFileSync(join(shared, 'keys/certificate/signing-key-cert.pem'), 'utf8');
      await worker.handle({ type: 'trust/set-expected-ca', scope: 'ibm/*', caPems: [otherCa] }, popup);
      const wrong = await worker.verdictFor(ref('ibm/cert-model'));
      expect(wrong.state).not.toBe('verified');
      expect(['invalid-signature', 'unverifiable', 'identity-changed']).toContain(wrong.state);
    });
  });
}
