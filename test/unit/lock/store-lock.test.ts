/**
 * Locks in the trust store: "Lock this version" only for a verified revision, later revisions by the
 * same signer over other files are "differs from your lock", removing the lock lifts it, and the
 * lock travels with the trust export (round-trip, old exports without locks, import preview).
 */
import { describe, expect, it } from 'vitest';
import { TrustStore } from '../../../extension/core/trust/store.js';
import { migrate } from '../../../extension/core/trust/schema.js';
import { repoKey, type TrustDocument } from '../../../extension/core/trust/types.js';
import type { KeyValueStorage } from '../../../extension/core/env.js';
import { isModelSealError } from '../../../extension/core/errors.js';
import { parseLock, serializeLock } from '../../../extension/core/lock/index.js';
import { signModel } from '../../factory/index.js';
import { C1, C2, MODEL, check, hub, sigstoreSigner, toFake } from './hub-helpers.js';

class MemoryStorage implements KeyValueStorage {
  readonly data = new Map<string, unknown>();
  async get(key: string): Promise<unknown> {
    const v = this.data.get(key);
    return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
  }
  async set(key: string, value: unknown): Promise<void> {
    this.data.set(key, JSON.parse(JSON.stringify(value)));
  }
}

const REF = { hub: 'https://huggingface.co', kind: 'model' as const, repo: 'acme/model' };
let t = 5_000;
const clock = { now: () => ++t };

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return isModelSealError(e) ? e.code : `not ours: ${String(e)}`;
  }
  return 'no error';
}

async function twoCommits() {
  const signer = sigstoreSigner();
  const changed = { ...MODEL, 'tokenizer.json': '{"v":2}' };
  const h = hub({ [C1]: toFake(MODEL, signModel({ files: MODEL, signer }).signature), [C2]: toFake(changed, signModel({ files: changed, signer }).signature) });
  return { first: await check(h, C1), later: await check(h, 'main') };
}

describe('locks in the trust store', () => {
  it('locks a verified revision; a later commit by the same signer differs from the lock; removing the lock lifts it', async () => {
    const store = new TrustStore(new MemoryStorage(), { clock });
    const { first, later } = await twoCommits();
    // Not seen yet: nothing to lock.
    expect(await codeOf(store.lockRevision(first))).toBe('LOCK_INVALID');
    expect((await store.record(first)).state).toBe('verified-first-use');
    const lock = await store.lockRevision(first);
    expect(lock.document.commit).toBe(C1);
    expect(parseLock(serializeLock(lock.document))).toEqual(lock.document);

    const locked = await store.record(first);
    expect(locked.state).toBe('verified');
    expect(locked.agreed?.map((a) => a.source)).toContain('lock');
    const v = await store.record(later);
    expect(v.state).toBe('lock-mismatch');
    expect(v.state === 'lock-mismatch' && v.failure).toMatchObject({ code: 'LOCK_MISMATCH', params: { count: 1, files: 'tokenizer.json' } });
    // Not an alert (nothing was forged), and history says what was seen.
    expect((await store.alerts()).alerts).toEqual([]);
    expect((await store.repo(REF))?.history.at(-1)).toMatchObject({ commit: C2, state: 'lock-mismatch' });

    // The lock can be moved to the newer verified revision (the current lock is not consulted for that).
    expect((await store.lockRevision(later)).document.commit).toBe(C2);
    expect((await store.record(later)).state).toBe('verified');
    expect((await store.record(first)).state).toBe('lock-mismatch');

    await store.removeLock(REF);
    expect((await store.repo(REF))?.lock).toBeUndefined();
    expect((await store.record(later)).state).toBe('verified');
    expect((await store.record(first)).state).toBe('verified');
  });

  it('refuses to lock a revision that is not verified (identity change, files changed)', async () => {
    const store = new TrustStore(new MemoryStorage(), { clock });
    const signer = sigstoreSigner();
    const h = hub({
      [C1]: toFake(MODEL, signModel({ files: MODEL, signer }).signature),
      [C2]: toFake(MODEL, signModel({ files: MODEL, signer: sigstoreSigner('mallory@example.com') }).signature),
    });
    await store.record(await check(h, C1));
    const other = await check(h, 'main');
    expect((await store.record(other)).state).toBe('identity-changed');
    expect(await codeOf(store.lockRevision(other))).toBe('LOCK_INVALID');
    const tampered = hub({ [C1]: { ...toFake(MODEL, signModel({ files: MODEL, signer }).signature), 'config.json': { bytes: new TextEncoder().encode('{"evil":1}') } } });
    const bad = await check(tampered, C1);
    expect((await store.record(bad)).state).toBe('files-changed');
    expect(await codeOf(store.lockRevision(bad))).toBe('LOCK_INVALID');
    expect((await store.repo(REF))?.lock).toBeUndefined();
  });

  it('exports and imports locks: round-trip, old exports without locks, and the preview shows lock changes', async () => {
    const store = new TrustStore(new MemoryStorage(), { clock });
    const { first, later } = await twoCommits();
    await store.record(first);
    await store.lockRevision(first);
    const exported = await store.exportJson();
    const doc = (JSON.parse(exported) as { document: TrustDocument }).document;
    expect(migrate(doc)).toEqual(await store.snapshot());

    // Into an empty store: the lock is an addition (narrows trust), no typed word needed.
    const fresh = new TrustStore(new MemoryStorage(), { clock });
    const preview = await fresh.previewImport(exported);
    expect(preview.merge.locks.added).toEqual([{ ...REF, after: { commit: C1, rootDigest: doc.repos[repoKey(REF)]!.lock!.document.manifest.rootDigest, files: 3 } }]);
    expect(preview.merge.confirmation).toBeUndefined();
    await fresh.applyImport(exported, { mode: 'merge', previewId: preview.merge.id });
    expect((await fresh.snapshot()).repos[repoKey(REF)]?.lock).toEqual(doc.repos[repoKey(REF)]!.lock);
    expect((await fresh.record(later)).state).toBe('lock-mismatch');

    // An export made before locks existed still imports, and replacing with it removes the lock: typed word.
    const old = structuredClone(doc);
    delete old.repos[repoKey(REF)]!.lock;
    const oldJson = JSON.stringify({ format: 'modelseal-trust-export', exportedAt: 1, document: old });
    const p2 = await fresh.previewImport(oldJson);
    expect(p2.merge.locks).toEqual({ added: [], removed: [], changed: [] });
    expect(p2.replace.locks.removed.map((l) => l.before?.commit)).toEqual([C1]);
    expect(p2.replace.confirmation).toBe('replace');

    // Merge keeps the lock already here; replace with a lock on other content is a change.
    await store.lockRevision(later);
    const moved = await store.exportJson();
    const p3 = await fresh.previewImport(moved);
    expect(p3.merge.locks.changed).toEqual([]);
    expect(p3.replace.locks.changed.map((l) => [l.before?.commit, l.after?.commit])).toEqual([[C1, C2]]);
  });

  it('refuses a stored or imported lock that is malformed, for another repo, or whose root does not recompute', async () => {
    const store = new TrustStore(new MemoryStorage(), { clock });
    const { first } = await twoCommits();
    await store.record(first);
    await store.lockRevision(first);
    const doc = (JSON.parse(await store.exportJson()) as { document: TrustDocument }).document;
    const edit = (f: (d: TrustDocument) => void) => {
      const d = structuredClone(doc);
      f(d);
      return JSON.stringify({ format: 'modelseal-trust-export', exportedAt: 1, document: d });
    };
    const lockOf = (d: TrustDocument) => d.repos[repoKey(REF)]!.lock!;
    const cases = [
      edit((d) => (lockOf(d).document.files[0]!.digest = 'f'.repeat(64))),
      edit((d) => (lockOf(d).document.repo = 'acme/other')),
      edit((d) => ((lockOf(d) as unknown as Record<string, unknown>).extra = 1)),
      edit((d) => ((lockOf(d).document as unknown as Record<string, unknown>).version = 2)),
      edit((d) => (lockOf(d).lockedAt = -1)),
    ];
    for (const json of cases) expect(await codeOf(store.previewImport(json))).toBe('STORE_INVALID');
  });
});
