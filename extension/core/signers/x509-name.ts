/** Renders an X.509 Name (DER) as "CN=…, O=…" for display, via @sigstore/core's ASN.1 reader. */
import type { ASN1Obj, X509Certificate } from '@sigstore/core';

const SHORT: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.5': 'serialNumber',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

/** tbsCertificate fields: [version] serial sigAlg issuer validity subject …; version is optional. */
function nameField(cert: X509Certificate, which: 'issuer' | 'subject'): ASN1Obj | undefined {
  const subs = cert.tbsCertificate.subs;
  const offset = subs[0]?.tag.isContextSpecific(0) ? 1 : 0;
  return subs[offset + (which === 'issuer' ? 2 : 4)];
}

export function formatName(cert: X509Certificate, which: 'issuer' | 'subject' = 'subject'): string {
  try {
    const name = nameField(cert, which);
    if (!name) return '(no name)';
    const parts: string[] = [];
    for (const rdn of name.subs) {
      for (const atv of rdn.subs) {
        const [type, value] = atv.subs;
        if (!type || !value) continue;
        const oid = type.toOID();
        // Printable/UTF8/IA5 strings are all readable as UTF-8; control characters are dropped.
        const text = new TextDecoder('utf-8').decode(value.value).replace(/[\u0000-\u001f\u007f]/g, '');
        parts.push(`${SHORT[oid] ?? oid}=${text}`);
      }
    }
    return parts.join(', ');
  } catch {
    return '(unreadable name)';
  }
}
