// signModel output verifies through the project's own core (verifyModel / verifySigstoreBundle):
// files and shards, every hash type, Sigstore (Rekor v1 and v2), key and CA signers. (The scenario
// models' intended verdicts are asserted in test/unit/verify-model.test.ts.)
import { describe, expect, it } from 'vitest';
import { verifyModel, type VerifyMode } from '../../extension/core/verify-model.js';
import { verifySigstoreBundle } from '../../extension/core/sigstore/index.js';
import type { ListedFile } from '../../extension/core/files/listing.js';
import { utf8 } from './bytes.js';
import {
  createCaSigner,
  createKeySigner,
  createSigstoreSigner,
  createTestSigstore,
  exampleModelFiles,
  signModel,
  type FileMap,
  type HashType,
  type Method,
  type ModelSigner,
} from './index.js';

const ID = 'model-team@example.com';
const ISSUER = 'https://accounts.example.com';

function listing(files: FileMap): ListedFile[] {
  return Object.entries(files).map(([path, c]) => {
    const data = typeof c === 'string' ? utf8(c) : c;
    return { path, size: data.length, content: async () => data };
  });
}

const sigstore = createTestSigstore({ seed: 'core-verify' });
const trustedRoot = sigstore.trustedRoot();
const key = createKeySigner('P-384');
const ca = createCaSigner();
const signers: [string, ModelSigner, VerifyMode][] = [
  ['sigstore rekor-v1', createSigstoreSigner(sigstore, { identity: ID, issuer: ISSUER, log: 'rekor-v1' }), { kind: 'sigstore', identity: ID, issuer: ISSUER, trustedRoot }],
  ['sigstore rekor-v2+tsa', createSigstoreSigner(sigstore, { identity: ID, issuer: ISSUER, log: 'rekor-v2' }), { kind: 'sigstore', identity: ID, issuer: ISSUER, trustedRoot }],
  ['key P-384', key, { kind: 'key', publicKeyPem: key.publicKeyPem }],
  ['certificate', ca, { kind: 'certificate', caPems: [ca.caPem] }],
];

describe('signModel output verifies with the core verifier', () => {
  const files = exampleModelFiles(42);
  for (const [name, signer, mode] of signers) {
    for (const method of ['files', 'shards'] as Method[]) {
      for (const hashType of ['sha256', 'blake2b', 'blake3'] as HashType[]) {
        it(`${name}, ${method}, ${hashType}`, async () => {
          const signed = signModel({ files, signer, method, hashType, shardSize: method === 'shards' ? 1000 : undefined });
          const verdict = await verifyModel({ signatureBytes: signed.signature, listing: listing(files), mode });
          expect(verdict.state, JSON.stringify('failure' in verdict ? verdict.failure : '')).toBe('verified');
          if (verdict.state === 'verified') expect(verdict.signature.rootDigest).toBe(signed.rootDigest);
          // One changed byte in the weights is caught.
          const w = new Uint8Array(files['model.safetensors'] as Uint8Array);
          w[1500] = w[1500]! ^ 1;
          const changed = await verifyModel({ signatureBytes: signed.signature, listing: listing({ ...files, 'model.safetensors': w }), mode });
          expect(changed.state).toBe('files-changed');
        });
      }
    }
  }

  it('a single-file model ("." resource) verifies', async () => {
    const signed = signModel({ file: { name: 'model.gguf', content: utf8('GGUF weights') }, signer: key });
    const verdict = await verifyModel({
      signatureBytes: signed.signature,
      listing: listing({ 'model.gguf': 'GGUF weights' }),
      mode: { kind: 'key', publicKeyPem: key.publicKeyPem },
      singleFile: true,
      signaturePath: null,
    });
    expect(verdict.state).toBe('verified');
  });

  it('model_signing 0.2 bundles (Digests/v0.1, buggy PAE; certificates with SHA-256 on P-384) verify', async () => {
    const legacyKey = createKeySigner('P-384', { seed: 'legacy', style: 'rawBytes', pae: 'v0.2-compat' });
    const legacyCa = createCaSigner({ seed: 'legacy-ca', leafCurve: 'P-384', hash: 'sha256', pae: 'v0.2-compat' });
    for (const [signer, mode] of [
      [legacyKey, { kind: 'key', publicKeyPem: legacyKey.publicKeyPem }],
      [legacyCa, { kind: 'certificate', caPems: [legacyCa.caPem] }],
    ] as [ModelSigner, VerifyMode][]) {
      // 0.2 signed git files too; the core (like upstream 1.x by default) ignores them, so leave them out here.
      const { '.gitattributes': _git, ...legacyFiles } = files;
      const signed = signModel({ files: legacyFiles, signer, format: 'v0.2' });
      expect((signed.statement as { predicateType: string }).predicateType).toBe('https://model_signing/Digests/v0.1');
      const verdict = await verifyModel({ signatureBytes: signed.signature, listing: listing(legacyFiles), mode });
      expect(verdict.state, JSON.stringify('failure' in verdict ? verdict.failure : '')).toBe('verified');
      const fewer = { ...legacyFiles };
      delete fewer['config.json'];
      expect((await verifyModel({ signatureBytes: signed.signature, listing: listing(fewer), mode })).state).toBe('files-changed');
    }
  });

  it('verifySigstoreBundle accepts the test Sigstore bundles and rejects the wrong identity', () => {
    for (const log of ['rekor-v1', 'rekor-v2'] as const) {
      const { bundle } = sigstore.signMessage({ message: utf8('artifact'), identity: ID, issuer: ISSUER, log });
      const r = verifySigstoreBundle(bundle, { policy: { identity: ID, issuer: ISSUER }, trustedRoot, artifact: { bytes: utf8('artifact') } });
      expect(r.logEntries.length).toBe(1);
      expect(() =>
        verifySigstoreBundle(bundle, { policy: { identity: 'x@example.com', issuer: ISSUER }, trustedRoot, artifact: { bytes: utf8('artifact') } }),
      ).toThrow();
    }
  });
});

describe('trusted roots and identities the core must handle', () => {
  const { bundle } = sigstore.signMessage({ message: utf8('a'), identity: ID, issuer: ISSUER });
  const artifact = { bytes: utf8('a') };

  it('a trusted root whose tlogs lack validFor.start is rejected (sigstore-js alone would accept it)', () => {
    expect(() => verifySigstoreBundle(bundle, { policy: { identity: ID, issuer: ISSUER }, trustedRoot, artifact })).not.toThrow();
    const noStart = sigstore.trustedRoot({ omitTlogValidityStart: true });
    expect(() => verifySigstoreBundle(bundle, { policy: { identity: ID, issuer: ISSUER }, trustedRoot: noStart, artifact })).toThrow(
      expect.objectContaining({ code: 'TRUSTED_ROOT_INVALID' }),
    );
  });

  it('an otherName (1.3.6.1.4.1.57264.1.7) identity matches exactly', () => {
    const other = sigstore.signMessage({ message: utf8('a'), identity: 'octocat', issuer: ISSUER, sanType: 'otherName' });
    expect(() => verifySigstoreBundle(other.bundle, { policy: { identity: 'octocat', issuer: ISSUER }, trustedRoot, artifact })).not.toThrow();
    expect(() => verifySigstoreBundle(other.bundle, { policy: { identity: 'octocat2', issuer: ISSUER }, trustedRoot, artifact })).toThrow();
  });
});
