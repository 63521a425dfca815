// Hub tree listings and on-disk scenario models, checked against git itself and the file contents.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildScenarioModels, exampleModelFiles, gitBlobSha1, hubTree, lfsPointer, readModelDir, writeScenarioModels } from './index.js';

const tmp: string[] = [];
afterAll(() => tmp.forEach((d) => rmSync(d, { recursive: true, force: true })));
const mk = () => {
  const d = mkdtempSync(join(tmpdir(), 'factory-hub-'));
  tmp.push(d);
  return d;
};

function gitHashObject(data: Uint8Array): string | undefined {
  try {
    const dir = mk();
    writeFileSync(join(dir, 'blob'), data);
    return execFileSync('git', ['hash-object', join(dir, 'blob')], { encoding: 'utf8' }).trim();
  } catch {
    return undefined; // git not installed: the SHA-1 framing is still checked below
  }
}

describe('hub tree listing', () => {
  const files = exampleModelFiles(1);
  const tree = hubTree(files);

  it('lists every file and directory; lfs.oid is the content SHA-256 for weight files', () => {
    expect(tree.filter((i) => i.type === 'file').map((i) => i.path).sort()).toEqual(Object.keys(files).sort());
    expect(tree.filter((i) => i.type === 'directory').map((i) => i.path)).toEqual(['tokenizer']);
    const weights = tree.find((i) => i.path === 'model.safetensors')!;
    const content = files['model.safetensors'] as Uint8Array;
    expect(weights.lfs).toEqual({
      oid: createHash('sha256').update(content).digest('hex'),
      size: content.length,
      pointerSize: Buffer.byteLength(lfsPointer(content)),
    });
    expect(tree.find((i) => i.path === 'config.json')!.lfs).toBeUndefined();
  });

  it('top-level oid is the git blob id (of the pointer for LFS files), as git computes it', () => {
    const weights = files['model.safetensors'] as Uint8Array;
    const pointer = new TextEncoder().encode(lfsPointer(weights));
    expect(tree.find((i) => i.path === 'model.safetensors')!.oid).toBe(gitBlobSha1(pointer));
    const readme = new TextEncoder().encode(files['README.md'] as string);
    expect(gitBlobSha1(readme)).toBe(
      createHash('sha1').update(`blob ${readme.length}\0`).update(readme).digest('hex'),
    );
    const fromGit = gitHashObject(readme);
    if (fromGit) expect(gitBlobSha1(readme)).toBe(fromGit);
  });
});

describe('writeScenarioModels', () => {
  it('scenarios are deterministic: two builds give byte-identical signatures', () => {
    const a = buildScenarioModels();
    const b = buildScenarioModels();
    expect(a.map((s) => s.signature)).toEqual(b.map((s) => s.signature));
    expect(new Set(a.map((s) => s.signature)).size).toBe(a.length);
  });

  it('writes each scenario with model.sig and its verification material', () => {
    const dir = mk();
    const scenarios = writeScenarioModels(dir);
    expect(scenarios.map((s) => s.name)).toContain('sigstore-rekor-v2');
    for (const s of scenarios) {
      const onDisk = readModelDir(join(dir, s.name));
      expect(Object.keys(onDisk).sort()).toEqual([...Object.keys(s.files), 'model.sig'].sort());
      expect(new TextDecoder().decode(onDisk['model.sig'] as Uint8Array)).toBe(s.signature);
      const v = JSON.parse(readFileSync(join(dir, `${s.name}.verify.json`), 'utf8'));
      expect(v.method).toBe(s.verify.method);
      const material = v.trustedRoot ?? v.key ?? v.ca;
      expect(existsSync(join(dir, material))).toBe(true);
    }
  });

  it('plain Node scripts get the same scenarios through load.mjs / write-scenarios.mjs', () => {
    const viaNode = mk();
    const out = execFileSync(process.execPath, [join(process.cwd(), 'test/factory/write-scenarios.mjs'), viaNode], { encoding: 'utf8' });
    const scenarios = buildScenarioModels();
    expect(out.split('\n').filter(Boolean)).toHaveLength(scenarios.length);
    for (const s of scenarios) expect(readFileSync(join(viaNode, s.name, 'model.sig'), 'utf8')).toBe(s.signature);
  });
});
