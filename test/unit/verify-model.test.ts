// verifyModel end to end on factory-signed models (Sigstore via the test Sigstore and a custom
// trusted root, key, certificate), and the rules that keep `verified` unreachable without every check.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyModel, verifySignatureOnly, type VerifyMode } from '../../extension/core/verify-model.js';
import { manifestFromVerified } from '../../extension/core/oms/statement.js';
import { legacyPae } from '../../extension/core/oms/dsse.js';
import type { ListedFile } from '../../extension/core/files/listing.js';
import { b64, buildScenarioModels, createKeySigner, createTestSigstore, deriveKey, signModel, utf8, type FileMap, type Scenario } from '../factory/index.js';

const clock = { now: () => 1_750_000_000_000 };

function listing(files: FileMap): ListedFile[] {
  return Object.entries(files).map(([path, c]) => {
    const bytes = typeof c === 'string' ? utf8(c) : c;
    return { path, size: bytes.length, content: async () => bytes };
  });
}

function modeOf(s: Scenario): VerifyMode {
  const v = s.verify;
  if (v.method === 'sigstore') return { kind: 'sigstore', identity: v.identity, issuer: v.issuer, trustedRoot: v.trustedRoot };
  if (v.method === 'key') return { kind: 'key', publicKeyPem: v.publicKeyPem };
  return { kind: 'certificate', caPems: v.caPems };
}

describe('verifyModel on the factory scenarios', () => {
  const scenarios = buildScenarioModels(createTestSigstore());
  const expected: Record<Scenario['expect'], string> = {
    verified: 'verified',
    mismatch: 'files-changed',
    'unsigned-file': 'files-changed',
    'missing-file': 'files-changed',
    'wrong-identity': 'invalid-signature',
  };
  for (const s of scenarios) {
    it(`${s.name} (${s.description}) → ${expected[s.expect]}`, async () => {
      const v = await verifyModel({ signatureBytes: s.signature, listing: listing(s.files), mode: modeOf(s), clock, subject: { repo: `test/${s.name}` } });
      expect(v.state).toBe(expected[s.expect]);
      expect(v.checkedAt).toBe(clock.now());
      expect(v.subject).toEqual({ repo: `test/${s.name}` });
      if (v.state === 'verified') {
        expect(v.signature.signer.kind).toBe(s.verify.method);
        expect(v.files.every((f) => f.status === 'verified' || f.status === 'ignored')).toBe(true);
        if (s.verify.method === 'sigstore') {
          expect(v.signature.logEntries.length).toBe(1);
          expect(v.signature.timestamps.length).toBeGreaterThan(0);
        }
      } else if (v.state === 'files-changed') {
        expect(v.failure.code).toBe('FILES_MISMATCH');
        expect(v.signature.rootDigest).toMatch(/^[0-9a-f]{64}$/);
      } else if (v.state === 'invalid-signature') {
        expect(v.failure.code).toBe('IDENTITY_MISMATCH');
      }
    });
  }

  it('Sigstore with the production root instead of the test root: not verified', async () => {
    const s = scenarios.find((x) => x.name === 'sigstore-rekor-v1')!;
    const mode = modeOf(s);
    if (mode.kind !== 'sigstore' || !('identity' in mode)) throw new Error('expected a Sigstore scenario');
    const v = await verifyModel({ signatureBytes: s.signature, listing: listing(s.files), mode: { kind: 'sigstore', identity: mode.identity, issuer: mode.issuer } });
    expect(v.state).toBe('invalid-signature');
  });

  it('Sigstore: wrong issuer', async () => {
    const s = scenarios.find((x) => x.name === 'sigstore-rekor-v2')!;
    const mode = modeOf(s);
    if (mode.kind !== 'sigstore') throw new Error('expected a Sigstore scenario');
    const v = await verifyModel({ signatureBytes: s.signature, listing: listing(s.files), mode: { ...mode, issuer: 'https://accounts.google.com' } });
    expect(v.state === 'invalid-signature' && v.failure.code).toBe('ISSUER_MISMATCH');
  });
});

describe('verdict states and codes', () => {
  const key = createKeySigner('P-256', { seed: 'verdicts' });
  const files = { a: 'alpha', 'b/c': 'beta' };
  const signed = signModel({ files, signer: key });
  const mode: VerifyMode = { kind: 'key', publicKeyPem: key.publicKeyPem };

  it('unsupported things are unverifiable (amber), bad signatures invalid (red)', async () => {
    const garbage = await verifyModel({ signatureBytes: '{"mediaType":"application/x-other","verificationMaterial":{}}', listing: [], mode });
    expect(garbage).toMatchObject({ state: 'unverifiable', failure: { code: 'BUNDLE_UNSUPPORTED_MEDIA_TYPE' } });
    const wrong = await verifyModel({ signatureBytes: signed.signature, listing: listing(files), mode: { kind: 'key', publicKeyPem: createKeySigner('P-256', { seed: 'x' }).publicKeyPem } });
    expect(wrong).toMatchObject({ state: 'invalid-signature', failure: { code: 'KEY_MISMATCH' } });
    const badKey = await verifyModel({ signatureBytes: signed.signature, listing: listing(files), mode: { kind: 'key', publicKeyPem: 'nope' } });
    expect(badKey).toMatchObject({ state: 'unverifiable', failure: { code: 'KEY_INVALID' } });
  });

  it('files that cannot be hashed: unverifiable with the signature evidence, never verified', async () => {
    const v = await verifyModel({ signatureBytes: signed.signature, listing: [{ path: 'a', unhashableReason: 'too large to hash here' }, ...listing({ 'b/c': 'beta' })], mode });
    expect(v).toMatchObject({ state: 'unverifiable', failure: { code: 'TOO_LARGE_TO_HASH' } });
    expect(v.state === 'unverifiable' && v.signature?.rootDigest).toBe(signed.rootDigest);
  });

  it('a hostile caller ignore path after a valid signature is unverifiable, not a crash', async () => {
    const v = await verifyModel({ signatureBytes: signed.signature, listing: listing(files), mode, ignorePaths: ['../outside'] });
    expect(v).toMatchObject({ state: 'unverifiable', failure: { code: 'RESOURCE_PATH_INVALID' } });
  });

  it('failure reasons are one line', async () => {
    const v = await verifyModel({ signatureBytes: 'x'.repeat(10), listing: [], mode });
    expect(v.state).toBe('invalid-signature');
    if (v.state === 'invalid-signature') expect(v.failure.reason).not.toMatch(/\n/);
  });

  it('the manifest cannot be read from an unverified payload', () => {
    const forged = { signer: { kind: 'key' }, logEntries: [], timestamps: [], payloadType: 'application/vnd.in-toto+json', payload: signed.payload, legacyPae: false };
    expect(() => manifestFromVerified(forged as never)).toThrow(expect.objectContaining({ code: 'INTERNAL_ERROR' }));
  });

  it('verifySignatureOnly returns frozen evidence plus the manifest for hub use', () => {
    const check = verifySignatureOnly(signed.signature, mode);
    expect(Object.isFrozen(check)).toBe(true);
    expect(check.evidence).toMatchObject({ rootDigest: signed.rootDigest, predicateType: 'https://model_signing/signature/v1.0' });
    expect(check.manifest.resources.map((r) => r.path)).toEqual(['a', 'b/c']);
  });
});

describe('model_signing 0.2: Digests/v0.1 statement under the legacy PAE', () => {
  it('verifies files and flags a change', async () => {
    const key = deriveKey('P-384', 'v02-era');
    const files = { 'config.json': '{}', 'model.bin': 'weights' };
    const statement = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: Object.entries(files).map(([name, c]) => ({ name, digest: { sha256: createHash('sha256').update(c).digest('hex') }, annotations: { actual_hash_algorithm: 'file-sha256' } })),
      predicateType: 'https://model_signing/Digests/v0.1',
      predicate: { unused: 'Unused, just passed due to API requirements' },
    };
    const payload = utf8(JSON.stringify(statement, null, 2));
    const sig = key.sign(legacyPae('application/vnd.in-toto+json', payload));
    const bundle = JSON.stringify({
      mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      verificationMaterial: { publicKey: { rawBytes: b64(utf8(key.pem)), keyDetails: 'PKIX_ECDSA_P384_SHA_384' } },
      dsseEnvelope: { payload: b64(payload), payloadType: 'application/vnd.in-toto+json', signatures: [{ sig: b64(sig) }] },
    });
    const mode: VerifyMode = { kind: 'key', publicKeyPem: key.pem };
    const ok = await verifyModel({ signatureBytes: bundle, listing: listing(files), mode });
    expect(ok.state).toBe('verified');
    expect(ok.state === 'verified' && ok.signature.predicateType).toBe('https://model_signing/Digests/v0.1');
    const changed = await verifyModel({ signatureBytes: bundle, listing: listing({ ...files, 'model.bin': 'weightz' }), mode });
    expect(changed.state).toBe('files-changed');
  });
});
