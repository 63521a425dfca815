// Systematic single-byte corruption of key and certificate bundles: every flipped byte of the
// DSSE payload, the signature and the leaf certificate must be rejected with a typed error.
import { describe, expect, it } from 'vitest';
import { verifySignatureOnly, type VerifyMode } from '../../../extension/core/verify-model.js';
import { ModelSealError } from '../../../extension/core/errors.js';
import { createCaSigner, createKeySigner, signModel } from '../../factory/index.js';
import { clone } from './helpers.js';

/**
 * Verification is synchronous and each variant costs a signature check: yield to the event loop now
 * and then so a long sweep on a loaded machine never starves the test runner's own messages.
 */
async function rejectsAll(variants: Iterable<string>, mode: VerifyMode): Promise<{ total: number; codes: Record<string, number> }> {
  const codes: Record<string, number> = {};
  let total = 0;
  for (const v of variants) {
    total++;
    if (total % 10 === 0) await new Promise((r) => setImmediate(r));
    try {
      verifySignatureOnly(v, mode);
    } catch (e) {
      expect(e).toBeInstanceOf(ModelSealError);
      const code = (e as ModelSealError).code;
      codes[code] = (codes[code] ?? 0) + 1;
      continue;
    }
    throw new Error(`corrupted bundle #${total} verified`);
  }
  return { total, codes };
}

/** Variants of `field` (base64) with one byte XOR 0x01: every byte, or those `pick` selects. */
function* flipped(
  bundleText: string,
  get: (b: ReturnType<typeof clone>) => string,
  set: (b: ReturnType<typeof clone>, v: string) => void,
  pick: (i: number, length: number) => boolean = () => true,
): Generator<string> {
  const bytes = Buffer.from(get(clone(bundleText)), 'base64');
  for (let i = 0; i < bytes.length; i++) {
    if (!pick(i, bytes.length)) continue;
    const copy = Buffer.from(bytes);
    copy[i] = (copy[i] ?? 0) ^ 0x01;
    const b = clone(bundleText);
    set(b, copy.toString('base64'));
    yield JSON.stringify(b);
  }
}

describe('single-byte corruption', () => {
  const files = { 'config.json': '{"a":1}', 'model.bin': 'weights' };

  it('key bundle (P-256): every payload byte and every signature byte', { timeout: 180_000 }, async () => {
    const key = createKeySigner('P-256', { seed: 'corruption' });
    const { signature } = signModel({ files, signer: key });
    const mode: VerifyMode = { kind: 'key', publicKeyPem: key.publicKeyPem };
    expect(verifySignatureOnly(signature, mode).evidence.signer.kind).toBe('key');
    const p = await rejectsAll(flipped(signature, (b) => b.dsseEnvelope.payload, (b, v) => (b.dsseEnvelope.payload = v)), mode);
    const s = await rejectsAll(flipped(signature, (b) => b.dsseEnvelope.signatures[0]!.sig, (b, v) => (b.dsseEnvelope.signatures[0]!.sig = v)), mode);
    expect(p.codes).toEqual({ SIGNATURE_INVALID: p.total });
    expect(s.codes).toEqual({ SIGNATURE_INVALID: s.total });
  });

  it('certificate bundle: the leaf certificate, the payload and every signature byte', { timeout: 180_000 }, async () => {
    const ca = createCaSigner({ seed: 'corruption-ca' });
    const { signature } = signModel({ files, signer: ca });
    const mode: VerifyMode = { kind: 'certificate', caPems: [ca.caPem] };
    expect(verifySignatureOnly(signature, mode).evidence.signer.kind).toBe('certificate');
    type Chain = { x509CertificateChain: { certificates: { rawBytes: string }[] } };
    const leaf = await rejectsAll(
      flipped(
        signature,
        (b) => (b.verificationMaterial as unknown as Chain).x509CertificateChain.certificates[0]!.rawBytes,
        (b, v) => ((b.verificationMaterial as unknown as Chain).x509CertificateChain.certificates[0]!.rawBytes = v),
        // Every byte of the unsigned outer structure and signature, every 9th of the signed body
        // (each variant costs two P-384 chain verifications).
        (i, n) => i < 16 || i >= n - 120 || i % 9 === 0,
      ),
      mode,
    );
    expect(leaf.total).toBeGreaterThan(150);
    // The DSSE check is the key signer's code (every byte covered above); sample the payload here.
    const p = await rejectsAll(flipped(signature, (b) => b.dsseEnvelope.payload, (b, v) => (b.dsseEnvelope.payload = v), (i) => i % 11 === 0), mode);
    const s = await rejectsAll(flipped(signature, (b) => b.dsseEnvelope.signatures[0]!.sig, (b, v) => (b.dsseEnvelope.signatures[0]!.sig = v)), mode);
    expect(p.codes).toEqual({ SIGNATURE_INVALID: p.total });
    expect(s.codes).toEqual({ SIGNATURE_INVALID: s.total });
    console.log(`leaf certificate corruptions (${leaf.total}) rejected as: ${JSON.stringify(leaf.codes)}`);
  });
});
