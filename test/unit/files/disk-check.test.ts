/**
 * The core of "Check files on this computer": picked paths → bounded model-relative listing, and the
 * disk verdict (the hub's decide() when a repo is named, the CLI's files judgement when not), with
 * real key signatures from the fixture factory and real hashing.
 */
import { describe, expect, it } from 'vitest';
import { MAX_DISK_DEPTH, MAX_DISK_FILES, diskListing, modelPaths } from '../../../extension/core/files/disk-listing.js';
import { diskVerdict, type DiskTrust } from '../../../extension/core/disk-verdict.js';
import { checkFiles } from '../../../extension/core/files/check.js';
import { verifyUnknownSigner } from '../../../extension/core/hub/verify-revision.js';
import { digestHex } from '../../../extension/core/hash/digest.js';
import { ModelSealError } from '../../../extension/core/errors.js';
import { factory } from '../../fixture-hub/factory.mjs';
import { fixtureKey } from '../../fixture-hub/scenarios.mjs';

const enc = (s: string) => new TextEncoder().encode(s);
const key = fixtureKey('disk-unit');
const model = { 'config.json': enc('{"a":1}'), 'w/model.bin': enc('weights weights weights') };
const signed = factory.signModel({ files: model, signer: key.signer });
const check = verifyUnknownSigner(enc(signed.signature), [key.pem], undefined);
const REPO = { hub: 'https://huggingface.co', kind: 'model' as const, repo: 'acme/disk' };
const keyPolicy = { kind: 'key' as const, scope: 'acme/disk', publicKeyPem: key.pem, keyFingerprint: check.evidence.signer.keyFingerprint!, createdAt: 1 };

async function filesOf(onDisk: Record<string, Uint8Array>) {
  const picked = Object.entries(onDisk).map(([path, b]) => ({ path, size: b.length, b }));
  return checkFiles(check.manifest, diskListing(picked, (f) => async (alg, range) => digestHex(alg, range ? f.b.subarray(range.start, range.end) : f.b)));
}

describe('picked paths', () => {
  it('strips the picked folder name (webkitdirectory), skips .git, keeps other fields', () => {
    const out = modelPaths(
      [
        { path: 'm/config.json', size: 1, tag: 'a' },
        { path: 'm/.git/objects/ab', size: 1, tag: 'b' },
        { path: 'm/w/model.bin', size: 2, tag: 'c' },
      ],
      { stripPickedFolder: true },
    );
    expect(out).toEqual([
      { path: 'config.json', size: 1, tag: 'a' },
      { path: 'w/model.bin', size: 2, tag: 'c' },
    ]);
  });

  it('refuses more than MAX_DISK_FILES files, paths deeper than MAX_DISK_DEPTH, "..", duplicates', () => {
    const many = Array.from({ length: MAX_DISK_FILES + 1 }, (_, i) => ({ path: `f${i}`, size: 0 }));
    expect(() => modelPaths(many, { stripPickedFolder: false })).toThrow(expect.objectContaining({ code: 'TOO_MANY_FILES' }));
    const deep = [{ path: Array.from({ length: MAX_DISK_DEPTH + 1 }, () => 'd').join('/'), size: 0 }];
    expect(() => modelPaths(deep, { stripPickedFolder: false })).toThrow(expect.objectContaining({ code: 'TOO_MANY_FILES' }));
    expect(() => modelPaths([{ path: 'a/../b', size: 0 }], { stripPickedFolder: false })).toThrow(ModelSealError);
    expect(() => modelPaths([{ path: 'a', size: 0 }, { path: 'a', size: 1 }], { stripPickedFolder: false })).toThrow(expect.objectContaining({ code: 'RESOURCE_DUPLICATE' }));
  });
});

describe('disk verdict', () => {
  const trust = (over: Partial<DiskTrust> = {}): DiskTrust => ({ pins: [], signersPerRepo: 1, expected: [], ...over });

  it('no repo named: matching files are amber SIGNER_NOT_JUDGED, never green', async () => {
    const files = await filesOf(model);
    const v = diskVerdict({ evidence: check.evidence, files, checkedAt: 5, signatureFile: 'model.sig', folder: 'disk' });
    expect(v.state).toBe('unpinned-revision');
    expect('failure' in v && v.failure.code).toBe('SIGNER_NOT_JUDGED');
    expect(v.subject).toEqual({ path: 'disk' });
  });

  it('no repo named, one byte changed: files-changed naming the file', async () => {
    const files = await filesOf({ ...model, 'w/model.bin': enc('weights weights weightz') });
    const v = diskVerdict({ evidence: check.evidence, files, checkedAt: 5, signatureFile: 'model.sig' });
    expect(v.state).toBe('files-changed');
    expect(files.find((f) => f.path === 'w/model.bin')?.status).toBe('mismatch');
  });

  it('repo named with a key policy: verified (green) through decide()', async () => {
    const v = diskVerdict({ evidence: check.evidence, files: await filesOf(model), checkedAt: 5, signatureFile: 'model.sig', repo: REPO, trust: trust({ expected: [keyPolicy] }) });
    expect(v.state).toBe('verified');
    expect(v.subject?.repo).toBe('acme/disk');
  });

  it('repo named with a pin of this signer: verified; of another signer: identity-changed', async () => {
    const files = await filesOf(model);
    const pinned = diskVerdict({ evidence: check.evidence, files, checkedAt: 5, signatureFile: 'model.sig', repo: REPO, trust: trust({ pins: [{ signer: check.evidence.signer, since: 1, via: 'first-use' }] }) });
    expect(pinned.state).toBe('verified');
    const other = { kind: 'key' as const, keyFingerprint: 'f'.repeat(64) };
    const changed = diskVerdict({ evidence: check.evidence, files, checkedAt: 5, signatureFile: 'model.sig', repo: REPO, trust: trust({ pins: [{ signer: other, since: 1, via: 'first-use' }] }) });
    expect(changed.state).toBe('identity-changed');
  });

  it('repo named, nothing trusted: amber SIGNER_NOT_JUDGED (a disk check never pins on first use)', async () => {
    const v = diskVerdict({ evidence: check.evidence, files: await filesOf(model), checkedAt: 5, signatureFile: 'model.sig', repo: REPO, trust: trust() });
    expect(v.state).toBe('unpinned-revision');
    expect('failure' in v && v.failure.code).toBe('SIGNER_NOT_JUDGED');
    expect('defaultBranch' in v).toBe(false);
  });

  it('a file that could not be read is unchecked with its own code, not "too large to hash here"', async () => {
    const picked = Object.entries(model).map(([path, b]) => ({ path, size: b.length, b }));
    const listing = diskListing(picked, (f) => async (alg) => {
      if (f.path === 'w/model.bin') throw new ModelSealError('IO_ERROR', 'the file could not be read');
      return digestHex(alg, f.b);
    });
    const files = await checkFiles(check.manifest, listing);
    const v = diskVerdict({ evidence: check.evidence, files, checkedAt: 5, signatureFile: 'model.sig', repo: REPO, trust: trust({ expected: [keyPolicy] }) });
    expect(v.state).toBe('unverifiable');
    expect('failure' in v && v.failure.code).toBe('IO_ERROR');
  });
});
