import { describe, expect, it } from 'vitest';
import { judgeFiles } from '../../../extension/core/files/judgement.js';
import type { FileResult, FileStatus } from '../../../extension/core/verdict.js';

const f = (path: string, status: FileStatus): FileResult => ({ path, status });

describe('the one judgement of file results', () => {
  it('is verified only when every present file is covered, checked and matches', () => {
    expect(judgeFiles([f('a', 'verified'), f('b', 'ignored')]).verified).toBe(true);
    expect(judgeFiles([]).verified).toBe(true);
    for (const status of ['mismatch', 'missing', 'unsigned', 'unchecked'] as const) expect(judgeFiles([f('a', 'verified'), f('b', status)]).verified).toBe(false);
  });

  it('counts an unsigned file as changed, or as uncovered under per-file signatures', () => {
    const files = [f('a', 'unsigned'), f('b', 'mismatch'), f('c', 'unchecked')];
    expect(judgeFiles(files)).toMatchObject({ changed: [files[0], files[1]], unchecked: [files[2]], uncovered: [] });
    expect(judgeFiles(files, { ignoreUnsignedFiles: true })).toMatchObject({ changed: [files[1]], unchecked: [files[2]], uncovered: [files[0]], verified: false });
    expect(judgeFiles([f('a', 'unsigned')], { ignoreUnsignedFiles: true }).verified).toBe(false);
  });
});
