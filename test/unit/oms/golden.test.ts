// Every golden statement from upstream model_signing parses and its root digest recomputes; the
// synthetic models are rebuilt from the generators and checked against the statements and the
// golden serialization manifests (name:digest lines).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseStatementBytes } from '../../../extension/core/oms/statement.js';
import { checkFiles } from '../../../extension/core/files/check.js';
import type { ListedFile } from '../../../extension/core/files/listing.js';

const GOLDEN = resolve(process.cwd(), '../shared/fixtures/oms-golden');
const KNOWN_MODEL_TEXT = 'This is a simple model';

/** The conftest.py generators, rebuilt: model name → files (null = a single-file model). */
function syntheticModel(name: string): { files: Record<string, string>; single: boolean } | undefined {
  const base = name.replace(/_(shard|small_shards)$/, '');
  const files: Record<string, string> = {};
  switch (base) {
    case 'sample_model_file':
      return { files: { file_model: KNOWN_MODEL_TEXT }, single: true };
    case 'empty_model_file':
      return { files: { empty_file_model: '' }, single: true };
    case 'sample_model_folder':
      for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) files[`d${i}/f${i}${j}`] = `This is file f${i}${j} in d${i}.`;
      for (let i = 0; i < 4; i++) files[`f${i}`] = `This is file f${i} in root.`;
      return { files, single: false };
    case 'empty_model_folder':
      return { files, single: false };
    case 'model_folder_with_empty_file':
      return { files: { empty_file: '' }, single: false };
    case 'deep_model_folder':
      for (let i = 0; i < 4; i++) files[`d0/d1/d2/d3/d4/f${i}`] = `This is file f${i}.`;
      return { files, single: false };
    case 'symlink_model_folder':
      // The symlink's target holds KNOWN_MODEL_TEXT; the manifest allows symlinks.
      return { files: { symlink_file: KNOWN_MODEL_TEXT }, single: false };
    default:
      return undefined;
  }
}

function listing(files: Record<string, string>): ListedFile[] {
  const enc = new TextEncoder();
  return Object.entries(files).map(([path, text]) => {
    const bytes = enc.encode(text);
    return { path, size: bytes.length, content: async () => bytes, ...(path === 'symlink_file' ? { symlink: true } : {}) };
  });
}

if (!existsSync(GOLDEN)) {
  console.log(`golden OMS fixtures not found at ${GOLDEN}: golden statement tests not registered`);
} else {
  const names = readdirSync(resolve(GOLDEN, 'statements')).sort();
  describe('golden statements (upstream model_signing testdata)', () => {
    it('has the 21 statements', () => expect(names.length).toBe(21));
    for (const name of names) {
      it(`${name}: parses, root digest recomputes, rebuilt model matches`, async () => {
        const bytes = readFileSync(resolve(GOLDEN, 'statements', name));
        const m = parseStatementBytes(new Uint8Array(bytes));
        const raw = JSON.parse(bytes.toString('utf8'));
        expect(m.rootDigest).toBe(raw.subject[0].digest.sha256);
        expect(m.resources.map((r) => r.name)).toEqual(raw.predicate.resources.map((r: { name: string }) => r.name));
        expect(m.serialization.method).toBe(raw.predicate.serialization.method);
        if (m.serialization.method === 'shards') expect(m.serialization.shardSize).toBe(raw.predicate.serialization.shard_size);

        const model = syntheticModel(name);
        expect(model, `generator for ${name}`).toBeDefined();
        const results = await checkFiles(m, listing(model!.files), { singleFile: model!.single });
        const bad = results.filter((r) => r.status !== 'verified' && r.status !== 'ignored');
        expect(bad).toEqual([]);
        expect(results.filter((r) => r.status === 'verified').length).toBe(new Set(m.resources.map((r) => r.path)).size);
      });
    }
  });

  describe('golden serialization manifests agree with the statements', () => {
    const pairs: [string, string][] = [];
    for (const kind of ['file', 'file_shard']) {
      const dir = resolve(GOLDEN, 'serialization', kind, 'TestSerializer');
      for (const f of readdirSync(dir)) {
        const stName = kind === 'file' ? f : f.endsWith('_small_shards') ? f : `${f}_shard`;
        pairs.push([resolve(dir, f), stName]);
      }
    }
    for (const [file, stName] of pairs) {
      it(`${file.split('/').slice(-3).join('/')} ↔ statements/${stName}`, () => {
        const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
        const m = parseStatementBytes(new Uint8Array(readFileSync(resolve(GOLDEN, 'statements', stName))));
        const fromStatement = m.resources.map((r) => `${r.name}:${r.digest}`).sort();
        expect(lines.sort()).toEqual(fromStatement);
      });
    }
  });
}
