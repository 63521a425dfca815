// The test Sigstore's bundles verify with the real sigstore-js verifier (@sigstore/verify +
// @sigstore/core; in this project they run on the browser crypto adapter), and every kind of
// corruption is rejected.
import { X509Certificate as NodeX509 } from 'node:crypto';
import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier, type VerificationPolicy } from '@sigstore/verify';
import { describe, expect, it } from 'vitest';
import { b64, fromB64, fromUtf8, utf8 } from './bytes.js';
import { createTestSigstore, leafHash, rootFromProof, rootHash, inclusionPath, type BundleJson, type TestSigstore } from './index.js';

const ID = 'alice@example.com';
const ISSUER = 'https://issuer.example';
const URI_ID = 'https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main';
const PAYLOAD_TYPE = 'application/vnd.in-toto+json';
const payload = utf8(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [] }, null, 2));

function verify(s: TestSigstore, bundle: BundleJson, policy?: VerificationPolicy, artifact?: Uint8Array, root = s.trustedRoot()) {
  const trust = toTrustMaterial(TrustedRoot.fromJSON(root));
  return new Verifier(trust).verify(
    toSignedEntity(bundleFromJSON(bundle), artifact ? Buffer.from(artifact) : undefined),
    policy,
  );
}

const policy = (identity = ID, issuer = ISSUER): VerificationPolicy => ({ subjectAlternativeName: identity, extensions: { issuer } });

/** A deep copy with one change applied. */
function mutate(b: BundleJson, f: (c: BundleJson) => void): BundleJson {
  const c = JSON.parse(JSON.stringify(b)) as BundleJson;
  f(c);
  return c;
}

/** Flips one bit of a base64 field's decoded bytes. */
function flipB64(s: string, at = -1): string {
  const bytes = fromB64(s);
  const i = at < 0 ? bytes.length + at : at;
  bytes[i] = bytes[i]! ^ 0x01;
  return b64(bytes);
}

describe('RFC 6962 Merkle proofs', () => {
  it('proofs for every leaf of trees of size 1..40 recompute the root', () => {
    for (let n = 1; n <= 40; n++) {
      const leaves = Array.from({ length: n }, (_, i) => leafHash(utf8(`leaf ${i}`)));
      const root = rootHash(leaves);
      for (let m = 0; m < n; m++) expect(rootFromProof(m, n, leaves[m]!, inclusionPath(m, leaves))).toEqual(root);
      if (n > 1) expect(() => rootFromProof(0, n, leaves[0]!, inclusionPath(0, leaves).slice(1))).toThrow();
    }
  });
});

describe('test Sigstore bundles verify with @sigstore/verify', () => {
  const s = createTestSigstore();

  it('Rekor v1 DSSE: SET + multi-leaf inclusion proof + checkpoint + SCT + policy', () => {
    const { bundle } = s.signDsse({ payloadType: PAYLOAD_TYPE, payload, identity: ID, issuer: ISSUER, log: 'rekor-v1' });
    const entry = bundle.verificationMaterial.tlogEntries[0]!;
    expect(entry.kindVersion).toEqual({ kind: 'dsse', version: '0.0.1' });
    expect(Number(entry.inclusionProof.logIndex)).toBeGreaterThan(0);
    expect(Number(entry.inclusionProof.treeSize)).toBeGreaterThanOrEqual(7);
    expect(Number(entry.inclusionProof.logIndex)).toBeLessThan(Number(entry.inclusionProof.treeSize) - 1);
    expect(entry.inclusionProof.hashes.length).toBeGreaterThanOrEqual(3);
    expect(entry.inclusionPromise).toBeDefined();
    expect(bundle.verificationMaterial.timestampVerificationData).toBeUndefined();
    const signer = verify(s, bundle, policy());
    expect(signer.identity?.subjectAlternativeName).toBe(ID);
    expect(signer.identity?.extensions?.issuer).toBe(ISSUER);
  });

  it('Rekor v2 DSSE with RFC 3161 timestamp: no SET, Ed25519 checkpoint, proof mandatory', () => {
    const { bundle } = s.signDsse({ payloadType: PAYLOAD_TYPE, payload, identity: URI_ID, issuer: ISSUER, log: 'rekor-v2' });
    const entry = bundle.verificationMaterial.tlogEntries[0]!;
    expect(entry.kindVersion).toEqual({ kind: 'dsse', version: '0.0.2' });
    expect(entry.inclusionPromise).toBeUndefined();
    expect(entry.integratedTime).toBeUndefined();
    expect(bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps).toHaveLength(1);
    const root = s.trustedRoot() as { tlogs: { publicKey: { keyDetails: string } }[] };
    expect(root.tlogs.map((t) => t.publicKey.keyDetails)).toEqual(['PKIX_ECDSA_P256_SHA_256', 'PKIX_ED25519']);
    expect(verify(s, bundle, policy(URI_ID)).identity?.subjectAlternativeName).toBe(URI_ID);
    // Writers that spell out the zero integratedTime produce an equivalent bundle.
    expect(() => verify(s, mutate(bundle, (c) => (c.verificationMaterial.tlogEntries[0]!.integratedTime = '0')), policy(URI_ID))).not.toThrow();
    // Without the timestamp there is no verified time at all.
    expect(() => verify(s, mutate(bundle, (c) => delete c.verificationMaterial.timestampVerificationData))).toThrow(/timestamp/);
    // Without the inclusion proof nothing proves inclusion.
    expect(() => verify(s, mutate(bundle, (c) => delete (c.verificationMaterial.tlogEntries[0] as Partial<typeof entry>).inclusionProof))).toThrow();
  });

  it('Rekor v1 with a TSA timestamp as well, and hashedrekord message signatures on both logs', () => {
    const { bundle } = s.signDsse({ payloadType: PAYLOAD_TYPE, payload, identity: ID, issuer: ISSUER, log: 'rekor-v1', timestamp: 'tsa' });
    expect(() => verify(s, bundle, policy())).not.toThrow();
    const artifact = utf8('model weights');
    for (const log of ['rekor-v1', 'rekor-v2'] as const) {
      const m = s.signMessage({ message: artifact, identity: ID, issuer: ISSUER, log });
      expect(m.bundle.verificationMaterial.tlogEntries[0]!.kindVersion.kind).toBe('hashedrekord');
      expect(() => verify(s, m.bundle, policy(), artifact)).not.toThrow();
      expect(() => verify(s, m.bundle, policy(), utf8('other weights'))).toThrow();
    }
  });

  it('many entries in a large log: each proof verifies against its own checkpoint', () => {
    const big = createTestSigstore({ seed: 'big-log', logOptions: { prefill: 100, trailing: 3 } });
    for (let i = 0; i < 5; i++) {
      const { bundle } = big.signDsse({ payloadType: PAYLOAD_TYPE, payload: utf8(`{"n":${i}}`), identity: ID, issuer: ISSUER });
      const p = bundle.verificationMaterial.tlogEntries[0]!.inclusionProof;
      expect(Number(p.logIndex)).toBe(100 + i * 4);
      expect(() => verify(big, bundle, policy())).not.toThrow();
    }
  });

  it('leaf certificates look like Fulcio: critical SAN, issuer extensions, codeSigning, 10 minutes', () => {
    const r = s.signDsse({ payloadType: PAYLOAD_TYPE, payload, identity: ID, issuer: ISSUER });
    const cert = new NodeX509(r.leaf.der);
    expect(cert.subjectAltName).toBe(`email:${ID}`);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.3']);
    expect(new Date(cert.validTo).getTime() - new Date(cert.validFrom).getTime()).toBe(600_000);
    expect(cert.checkIssued(new NodeX509(s.intermediate.der))).toBe(true);
    expect(cert.verify(new NodeX509(s.intermediate.der).publicKey)).toBe(true);
    const der = Buffer.from(r.leaf.der);
    expect(der.includes(Buffer.from(ISSUER))).toBe(true);
    // .1.8 holds a DER UTF8String (tag 0x0c) of the issuer.
    expect(der.includes(Buffer.concat([Buffer.from([0x0c, ISSUER.length]), Buffer.from(ISSUER)]))).toBe(true);
  });

  it('is deterministic: same seed, same bundles; another seed, other keys', () => {
    const a = createTestSigstore({ seed: 'det' }).signDsse({ payloadType: PAYLOAD_TYPE, payload, identity: ID, issuer: ISSUER });
    const b = createTestSigstore({ seed: 'det' }).signDsse({ payloadType: PAYLOAD_TYPE, payload, identity: ID, issuer: ISSUER });
    const c = createTestSigstore({ seed: 'other' }).signDsse({ payloadType: PAYLOAD_TYPE, payload, identity: ID, issuer: ISSUER });
    expect(JSON.stringify(a.bundle)).toBe(JSON.stringify(b.bundle));
    expect(a.bundle.verificationMaterial.certificate).not.toEqual(c.bundle.verificationMaterial.certificate);
  });
});

describe('tampered test Sigstore bundles are rejected', () => {
  const s = createTestSigstore({ seed: 'tamper' });
  const v1 = s.signDsse({ payloadType: PAYLOAD_TYPE, payload, identity: ID, issuer: ISSUER, log: 'rekor-v1', timestamp: 'tsa' }).bundle;
  const v2 = s.signDsse({ payloadType: PAYLOAD_TYPE, payload, identity: ID, issuer: ISSUER, log: 'rekor-v2' }).bundle;

  it('the untouched bundles verify (control)', () => {
    expect(() => verify(s, v1, policy())).not.toThrow();
    expect(() => verify(s, v2, policy())).not.toThrow();
  });

  const cases: [string, (c: BundleJson) => void][] = [
    ['payload byte', (c) => (c.dsseEnvelope!.payload = flipB64(c.dsseEnvelope!.payload, 5))],
    ['payload type', (c) => (c.dsseEnvelope!.payloadType = 'application/json')],
    ['DSSE signature', (c) => (c.dsseEnvelope!.signatures[0]!.sig = flipB64(c.dsseEnvelope!.signatures[0]!.sig, 10))],
    ['certificate byte', (c) => (c.verificationMaterial.certificate!.rawBytes = flipB64(c.verificationMaterial.certificate!.rawBytes, 200))],
    ['certificate signature', (c) => (c.verificationMaterial.certificate!.rawBytes = flipB64(c.verificationMaterial.certificate!.rawBytes, -3))],
    ['inclusion proof hash', (c) => { const h = c.verificationMaterial.tlogEntries[0]!.inclusionProof.hashes; h[1] = flipB64(h[1]!, 0); }],
    ['inclusion proof dropped hash', (c) => c.verificationMaterial.tlogEntries[0]!.inclusionProof.hashes.pop()],
    ['inclusion proof index', (c) => { const p = c.verificationMaterial.tlogEntries[0]!.inclusionProof; p.logIndex = String(Number(p.logIndex) + 1); }],
    ['checkpoint root hash', (c) => {
      const p = c.verificationMaterial.tlogEntries[0]!.inclusionProof;
      p.checkpoint.envelope = p.checkpoint.envelope.replace(p.rootHash, flipB64(p.rootHash, 0));
    }],
    ['checkpoint signature', (c) => {
      const p = c.verificationMaterial.tlogEntries[0]!.inclusionProof;
      const [note, sigLine] = p.checkpoint.envelope.split('\n\n') as [string, string];
      const parts = sigLine.trimEnd().split(' ');
      parts[2] = flipB64(parts[2]!);
      p.checkpoint.envelope = `${note}\n\n${parts.join(' ')}\n`;
    }],
    ['canonicalized body', (c) => { const e = c.verificationMaterial.tlogEntries[0]!; e.canonicalizedBody = b64(utf8(fromUtf8(fromB64(e.canonicalizedBody)).replace('"apiVersion"', '"apiVersion" '))); }],
    ['RFC 3161 timestamp', (c) => { const t = c.verificationMaterial.timestampVerificationData!.rfc3161Timestamps[0]!; t.signedTimestamp = flipB64(t.signedTimestamp, -5); }],
  ];
  for (const [name, f] of cases) {
    it(`v1: ${name}`, () => expect(() => verify(s, mutate(v1, f), policy())).toThrow());
    it(`v2: ${name}`, () => expect(() => verify(s, mutate(v2, f), policy())).toThrow());
  }

  const v1Only: [string, (c: BundleJson) => void][] = [
    ['SET', (c) => { const e = c.verificationMaterial.tlogEntries[0]!; e.inclusionPromise!.signedEntryTimestamp = flipB64(e.inclusionPromise!.signedEntryTimestamp, 12); }],
    ['integrated time', (c) => { const e = c.verificationMaterial.tlogEntries[0]!; e.integratedTime = String(Number(e.integratedTime) + 1); }],
    ['log index', (c) => { const e = c.verificationMaterial.tlogEntries[0]!; e.logIndex = String(Number(e.logIndex) + 1); }],
  ];
  for (const [name, f] of v1Only) it(`v1: ${name}`, () => expect(() => verify(s, mutate(v1, f), policy())).toThrow());

  it('entries logged or timestamped after the 10-minute certificate expired are rejected', () => {
    for (const log of ['rekor-v1', 'rekor-v2'] as const) {
      const ok = s.signDsse({ payloadType: PAYLOAD_TYPE, payload, identity: ID, issuer: ISSUER, log, logDelaySeconds: 599 });
      expect(() => verify(s, ok.bundle, policy())).not.toThrow();
      const late = s.signDsse({ payloadType: PAYLOAD_TYPE, payload, identity: ID, issuer: ISSUER, log, logDelaySeconds: 601 });
      expect(() => verify(s, late.bundle, policy())).toThrow(/not valid|expired|certificate/i);
    }
  });

  it('wrong identity, wrong issuer, foreign trusted root', () => {
    expect(() => verify(s, v1, policy('mallory@example.com'))).toThrow();
    expect(() => verify(s, v1, policy(ID, 'https://other.example'))).toThrow();
    expect(() => verify(s, v1, policy(), undefined, createTestSigstore({ seed: 'elsewhere' }).trustedRoot())).toThrow();
  });
});
