// A Certificate Transparency log that issues embedded SCTs over precertificates (RFC 6962 §3.2),
// in the byte layout @sigstore/core checks: signature over version, type, timestamp, entry type
// precert_entry, SHA-256(issuer SPKI), uint24-length TBS (without the SCT extension), extensions.
import { concat, sha256, uintBE } from './bytes.js';
import { deriveKey, type KeyPair } from './keys.js';
import { derOctetString } from './x509.js';

export class TestCtLog {
  readonly key: KeyPair;
  readonly logId: Uint8Array;
  readonly baseUrl: string;

  constructor(seed: string, baseUrl = 'https://ctfe.sigstore.test/2025') {
    this.key = deriveKey('P-256', `${seed}:ctlog`);
    this.logId = sha256(this.key.spki);
    this.baseUrl = baseUrl;
  }

  /** A serialized SignedCertificateTimestamp for this precertificate TBS. */
  sct(issuerKey: KeyPair, tbsWithoutSct: Uint8Array, timestampMs: number): Uint8Array {
    const ts = uintBE(timestampMs, 8);
    const noExtensions = uintBE(0, 2);
    const signed = concat(
      new Uint8Array([0, 0]), // v1, certificate_timestamp
      ts,
      uintBE(1, 2), // precert_entry
      sha256(issuerKey.spki),
      uintBE(tbsWithoutSct.length, 3),
      tbsWithoutSct,
      noExtensions,
    );
    const sig = this.key.sign(signed, 'sha256');
    return concat(
      new Uint8Array([0]),
      this.logId,
      ts,
      noExtensions,
      new Uint8Array([4, 3]), // sha256, ecdsa
      uintBE(sig.length, 2),
      sig,
    );
  }

  /** extnValue content for 1.3.6.1.4.1.11129.2.4.2: an OCTET STRING holding the TLS SCT list. */
  static sctListExtension(scts: Uint8Array[]): Uint8Array {
    const items = concat(...scts.map((s) => concat(uintBE(s.length, 2), s)));
    return derOctetString(concat(uintBE(items.length, 2), items));
  }
}
