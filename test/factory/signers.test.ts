// The key and CA signers produce bundles in model_signing's shapes, checked independently with
// Node's crypto and X.509 (and against the real 1.1 key bundle's hint convention).
import { execFileSync } from 'node:child_process';
import { createPublicKey, verify as nodeVerify, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundleFromJSON } from '@sigstore/bundle';
import { X509Certificate as SigstoreX509 } from '@sigstore/core';
import { PublicKeyDetails, TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
import { describe, expect, it } from 'vitest';
import { fromB64, fromUtf8, hex, pae, paeV02Compat, pythonBytesRepr, sha256, utf8 } from './bytes.js';
import {
  createCaSigner,
  createKeySigner,
  createSigstoreSigner,
  createTestSigstore,
  CURVE_HASH,
  IN_TOTO_PAYLOAD_TYPE,
  signModel,
  TRUSTED_ROOT_MEDIA_TYPE,
  type BundleJson,
  type ModelSigner,
} from './index.js';

const payload = utf8('{\n  "_type": "https://in-toto.io/Statement/v1"\n}');

function dsseSigValid(bundle: BundleJson, pem: string, hash: string | null): boolean {
  const env = bundle.dsseEnvelope!;
  return nodeVerify(hash, pae(env.payloadType, fromB64(env.payload)), createPublicKey(pem), fromB64(env.signatures[0]!.sig));
}

describe('key signer', () => {
  for (const curve of ['P-256', 'P-384', 'P-521'] as const) {
    it(`${curve}: 1.1 bundle with publicKey.hint, keyid "", no log entries, ECDSA with ${CURVE_HASH[curve]}`, () => {
      const signer = createKeySigner(curve);
      const bundle = signer.signDsse(IN_TOTO_PAYLOAD_TYPE, payload);
      expect(bundle.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
      expect(bundle.verificationMaterial).toEqual({ publicKey: { hint: signer.hint }, tlogEntries: [] });
      expect(bundle.dsseEnvelope!.signatures[0]!.keyid).toBe('');
      expect(signer.hint).toBe(hex(sha256(utf8(signer.publicKeyPem))));
      expect(signer.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n([A-Za-z0-9+/=]{64}\n)*[A-Za-z0-9+/=]{1,64}\n-----END PUBLIC KEY-----\n$/);
      expect(dsseSigValid(bundle, signer.publicKeyPem, CURVE_HASH[curve])).toBe(true);
      const tampered = { ...bundle, dsseEnvelope: { ...bundle.dsseEnvelope!, payload: Buffer.from('{}').toString('base64') } };
      expect(dsseSigValid(tampered, signer.publicKeyPem, CURVE_HASH[curve])).toBe(false);
      expect(dsseSigValid(bundle, createKeySigner(curve, { seed: 'other' }).publicKeyPem, CURVE_HASH[curve])).toBe(false);
    });
  }

  it('1.0 style: publicKey.rawBytes is base64 of the PEM text, with keyDetails and keyid null', () => {
    const signer = createKeySigner('P-384', { style: 'rawBytes' });
    const bundle = signer.signDsse(IN_TOTO_PAYLOAD_TYPE, payload);
    expect(fromUtf8(fromB64(bundle.verificationMaterial.publicKey!.rawBytes!))).toBe(signer.publicKeyPem);
    expect(bundle.verificationMaterial.publicKey!.keyDetails).toBe('PKIX_ECDSA_P384_SHA_384');
    expect(bundle.dsseEnvelope!.signatures[0]!.keyid).toBeNull();
    expect(dsseSigValid(bundle, signer.publicKeyPem, 'sha384')).toBe(true);
  });

  it('P-256 key bundles also verify with @sigstore/verify as managed-key bundles', () => {
    const signer = createKeySigner('P-256');
    const bundle = signer.signDsse(IN_TOTO_PAYLOAD_TYPE, payload);
    const root = TrustedRoot.fromJSON({ mediaType: TRUSTED_ROOT_MEDIA_TYPE, tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [] });
    const keys = { [signer.hint]: { rawBytes: Buffer.from(signer.key.spki), keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256, validFor: undefined } };
    const verifier = new Verifier(toTrustMaterial(root, keys), { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 });
    expect(() => verifier.verify(toSignedEntity(bundleFromJSON(bundle)))).not.toThrow();
    const other = createKeySigner('P-256', { seed: 'other' }).signDsse(IN_TOTO_PAYLOAD_TYPE, payload);
    expect(() => verifier.verify(toSignedEntity(bundleFromJSON(other)))).toThrow();
  });

  const REAL = resolve(process.cwd(), '../shared/fixtures/oms-real');
  if (existsSync(REAL)) {
    it('the hint convention matches the real model_signing 1.1 P-384 key bundle', () => {
      const text = readFileSync(join(REAL, 'keys/certificate/signing-key-pub.pem'), 'utf8');
      // The real key file has a text preamble; model_signing hashes the canonical PEM export.
      const canonical = createPublicKey(text.slice(text.indexOf('-----BEGIN'))).export({ type: 'spki', format: 'pem' }).toString();
      const real = JSON.parse(readFileSync(join(REAL, 'v1.1.0-elliptic-key/model.sig'), 'utf8'));
      expect(hex(sha256(utf8(canonical)))).toBe(real.verificationMaterial.publicKey.hint);
      expect(Object.keys(real.verificationMaterial)).toEqual(['publicKey', 'tlogEntries']);
      expect(real.dsseEnvelope.signatures[0].keyid).toBe('');
    });

    /** Object structure: sorted keys, recursively; arrays by their first element. */
    const shape = (v: unknown): unknown =>
      Array.isArray(v) ? [v.length ? shape(v[0]) : null] : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, shape((v as Record<string, unknown>)[k])])) : typeof v;

    it('bundles have the same structure as the real model_signing 1.1 signatures of each kind', () => {
      const files = { 'signme-1': 'x', 'signme-2': 'y' };
      const s = createTestSigstore({ seed: 'shape' });
      const kinds: [string, ModelSigner][] = [
        ['v1.1.0-sigstore', createSigstoreSigner(s, { identity: 'a@b.c', issuer: 'https://i', log: 'rekor-v1', timestamp: 'tsa' })],
        ['v1.1.0-elliptic-key', createKeySigner('P-384')],
        ['v1.1.0-certificate', createCaSigner()],
      ];
      for (const [dir, signer] of kinds) {
        const real = JSON.parse(readFileSync(join(REAL, dir, 'model.sig'), 'utf8'));
        const ours = JSON.parse(signModel({ files, signer }).signature);
        expect(shape(ours), dir).toEqual(shape(real));
      }
    });
  } else {
    console.log(`[factory] ${REAL} not found: real key-bundle comparison not registered`);
  }
});

describe('CA signer', () => {
  it('chain leaf → intermediate → root verifies; leaf has digitalSignature + codeSigning; signature holds', () => {
    const ca = createCaSigner();
    const bundle = ca.signDsse(IN_TOTO_PAYLOAD_TYPE, payload);
    const certs = bundle.verificationMaterial.x509CertificateChain!.certificates.map((c) => new X509Certificate(fromB64(c.rawBytes)));
    expect(certs).toHaveLength(2);
    const root = new X509Certificate(ca.caPem);
    const [leaf, intermediate] = certs as [X509Certificate, X509Certificate];
    expect(leaf.checkIssued(intermediate) && leaf.verify(intermediate.publicKey)).toBe(true);
    expect(intermediate.checkIssued(root) && intermediate.verify(root.publicKey)).toBe(true);
    expect(root.verify(root.publicKey)).toBe(true);
    expect(intermediate.ca && root.ca && !leaf.ca).toBe(true);
    // No pathLen on the root (an absent constraint must not turn into pathLen 0), 0 on the intermediate.
    expect(SigstoreX509.parse(Buffer.from(ca.root.der)).extBasicConstraints?.pathLenConstraint).toBeUndefined();
    expect(SigstoreX509.parse(Buffer.from(ca.intermediate.der)).extBasicConstraints?.pathLenConstraint).toBe(0n);
    expect(leaf.keyUsage).toEqual(['1.3.6.1.5.5.7.3.3']);
    expect(bundle.verificationMaterial.tlogEntries).toEqual([]);
    expect(dsseSigValid(bundle, leaf.publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'sha256')).toBe(true);
    // Another CA's root does not anchor this chain.
    expect(intermediate.verify(new X509Certificate(createCaSigner({ seed: 'other-ca' }).caPem).publicKey)).toBe(false);
  });

  it('validity past 2049 is written as GeneralizedTime and still parses', () => {
    const ca = createCaSigner({ seed: 'far', validTo: new Date('2060-01-01T00:00:00Z') });
    expect(new X509Certificate(ca.caPem).validTo).toBe('Jan  1 00:00:00 2060 GMT');
    expect(SigstoreX509.parse(Buffer.from(ca.root.der)).notAfter.toISOString()).toBe('2060-01-01T00:00:00.000Z');
  });

  it('P-384 leaf signs with SHA-384; chain can include the root', () => {
    const ca = createCaSigner({ seed: 'p384', leafCurve: 'P-384', includeRoot: true });
    const bundle = ca.signDsse(IN_TOTO_PAYLOAD_TYPE, payload);
    expect(bundle.verificationMaterial.x509CertificateChain!.certificates).toHaveLength(3);
    expect(dsseSigValid(bundle, ca.leafKey.pem, 'sha384')).toBe(true);
  });
});

describe('model_signing 0.2 compatibility PAE', () => {
  const samples = [
    utf8('{\n  "a": 1\n}'),
    utf8("it's"),
    utf8('both \' and "'),
    new Uint8Array([0, 9, 10, 13, 0x5c, 0x7f, 0x80, 0xff, 0x41]),
    utf8('caf\u00e9 \u4e2d'),
  ];
  const python = (() => {
    try {
      execFileSync('python3', ['-c', 'pass'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it.runIf(python)('pythonBytesRepr equals Python 3 repr(bytes) (python3 as the oracle)', () => {
    for (const b of samples) {
      const expected = execFileSync('python3', ['-c', 'import sys; sys.stdout.write(repr(sys.stdin.buffer.read()))'], { input: b, encoding: 'utf8' });
      expect(pythonBytesRepr(b)).toBe(expected);
    }
  });

  it('key bundles signed with the compat PAE verify only over that PAE', () => {
    const signer = createKeySigner('P-384', { style: 'rawBytes', pae: 'v0.2-compat' });
    const bundle = signer.signDsse(IN_TOTO_PAYLOAD_TYPE, payload);
    const sig = fromB64(bundle.dsseEnvelope!.signatures[0]!.sig);
    const key = createPublicKey(signer.publicKeyPem);
    expect(fromUtf8(paeV02Compat(IN_TOTO_PAYLOAD_TYPE, payload))).toBe(`DSSEV1 28 ${IN_TOTO_PAYLOAD_TYPE} ${payload.length} b'{\\n  "_type": "https://in-toto.io/Statement/v1"\\n}'`);
    expect(nodeVerify('sha384', paeV02Compat(IN_TOTO_PAYLOAD_TYPE, payload), key, sig)).toBe(true);
    expect(nodeVerify('sha384', pae(IN_TOTO_PAYLOAD_TYPE, payload), key, sig)).toBe(false);
  });
});
