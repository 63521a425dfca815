/**
 * `model.sig` → typed parsed signature. This only checks shape and limits; nothing here is
 * trusted until a signer in `../signers/` has verified the DSSE signature over the payload.
 */
import { ModelSealError } from '../errors.js';
import { decodeBase64 } from './base64.js';
import { isRecord, parseBoundedJson } from './bounded-json.js';
import { MAX_BUNDLE_BYTES, MAX_JSON_DEPTH } from './limits.js';

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** Media types Sigstore verifiers accept for a bundle, mapped to the bundle version. */
const MEDIA_TYPES: Readonly<Record<string, '0.1' | '0.2' | '0.3'>> = {
  'application/vnd.dev.sigstore.bundle+json;version=0.1': '0.1',
  'application/vnd.dev.sigstore.bundle+json;version=0.2': '0.2',
  'application/vnd.dev.sigstore.bundle+json;version=0.3': '0.3',
  'application/vnd.dev.sigstore.bundle.v0.3+json': '0.3',
};

export interface DsseEnvelope {
  payloadType: string;
  /** Exact base64-decoded payload bytes: the signature covers these, never a re-serialization. */
  payload: Uint8Array;
  signature: Uint8Array;
  keyid?: string;
}

export type VerificationMaterial =
  | { kind: 'certificate'; der: Uint8Array }
  | { kind: 'x509-chain'; ders: Uint8Array[] }
  | { kind: 'public-key'; hint?: string; rawBytes?: Uint8Array };

export interface ParsedBundle {
  mediaType: string;
  bundleVersion: '0.1' | '0.2' | '0.3';
  envelope: DsseEnvelope;
  material: VerificationMaterial;
  tlogEntryCount: number;
  /** The parsed JSON, handed as-is to the Sigstore verifier (which re-validates it). */
  json: Record<string, unknown>;
}

function malformed(message: string): never {
  throw new ModelSealError('BUNDLE_MALFORMED', message);
}

function b64(v: unknown, what: string, code: 'BUNDLE_MALFORMED' | 'ENVELOPE_MALFORMED' = 'BUNDLE_MALFORMED'): Uint8Array {
  if (typeof v !== 'string') throw new ModelSealError(code, `${what} is missing or not a string`);
  try {
    return decodeBase64(v);
  } catch {
    throw new ModelSealError(code, `${what} is not valid base64`);
  }
}

function parseEnvelope(v: unknown): DsseEnvelope {
  if (!isRecord(v)) throw new ModelSealError('ENVELOPE_MALFORMED', 'bundle has no DSSE envelope (model signatures are DSSE)');
  const { payloadType, payload, signatures } = v;
  if (typeof payloadType !== 'string') throw new ModelSealError('ENVELOPE_MALFORMED', 'DSSE payloadType missing');
  if (payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    throw new ModelSealError('ENVELOPE_MALFORMED', `DSSE payloadType is ${JSON.stringify(payloadType.slice(0, 100))}, expected ${IN_TOTO_PAYLOAD_TYPE}`);
  }
  // Sigstore bundles carry exactly one signature; a second one could not be bound to the material.
  if (!Array.isArray(signatures) || signatures.length !== 1) {
    throw new ModelSealError('ENVELOPE_MALFORMED', 'DSSE envelope must carry exactly one signature');
  }
  const sig0: unknown = signatures[0];
  if (!isRecord(sig0)) throw new ModelSealError('ENVELOPE_MALFORMED', 'DSSE signature entry is not an object');
  const keyid = sig0.keyid;
  if (keyid !== undefined && keyid !== null && typeof keyid !== 'string') {
    throw new ModelSealError('ENVELOPE_MALFORMED', 'DSSE keyid must be a string, null or absent');
  }
  const signature = b64(sig0.sig, 'DSSE signature', 'ENVELOPE_MALFORMED');
  if (signature.length === 0) throw new ModelSealError('ENVELOPE_MALFORMED', 'DSSE signature is empty');
  return {
    payloadType,
    payload: b64(payload, 'DSSE payload', 'ENVELOPE_MALFORMED'),
    signature,
    ...(typeof keyid === 'string' && keyid !== '' ? { keyid } : {}),
  };
}

function parseMaterial(vm: Record<string, unknown>): VerificationMaterial {
  const present = ['certificate', 'x509CertificateChain', 'publicKey'].filter((k) => vm[k] !== undefined && vm[k] !== null);
  if (present.length !== 1) {
    throw new ModelSealError('VERIFICATION_MATERIAL_UNSUPPORTED', 'bundle must carry exactly one of certificate, x509CertificateChain, publicKey');
  }
  if (isRecord(vm.certificate)) return { kind: 'certificate', der: b64(vm.certificate.rawBytes, 'certificate rawBytes') };
  if (isRecord(vm.x509CertificateChain)) {
    const certs = vm.x509CertificateChain.certificates;
    if (!Array.isArray(certs) || certs.length === 0) malformed('x509CertificateChain has no certificates');
    if (certs.length > 16) malformed('x509CertificateChain is longer than 16 certificates');
    return { kind: 'x509-chain', ders: certs.map((c: unknown, i) => b64(isRecord(c) ? c.rawBytes : undefined, `chain certificate ${i}`)) };
  }
  if (isRecord(vm.publicKey)) {
    const { hint, rawBytes } = vm.publicKey;
    if (hint !== undefined && hint !== null && typeof hint !== 'string') malformed('publicKey hint must be a string');
    return {
      kind: 'public-key',
      ...(typeof hint === 'string' && hint !== '' ? { hint } : {}),
      ...(rawBytes !== undefined && rawBytes !== null ? { rawBytes: b64(rawBytes, 'publicKey rawBytes') } : {}),
    };
  }
  throw new ModelSealError('VERIFICATION_MATERIAL_UNSUPPORTED', 'verification material is not an object');
}

/** Parses `model.sig` bytes (or text) into a ParsedBundle, enforcing size and depth limits. */
export function parseBundle(input: Uint8Array | string): ParsedBundle {
  const json = parseBoundedJson(input, { maxBytes: MAX_BUNDLE_BYTES, maxDepth: MAX_JSON_DEPTH });
  if (!isRecord(json)) malformed('signature is not a JSON object');
  const mediaType = json.mediaType;
  if (typeof mediaType !== 'string') malformed('bundle mediaType missing');
  const bundleVersion = MEDIA_TYPES[mediaType];
  if (!bundleVersion) {
    throw new ModelSealError('BUNDLE_UNSUPPORTED_MEDIA_TYPE', `unsupported bundle media type ${JSON.stringify(mediaType.slice(0, 100))}`);
  }
  const vm = json.verificationMaterial;
  if (!isRecord(vm)) malformed('bundle verificationMaterial missing');
  const tlog = vm.tlogEntries;
  if (tlog !== undefined && tlog !== null && !Array.isArray(tlog)) malformed('tlogEntries must be a list');
  if (json.messageSignature !== undefined) {
    throw new ModelSealError('ENVELOPE_MALFORMED', 'bundle holds a message signature, not the DSSE envelope model signatures use');
  }
  return {
    mediaType,
    bundleVersion,
    envelope: parseEnvelope(json.dsseEnvelope),
    material: parseMaterial(vm),
    tlogEntryCount: Array.isArray(tlog) ? tlog.length : 0,
    json,
  };
}
