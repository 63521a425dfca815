import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { builtinDirectory } from '../../../extension/core/publishers/builtin.js';
import {
  DIRECTORY_LIMITS,
  documents,
  entryForRepo,
  mergeDirectories,
  parsePublisherDirectory,
  parsePublisherDirectoryText,
  publishersOf,
} from '../../../extension/core/publishers/directory.js';
import type { Signer } from '../../../extension/core/verdict.js';

const IBM_ISSUER = 'https://sigstore.verify.ibm.com/oauth2';
const GRANITE_SIGN: Signer = { kind: 'sigstore', identity: 'Granite-sign@ibm.com', issuer: IBM_ISSUER };
const GRANITE_VERIFY: Signer = { kind: 'sigstore', identity: 'Granite-verify@ibm.com', issuer: IBM_ISSUER };

const entry = (namespace: string, signers: unknown[] = [{ kind: 'sigstore', identity: 'a@example.com', issuer: 'https://issuer.example' }]) => ({
  namespace,
  name: namespace.toUpperCase(),
  signers,
  source: { kind: 'organisation-policy', urls: ['https://intranet.example/models'], checked: '2026-11-01' },
});
const doc = (...publishers: unknown[]) => ({ format: 'modelseal-publishers/v1', publishers });

describe('publishers directory', () => {
  it('the shipped directory reads strictly and lists IBM Granite with its two signers and an honest source', () => {
    const d = builtinDirectory();
    const ibm = entryForRepo(d, 'IBM-Granite/granite-4.1-3b', 'https://huggingface.co');
    expect(ibm).toMatchObject({ namespace: 'ibm-granite', name: 'IBM', source: { kind: 'observed-signatures', checked: '2026-09-11' } });
    expect(documents(ibm!, GRANITE_SIGN)).toBe(true);
    expect(documents(ibm!, GRANITE_VERIFY)).toBe(true);
    // Same identity from another issuer, or a CI identity with a source repository, is not the documented signer.
    expect(documents(ibm!, { ...GRANITE_SIGN, issuer: 'https://github.com/login/oauth' })).toBe(false);
    expect(documents(ibm!, { ...GRANITE_SIGN, sourceRepository: 'https://github.com/x/y' })).toBe(false);
    for (const u of ibm!.source.urls) expect(u).toMatch(/^https:\/\/huggingface\.co\/ibm-granite\//);
  });

  it('the shipped file matches its JSON schema shape (every required field of the schema is present)', () => {
    const schema = JSON.parse(readFileSync('extension/core/publishers/directory.schema.json', 'utf8'));
    const raw = JSON.parse(readFileSync('extension/core/publishers/directory.json', 'utf8'));
    for (const k of schema.required) expect(raw).toHaveProperty(k);
    for (const p of raw.publishers) for (const k of schema.$defs.publisher.required) expect(p).toHaveProperty(k);
    expect(raw.format).toBe(schema.properties.format.const);
  });

  it('refuses unknown fields, wrong kinds, non-https sources, bad dates, duplicates and oversize lists', () => {
    const bad: unknown[] = [
      { ...doc(entry('acme')), extra: 1 },
      doc({ ...entry('acme'), trusted: true }),
      doc(entry('acme', [{ kind: 'sigstore', identity: 'a@example.com', issuer: 'http://plain.example' }])),
      doc(entry('acme', [{ kind: 'key', keyFingerprint: 'AB' }])),
      doc(entry('acme', [{ kind: 'magic' }])),
      doc(entry('acme', [])),
      doc({ ...entry('acme'), source: { kind: 'publisher-documentation', urls: ['javascript:alert(1)'], checked: '2026-11-01' } }),
      doc({ ...entry('acme'), source: { kind: 'publisher-documentation', urls: ['https://a.example'], checked: 'yesterday' } }),
      doc({ ...entry('acme'), namespace: '../etc' }),
      doc({ ...entry('acme'), name: 'IBM\u0000' }),
      doc(entry('acme'), entry('ACME')),
      doc(...Array.from({ length: DIRECTORY_LIMITS.publishers + 1 }, (_, i) => entry(`ns${i}`))),
      { format: 'other/v9', publishers: [] },
    ];
    for (const b of bad) expect(() => parsePublisherDirectory(b), JSON.stringify(b).slice(0, 120)).toThrow(expect.objectContaining({ code: 'STORE_INVALID' }));
    expect(() => parsePublisherDirectoryText('x'.repeat(DIRECTORY_LIMITS.bytes + 1))).toThrow(expect.objectContaining({ code: 'STORE_INVALID' }));
    expect(() => parsePublisherDirectoryText('{')).toThrow(expect.objectContaining({ code: 'STORE_INVALID' }));
  });

  it('merging: the first directory naming a namespace speaks for it; lookups find signers across entries', () => {
    const imported = parsePublisherDirectory(doc(entry('ibm-granite'), entry('acme')));
    const merged = mergeDirectories([imported, builtinDirectory()]);
    expect(merged.publishers.map((p) => p.namespace)).toEqual(['ibm-granite', 'acme']);
    expect(publishersOf(merged, GRANITE_SIGN)).toEqual([]);
    expect(publishersOf(mergeDirectories([builtinDirectory(), imported]), GRANITE_SIGN).map((p) => p.namespace)).toEqual(['ibm-granite']);
  });
});
