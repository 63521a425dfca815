/**
 * DSSE pre-authentication encoding: the exact bytes a DSSE signature covers.
 *   PAE = "DSSEv1" SP len(type) SP type SP len(payload) SP payload   (lengths in bytes, decimal)
 */
const enc = new TextEncoder();

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

export function pae(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = enc.encode(payloadType);
  return concat(enc.encode(`DSSEv1 ${type.length} ${payloadType} ${payload.length} `), payload);
}

/**
 * The buggy PAE model_signing 0.1/0.2 signed for key and certificate bundles: uppercase "DSSEV1"
 * and the payload written as Python's `repr(bytes)` (b'...' with escapes). Upstream 1.x verifiers
 * retry with it when the normal PAE fails; so do we, for those two modes only.
 */
export function legacyPae(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = enc.encode(payloadType);
  return enc.encode(`DSSEV1 ${type.length} ${payloadType} ${payload.length} ${pythonBytesRepr(payload)}`);
}

/** Python's repr() of a bytes object, byte for byte (CPython's bytes_repr rules). */
export function pythonBytesRepr(bytes: Uint8Array): string {
  // Single quotes unless the data holds a ' and no ", exactly as CPython picks.
  const quote = bytes.includes(0x27) && !bytes.includes(0x22) ? '"' : "'";
  const parts: string[] = ['b', quote];
  for (const c of bytes) {
    if (c === quote.charCodeAt(0) || c === 0x5c) parts.push('\\' + String.fromCharCode(c));
    else if (c === 0x09) parts.push('\\t');
    else if (c === 0x0a) parts.push('\\n');
    else if (c === 0x0d) parts.push('\\r');
    else if (c < 0x20 || c >= 0x7f) parts.push('\\x' + c.toString(16).padStart(2, '0'));
    else parts.push(String.fromCharCode(c));
  }
  parts.push(quote);
  return parts.join('');
}
