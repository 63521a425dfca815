// Certificate mode with real X.509 chains built by the fixture factory and the real upstream chain.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifySignatureOnly } from '../../../extension/core/verify-model.js';
import { legacyPae, pae } from '../../../extension/core/oms/dsse.js';
import { OID, buildCertificate, createCaSigner, deriveKey, signModel, type CertSpec } from '../../factory/index.js';
import { PAYLOAD_TYPE, chainBundle, clone, errorCode, flip, samplePayload } from './helpers.js';

const REAL = resolve(process.cwd(), '../shared/fixtures/oms-real');
const FROM = new Date('2025-01-01T00:00:00Z');
const TO = new Date('2035-01-01T00:00:00Z');

/** A root → intermediate → leaf chain with per-certificate overrides. */
function chain(o: { int?: Partial<CertSpec>; leaf?: Partial<CertSpec>; leafCurve?: 'P-256' | 'P-384' } = {}) {
  const rootKey = deriveKey('P-384', 'cert-test-root');
  const intKey = deriveKey('P-256', 'cert-test-int');
  const leafKey = deriveKey(o.leafCurve ?? 'P-256', `cert-test-leaf-${o.leafCurve ?? 'P-256'}`);
  const rootName = { commonName: 'Test Root' };
  const intName = { organization: 'Acme', commonName: 'Test Intermediate' };
  const root = buildCertificate({ subject: rootName, subjectKey: rootKey, serial: 1n, notBefore: FROM, notAfter: TO, ca: {}, keyUsage: ['keyCertSign'] });
  const int = buildCertificate({
    subject: intName, issuer: { name: rootName, key: rootKey }, subjectKey: intKey, serial: 2n, notBefore: FROM, notAfter: TO,
    ca: { pathLen: 0 }, keyUsage: ['keyCertSign'], ...o.int,
  });
  const leaf = buildCertificate({
    subject: { organization: 'Acme', commonName: 'model signer' }, issuer: { name: intName, key: intKey }, subjectKey: leafKey,
    serial: 3n, notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2026-02-01T00:00:00Z'),
    keyUsage: ['digitalSignature'], ...o.leaf,
  });
  return { root, int, leaf, leafKey };
}

function signedWith(c: ReturnType<typeof chain>, legacy = false) {
  const payload = samplePayload();
  const sig = legacy ? c.leafKey.sign(legacyPae(PAYLOAD_TYPE, payload), 'sha256') : c.leafKey.sign(pae(PAYLOAD_TYPE, payload));
  return chainBundle(payload, sig, [c.leaf.der, c.int.der]);
}

describe('certificate signer', () => {
  it('verifies leaf → intermediate → user CA and names leaf and CA', () => {
    const ca = createCaSigner();
    const m = signModel({ files: { a: 'x' }, signer: ca });
    const { evidence } = verifySignatureOnly(m.signature, { kind: 'certificate', caPems: [ca.caPem] });
    expect(evidence.signer).toMatchObject({ kind: 'certificate', identity: 'O=ModelSeal Test, CN=model-signing-leaf', caSubject: 'O=ModelSeal Test, CN=root-ca' });
    expect(evidence.rootDigest).toBe(m.rootDigest);
  });

  it('accepts a CA file holding several certificates and a chain that includes the root', () => {
    const ca = createCaSigner({ includeRoot: true });
    const other = createCaSigner({ seed: 'other-ca' });
    const m = signModel({ files: { a: 'x' }, signer: ca });
    expect(verifySignatureOnly(m.signature, { kind: 'certificate', caPems: [other.caPem + ca.caPem] }).evidence.signer.kind).toBe('certificate');
  });

  it('wrong CA is CERTIFICATE_CHAIN_INVALID', () => {
    const m = signModel({ files: { a: 'x' }, signer: createCaSigner() });
    const other = createCaSigner({ seed: 'other-ca' });
    expect(errorCode(() => verifySignatureOnly(m.signature, { kind: 'certificate', caPems: [other.caPem] }))).toBe('CERTIFICATE_CHAIN_INVALID');
  });

  it('a missing intermediate is CERTIFICATE_CHAIN_INVALID', () => {
    const c = chain();
    const payload = samplePayload();
    const b = chainBundle(payload, c.leafKey.sign(pae(PAYLOAD_TYPE, payload)), [c.leaf.der]);
    expect(errorCode(() => verifySignatureOnly(b, { kind: 'certificate', caPems: [c.root.pem] }))).toBe('CERTIFICATE_CHAIN_INVALID');
  });

  it('key usage: digitalSignature or EKU codeSigning is enough; neither is CERTIFICATE_USAGE_INVALID', () => {
    const ok1 = chain({ leaf: { keyUsage: ['digitalSignature'] } });
    expect(verifySignatureOnly(signedWith(ok1), { kind: 'certificate', caPems: [ok1.root.pem] }).evidence.signer.kind).toBe('certificate');
    const ok2 = chain({ leaf: { keyUsage: [], extKeyUsage: [OID.ekuCodeSigning] } });
    expect(verifySignatureOnly(signedWith(ok2), { kind: 'certificate', caPems: [ok2.root.pem] }).evidence.signer.kind).toBe('certificate');
    const bad = chain({ leaf: { keyUsage: ['cRLSign'], extKeyUsage: [OID.ekuTimeStamping] } });
    expect(errorCode(() => verifySignatureOnly(signedWith(bad), { kind: 'certificate', caPems: [bad.root.pem] }))).toBe('CERTIFICATE_USAGE_INVALID');
  });

  it('an intermediate that is not a CA cannot issue', () => {
    const c = chain({ int: { ca: undefined, keyUsage: ['digitalSignature'] } });
    expect(errorCode(() => verifySignatureOnly(signedWith(c), { kind: 'certificate', caPems: [c.root.pem] }))).toBe('CERTIFICATE_CHAIN_INVALID');
  });

  it('validity is checked at the leaf notBefore for every certificate', () => {
    const expiredInt = chain({ int: { notAfter: new Date('2025-06-01T00:00:00Z') } });
    expect(errorCode(() => verifySignatureOnly(signedWith(expiredInt), { kind: 'certificate', caPems: [expiredInt.root.pem] }))).toBe('CERTIFICATE_CHAIN_INVALID');
    // An expired leaf is fine as long as everything was valid when it was issued (upstream behaviour).
    const oldLeaf = chain({ leaf: { notBefore: new Date('2025-02-01T00:00:00Z'), notAfter: new Date('2025-02-02T00:00:00Z') } });
    expect(verifySignatureOnly(signedWith(oldLeaf), { kind: 'certificate', caPems: [oldLeaf.root.pem] }).evidence.signer.kind).toBe('certificate');
  });

  it('path length: a root limited to pathLen 0 cannot have an intermediate under it', () => {
    const rootKey = deriveKey('P-256', 'pathlen-root');
    const c = chain();
    const rootName = { commonName: 'Test Root' };
    // A fresh root re-issues chain()'s intermediate (same name and key), so chain()'s leaf hangs below it.
    const root0 = buildCertificate({ subject: rootName, subjectKey: rootKey, serial: 9n, notBefore: FROM, notAfter: TO, ca: { pathLen: 0 }, keyUsage: ['keyCertSign'] });
    const intKey = deriveKey('P-256', 'cert-test-int');
    const int = buildCertificate({ subject: { organization: 'Acme', commonName: 'Test Intermediate' }, issuer: { name: rootName, key: rootKey }, subjectKey: intKey, serial: 10n, notBefore: FROM, notAfter: TO, ca: {}, keyUsage: ['keyCertSign'] });
    const payload = samplePayload();
    const b = chainBundle(payload, c.leafKey.sign(pae(PAYLOAD_TYPE, payload)), [c.leaf.der, int.der]);
    expect(errorCode(() => verifySignatureOnly(b, { kind: 'certificate', caPems: [root0.pem] }))).toBe('CERTIFICATE_CHAIN_INVALID');
    const root1 = buildCertificate({ subject: rootName, subjectKey: rootKey, serial: 11n, notBefore: FROM, notAfter: TO, ca: { pathLen: 1 }, keyUsage: ['keyCertSign'] });
    expect(verifySignatureOnly(b, { kind: 'certificate', caPems: [root1.pem] }).evidence.signer.caSubject).toBe('CN=Test Root');
  });

  it('a signature by another key is SIGNATURE_INVALID', () => {
    const c = chain();
    const payload = samplePayload();
    const sig = deriveKey('P-256', 'not-the-leaf').sign(pae(PAYLOAD_TYPE, payload));
    expect(errorCode(() => verifySignatureOnly(chainBundle(payload, sig, [c.leaf.der, c.int.der]), { kind: 'certificate', caPems: [c.root.pem] }))).toBe('SIGNATURE_INVALID');
  });

  it('legacy 0.2 certificate bundles: buggy PAE signed with SHA-256 even on P-384', () => {
    const c = chain({ leafCurve: 'P-384' });
    expect(verifySignatureOnly(signedWith(c, true), { kind: 'certificate', caPems: [c.root.pem] }).evidence.signer.kind).toBe('certificate');
  });

  it('garbage certificates and CA files fail closed', () => {
    const c = chain();
    const payload = samplePayload();
    const b = chainBundle(payload, c.leafKey.sign(pae(PAYLOAD_TYPE, payload)), [new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])]);
    expect(errorCode(() => verifySignatureOnly(b, { kind: 'certificate', caPems: [c.root.pem] }))).toBe('CERTIFICATE_INVALID');
    expect(errorCode(() => verifySignatureOnly(signedWith(c), { kind: 'certificate', caPems: ['not a pem'] }))).toBe('CERTIFICATE_INVALID');
    expect(errorCode(() => verifySignatureOnly(signedWith(c), { kind: 'certificate', caPems: [] }))).toBe('CERTIFICATE_INVALID');
  });

  it('a chain bundle is refused in key mode', () => {
    const c = chain();
    expect(errorCode(() => verifySignatureOnly(signedWith(c), { kind: 'key', publicKeyPem: c.leafKey.pem }))).toBe('VERIFICATION_MATERIAL_UNSUPPORTED');
  });
});

if (!existsSync(REAL)) {
  console.log(`real OMS fixtures not found at ${REAL}: real certificate-signature unit tests not registered`);
} else {
  describe('real model_signing 1.1.0 certificate signature', () => {
    const sig = new Uint8Array(readFileSync(resolve(REAL, 'v1.1.0-certificate/model.sig')));
    const ca = readFileSync(resolve(REAL, 'keys/certificate/ca-cert.pem'), 'utf8');
    it('verifies to the published root CA (RSA-signed chain, P-384 leaf)', () => {
      const { evidence } = verifySignatureOnly(sig, { kind: 'certificate', caPems: [ca] });
      expect(evidence.signer).toMatchObject({ identity: 'CN=intermediate-ca', caSubject: 'CN=root-ca' });
    });
    it('another CA is CERTIFICATE_CHAIN_INVALID; a bad signature byte is SIGNATURE_INVALID', () => {
      expect(errorCode(() => verifySignatureOnly(sig, { kind: 'certificate', caPems: [createCaSigner().caPem] }))).toBe('CERTIFICATE_CHAIN_INVALID');
      const b = clone(Buffer.from(sig).toString('utf8'));
      const s = Buffer.from(b.dsseEnvelope.signatures[0]!.sig, 'base64');
      flip(s, 10, 0x40);
      b.dsseEnvelope.signatures[0]!.sig = s.toString('base64');
      expect(errorCode(() => verifySignatureOnly(JSON.stringify(b), { kind: 'certificate', caPems: [ca] }))).toBe('SIGNATURE_INVALID');
    });
  });
}
