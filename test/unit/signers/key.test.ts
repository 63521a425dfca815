// Key mode with real ECDSA: all three curves, hint and rawBytes material, legacy PAE, hostile keys.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifySignatureOnly } from '../../../extension/core/verify-model.js';
import { parsePublicKeyPem } from '../../../extension/core/signers/ec-key.js';
import { keyHint } from '../../../extension/core/signers/key.js';
import { legacyPae, pae } from '../../../extension/core/oms/dsse.js';
import { createKeySigner, deriveKey, hex, sha256, signModel } from '../../factory/index.js';
import { PAYLOAD_TYPE, clone, errorCode, flip, keyBundle, samplePayload } from './helpers.js';

const REAL = resolve(process.cwd(), '../shared/fixtures/oms-real');

describe('key signer', () => {
  for (const curve of ['P-256', 'P-384', 'P-521'] as const) {
    it(`${curve}: verifies, fingerprint is SHA-256 of the SPKI DER, hint matches`, () => {
      const signer = createKeySigner(curve);
      const m = signModel({ files: { a: 'x', 'b/c': 'y' }, signer });
      const { evidence, manifest } = verifySignatureOnly(m.signature, { kind: 'key', publicKeyPem: signer.publicKeyPem });
      expect(evidence.signer).toEqual({ kind: 'key', keyFingerprint: hex(sha256(signer.key.spki)) });
      expect(evidence.rootDigest).toBe(m.rootDigest);
      expect(manifest.resources.map((r) => r.path)).toEqual(['a', 'b/c']);
      expect(keyHint(parsePublicKeyPem(signer.publicKeyPem))).toBe(signer.hint);
    });

    it(`${curve}: a hash other than the curve's is rejected`, () => {
      const key = deriveKey(curve, `wrong-hash-${curve}`);
      const payload = samplePayload();
      const other = curve === 'P-256' ? 'sha384' : 'sha256';
      const sig = key.sign(pae(PAYLOAD_TYPE, payload), other);
      const pem = key.pem;
      expect(errorCode(() => verifySignatureOnly(keyBundle(payload, sig, {}), { kind: 'key', publicKeyPem: pem }))).toBe('SIGNATURE_INVALID');
    });
  }

  it('1.0-style rawBytes material verifies; a different embedded key is KEY_MISMATCH', () => {
    const signer = createKeySigner('P-384', { style: 'rawBytes' });
    const m = signModel({ files: { a: 'x' }, signer });
    expect(verifySignatureOnly(m.signature, { kind: 'key', publicKeyPem: signer.publicKeyPem }).evidence.signer.kind).toBe('key');
    const other = createKeySigner('P-384', { seed: 'someone-else' });
    expect(errorCode(() => verifySignatureOnly(m.signature, { kind: 'key', publicKeyPem: other.publicKeyPem }))).toBe('KEY_MISMATCH');
  });

  it('wrong key: KEY_MISMATCH with a hint, SIGNATURE_INVALID without material', () => {
    const m = signModel({ files: { a: 'x' }, signer: createKeySigner('P-256') });
    const other = createKeySigner('P-256', { seed: 'another' });
    expect(errorCode(() => verifySignatureOnly(m.signature, { kind: 'key', publicKeyPem: other.publicKeyPem }))).toBe('KEY_MISMATCH');
    const b = clone(m.bundle);
    b.verificationMaterial['publicKey'] = {};
    expect(errorCode(() => verifySignatureOnly(JSON.stringify(b), { kind: 'key', publicKeyPem: other.publicKeyPem }))).toBe('SIGNATURE_INVALID');
  });

  it('a changed payload byte or signature byte fails', () => {
    const signer = createKeySigner('P-256');
    const m = signModel({ files: { a: 'x' }, signer });
    const payload = new Uint8Array(m.payload);
    flip(payload, -3);
    const b = clone(m.bundle);
    b.dsseEnvelope.payload = Buffer.from(payload).toString('base64');
    expect(errorCode(() => verifySignatureOnly(JSON.stringify(b), { kind: 'key', publicKeyPem: signer.publicKeyPem }))).toBe('SIGNATURE_INVALID');
    const sig = Buffer.from(clone(m.bundle).dsseEnvelope.signatures[0]!.sig, 'base64');
    flip(sig, -1);
    const c = clone(m.bundle);
    c.dsseEnvelope.signatures[0]!.sig = sig.toString('base64');
    expect(errorCode(() => verifySignatureOnly(JSON.stringify(c), { kind: 'key', publicKeyPem: signer.publicKeyPem }))).toBe('SIGNATURE_INVALID');
  });

  it('legacy 0.2 PAE signatures verify (curve hash), and the statement is still parsed from the signed bytes', () => {
    const key = deriveKey('P-384', 'legacy-key');
    const payload = samplePayload();
    const sig = key.sign(legacyPae(PAYLOAD_TYPE, payload));
    const { evidence } = verifySignatureOnly(keyBundle(payload, sig, {}), { kind: 'key', publicKeyPem: key.pem });
    expect(evidence.signer.keyFingerprint).toBe(hex(sha256(key.spki)));
  });

  it('tolerates text before the PEM block', () => {
    const signer = createKeySigner('P-256');
    const m = signModel({ files: { a: 'x' }, signer });
    const pem = `Public Key Info:\n\tAlgorithm: EC\n\n${signer.publicKeyPem}`;
    expect(verifySignatureOnly(m.signature, { kind: 'key', publicKeyPem: pem }).evidence.signer.kind).toBe('key');
  });

  it('hostile or unsupported keys are KEY_INVALID', () => {
    const m = signModel({ files: { a: 'x' }, signer: createKeySigner('P-256') }).signature;
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const ed = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const valid = createKeySigner('P-256').publicKeyPem;
    const body = valid.split('\n').slice(1, -2).join('');
    const offCurve = (() => {
      const der = Buffer.from(body, 'base64');
      flip(der, -1); // last byte of Y: the point leaves the curve
      return `-----BEGIN PUBLIC KEY-----\n${der.toString('base64')}\n-----END PUBLIC KEY-----\n`;
    })();
    const trailing = `-----BEGIN PUBLIC KEY-----\n${Buffer.concat([Buffer.from(body, 'base64'), Buffer.from([0])]).toString('base64')}\n-----END PUBLIC KEY-----\n`;
    for (const pem of [rsa, ed, k1, offCurve, trailing, 'no pem here', '-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n']) {
      expect(errorCode(() => verifySignatureOnly(m, { kind: 'key', publicKeyPem: pem })), pem.slice(0, 40)).toBe('KEY_INVALID');
    }
  });

  it('a key bundle is refused in certificate and Sigstore modes, and a chain bundle in key mode', () => {
    const k = createKeySigner('P-256');
    const m = signModel({ files: { a: 'x' }, signer: k });
    expect(errorCode(() => verifySignatureOnly(m.signature, { kind: 'certificate', caPems: ['x'] }))).toBe('VERIFICATION_MATERIAL_UNSUPPORTED');
    expect(errorCode(() => verifySignatureOnly(m.signature, { kind: 'sigstore', identity: 'a', issuer: 'b' }))).toBe('VERIFICATION_MATERIAL_UNSUPPORTED');
  });
});

if (!existsSync(REAL)) {
  console.log(`real OMS fixtures not found at ${REAL}: real key-signature unit tests not registered`);
} else {
  describe('real model_signing 1.1.0 key signature', () => {
    const sig = readFileSync(resolve(REAL, 'v1.1.0-elliptic-key/model.sig'));
    it('verifies with the published key (PEM with a text preamble)', () => {
      const pem = readFileSync(resolve(REAL, 'keys/certificate/signing-key-pub.pem'), 'utf8');
      const { evidence } = verifySignatureOnly(new Uint8Array(sig), { kind: 'key', publicKeyPem: pem });
      expect(evidence.signer.keyFingerprint).toBe('c1e49d63327f85c7e2971aefd30b5a0d1c6b9b5e1a892e7f5fba995adace816d');
      expect(evidence.rootDigest).toBe('92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4');
    });
    it('another P-384 key is KEY_MISMATCH', () => {
      const other = createKeySigner('P-384').publicKeyPem;
      expect(errorCode(() => verifySignatureOnly(new Uint8Array(sig), { kind: 'key', publicKeyPem: other }))).toBe('KEY_MISMATCH');
    });
  });
}
