/**
 * Public keys as sigstore-js hands them to Node's `crypto.createPublicKey`: PEM text, DER SPKI, DER
 * PKCS#1 RSA, as a string, bytes or `{ key, format, type }`. Parsed eagerly and validated (EC points on
 * the curve, supported curves only) so a bad key fails at creation, as in Node.
 */
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { bitStringBytes, parseDerStrict, positiveInteger, toNodeBuffer, type ASN1Obj } from './der.js';

const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const OID_ED25519 = '1.3.101.112';
const OID_RSA = '1.2.840.113549.1.1.1';
const OID_RSA_PSS = '1.2.840.113549.1.1.10';
const OID_MGF1 = '1.2.840.113549.1.1.8';

export const CURVES = {
  '1.2.840.10045.3.1.7': { name: 'prime256v1', impl: p256 },
  '1.3.132.0.34': { name: 'secp384r1', impl: p384 },
  '1.3.132.0.35': { name: 'secp521r1', impl: p521 },
} as const;
type CurveOid = keyof typeof CURVES;

const HASH_OIDS: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** RSASSA-PSS key restrictions (RFC 4055); absent fields mean "unrestricted". */
export interface PssParams {
  hash?: string;
  mgf1Hash?: string;
  saltLength?: number;
}

export type KeyMaterial =
  | { kind: 'ec'; curveOid: CurveOid; point: Uint8Array }
  | { kind: 'ed25519'; point: Uint8Array }
  | { kind: 'rsa'; n: bigint; e: bigint }
  | { kind: 'rsa-pss'; n: bigint; e: bigint; pss: PssParams };

/** The part of Node's KeyObject that callers of sigstore-js may touch. */
export class ShimKeyObject {
  readonly type = 'public';
  constructor(
    readonly material: KeyMaterial,
    private readonly spki: Uint8Array,
  ) {}

  get asymmetricKeyType(): 'ec' | 'ed25519' | 'rsa' | 'rsa-pss' {
    return this.material.kind;
  }

  get asymmetricKeyDetails(): Record<string, unknown> {
    const m = this.material;
    if (m.kind === 'ec') return { namedCurve: CURVES[m.curveOid].name };
    if (m.kind === 'ed25519') return {};
    return { modulusLength: m.n.toString(2).length, publicExponent: m.e };
  }

  export(options?: { format?: string; type?: string }): Uint8Array | string {
    if (options?.format === 'der' && (options.type ?? 'spki') === 'spki') return toNodeBuffer(this.spki);
    if (options?.format === 'pem' && (options.type ?? 'spki') === 'spki') return toPem(this.spki);
    throw new Error('unsupported key export');
  }

  equals(other: unknown): boolean {
    if (!(other instanceof ShimKeyObject)) return false;
    const a = this.spki;
    const b = other.spki;
    return a.length === b.length && a.every((v, i) => v === b[i]);
  }
}

export type KeyInput =
  | string
  | Uint8Array
  | ShimKeyObject
  | { key: string | Uint8Array | ShimKeyObject; format?: string; type?: string; encoding?: string };

export function createPublicKey(input: KeyInput): ShimKeyObject {
  if (input instanceof ShimKeyObject) return input;
  if (typeof input === 'string' || input instanceof Uint8Array) return fromPem(input);
  if (typeof input !== 'object' || input === null) throw new TypeError('invalid key input');
  const { key, format = 'pem', type = 'spki' } = input;
  if (key instanceof ShimKeyObject) return key;
  if (format === 'pem') return fromPem(key);
  if (format !== 'der') throw new Error(`unsupported key format: ${format}`);
  const bytes = typeof key === 'string' ? base64ToBytes(key) : key;
  if (type === 'spki') return fromSpki(bytes);
  if (type === 'pkcs1') return fromPkcs1(bytes);
  throw new Error(`unsupported key type: ${type}`);
}

function fromPem(pem: string | Uint8Array): ShimKeyObject {
  const text = typeof pem === 'string' ? pem : new TextDecoder().decode(pem);
  // Like OpenSSL, skip any text before the first PEM block.
  const m = /-----BEGIN (PUBLIC KEY|RSA PUBLIC KEY)-----\r?\n([A-Za-z0-9+/=\r\n\t ]+?)-----END \1-----/.exec(text);
  if (!m) throw new Error('unsupported PEM: expected a PUBLIC KEY or RSA PUBLIC KEY block');
  const der = base64ToBytes((m[2] as string).replace(/\s+/g, ''));
  return m[1] === 'PUBLIC KEY' ? fromSpki(der) : fromPkcs1(der);
}

function fromSpki(der: Uint8Array): ShimKeyObject {
  const spki = parseDerStrict(der);
  const [algId, bits, ...extra] = spki.subs;
  if (!algId || !bits || extra.length || !spki.tag.constructed) throw new Error('invalid SPKI');
  const [oidObj, params, ...more] = algId.subs;
  if (!oidObj || more.length) throw new Error('invalid SPKI algorithm');
  const oid = oidObj.toOID();
  const keyBytes = bitStringBytes(bits);
  switch (oid) {
    case OID_EC_PUBLIC_KEY: {
      const curveOid = params?.toOID();
      if (!curveOid || !Object.prototype.hasOwnProperty.call(CURVES, curveOid)) throw new Error('unsupported EC curve');
      const c = curveOid as CurveOid;
      // Throws unless the point is on the curve and not the identity.
      CURVES[c].impl.Point.fromBytes(keyBytes).assertValidity();
      return new ShimKeyObject({ kind: 'ec', curveOid: c, point: keyBytes }, der);
    }
    case OID_ED25519: {
      if (params) throw new Error('Ed25519 SPKI must not have parameters');
      if (keyBytes.length !== 32) throw new Error('invalid Ed25519 key length');
      return new ShimKeyObject({ kind: 'ed25519', point: keyBytes }, der);
    }
    case OID_RSA: {
      if (params && !isNull(params)) throw new Error('rsaEncryption parameters must be NULL');
      const { n, e } = rsaPublicKey(keyBytes);
      return new ShimKeyObject({ kind: 'rsa', n, e }, der);
    }
    case OID_RSA_PSS: {
      const { n, e } = rsaPublicKey(keyBytes);
      return new ShimKeyObject({ kind: 'rsa-pss', n, e, pss: params ? pssParams(params) : {} }, der);
    }
    default:
      throw new Error(`unsupported key algorithm ${oid}`);
  }
}

function fromPkcs1(der: Uint8Array): ShimKeyObject {
  const { n, e } = rsaPublicKey(der);
  return new ShimKeyObject({ kind: 'rsa', n, e }, rsaSpki(der));
}

function rsaPublicKey(der: Uint8Array): { n: bigint; e: bigint } {
  const seq = parseDerStrict(der);
  if (!seq.tag.constructed || seq.subs.length !== 2) throw new Error('invalid RSA public key');
  const n = positiveInteger(seq.subs[0]);
  const e = positiveInteger(seq.subs[1]);
  // Same floor as OpenSSL's default security checks would not give; keep the sane range only.
  const bits = n.toString(2).length;
  if (bits < 1024 || bits > 16384) throw new Error('unsupported RSA modulus size');
  if (e < 3n || e % 2n === 0n) throw new Error('invalid RSA public exponent');
  return { n, e };
}

/** RSASSA-PSS-params: [0] hashAlgorithm, [1] maskGenAlgorithm, [2] saltLength, [3] trailerField. */
function pssParams(seq: ASN1Obj): PssParams {
  if (!seq.tag.constructed) throw new Error('invalid RSASSA-PSS parameters');
  const out: PssParams = {};
  for (const field of seq.subs) {
    const inner = field.subs[0];
    if (!inner) throw new Error('invalid RSASSA-PSS parameters');
    if (field.tag.isContextSpecific(0)) out.hash = hashOid(inner.subs[0]?.toOID());
    else if (field.tag.isContextSpecific(1)) {
      if (inner.subs[0]?.toOID() !== OID_MGF1) throw new Error('unsupported PSS mask generation');
      out.mgf1Hash = hashOid(inner.subs[1]?.subs[0]?.toOID());
    } else if (field.tag.isContextSpecific(2)) out.saltLength = Number(inner.toInteger());
    else if (field.tag.isContextSpecific(3)) {
      if (inner.toInteger() !== 1n) throw new Error('unsupported PSS trailer');
    } else throw new Error('invalid RSASSA-PSS parameters');
  }
  return out;
}

function hashOid(oid: string | undefined): string {
  const h = oid ? HASH_OIDS[oid] : undefined;
  if (!h) throw new Error('unsupported hash in RSASSA-PSS parameters');
  return h;
}

function isNull(obj: ASN1Obj): boolean {
  return obj.tag.number === 0x05 && obj.tag.isUniversal() && obj.value.length === 0;
}

/** Wraps a PKCS#1 RSAPublicKey in an rsaEncryption SPKI so every key exports the same way. */
function rsaSpki(pkcs1: Uint8Array): Uint8Array {
  const algId = Uint8Array.of(0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00);
  const bitString = tlv(0x03, concat(Uint8Array.of(0), pkcs1));
  return tlv(0x30, concat(algId, bitString));
}

function tlv(tag: number, value: Uint8Array): Uint8Array {
  const len = value.length;
  const lenBytes: number[] = [];
  if (len < 0x80) lenBytes.push(len);
  else {
    for (let l = len; l > 0; l >>= 8) lenBytes.unshift(l & 0xff);
    lenBytes.unshift(0x80 | lenBytes.length);
  }
  return concat(Uint8Array.of(tag, ...lenBytes), value);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function toPem(der: Uint8Array): string {
  let bin = '';
  for (const b of der) bin += String.fromCharCode(b);
  const lines = btoa(bin).match(/.{1,64}/g) ?? [];
  return `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`;
}

export { ed25519 };
