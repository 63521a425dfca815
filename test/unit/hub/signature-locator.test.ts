import { describe, expect, it } from 'vitest';
import { locateSignatures, pathInScope, perFileSignaturePath, scopeCovers } from '../../../extension/core/hub/signature-locator.js';

describe('locateSignatures', () => {
  it('finds nothing in an unsigned repo, and no per-file signature without its file', () => {
    expect(locateSignatures(['config.json', 'model.safetensors', 'orphan.bin.sig', 'notes.sig.txt'])).toEqual([]);
  });

  it('a root model.sig signs the repo; Kaggle signing.json too, after it', () => {
    expect(locateSignatures(['.kaggle/signing.json', 'a.bin', 'model.sig'])).toEqual([
      { path: 'model.sig', scope: { kind: 'repo' } },
      { path: '.kaggle/signing.json', scope: { kind: 'repo' } },
    ]);
  });

  it('a model.sig in a folder signs that folder, shallowest first', () => {
    const got = locateSignatures(['original/deep/model.sig', 'original/model.sig', 'original/model.safetensors', 'model.onnx']);
    expect(got).toEqual([
      { path: 'original/model.sig', scope: { kind: 'folder', folder: 'original' } },
      { path: 'original/deep/model.sig', scope: { kind: 'folder', folder: 'original/deep' } },
    ]);
  });

  it('<file>.sig beside <file> signs that file, in path order', () => {
    const got = locateSignatures(['b.gguf', 'b.gguf.sig', 'a.gguf', 'a.gguf.sig', 'modeling_evil.py']);
    expect(got.map((l) => l.path)).toEqual(['a.gguf.sig', 'b.gguf.sig']);
    expect(got[0]?.scope).toEqual({ kind: 'file', file: 'a.gguf' });
  });

  it('perFileSignaturePath names what the locator reads as that file\'s signature', () => {
    const sig = perFileSignaturePath('gguf/m.gguf');
    expect(sig).toBe('gguf/m.gguf.sig');
    expect(locateSignatures(['gguf/m.gguf', sig])).toEqual([{ path: sig, scope: { kind: 'file', file: 'gguf/m.gguf' } }]);
  });

  it('model.sig is never read as the per-file signature of a file called "model"', () => {
    expect(locateSignatures(['model', 'model.sig'])).toEqual([{ path: 'model.sig', scope: { kind: 'repo' } }]);
  });
});

describe('scopes', () => {
  it('cover their own files only, and name them as their manifest does', () => {
    const folder = { kind: 'folder', folder: 'original' } as const;
    expect(scopeCovers(folder, 'original/config.json')).toBe(true);
    expect(scopeCovers(folder, 'original.json')).toBe(false);
    expect(scopeCovers(folder, 'originality/x')).toBe(false);
    expect(pathInScope(folder, 'original/sub/x.bin')).toBe('sub/x.bin');
    const file = { kind: 'file', file: 'gguf/m.gguf' } as const;
    expect(scopeCovers(file, 'gguf/m.gguf')).toBe(true);
    expect(scopeCovers(file, 'gguf/m.gguf.sig')).toBe(false);
    expect(pathInScope(file, 'gguf/m.gguf')).toBe('m.gguf');
    expect(scopeCovers({ kind: 'repo' }, 'anything/at/all')).toBe(true);
  });
});
