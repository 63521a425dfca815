import { describe, expect, it } from 'vitest';
import { TrustStore, TRUST_STORAGE_KEY } from '../../../extension/core/trust/store.js';
import { migrate } from '../../../extension/core/trust/schema.js';
import { repoKey, TRUST_SCHEMA_VERSION } from '../../../extension/core/trust/types.js';
import type { KeyValueStorage } from '../../../extension/core/env.js';
import type { RevisionCheck, RevisionOutcome } from '../../../extension/core/hub/revision-check.js';
import type { FileResult, Signer } from '../../../extension/core/verdict.js';
import { ModelSealError } from '../../../extension/core/errors.js';
import { createKeySigner } from '../../factory/index.js';

const HUB = 'https://huggingface.co';
const ALICE: Signer = { kind: 'sigstore', identity: 'alice@example.com', issuer: 'https://accounts.example.com' };
const MALLORY: Signer = { kind: 'sigstore', identity: 'mallory@example.com', issuer: 'https://accounts.example.com' };
const FILES: FileResult[] = [{ path: 'w.bin', status: 'verified' }];

/** Storage that yields to the event loop on every call (like chrome.storage), so writers interleave. */
class SlowStorage implements KeyValueStorage {
  readonly data = new Map<string, unknown>();
  writes = 0;
  async get(key: string): Promise<unknown> {
    await new Promise((r) => setTimeout(r, Math.random() * 3));
    const v = this.data.get(key);
    return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
  }
  async set(key: string, value: unknown): Promise<void> {
    await new Promise((r) => setTimeout(r, Math.random() * 3));
    this.writes++;
    this.data.set(key, JSON.parse(JSON.stringify(value)));
  }
}

let t = 1000;
const clock = { now: () => ++t };

function check(repo: string, commit: string, outcome: RevisionOutcome, extra: Partial<RevisionCheck> = {}): RevisionCheck {
  return { hub: HUB, kind: 'model', repo, revision: 'main', commit, checkedAt: clock.now(), outcome, requests: 3, atDefaultHead: true, ...extra };
}
function signed(repo: string, commit: string, signer: Signer, extra: Partial<RevisionCheck> = {}): RevisionCheck {
  return check(repo, commit, {
    status: 'signed',
    signatureFiles: ['model.sig'],
    evidence: { signer, logEntries: [], timestamps: [], rootDigest: '0'.repeat(64), predicateType: 'p' },
    files: FILES,
    ignoreUnsignedFiles: false,
  }, extra);
}
const sha = (n: number) => n.toString(16).padStart(40, '0');

describe('TrustStore', () => {
  it('walks first use → verified → identity changed → accepted → signature removed, with history and alerts', async () => {
    const store = new TrustStore(new SlowStorage(), { clock });
    expect((await store.record(signed('acme/m', sha(1), ALICE))).state).toBe('verified-first-use');
    const v2 = await store.record(signed('acme/m', sha(2), ALICE));
    expect(v2.state).toBe('verified');
    const v3 = await store.record(signed('acme/m', sha(3), MALLORY));
    expect(v3.state).toBe('identity-changed');
    const { alerts } = await store.alerts();
    let { unread } = await store.alerts();
    expect(unread).toBe(1);
    expect(alerts[0]).toMatchObject({ repo: 'acme/m', state: 'identity-changed', commit: sha(3), signer: MALLORY, previousSigners: [ALICE] });
    // Re-checking the same commit does not duplicate the alert or the history entry.
    await store.record(signed('acme/m', sha(3), MALLORY));
    expect((await store.alerts()).alerts).toHaveLength(1);

    const ref = { hub: HUB, kind: 'model' as const, repo: 'acme/m' };
    await expect(store.acceptSigner(ref, MALLORY, 'acme/other')).rejects.toMatchObject({ code: 'CONFIRMATION_MISMATCH' });
    await expect(store.acceptSigner(ref, { ...MALLORY, identity: 'never@seen' }, 'acme/m')).rejects.toMatchObject({ code: 'IDENTITY_MISMATCH' });
    await store.acceptSigner(ref, MALLORY, ' acme/m ');
    ({ unread } = await store.alerts());
    expect(unread).toBe(0);
    expect((await store.record(signed('acme/m', sha(4), MALLORY))).state).toBe('verified');
    // k = 1: accepting replaced the old signer.
    expect((await store.record(signed('acme/m', sha(5), ALICE))).state).toBe('identity-changed');

    expect((await store.record(check('acme/m', sha(6), { status: 'unsigned' }))).state).toBe('signature-removed');
    const rec = await store.repo(ref);
    expect(rec?.history.map((h) => [h.commit, h.state])).toEqual([
      [sha(1), 'verified-first-use'],
      [sha(2), 'verified'],
      [sha(3), 'identity-changed'],
      [sha(4), 'verified'],
      [sha(5), 'identity-changed'],
      [sha(6), 'signature-removed'],
    ]);
    expect(rec?.history[0]?.signer).toEqual(ALICE);
    await store.markAlertsRead();
    expect((await store.alerts()).unread).toBe(0);
  });

  it('loses nothing when many tabs record and change settings at once', async () => {
    const storage = new SlowStorage();
    const store = new TrustStore(storage, { clock });
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 40; i++) {
      work.push(store.record(signed(`owner/repo-${i}`, sha(i), ALICE)));
      if (i % 10 === 0) work.push(store.setExpected({ scope: `other/r${i}`, identity: 'x@y', issuer: 'https://i' }));
      if (i % 7 === 0) work.push(store.record(check(`owner/unsigned-${i}`, sha(i), { status: 'unsigned' })));
    }
    work.push(store.setSignersPerRepo(3));
    const results = await Promise.all(work);
    expect(results.filter((r) => (r as { state?: string } | undefined)?.state === 'verified-first-use')).toHaveLength(40);
    const doc = await store.snapshot();
    expect(Object.keys(doc.repos)).toHaveLength(40 + 6);
    expect(doc.expected).toHaveLength(4);
    expect(doc.settings.signersPerRepo).toBe(3);
    for (let i = 0; i < 40; i++) expect(doc.repos[repoKey({ hub: HUB, kind: 'model', repo: `owner/repo-${i}` })]?.pins).toHaveLength(1);
    // Two stores over the same storage (worker restart) see the same document.
    expect(Object.keys((await new TrustStore(storage).snapshot()).repos)).toHaveLength(46);
  });

  it('a failing update changes nothing and does not block later ones', async () => {
    const storage = new SlowStorage();
    const store = new TrustStore(storage, { clock });
    await store.record(signed('acme/m', sha(1), ALICE));
    const before = JSON.stringify(storage.data.get(TRUST_STORAGE_KEY));
    await expect(store.update((doc) => {
      doc.settings.signersPerRepo = 9;
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(JSON.stringify(storage.data.get(TRUST_STORAGE_KEY))).toBe(before);
    expect((await store.record(signed('acme/m', sha(2), ALICE))).state).toBe('verified');
  });

  it('writes nothing when a known commit is seen again with the same outcome', async () => {
    const storage = new SlowStorage();
    const store = new TrustStore(storage, { clock });
    await store.record(signed('acme/m', sha(1), ALICE));
    const writes = storage.writes;
    const again = signed('acme/m', sha(1), ALICE);
    again.checkedAt = (await store.repo({ hub: HUB, kind: 'model', repo: 'acme/m' }))!.history[0]!.seenAt;
    expect((await store.record(again)).state).toBe('verified');
    // Only the state differs from the first visit (first use → verified), so one write; then none.
    const w1 = storage.writes;
    expect(w1 - writes).toBeLessThanOrEqual(1);
    await store.record(again);
    expect(storage.writes).toBe(w1);
  });

  it('refuses to store what could not be read back, and keeps the document readable', async () => {
    const storage = new SlowStorage();
    const store = new TrustStore(storage, { clock });
    await store.record(signed('acme/m', sha(1), ALICE));
    const huge: Signer = { kind: 'sigstore', identity: 'x'.repeat(10_000), issuer: 'https://i' };
    await expect(store.record(signed('acme/m', sha(2), huge))).rejects.toMatchObject({ code: 'STORE_INVALID' });
    // A fresh store (worker restart) still reads the document.
    expect((await new TrustStore(storage, { clock }).record(signed('acme/m', sha(3), ALICE))).state).toBe('verified');
  });

  it('keeps pins across a rename reported by the hub', async () => {
    const store = new TrustStore(new SlowStorage(), { clock });
    await store.record(signed('acme/old', sha(1), ALICE));
    const v = await store.record(signed('acme/new', sha(2), MALLORY, { renamedFrom: 'acme/old' }));
    expect(v.state).toBe('identity-changed');
  });

  it('policies: expected identity per repo and per owner, key plans', async () => {
    const store = new TrustStore(new SlowStorage(), { clock });
    await store.setExpected({ scope: 'acme/*', identity: 'alice@example.com', issuer: 'https://accounts.example.com' });
    expect((await store.record(signed('acme/m', sha(1), MALLORY))).state).toBe('identity-changed');
    expect((await store.record(signed('acme/n', sha(1), ALICE))).state).toBe('verified');
    const key = createKeySigner('P-384', { seed: 'store-test' });
    await store.setExpected({ kind: 'key', scope: 'acme/k', publicKeyPem: key.publicKeyPem });
    expect(await store.plan({ hub: HUB, kind: 'model', repo: 'acme/k' })).toEqual({ publicKeyPems: [key.publicKeyPem], caPems: [] });
    const policy = (await store.snapshot()).expected.find((e) => e.kind === 'key');
    expect(policy).toMatchObject({ keyFingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) });
    await expect(store.setExpected({ kind: 'key', scope: 'acme/k', publicKeyPem: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n' })).rejects.toMatchObject({ code: 'KEY_INVALID' });
    expect(await store.plan({ hub: HUB, kind: 'model', repo: 'acme/m' })).toEqual({ publicKeyPems: [], caPems: [] });
    await store.removeExpected('acme/*');
    expect((await store.snapshot()).expected.map((e) => e.scope)).toEqual(['acme/k']);
    await expect(store.setExpected({ scope: 'not a scope', identity: 'a', issuer: 'b' })).rejects.toMatchObject({ code: 'STORE_INVALID' });
    await expect(store.setSignersPerRepo(0)).rejects.toMatchObject({ code: 'STORE_INVALID' });
  });

  it('exports and imports JSON; a bad import changes nothing', async () => {
    const a = new TrustStore(new SlowStorage(), { clock });
    await a.record(signed('acme/m', sha(1), ALICE));
    await a.record(signed('acme/m', sha(2), MALLORY));
    await a.setExpected({ scope: 'acme/x', identity: '*@example.com', issuer: 'https://i' });
    const json = await a.exportJson();

    const storage = new SlowStorage();
    const b = new TrustStore(storage, { clock });
    await b.record(signed('keep/me', sha(9), ALICE));
    const before = JSON.stringify(storage.data.get(TRUST_STORAGE_KEY));
    const bad: string[] = [
      'not json',
      '{}',
      JSON.stringify({ format: 'modelseal-trust-export', document: { schemaVersion: 99 } }),
      json.replace('"alice@example.com"', '5'),
      json.replace('"signersPerRepo": 1', '"signersPerRepo": 1000'),
      json.replace('https://huggingface.co|model|acme/m', 'https://huggingface.co|model|victim/m'),
      json.replace('"state": "identity-changed"', '"state": "trusted-forever"'),
    ];
    for (const s of bad) {
      for (const attempt of [() => b.previewImport(s), () => b.applyImport(s, { mode: 'replace', confirmation: 'replace', previewId: 'x' })]) {
        const err = await attempt().catch((e: unknown) => e);
        expect(err, s.slice(0, 60)).toBeInstanceOf(ModelSealError);
        expect((err as ModelSealError).code).toBe('STORE_INVALID');
        expect(JSON.stringify(storage.data.get(TRUST_STORAGE_KEY))).toBe(before);
      }
    }
    const preview = await b.previewImport(json);
    await b.applyImport(json, { mode: 'replace', confirmation: 'replace', previewId: preview.replace.id });
    const doc = await b.snapshot();
    expect(doc).toEqual(await a.snapshot());
    expect(doc.expected[0]).toMatchObject({ glob: true });
  });

  describe('import: a crafted file is previewed, merged by default, and widens trust only when typed-confirmed', () => {
    const META_KEY = createKeySigner('P-256', { seed: 'attacker' });
    /** The victim's store: a pin, an alert, k = 1. */
    async function victim() {
      const storage = new SlowStorage();
      const store = new TrustStore(storage, { clock });
      await store.record(signed('acme/m', sha(1), ALICE));
      await store.record(signed('acme/m', sha(2), MALLORY)); // identity-changed: one alert
      return { storage, store, stored: () => JSON.stringify(storage.data.get(TRUST_STORAGE_KEY)) };
    }
    /** The attack: a key policy for meta-llama/*, k = 16, no pins, no alerts. */
    async function crafted() {
      const src = new TrustStore(new SlowStorage(), { clock });
      await src.setExpected({ kind: 'key', scope: 'meta-llama/*', publicKeyPem: META_KEY.publicKeyPem });
      await src.setSignersPerRepo(16);
      return src.exportJson();
    }

    it('previewing changes nothing and shows the policy, k, and (for replace) the wiped pins and alerts', async () => {
      const { store, stored } = await victim();
      const before = stored();
      const p = await store.previewImport(await crafted());
      expect(stored()).toBe(before);
      expect(p.merge).toMatchObject({
        mode: 'merge',
        signersPerRepo: { before: 1, after: 16 },
        pins: { added: [], removed: [], changed: [] },
        alerts: { added: 0, removed: 0 },
        confirmation: 'merge',
      });
      expect(p.merge.policies.added.map((e) => [e.scope, e.kind])).toEqual([['meta-llama/*', 'key']]);
      expect(p.replace).toMatchObject({ mode: 'replace', signersPerRepo: { before: 1, after: 16 }, alerts: { added: 0, removed: 1 }, repos: { removed: 1 }, confirmation: 'replace' });
      expect(p.replace.pins.removed.map((x) => [x.repo, x.before])).toEqual([['acme/m', [ALICE]]]);
    });

    it('refuses to apply without the typed word, with the other mode\'s word, or with a stale or missing preview', async () => {
      const { store, stored } = await victim();
      const json = await crafted();
      const before = stored();
      const p = await store.previewImport(json);
      const attempts: [Parameters<TrustStore['applyImport']>[1], string][] = [
        [{ mode: 'merge', previewId: p.merge.id }, 'CONFIRMATION_MISMATCH'],
        [{ mode: 'merge', previewId: p.merge.id, confirmation: 'yes' }, 'CONFIRMATION_MISMATCH'],
        [{ mode: 'replace', previewId: p.replace.id, confirmation: 'merge' }, 'CONFIRMATION_MISMATCH'],
        // The merge preview's id does not authorise a replace.
        [{ mode: 'replace', previewId: p.merge.id, confirmation: 'replace' }, 'PREVIEW_MISMATCH'],
        [{ mode: 'merge', previewId: '', confirmation: 'merge' }, 'PREVIEW_MISMATCH'],
      ];
      for (const [opts, code] of attempts) {
        await expect(store.applyImport(json, opts), JSON.stringify(opts)).rejects.toMatchObject({ code });
        expect(stored()).toBe(before);
      }
      // The store changed after the preview (a new pin): the replace would now wipe more than shown.
      await store.record(signed('acme/n', sha(3), ALICE));
      const afterRecord = stored();
      await expect(store.applyImport(json, { mode: 'replace', previewId: p.replace.id, confirmation: 'replace' })).rejects.toMatchObject({ code: 'PREVIEW_MISMATCH' });
      expect(stored()).toBe(afterRecord);
    });

    it('a confirmed merge keeps pins, alerts and history and adds the policy and k; replace needs its own word', async () => {
      const { store } = await victim();
      const json = await crafted();
      const beforeDoc = await store.snapshot();
      const p = await store.previewImport(json);
      await store.applyImport(json, { mode: 'merge', previewId: p.merge.id, confirmation: ' merge ' });
      const doc = await store.snapshot();
      const key = repoKey({ hub: HUB, kind: 'model', repo: 'acme/m' });
      expect(doc.repos[key]).toEqual(beforeDoc.repos[key]);
      expect(doc.alerts).toEqual(beforeDoc.alerts);
      expect(doc.settings.signersPerRepo).toBe(16);
      expect(doc.expected.map((e) => e.scope)).toEqual(['meta-llama/*']);
      // Replacing now: previewed, then applied only with "replace".
      const r = (await store.previewImport(json)).replace;
      expect(r.pins.removed.map((x) => x.repo)).toEqual(['acme/m']);
      await store.applyImport(json, { mode: 'replace', previewId: r.id, confirmation: 'replace' });
      expect(Object.keys((await store.snapshot()).repos)).toEqual([]);
    });

    it('a merge that only adds unknown repos and alerts needs no typed word; a second pin for a known repo does', async () => {
      const { store } = await victim();
      const other = new TrustStore(new SlowStorage(), { clock });
      await other.record(signed('new/repo', sha(4), ALICE));
      const addOnly = await other.exportJson();
      const p = await store.previewImport(addOnly);
      expect(p.merge.confirmation).toBeUndefined();
      expect(p.merge.pins.added.map((x) => x.repo)).toEqual(['new/repo']);
      await store.applyImport(addOnly, { mode: 'merge', previewId: p.merge.id });
      expect((await store.record(signed('new/repo', sha(5), ALICE))).state).toBe('verified');

      const pinner = new TrustStore(new SlowStorage(), { clock });
      await pinner.record(signed('acme/m', sha(6), MALLORY)); // the signer the victim refused
      const json = await pinner.exportJson();
      const q = await store.previewImport(json);
      expect(q.merge.pins.changed).toEqual([expect.objectContaining({ repo: 'acme/m', before: [ALICE], after: [ALICE, MALLORY] })]);
      expect(q.merge.confirmation).toBe('merge');
      await expect(store.applyImport(json, { mode: 'merge', previewId: q.merge.id })).rejects.toMatchObject({ code: 'CONFIRMATION_MISMATCH' });
      expect((await store.record(signed('acme/m', sha(7), MALLORY))).state).toBe('identity-changed');
    });
  });

  it('reads a damaged stored document as an error, never as an empty trust store', async () => {
    const storage = new SlowStorage();
    storage.data.set(TRUST_STORAGE_KEY, { schemaVersion: 2, repos: 'oops' });
    const store = new TrustStore(storage, { clock });
    await expect(store.record(signed('acme/m', sha(1), MALLORY))).rejects.toMatchObject({ code: 'STORE_INVALID' });
    expect(storage.data.get(TRUST_STORAGE_KEY)).toEqual({ schemaVersion: 2, repos: 'oops' });
  });
});

describe('accepting a signer when a policy named the old one', () => {
  const ref = { hub: HUB, kind: 'model' as const, repo: 'acme/m' };

  it('no longer loops: a pin alone is refused, the shown plan changes the repo policy, and the next check is verified', async () => {
    const store = new TrustStore(new SlowStorage(), { clock });
    await store.setExpected({ scope: 'acme/m', identity: 'alice@example.com', issuer: 'https://accounts.example.com' });
    expect((await store.record(signed('acme/m', sha(1), ALICE))).state).toBe('verified');
    expect((await store.record(signed('acme/m', sha(2), MALLORY))).state).toBe('identity-changed');
    // Before the fix this pinned MALLORY, said "now trusted", and the policy still won.
    await expect(store.acceptSigner(ref, MALLORY, 'acme/m')).rejects.toMatchObject({ code: 'POLICY_CONFLICT' });
    expect((await store.record(signed('acme/m', sha(2), MALLORY))).state).toBe('identity-changed');

    const plan = await store.previewAccept(ref, MALLORY);
    expect(plan).toMatchObject({ confirmation: 'acme/m', pin: { add: true, drop: [ALICE] }, policy: { scope: 'acme/m', choices: ['replace'] } });
    expect(plan.policy?.current).toEqual([expect.objectContaining({ identity: 'alice@example.com' })]);
    expect(plan.policy?.replacement).toMatchObject({ kind: 'sigstore', scope: 'acme/m', identity: MALLORY.identity, issuer: MALLORY.issuer, glob: false });
    await expect(store.acceptSigner(ref, MALLORY, 'acme/m', { policy: 'exception' })).rejects.toMatchObject({ code: 'POLICY_CONFLICT' });
    await expect(store.acceptSigner(ref, MALLORY, 'acme/n', { policy: 'replace' })).rejects.toMatchObject({ code: 'CONFIRMATION_MISMATCH' });
    // A choice made for another policy than the one in force now is refused (the user saw another change).
    await expect(store.acceptSigner(ref, MALLORY, 'acme/m', { policy: 'replace', policyScope: 'acme/*' })).rejects.toMatchObject({ code: 'POLICY_CONFLICT' });
    await store.acceptSigner(ref, MALLORY, 'acme/m', { policy: 'replace', policyScope: 'acme/m' });
    expect((await store.record(signed('acme/m', sha(2), MALLORY))).state).toBe('verified');
    expect((await store.record(signed('acme/m', sha(3), ALICE))).state).toBe('identity-changed');
    expect((await store.snapshot()).expected).toEqual([expect.objectContaining({ scope: 'acme/m', identity: MALLORY.identity })]);
  });

  it('an owner/* policy: the user chooses a repo exception (the owner policy stays) or changing the owner policy', async () => {
    const store = new TrustStore(new SlowStorage(), { clock });
    await store.setExpected({ scope: 'acme/*', identity: 'alice@example.com', issuer: 'https://accounts.example.com' });
    expect((await store.record(signed('acme/m', sha(1), MALLORY))).state).toBe('identity-changed');
    expect((await store.previewAccept(ref, MALLORY)).policy).toMatchObject({ scope: 'acme/*', choices: ['replace', 'exception'] });
    await expect(store.acceptSigner(ref, MALLORY, 'acme/m')).rejects.toMatchObject({ code: 'POLICY_CONFLICT' });
    await store.acceptSigner(ref, MALLORY, 'acme/m', { policy: 'exception' });
    expect((await store.record(signed('acme/m', sha(1), MALLORY))).state).toBe('verified');
    expect((await store.record(signed('acme/other', sha(2), MALLORY))).state).toBe('identity-changed');
    expect((await store.snapshot()).expected.map((e) => [e.scope, e.kind === 'sigstore' ? e.identity : e.kind])).toEqual([
      ['acme/*', 'alice@example.com'],
      ['acme/m', 'mallory@example.com'],
    ]);
    const other = { ...ref, repo: 'acme/other' };
    await store.acceptSigner(other, MALLORY, 'acme/other', { policy: 'replace' });
    expect((await store.snapshot()).expected.map((e) => e.scope).sort()).toEqual(['acme/*', 'acme/m']);
    expect((await store.record(signed('acme/third', sha(3), MALLORY))).state).toBe('verified');
  });

  it('a signer that cannot be named in a policy is refused with the reason, never pinned behind the policy', async () => {
    const store = new TrustStore(new SlowStorage(), { clock });
    const key = createKeySigner('P-256', { seed: 'accept-key' });
    await store.setExpected({ kind: 'key', scope: 'acme/m', publicKeyPem: key.publicKeyPem });
    const otherKey: Signer = { kind: 'key', keyFingerprint: 'a'.repeat(64) };
    expect((await store.record(signed('acme/m', sha(1), otherKey))).state).toBe('identity-changed');
    expect((await store.previewAccept(ref, otherKey)).policy).toMatchObject({ scope: 'acme/m', choices: [] });
    await expect(store.acceptSigner(ref, otherKey, 'acme/m', { policy: 'replace' })).rejects.toMatchObject({ code: 'POLICY_CONFLICT' });
    expect((await store.repo(ref))?.pins).toEqual([]);
  });
});

describe('trust document migrations', () => {
  const v1 = {
    version: 1,
    signersPerRepo: 2,
    pins: {
      'ibm-granite/granite-3.3-8b': { signer: { kind: 'sigstore', identity: 'Granite.Preview@ibm.com', issuer: 'https://sigstore.verify.ibm.com/oauth2' }, since: 1700000000000 },
    },
    expected: { 'acme/*': { identity: '*@acme.com', issuer: 'https://accounts.google.com' } },
  };

  it('migrates a v1 document to the current schema', () => {
    const doc = migrate(v1);
    expect(doc.schemaVersion).toBe(TRUST_SCHEMA_VERSION);
    expect(doc.settings.signersPerRepo).toBe(2);
    const rec = doc.repos[repoKey({ hub: HUB, kind: 'model', repo: 'ibm-granite/granite-3.3-8b' })];
    expect(rec).toMatchObject({ hub: HUB, kind: 'model', repo: 'ibm-granite/granite-3.3-8b', signedSince: 1700000000000, history: [] });
    expect(rec?.pins).toEqual([{ signer: v1.pins['ibm-granite/granite-3.3-8b'].signer, since: 1700000000000, via: 'first-use' }]);
    expect(doc.expected).toEqual([{ kind: 'sigstore', scope: 'acme/*', identity: '*@acme.com', glob: true, issuer: 'https://accounts.google.com', createdAt: 0 }]);
    expect(doc.alerts).toEqual([]);
  });

  it('a v1 document in storage is migrated on first use and keeps its pins working', async () => {
    const storage = new SlowStorage();
    storage.data.set(TRUST_STORAGE_KEY, v1);
    const store = new TrustStore(storage, { clock });
    const granite: Signer = v1.pins['ibm-granite/granite-3.3-8b'].signer as Signer;
    expect((await store.record(signed('ibm-granite/granite-3.3-8b', sha(1), granite))).state).toBe('verified');
    expect((storage.data.get(TRUST_STORAGE_KEY) as { schemaVersion: number }).schemaVersion).toBe(TRUST_SCHEMA_VERSION);
    // v1 said k = 2: a second signer is still a first use, a third is a change.
    expect((await store.record(signed('ibm-granite/granite-3.3-8b', sha(2), MALLORY))).state).toBe('verified-first-use');
    expect((await store.record(signed('ibm-granite/granite-3.3-8b', sha(3), ALICE))).state).toBe('identity-changed');
  });

  it('rejects unknown versions and malformed v1 documents', () => {
    expect(() => migrate({ version: 7 })).toThrow(ModelSealError);
    expect(() => migrate({ version: 1, pins: { 'bad id': { signer: { kind: 'sigstore' }, since: 1 } } })).toThrow(ModelSealError);
    expect(() => migrate({ version: 1, pins: { 'a/b': { signer: { kind: 'magic' }, since: 1 } } })).toThrow(ModelSealError);
    expect(() => migrate(null)).toThrow(ModelSealError);
  });
});
