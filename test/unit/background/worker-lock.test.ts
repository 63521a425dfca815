/**
 * The worker's lock messages over the real core and the fixture hub: lock a verified repo from the
 * popup, the hub moves main to a commit signed by the same key with other files, and that revision
 * is "differs from your lock"; the export is a lock file the core's strict reader accepts; content
 * scripts cannot touch locks; a revision that is not verified cannot be locked.
 */
import { describe, expect, it } from 'vitest';
import { HUB } from '../../fixture-hub/hub.mjs';
import { commitSha, repo } from '../../fixture-hub/repo.mjs';
import { keySignedFiles } from '../../fixture-hub/scenarios.mjs';
import { parseLock } from '../../../extension/core/lock/index.js';
import type { LockFileText, LockInfo } from '../../../extension/shared/messages.js';
import { EXT, OWN, key, keyPolicy, setupWorker } from './harness.js';

const popup = { id: OWN, url: `${EXT}popup/index.html` };
const REF = { hub: HUB, kind: 'model' as const, repo: 'acme/locked' };
const V1 = commitSha('acme/locked:v1');
const V2 = commitSha('acme/locked:v2');

function setup() {
  const locked = repo({ id: 'acme/locked', commits: { v1: keySignedFiles(key, 12, 'lock-v1'), v2: keySignedFiles(key, 12, 'lock-v2') }, branches: { main: 'v1' } });
  return setupWorker('lock', { extraRepos: [locked] });
}

describe('lock messages', () => {
  it('locks a verified revision, flags a later one by the same signer, exports a lock file, and removes the lock', async () => {
    const { worker, hub } = setup();
    await keyPolicy(worker);
    const ask = async <T>(msg: object): Promise<T> => {
      const r = await worker.handle(msg, popup);
      if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
      return r.value as T;
    };
    expect((await worker.verdictFor({ ...REF, revision: 'main' })).state).toBe('verified');
    expect(await ask({ type: 'lock/get', ...REF })).toBeNull();

    const info = await ask<LockInfo>({ type: 'lock/create', ...REF, commit: V1 });
    expect(info).toMatchObject({ ...REF, commit: V1, files: 12, signer: { kind: 'key', keyFingerprint: key.fingerprint } });
    expect(await ask({ type: 'lock/get', ...REF })).toEqual(info);
    const locked = await worker.verdictFor({ ...REF, revision: 'main' });
    expect(locked.state).toBe('verified');
    expect(locked.agreed?.map((a) => a.source)).toEqual(['signature', 'hub-digests', 'bytes-hashed', 'lock', 'pin', 'policy']);

    hub.moveBranch('model', 'acme/locked', 'main', 'v2');
    const later = await worker.verdictFor({ ...REF, revision: 'main' });
    expect(later.subject?.commit).toBe(V2);
    expect(later.state).toBe('lock-mismatch');
    expect(later.state === 'lock-mismatch' && later.failure.code).toBe('LOCK_MISMATCH');

    const file = await ask<LockFileText>({ type: 'lock/export', ...REF });
    expect(file.fileName).toBe('modelseal.lock.json');
    const doc = parseLock(file.json);
    expect(doc).toMatchObject({ ...REF, commit: V1 });
    expect(doc.manifest.rootDigest).toBe(info.rootDigest);

    await ask({ type: 'lock/remove', ...REF });
    expect(await ask({ type: 'lock/get', ...REF })).toBeNull();
    expect((await worker.verdictFor({ ...REF, revision: 'main' })).state).toBe('verified');
    const none = await worker.handle({ type: 'lock/export', ...REF }, popup);
    expect(none).toMatchObject({ ok: false, error: { code: 'LOCK_INVALID' } });
  });

  it('refuses to lock what is not verified, a commit the hub does not name, and lock messages from content scripts', async () => {
    const { worker } = setup();
    await keyPolicy(worker);
    expect((await worker.verdictFor({ hub: HUB, kind: 'model', repo: 'acme/changed', revision: 'main' })).state).toBe('files-changed');
    const changed = commitSha('acme/changed:v1');
    expect(await worker.handle({ type: 'lock/create', hub: HUB, kind: 'model', repo: 'acme/changed', commit: changed }, popup)).toMatchObject({ ok: false, error: { code: 'LOCK_INVALID' } });
    expect((await worker.handle({ type: 'lock/create', ...REF, commit: 'main' }, popup)).ok).toBe(false);
    const content = { id: OWN, url: `${HUB}/acme/locked`, tab: { id: 7 }, frameId: 0 };
    expect(await worker.handle({ type: 'lock/remove', ...REF }, content)).toMatchObject({ ok: false, error: { code: 'REFUSED' } });
    expect(await worker.handle({ type: 'lock/create', ...REF, commit: V1 }, content)).toMatchObject({ ok: false, error: { code: 'REFUSED' } });
  });
});
