// Small byte helpers for the fixture factory (test-only code; Node built-ins are fine here).
import { sha256 as nobleSha256, sha384, sha512 } from '@noble/hashes/sha2.js';

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
export const fromUtf8 = (b: Uint8Array): string => new TextDecoder().decode(b);

export const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
export const fromB64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));
export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const fromHex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export const sha256 = (...parts: Uint8Array[]): Uint8Array => nobleSha256(concat(...parts));
export const digest = (alg: 'sha256' | 'sha384' | 'sha512', data: Uint8Array): Uint8Array =>
  alg === 'sha256' ? nobleSha256(data) : alg === 'sha384' ? sha384(data) : sha512(data);

/** Big-endian unsigned integer of `len` bytes. */
export function uintBE(value: number | bigint, len: number): Uint8Array {
  let v = BigInt(value);
  const out = new Uint8Array(len);
  for (let i = len - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (v !== 0n) throw new RangeError(`value does not fit in ${len} bytes`);
  return out;
}

/** An ArrayBuffer holding exactly these bytes (asn1js/pkijs want ArrayBuffers). */
export const ab = (b: Uint8Array): ArrayBuffer => b.slice().buffer as ArrayBuffer;

/** PEM with 64-column lines, LF endings and a trailing newline (the form model_signing hashes). */
export function toPem(label: string, der: Uint8Array): string {
  const body = b64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${body.join('\n')}\n-----END ${label}-----\n`;
}

/** DSSE pre-authentication encoding (lengths are byte counts in ASCII decimal). */
export function pae(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = utf8(payloadType);
  return concat(utf8(`DSSEv1 ${type.length} `), type, utf8(` ${payload.length} `), payload);
}

/** Python's repr() of a bytes object, e.g. b'{\\n  "a": 1\\n}' (quotes switch to " when only ' occurs). */
export function pythonBytesRepr(b: Uint8Array): string {
  const hasSingle = b.includes(0x27);
  const quote = hasSingle && !b.includes(0x22) ? '"' : "'";
  let out = `b${quote}`;
  for (const c of b) {
    if (c === 0x5c) out += '\\\\';
    else if (String.fromCharCode(c) === quote) out += `\\${quote}`;
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c < 0x20 || c >= 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += String.fromCharCode(c);
  }
  return `${out}${quote}`;
}

/**
 * The PAE model_signing 0.2 signed key and certificate bundles over (a bug kept for compatibility
 * by upstream verifiers): uppercase "DSSEV1" and the payload written as Python's bytes repr.
 */
export function paeV02Compat(payloadType: string, payload: Uint8Array): Uint8Array {
  return utf8(`DSSEV1 ${utf8(payloadType).length} ${payloadType} ${payload.length} ${pythonBytesRepr(payload)}`);
}
