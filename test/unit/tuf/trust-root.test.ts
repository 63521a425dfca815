/**
 * The trust root policy end to end in Node: the worker's revision checker verifying a hub repo signed
 * by the factory's test Sigstore instance, with the trust root kept by TrustRootKeeper from a local
 * test TUF repository whose target trusts that instance. Built-in until an update succeeds; the
 * updated root while valid; after expiry with the repository unreachable, "could not verify"
 * (TRUST_ROOT_EXPIRED) and never the built-in root; key rotation, rollback and freeze.
 */
import { describe, expect, it } from 'vitest';
import { RevisionChecker } from '../../../extension/background/revision-checker.js';
import { MemoryArea, SerializedStorage } from '../../../extension/background/storage.js';
import { TrustRootService } from '../../../extension/background/trust-root.js';
import { TrustStore } from '../../../extension/core/trust/store.js';
import { TrustRootKeeper } from '../../../extension/core/tuf/trust-root.js';
import { productionTrustedRootJson, trustedRootDate } from '../../../extension/core/sigstore/trusted-root.js';
import { DEFAULT_REVISION } from '../../../extension/core/hub/revision-check.js';
import type { FetchLike } from '../../../extension/core/env.js';
import { createHubHandler, hubFetch, HUB } from '../../fixture-hub/hub.mjs';
import { repo, file } from '../../fixture-hub/repo.mjs';
import { sigstoreTuf, sigstoreSignedModel, TUF_TEST_IDENTITY } from '../../factory/tuf-sigstore.js';
import { createKeySigner } from '../../factory/signers.js';
import { signModel } from '../../factory/model.js';
import { deriveKey } from '../../factory/keys.js';
import { setupWorker, OWN, EXT } from '../background/harness.js';
import { DiskSignatures } from '../../../extension/background/disk-check.js';

const DAY = 86_400_000;
const start = Date.parse('2026-11-01T12:00:00Z');

function setup() {
  const { sigstore, tuf, seedRoot } = sigstoreTuf(new Date(start));
  const signed = sigstoreSignedModel(sigstore);
  const key = createKeySigner('P-256', { seed: 'tuf-keyed' });
  const keyedFiles = { 'config.json': new TextEncoder().encode('{"keyed":true}\n') };
  const keyed = signModel({ files: keyedFiles, signer: key, name: 'keyed' });
  const hub = createHubHandler([
    repo({ id: 'tuf/sigstore-signed', commits: { v1: [file('model.sig', signed.signature), ...Object.entries(signed.files).map(([p, b]) => file(p, b))] } }),
    repo({ id: 'tuf/key-signed', commits: { v1: [file('model.sig', keyed.signature), file('config.json', keyedFiles['config.json'])] } }),
  ]);
  let now = start;
  const served = tuf.fetcher();
  let reachable = true;
  const tufFetch: FetchLike = (input) => (reachable ? served.fetch(String(input)) : Promise.reject(new TypeError('Failed to fetch')));
  const local = new SerializedStorage(new MemoryArea());
  const keeper = new TrustRootKeeper({ fetch: tufFetch, storage: local, clock: { now: () => now }, baseUrl: tuf.base, seedRoot, builtIn: productionTrustedRootJson() });
  let online = true;
  const trust = new TrustStore(local);
  const checker = new RevisionChecker({
    fetch: hubFetch(hub) as FetchLike,
    trust,
    cache: local,
    now: () => now,
    maxHashBytes: () => 1 << 20,
    trustRoot: () => keeper.choose(online),
  });
  const sigstoreRef = { hub: HUB, kind: 'model' as const, repo: 'tuf/sigstore-signed', revision: DEFAULT_REVISION };
  const keyRef = { hub: HUB, kind: 'model' as const, repo: 'tuf/key-signed', revision: DEFAULT_REVISION };
  return {
    tuf,
    keeper,
    checker,
    trust,
    key,
    sigstoreRef,
    keyRef,
    asked: served.asked,
    setNow: (t: number) => void (now = t),
    setReachable: (r: boolean) => void (reachable = r),
    setOnline: (o: boolean) => void (online = o),
  };
}

describe('trust root kept through TUF', () => {
  it('uses the built-in root until an update succeeds; the updated root then verifies the test Sigstore signature', async () => {
    const t = setup();
    // Built-in (production) root: the test CA and logs are unknown to it.
    const before = await t.checker.verdictFor(t.sigstoreRef);
    expect(before.state).not.toMatch(/^verified/);
    expect(await t.keeper.status(true)).toMatchObject({ source: 'built-in', rootVersion: 1, host: 'tuf.test', builtInDate: trustedRootDate(productionTrustedRootJson()) });

    expect(await t.keeper.refresh()).toBeDefined();
    const after = await t.checker.verdictFor(t.sigstoreRef);
    expect(after.state).toBe('verified-first-use');
    expect(after).toMatchObject({ signature: { signer: { identity: TUF_TEST_IDENTITY } } });
    expect(await t.keeper.status(true)).toMatchObject({ source: 'updated', rootVersion: 1, lastUpdate: start, validUntil: Date.parse(t.tuf.expires(7)), updatedDate: '2024-01-01' });
  });

  it('online updates switched off: the built-in root, labelled so, even after an update', async () => {
    const t = setup();
    await t.keeper.refresh();
    t.setOnline(false);
    expect(await t.keeper.status(false)).toMatchObject({ source: 'built-in', online: false });
    expect((await t.checker.verdictFor(t.sigstoreRef)).state).not.toMatch(/^verified/);
  });

  it('expired metadata and an unreachable repository: Sigstore verdicts are "could not verify" (TRUST_ROOT_EXPIRED), never the built-in root; key signatures still verify', async () => {
    const t = setup();
    await t.trust.setExpected({ kind: 'key', scope: 'tuf/key-signed', publicKeyPem: t.key.publicKeyPem });
    await t.keeper.refresh();
    expect((await t.checker.verdictFor(t.sigstoreRef)).state).toBe('verified-first-use');
    expect((await t.checker.verdictFor(t.keyRef)).state).toMatch(/^verified/);

    t.setReachable(false);
    t.setNow(start + 8 * DAY); // the timestamp lived 7 days
    const v = await t.checker.verdictFor(t.sigstoreRef);
    expect(v).toMatchObject({ state: 'unverifiable', failure: { code: 'TRUST_ROOT_EXPIRED', reason: expect.stringContaining('tuf.test could not renew it') } });
    // The cached green check of the same commit is not reused under an expired root.
    expect(v.state).not.toBe('verified');
    expect((await t.checker.verdictFor(t.keyRef)).state).toMatch(/^verified/);
    const status = await t.keeper.status(true);
    expect(status).toMatchObject({ source: 'expired', lastError: { code: 'NETWORK_ERROR' } });

    // The repository is back: the check before verifying renews the root, and the signature verifies again.
    t.tuf.publish({ expiresDays: { timestamp: 30 } });
    t.setReachable(true);
    t.setNow(start + 8 * DAY + 61_000);
    expect((await t.checker.verdictFor(t.sigstoreRef)).state).toBe('verified');
  });

  it('unreachable repository before expiry: the last verified root stays in force, with its validity shown', async () => {
    const t = setup();
    await t.keeper.refresh();
    t.setReachable(false);
    t.setNow(start + 2 * DAY);
    expect(await t.keeper.refresh(true)).toBeUndefined();
    const status = await t.keeper.status(true);
    expect(status).toMatchObject({ source: 'updated', lastUpdate: start, validUntil: Date.parse(t.tuf.expires(7)), lastError: { code: 'NETWORK_ERROR', at: start + 2 * DAY } });
    expect((await t.checker.verdictFor(t.sigstoreRef)).state).toBe('verified-first-use');
  });

  it('key rotation: a root signed by the old and the new keys is followed, and the target still verifies', async () => {
    const t = setup();
    await t.keeper.refresh();
    const old = t.tuf.keys.root;
    const fresh = [0, 1, 2].map((i) => deriveKey('P-256', `tuf-sigstore-rotated:${i}`));
    t.tuf.keys.root = fresh;
    t.tuf.publishRoot([old[0]!, old[1]!, fresh[0]!, fresh[1]!]);
    t.tuf.publish();
    t.setNow(start + DAY);
    expect(await t.keeper.refresh(true)).toBeDefined();
    expect(await t.keeper.status(true)).toMatchObject({ source: 'updated', rootVersion: 2, lastUpdate: start + DAY });
    expect((await t.checker.verdictFor(t.sigstoreRef)).state).toBe('verified-first-use');
  });

  it('rollback attempt: an older timestamp is refused, recorded, and the verified root stays', async () => {
    const t = setup();
    t.tuf.publish();
    await t.keeper.refresh(); // timestamp version 2
    t.tuf.publish({ timestampVersion: 1 });
    expect(await t.keeper.refresh(true)).toBeUndefined();
    expect(await t.keeper.status(true)).toMatchObject({ source: 'updated', lastError: { code: 'TUF_ROLLBACK' } });
    expect((await t.checker.verdictFor(t.sigstoreRef)).state).toBe('verified-first-use');
  });

  it('freeze: a repository serving expired metadata is refused; once the last root expires, nothing is green', async () => {
    const t = setup();
    await t.keeper.refresh();
    t.tuf.publish({ expiresDays: { timestamp: 0.5 } }); // a frozen repository re-serves stale metadata
    t.setNow(start + DAY);
    expect(await t.keeper.refresh(true)).toBeUndefined();
    expect(await t.keeper.status(true)).toMatchObject({ source: 'updated', lastError: { code: 'TUF_EXPIRED' } });
    t.setNow(start + 8 * DAY);
    const v = await t.checker.verdictFor(t.sigstoreRef);
    expect(v).toMatchObject({ state: 'unverifiable', failure: { code: 'TRUST_ROOT_EXPIRED' } });
  });

  it('the disk check asks the same trust root: verified with the updated one, TRUST_ROOT_EXPIRED once it expired', async () => {
    const t = setup();
    const { signature } = sigstoreSignedModel(sigstoreTuf(new Date(start)).sigstore);
    const disk = new DiskSignatures({ trust: t.trust, verdictFor: (r) => t.checker.verdictFor(r), fetch: () => Promise.reject(new Error('no hub')), now: () => start, trustRoot: () => t.keeper.choose(true) });
    await t.keeper.refresh();
    expect(await disk.folder(signature, undefined)).toMatchObject({ kind: 'signed', evidence: { signer: { identity: TUF_TEST_IDENTITY } } });
    t.setReachable(false);
    t.setNow(start + 8 * DAY);
    expect(await disk.folder(signature, undefined)).toMatchObject({ kind: 'verdict', verdict: { state: 'unverifiable', failure: { code: 'TRUST_ROOT_EXPIRED' } } });
  });

  it('a failed update is not retried within a minute (a page view burst makes one request)', async () => {
    const t = setup();
    t.setReachable(false);
    await t.keeper.refresh();
    t.setReachable(true);
    expect(await t.keeper.refresh()).toBeUndefined();
    expect(t.asked).toEqual([]);
    t.setNow(start + 61_000);
    expect(await t.keeper.refresh()).toBeDefined();
  });
});

describe('trust root service (worker)', () => {
  it('is on by default, names the production host, and switching it off stops updates', async () => {
    const asked: string[] = [];
    const local = new SerializedStorage(new MemoryArea());
    const svc = new TrustRootService({ storage: local, fetch: async (u) => (asked.push(String(u)), new Response('no', { status: 503 })), now: () => start });
    expect(await svc.status()).toMatchObject({ source: 'built-in', online: true, host: 'tuf-repo-cdn.sigstore.dev', rootVersion: 14 });
    await svc.started();
    expect(asked[0]).toBe('https://tuf-repo-cdn.sigstore.dev/15.root.json');
    expect(await svc.status()).toMatchObject({ source: 'built-in', lastError: { code: 'NETWORK_ERROR' } });
    const off = await svc.setOnline(false);
    expect(off).toMatchObject({ online: false, source: 'built-in' });
    const n = asked.length;
    await svc.update();
    await svc.alarm();
    expect(asked.length).toBe(n);
    expect((await svc.choose()).tag).toBe('builtin');
  });
});

describe('trust root messages (worker)', () => {
  const popup = { id: OWN, url: `${EXT}popup/index.html` };
  const content = { id: OWN, url: 'https://huggingface.co/acme/signed', tab: { id: 4, url: 'https://huggingface.co/acme/signed' }, frameId: 0 };

  it('extension pages read the status and flip the switch; content scripts and malformed bodies are refused', async () => {
    const local = new SerializedStorage(new MemoryArea());
    const trustRoot = new TrustRootService({ storage: local, fetch: async () => new Response('no', { status: 503 }), now: () => start });
    const { worker } = setupWorker('tuf-messages', { trustRoot });
    expect(await worker.handle({ type: 'trust-root/status' }, popup)).toMatchObject({ ok: true, value: { source: 'built-in', online: true, rootVersion: 14 } });
    expect(await worker.handle({ type: 'trust-root/status' }, content)).toMatchObject({ ok: false, error: { code: 'REFUSED' } });
    expect(await worker.handle({ type: 'trust-root/set-online', online: 'no' }, popup)).toMatchObject({ ok: false, error: { code: 'REFUSED' } });
    expect(await worker.handle({ type: 'trust-root/set-online', online: false }, popup)).toMatchObject({ ok: true, value: { online: false, source: 'built-in' } });
    expect(await worker.handle({ type: 'trust-root/status' }, popup)).toMatchObject({ ok: true, value: { online: false } });
  });
});
