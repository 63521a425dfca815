/** Renders an X.509 Name (DER) as "CN=…, O=…" for display, via @sigstore/core's ASN.1 reader. */
import { parseDer } from './ec-key.js';

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

export function formatName(der: Uint8Array): string {
  try {
    const name = parseDer(der);
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
