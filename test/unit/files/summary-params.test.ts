/** Failures built from file results carry `count` and `files`, so UIs can word them in their language. */
import { describe, expect, it } from 'vitest';
import { ModelSealError } from '../../../extension/core/errors.js';
import { filesOutcome, listPaths } from '../../../extension/core/files/summary.js';
import { failureFromError, verdictForError } from '../../../extension/core/failure.js';
import type { FileResult } from '../../../extension/core/verdict.js';

const file = (path: string, status: FileResult['status'], reason?: string): FileResult => ({ path, status, ...(reason ? { reason } : {}) });

describe('filesOutcome params', () => {
  it('FILES_MISMATCH: how many files differ and which (first five, then …)', () => {
    const files = [file('ok.bin', 'verified'), ...Array.from({ length: 7 }, (_, i) => file(`w${i}.bin`, i % 2 ? 'missing' : 'mismatch'))];
    const out = filesOutcome(files);
    expect(out.kind).toBe('changed');
    expect(out.kind !== 'match' && out.failure.params).toEqual({ count: 7, files: 'w0.bin, w1.bin, w2.bin, w3.bin, w4.bin, …' });
  });

  it('unchecked files: count and paths, and an English reason with a correct plural for the CLI', () => {
    const one = filesOutcome([file('big.bin', 'unchecked', 'too large to hash here')]);
    expect(one.kind !== 'match' && one.failure).toEqual({
      code: 'IO_ERROR',
      reason: '1 file could not be checked: big.bin: too large to hash here',
      params: { count: 1, files: 'big.bin' },
    });
    const two = filesOutcome([file('a.bin', 'unchecked'), file('b.bin', 'unchecked')]);
    expect(two.kind !== 'match' && two.failure.reason).toBe('2 files could not be checked');
  });

  it('hostile paths are one visible line, cut', () => {
    expect(listPaths([file('evil\u202Etxt.exe\nx', 'mismatch')])).toBe('evil⟦U+202E⟧txt.exe⟦U+000A⟧x');
    expect(listPaths([file('x'.repeat(500), 'mismatch')]).length).toBeLessThan(120);
  });
});

describe('failureFromError', () => {
  it('carries error details named like failure params, and nothing else', () => {
    const e = new ModelSealError('WORK_BUDGET_EXCEEDED', 'more than 2000 requests', { limit: 2000, url: 'https://x', status: 429 });
    expect(failureFromError(e)).toEqual({ code: 'WORK_BUDGET_EXCEEDED', reason: 'more than 2000 requests', params: { limit: 2000 } });
    expect(failureFromError(new ModelSealError('NOT_FOUND', 'revision not found on the hub', { status: 404 }))).toEqual({
      code: 'NOT_FOUND',
      reason: 'revision not found on the hub',
    });
    expect(verdictForError(new ModelSealError('NETWORK_ERROR', 'x', { files: 'a\u202Eb' }), { checkedAt: 1 })).toMatchObject({
      state: 'unverifiable',
      failure: { code: 'NETWORK_ERROR', params: { files: 'a⟦U+202E⟧b' } },
    });
    expect(failureFromError(new Error('boom'))).toMatchObject({ code: 'INTERNAL_ERROR' });
  });
});
