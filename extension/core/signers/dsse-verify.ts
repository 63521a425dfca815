/**
 * DSSE signature check for key and certificate bundles: the standard PAE first, then (as upstream
 * model_signing 1.x does) the 0.1/0.2 buggy PAE, each with the hash that era used.
 */
import { ModelSealError } from '../errors.js';
import type { DsseEnvelope } from '../oms/bundle.js';
import { legacyPae, pae } from '../oms/dsse.js';
import { ecdsaVerify, type EcdsaHash, type EcPublicKey } from './ec-key.js';

export function verifyDsseWithKey(
  key: EcPublicKey,
  envelope: DsseEnvelope,
  hash: EcdsaHash,
  legacyHash: EcdsaHash,
): { legacyPae: boolean } {
  if (ecdsaVerify(key, pae(envelope.payloadType, envelope.payload), envelope.signature, hash)) return { legacyPae: false };
  if (ecdsaVerify(key, legacyPae(envelope.payloadType, envelope.payload), envelope.signature, legacyHash)) return { legacyPae: true };
  throw new ModelSealError('SIGNATURE_INVALID', 'the DSSE signature does not verify with the signing key');
}
