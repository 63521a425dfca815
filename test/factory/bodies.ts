// Canonicalized Rekor entry bodies (JCS, as Rekor stores them) for the kinds bundles reference.
import { json } from '@sigstore/core';
import { b64, hex, sha256, utf8 } from './bytes.js';

export interface DsseEnvelopeJson {
  payload: string;
  payloadType: string;
  signatures: { sig: string; keyid?: string | null }[];
}

const canon = (o: unknown): Uint8Array => utf8(json.canonicalize(o));

/** Verifier material: PEM text of the certificate or public key (v1), DER bytes (v2). */
export interface Verifier {
  pem: string;
  der: Uint8Array;
  isCertificate: boolean;
  keyDetails: string;
}

export function dsseV001(env: DsseEnvelopeJson, payload: Uint8Array, sig: Uint8Array, v: Verifier): Uint8Array {
  return canon({
    apiVersion: '0.0.1',
    kind: 'dsse',
    spec: {
      envelopeHash: { algorithm: 'sha256', value: hex(sha256(canon(env))) },
      payloadHash: { algorithm: 'sha256', value: hex(sha256(payload)) },
      signatures: [{ signature: b64(sig), verifier: b64(utf8(v.pem)) }],
    },
  });
}

export function hashedrekordV001(digest: Uint8Array, sig: Uint8Array, v: Verifier): Uint8Array {
  return canon({
    apiVersion: '0.0.1',
    kind: 'hashedrekord',
    spec: {
      data: { hash: { algorithm: 'sha256', value: hex(digest) } },
      signature: { content: b64(sig), publicKey: { content: b64(utf8(v.pem)) } },
    },
  });
}

function verifierV002(v: Verifier): unknown {
  return v.isCertificate
    ? { keyDetails: v.keyDetails, x509Certificate: { rawBytes: b64(v.der) } }
    : { keyDetails: v.keyDetails, publicKey: { rawBytes: b64(v.der) } };
}

export function dsseV002(payload: Uint8Array, sig: Uint8Array, v: Verifier): Uint8Array {
  return canon({
    apiVersion: '0.0.2',
    kind: 'dsse',
    spec: {
      dsseV002: {
        payloadHash: { algorithm: 'SHA2_256', digest: b64(sha256(payload)) },
        signatures: [{ content: b64(sig), verifier: verifierV002(v) }],
      },
    },
  });
}

export function hashedRekordV002(digest: Uint8Array, sig: Uint8Array, v: Verifier): Uint8Array {
  return canon({
    apiVersion: '0.0.2',
    kind: 'hashedrekord',
    spec: {
      hashedRekordV002: {
        data: { algorithm: 'SHA2_256', digest: b64(digest) },
        signature: { content: b64(sig), verifier: verifierV002(v) },
      },
    },
  });
}
