/**
 * The worker with its log witness: a Sigstore-signed repo (the factory's test Sigstore, real bundle)
 * viewed in a tab meets the witness without anyone asking; `log/consistency` answers the popup; an
 * equivocating log raises an alert in the alerts list; the setting switches online checks off; the
 * settings name the log hosts from the trusted root.
 */
import { describe, expect, it } from 'vitest';
import { ModelSealWorker, type WorkerHost } from '../../../extension/background/worker.js';
import { RevisionChecker } from '../../../extension/background/revision-checker.js';
import { MemoryArea, SerializedStorage } from '../../../extension/background/storage.js';
import { TrustStore } from '../../../extension/core/trust/store.js';
import { createHubHandler, hubFetch } from '../../fixture-hub/hub.mjs';
import { repo, file } from '../../fixture-hub/repo.mjs';
import { createSigstoreSigner, createTestSigstore, signModel } from '../../factory/index.js';
import { RekorV1Log } from '../../factory/rekor.js';
import { consistencyProof, leafHash } from '../../factory/merkle.js';
import { EXT, OWN } from './harness.js';

const HUB = 'https://huggingface.co';
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const POPUP = { id: OWN, url: `${EXT}popup/index.html` };

function setup(seed: string, lie?: { head: () => string }) {
  const sigstore = createTestSigstore({ seed });
  const root = sigstore.trustedRoot();
  const signer = createSigstoreSigner(sigstore, { identity: 'publisher@example.com', issuer: 'https://issuer.example', log: 'rekor-v1' });
  const files = { 'config.json': '{"a":1}\n', 'model.safetensors': 'weights' };
  const { signature } = signModel({ files, signer, name: 'model' });
  // The log goes on growing after the signature.
  for (let i = 0; i < 5; i++) sigstore.signDsse({ identity: 'x@example.com', issuer: 'https://issuer.example', log: 'rekor-v1', payloadType: 'application/vnd.in-toto+json', payload: new TextEncoder().encode(`{"n":${i}}`) });
  const hub = createHubHandler([repo({ id: 'acme/sigstore', commits: { v1: [file('model.sig', signature), file('config.json', files['config.json']), file('model.safetensors', files['model.safetensors'], { lfs: true })] } })]);
  const log = sigstore.rekorV1;
  const asked: string[] = [];
  const logFetch = async (input: string) => {
    const url = new URL(input);
    asked.push(url.host + url.pathname + url.search);
    if (url.origin !== log.baseUrl) return new Response('', { status: 404 });
    if (url.pathname === '/api/v1/log') return Response.json({ signedTreeHead: lie ? lie.head() : log.checkpoint() });
    const a = Number(url.searchParams.get('firstSize'));
    const b = Number(url.searchParams.get('lastSize'));
    return Response.json({ hashes: consistencyProof(a, log.leaves.slice(0, b).map(leafHash)).map(hex) });
  };
  const local = new SerializedStorage(new MemoryArea());
  const trust = new TrustStore(local);
  const alertCounts: number[] = [];
  // The test Sigstore's logs are valid 2024–2035; the worker's clock is today.
  const now = () => Date.now();
  const host: WorkerHost = {
    ownId: OWN,
    extensionBase: EXT,
    now,
    local,
    session: new MemoryArea(),
    checker: new RevisionChecker({ fetch: hubFetch(hub), trust, cache: local, now, maxHashBytes: () => 1 << 20, trustedRoot: root }),
    trust,
    trustedRoot: root,
    logFetch,
    downloads: { pause: async () => undefined, resume: async () => undefined, cancel: async () => undefined, download: async () => 1 },
    openTab: async () => 1,
    pushToTab: () => undefined,
    showTabState: () => undefined,
    showAlertCount: (n) => void alertCounts.push(n),
  };
  return { worker: new ModelSealWorker(host), asked, trust, log, alertCounts, signature };
}

async function view(worker: ModelSealWorker, tabId: number): Promise<void> {
  await worker.openPage(tabId, `${HUB}/acme/sigstore`);
  for (let i = 0; i < 400 && (await worker.tabs.get(tabId))?.verdict.state === 'checking'; i++) await new Promise((r) => setTimeout(r, 10));
}

describe('worker: the log witness', () => {
  it('a viewed signature meets the witness and the log; the popup gets "consistent as of"', async () => {
    const { worker, asked, log } = setup('worker-log-ok');
    await view(worker, 3);
    expect((await worker.tabs.get(3))?.verdict.state).toBe('verified-first-use');
    // Nobody asked yet: the view itself sends the entry to the witness and the log.
    for (let i = 0; i < 500 && !asked.some((x) => x.includes('/api/v1/log/proof')); i++) await new Promise((r) => setTimeout(r, 10));
    expect(asked.some((x) => x.includes('/api/v1/log/proof'))).toBe(true);
    const reply = await worker.handle({ type: 'log/consistency', tabId: 3 }, POPUP);
    expect(reply).toMatchObject({ ok: true, value: [{ state: 'consistent', log: log.baseUrl, logTreeSize: log.size }] });
    // The view's own check and the popup's question share one fetch of the log's checkpoint.
    expect(asked.filter((a) => a.endsWith('/api/v1/log'))).toHaveLength(1);
    expect((await worker.log.witness.latest(log.origin))?.treeSize).toBe(log.size);
  });

  it('an equivocating log is an alert in the alerts list, naming the log', async () => {
    // The same log key, another history for the tree size this browser already saw: a split view.
    const fork = new RekorV1Log('worker-log-fork');
    let seenSize = 0;
    const { worker, trust, alertCounts } = setup('worker-log-fork', {
      head: () => {
        while (fork.size < seenSize) (fork as unknown as { appendLeaf(b: Uint8Array): number }).appendLeaf(new TextEncoder().encode(`fork ${fork.size}`));
        return fork.checkpoint(seenSize);
      },
    });
    // First seen offline: the bundle's checkpoint becomes the reference.
    await worker.handle({ type: 'settings/set', settings: { onlineLogChecks: false } }, POPUP);
    await view(worker, 4);
    const stored = await worker.log.witness.latest(fork.origin);
    expect(stored?.source).toBe('bundle');
    seenSize = stored!.treeSize;
    await worker.handle({ type: 'settings/set', settings: { onlineLogChecks: true } }, POPUP);
    const reply = await worker.handle({ type: 'log/consistency', tabId: 4 }, POPUP);
    expect(reply).toMatchObject({ ok: true, value: [{ state: 'unchecked', reason: 'equivocation', code: 'LOG_EQUIVOCATION' }] });
    const { alerts, unread } = await trust.alerts();
    expect(unread).toBe(1);
    expect(alerts[0]).toMatchObject({ repo: 'acme/sigstore', code: 'LOG_EQUIVOCATION', state: 'invalid-signature' });
    expect(alerts[0]!.reason).toContain(fork.origin);
    expect(alerts[0]!.reason).toContain(stored!.rootHash);
    expect(alertCounts.at(-1)).toBe(1);
    // The reference stays the first tree seen; asked again, the alert is not added twice.
    expect((await worker.log.witness.latest(fork.origin))?.rootHash).toBe(stored!.rootHash);
    await worker.handle({ type: 'log/consistency', tabId: 4 }, POPUP);
    expect((await trust.alerts()).alerts).toHaveLength(1);
  });

  it("a disk check's signature meets the witness too", async () => {
    const { worker, log, signature } = setup('worker-log-disk');
    const reply = await worker.handle({ type: 'disk/signature', signature }, { id: OWN, url: `${EXT}extension/pages/check-files.html` });
    expect(reply).toMatchObject({ ok: true, value: { kind: 'signed' } });
    for (let i = 0; i < 500 && (await worker.log.witness.latest(log.origin))?.source !== 'log'; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await worker.log.witness.latest(log.origin)).toMatchObject({ source: 'log', treeSize: log.size });
  });

  it('switched off: the popup says so and no log is asked; the settings name the hosts', async () => {
    const { worker, asked } = setup('worker-log-off');
    const s = await worker.handle({ type: 'settings/get' }, POPUP);
    expect(s).toMatchObject({ ok: true, value: { onlineLogChecks: true, logHosts: ['rekor.sigstore.test', 'log2025-1.rekor.sigstore.test'] } });
    expect((await worker.handle({ type: 'settings/set', settings: { onlineLogChecks: false } }, POPUP)).ok).toBe(true);
    // Only booleans, and the host list is never set from outside.
    expect((await worker.handle({ type: 'settings/set', settings: { onlineLogChecks: 'no' } }, POPUP)).ok).toBe(false);
    expect((await worker.handle({ type: 'settings/set', settings: { logHosts: ['evil.example'] } }, POPUP)).ok).toBe(false);
    await view(worker, 5);
    const reply = await worker.handle({ type: 'log/consistency', tabId: 5 }, POPUP);
    expect(reply).toMatchObject({ ok: true, value: [{ state: 'unchecked', reason: 'off' }] });
    expect(asked).toEqual([]);
  });
});
