/** Key mode: the bundle was signed by an EC private key whose public half the user supplies. */
import { ModelSealError } from '../errors.js';
import type { ParsedBundle } from '../oms/bundle.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '../hash/hex.js';
import { HASH_FOR_CURVE, parseEcSpki, parsePublicKeyPem, type EcPublicKey } from './ec-key.js';
import { verifyDsseWithKey } from './dsse-verify.js';
import { sealVerified, type VerifiedSignature } from './verified.js';

/** Hex SHA-256 of the canonical SPKI PEM text: model_signing 1.1's `publicKey.hint`. */
export function keyHint(key: EcPublicKey): string {
  return bytesToHex(sha256(new TextEncoder().encode(key.canonicalPem)));
}

/** Pre-1.1 bundles embed the key as base64 of its PEM text; older tools may embed DER. */
function embeddedKey(rawBytes: Uint8Array): EcPublicKey | undefined {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(rawBytes);
    if (text.includes('-----BEGIN PUBLIC KEY-----')) return parsePublicKeyPem(text);
  } catch {
    // not text: try DER below
  }
  try {
    return parseEcSpki(rawBytes);
  } catch {
    return undefined;
  }
}

export function verifyKeyBundle(bundle: ParsedBundle, publicKeyPem: string): VerifiedSignature {
  const key = parsePublicKeyPem(publicKeyPem);
  const m = bundle.material;
  if (m.kind !== 'public-key') {
    throw new ModelSealError('VERIFICATION_MATERIAL_UNSUPPORTED', `signature carries a ${m.kind === 'certificate' ? 'Sigstore certificate' : 'certificate chain'}, not a public key: use the matching mode`);
  }
  if (m.hint !== undefined && m.hint.toLowerCase() !== keyHint(key)) {
    throw new ModelSealError('KEY_MISMATCH', 'the signature names a different public key (hint mismatch)');
  }
  if (m.rawBytes !== undefined && m.rawBytes.length <= 16_384) {
    const embedded = embeddedKey(m.rawBytes);
    if (embedded && embedded.fingerprint !== key.fingerprint) {
      throw new ModelSealError('KEY_MISMATCH', 'the signature embeds a different public key');
    }
  }
  const hash = HASH_FOR_CURVE[key.curve];
  // Key bundles of the 0.2 era hashed with the curve's hash too (only certificates used SHA-256).
  const { legacyPae } = verifyDsseWithKey(key, bundle.envelope, hash, hash);
  return sealVerified({
    signer: { kind: 'key', keyFingerprint: key.fingerprint },
    logEntries: [],
    timestamps: [],
    payloadType: bundle.envelope.payloadType,
    payload: bundle.envelope.payload,
    legacyPae,
  });
}
