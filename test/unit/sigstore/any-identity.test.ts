/**
 * `anyIdentity` is for a first look at a signer nobody named yet (trust on first use): everything but
 * the identity comparison still runs, and the signer reported is the one the verified certificate
 * names. Real factory bundles, real crypto.
 */
import { describe, expect, it } from 'vitest';
import { verifySigstoreBundle } from '../../../extension/core/sigstore/index.js';
import { isModelSealError } from '../../../extension/core/errors.js';
import { createTestSigstore, utf8 } from '../../factory/index.js';

const s = createTestSigstore({ seed: 'any-identity' });
const root = s.trustedRoot();
const payload = utf8(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'm', digest: { sha256: '00'.repeat(32) } }] }));
const any = { anyIdentity: true } as const;

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return isModelSealError(e) ? e.code : `foreign: ${String(e)}`;
  }
  return 'verified';
}

describe('verifySigstoreBundle with anyIdentity', () => {
  it('reports the signer from the verified certificate, for email, URI and otherName identities', () => {
    for (const [sanType, identity] of [
      ['email', 'first@example.com'],
      ['uri', 'https://github.com/o/r/.github/workflows/sign.yml@refs/heads/main'],
      ['otherName', 'someone@example.org'],
    ] as const) {
      const { bundle } = s.signDsse({ payloadType: 'application/vnd.in-toto+json', payload, identity, issuer: 'https://issuer.example', log: 'rekor-v2', timestamp: 'tsa', sanType });
      const r = verifySigstoreBundle(bundle, { policy: any, trustedRoot: root });
      expect(r.signer).toEqual({ kind: 'sigstore', identity, issuer: 'https://issuer.example' });
    }
  });

  it('still rejects a bad signature, an untrusted root and a certificate logged after it expired', () => {
    const { bundle } = s.signDsse({ payloadType: 'application/vnd.in-toto+json', payload, identity: 'a@example.com', issuer: 'https://issuer.example', log: 'rekor-v1' });
    const tampered = structuredClone(bundle);
    const sig = tampered.dsseEnvelope!.signatures[0]!;
    sig.sig = sig.sig.startsWith('A') ? `B${sig.sig.slice(1)}` : `A${sig.sig.slice(1)}`;
    expect(codeOf(() => verifySigstoreBundle(tampered, { policy: any, trustedRoot: root }))).not.toBe('verified');
    const other = createTestSigstore({ seed: 'another-instance' }).trustedRoot();
    expect(codeOf(() => verifySigstoreBundle(bundle, { policy: any, trustedRoot: other }))).not.toBe('verified');
    const late = s.signDsse({ payloadType: 'application/vnd.in-toto+json', payload, identity: 'a@example.com', issuer: 'https://issuer.example', log: 'rekor-v1', logDelaySeconds: 3600 }).bundle;
    expect(codeOf(() => verifySigstoreBundle(late, { policy: any, trustedRoot: root }))).not.toBe('verified');
    // The untouched bundle verifies, so the failures above come from the corruption.
    expect(codeOf(() => verifySigstoreBundle(bundle, { policy: any, trustedRoot: root }))).toBe('verified');
  });
});
