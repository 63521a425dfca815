/**
 * Who a certificate-method signature claims to be, before any CA is trusted to check it: the leaf's
 * subject and the names up its chain (e.g. IBM's code-signing certificate from DigiCert, on
 * `ibm-granite/granite-timeseries-patchtst-fm-r2`). Nothing here is verified: these names are shown
 * only to tell the user which CA to trust, never as a signer, and never make anything green.
 */
import type { X509Certificate } from '@sigstore/core';
import { certFromDer } from './certificate.js';
import { formatName } from './x509-name.js';

export interface CertificateClaim {
  /** The leaf's subject, shortened to its organisation or common name when it has one. */
  leaf: string;
  /** Issuers from the leaf's upwards (each certificate's issuer name, shortened), ending at the root the chain names. */
  issuers: string[];
}

/** Names shown at most, and characters per name (hostile text, cut visibly by the UI too). */
const MAX_ISSUERS = 4;
const MAX_NAME_CHARS = 120;

/** `O=` (else `CN=`) of a formatted name, else the whole name. */
function shortName(full: string): string {
  const part = (key: string) => full.split(', ').find((p) => p.startsWith(`${key}=`))?.slice(key.length + 1);
  return (part('O') ?? part('CN') ?? full).slice(0, MAX_NAME_CHARS);
}

/** CN (else O) of an issuer: CAs are told apart by their common names (one organisation has many). */
function caName(full: string): string {
  const part = (key: string) => full.split(', ').find((p) => p.startsWith(`${key}=`))?.slice(key.length + 1);
  return (part('CN') ?? part('O') ?? full).slice(0, MAX_NAME_CHARS);
}

/** The claim of a bundle's `x509CertificateChain` (leaf first); throws a typed error on a malformed certificate. */
export function certificateClaim(ders: readonly Uint8Array[]): CertificateClaim {
  const certs: X509Certificate[] = ders.map((d, i) => certFromDer(d, i === 0 ? 'signing certificate' : `chain certificate ${i}`));
  const [leaf] = certs;
  if (!leaf) return { leaf: '(no certificate)', issuers: [] };
  const issuers = certs.slice(0, MAX_ISSUERS).map((c) => caName(formatName(c, 'issuer')));
  return { leaf: shortName(formatName(leaf)), issuers };
}

/** "X, issued by A (root: B)" for reasons and the failure's `signer` parameter. */
export function describeClaim(claim: CertificateClaim): string {
  const [first, ...rest] = claim.issuers;
  if (first === undefined) return claim.leaf;
  const root = rest.length > 0 ? ` (chain: ${rest.join(' → ')})` : '';
  return `${claim.leaf}, issued by ${first}${root}`;
}
