/**
 * The steps of verifyRevision that need no hub or signature: locating (with its bound) and combining
 * several signatures' file results. The full pipeline, with real signatures, is in verify-revision.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { combine, type CheckedSignature } from '../../../extension/core/hub/steps/combine.js';
import { locate } from '../../../extension/core/hub/steps/locate.js';
import { MAX_SIGNATURES } from '../../../extension/core/hub/signature-locator.js';
import type { TreeFile } from '../../../extension/core/hubs/adapter.js';
import type { FileResult, SignatureEvidence } from '../../../extension/core/verdict.js';

const EVIDENCE: SignatureEvidence = {
  signer: { kind: 'sigstore', identity: 'alice@example.com', issuer: 'https://accounts.example.com' },
  logEntries: [],
  timestamps: [],
  rootDigest: 'r'.repeat(64),
  predicateType: 'https://model_signing/signature/v1.0',
};
const tree = (...paths: string[]): TreeFile[] => paths.map((path) => ({ path, size: 1 }));
const r = (path: string, status: FileResult['status']): FileResult => ({ path, status });

describe('locate', () => {
  it('says unsigned without signatures, and stops above MAX_SIGNATURES naming them all', () => {
    expect(locate(tree('a.bin', 'README.md'))).toEqual({ status: 'unsigned' });
    expect(locate(tree('original/model.sig', 'original/a', '.kaggle/signing.json'))).toEqual([
      { path: '.kaggle/signing.json', scope: { kind: 'repo' } },
      { path: 'original/model.sig', scope: { kind: 'folder', folder: 'original' } },
    ]);
    const many = Array.from({ length: MAX_SIGNATURES + 1 }, (_, i) => [`f${i}`, `f${i}.sig`]).flat();
    expect(locate(tree(...many))).toMatchObject({ status: 'unverifiable', failure: { code: 'TOO_MANY_RESOURCES' } });
    expect(Array.isArray(locate(tree(...many.slice(0, 2 * MAX_SIGNATURES))))).toBe(true);
  });
});

describe('combine', () => {
  const folder: CheckedSignature = {
    location: { path: 'original/model.sig', scope: { kind: 'folder', folder: 'original' } },
    evidence: EVIDENCE,
    files: [r('original/a.bin', 'verified'), r('original/b.bin', 'verified'), r('original/gone.bin', 'missing'), r('original/model.sig', 'ignored')],
  };
  const perFile: CheckedSignature = {
    location: { path: 'original/b.bin.sig', scope: { kind: 'file', file: 'original/b.bin' } },
    evidence: EVIDENCE,
    files: [r('original/b.bin', 'mismatch')],
  };

  it('keeps the worst result per file, marks signature files and git metadata ignored, the rest uncovered', () => {
    const out = combine(tree('.gitattributes', 'README.md', 'original/a.bin', 'original/b.bin', 'original/b.bin.sig', 'original/model.sig'), [folder, perFile], undefined);
    if (out.status !== 'signed') throw new Error(out.status);
    expect(out.files).toEqual([
      r('original/a.bin', 'verified'),
      r('original/b.bin', 'mismatch'),
      r('original/gone.bin', 'missing'),
      r('original/model.sig', 'ignored'),
      r('.gitattributes', 'ignored'),
      { path: 'README.md', status: 'unsigned', reason: 'no signature covers this file' },
      r('original/b.bin.sig', 'ignored'),
    ]);
    expect(out).toMatchObject({
      signatureFiles: ['original/model.sig', 'original/b.bin.sig'],
      ignoreUnsignedFiles: true,
      signatures: [{ path: 'original/model.sig', scope: { kind: 'folder', folder: 'original' } }, { path: 'original/b.bin.sig', scope: { kind: 'file', file: 'original/b.bin' } }],
    });
    expect(out).not.toHaveProperty('budgetExceeded');
  });

  it('a repo-wide signature turns off ignoring unsigned files; a used-up budget is passed on', () => {
    const root: CheckedSignature = { location: { path: 'model.sig', scope: { kind: 'repo' } }, evidence: EVIDENCE, files: [r('a', 'verified'), r('model.sig', 'ignored')] };
    const out = combine(tree('a', 'model.sig'), [root], { limit: '500 downloads, 128 MiB' });
    expect(out).toMatchObject({ status: 'signed', ignoreUnsignedFiles: false, budgetExceeded: { limit: '500 downloads, 128 MiB' }, files: [r('a', 'verified'), r('model.sig', 'ignored')] });
  });
});
