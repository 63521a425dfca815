/**
 * Browser stand-in for the parts of Node's `crypto` that sigstore-js calls (`createPublicKey`,
 * `createHash`, one-shot `verify`, `timingSafeEqual`), synchronous like Node's. Aliased in for the bare
 * id `crypto` by scripts/shim-aliases.mjs. Semantics follow Node/OpenSSL (NOTES §2): DER ECDSA
 * signatures, high-S accepted, SHA-256 when no digest is named, strict Ed25519 (RFC 8032, not ZIP-215),
 * RSA PKCS#1 v1.5 for rsaEncryption keys and PSS for RSASSA-PSS keys or `padding: RSA_PKCS1_PSS_PADDING`.
 */
import { PKCS1_SHA224, PKCS1_SHA256, PKCS1_SHA384, PKCS1_SHA512, PSS, mgf1 } from 'micro-rsa-dsa-dh/rsa.js';
import type { IPKCS } from 'micro-rsa-dsa-dh/rsa.js';
import { hashAlgorithm, type HashAlgorithm } from './hashes.js';
import { CURVES, ShimKeyObject, createPublicKey as parsePublicKey, ed25519, type KeyInput } from './keys.js';
import { equalBytes, toNodeBuffer } from './der.js';

export { ShimKeyObject as KeyObject };

/** Incremented on every verify() so tests can prove the alias really routed sigstore-js here. */
export const shimStats = { verify: 0, createPublicKey: 0, createHash: 0 };

export const constants = Object.freeze({
  RSA_PKCS1_PADDING: 1,
  RSA_PKCS1_PSS_PADDING: 6,
  RSA_PSS_SALTLEN_DIGEST: -1,
  RSA_PSS_SALTLEN_MAX_SIGN: -2,
  RSA_PSS_SALTLEN_AUTO: -2,
});

type Data = Uint8Array | string;
const toBytes = (d: Data): Uint8Array => (typeof d === 'string' ? new TextEncoder().encode(d) : d);

class Hash {
  private readonly h;
  private done = false;
  constructor(algorithm: string) {
    this.h = hashAlgorithm(algorithm).create();
  }
  update(data: Data): this {
    if (this.done) throw new Error('Digest already called');
    this.h.update(viewOf(toBytes(data)));
    return this;
  }
  digest(encoding?: 'hex' | 'base64'): Uint8Array | string {
    if (this.done) throw new Error('Digest already called');
    this.done = true;
    const out = this.h.digest();
    if (encoding === 'hex') return Array.from(out, (b) => b.toString(16).padStart(2, '0')).join('');
    if (encoding === 'base64') return btoa(String.fromCharCode(...out));
    return toNodeBuffer(out);
  }
}

export function createPublicKey(input: KeyInput): ShimKeyObject {
  shimStats.createPublicKey++;
  return parsePublicKey(input);
}

export function createHash(algorithm: string): Hash {
  shimStats.createHash++;
  return new Hash(algorithm);
}

/** Node throws on length mismatch; callers in sigstore-js catch that and treat it as unequal. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array)) throw new TypeError('arguments must be Uint8Arrays');
  if (a.length !== b.length) throw new RangeError('Input buffers must have the same byte length');
  return equalBytes(a, b);
}

/**
 * Within one bundle verification sigstore-js checks the same certificate chain once per timestamp.
 * Verification is a pure function of (key, digest, data, signature), so inside `withVerifyMemo` a
 * repeated check reuses the first answer. Scoped to one call, never global, so nothing persists.
 * `seed` carries answers computed beforehand for exactly these inputs (WebCrypto, preverify.ts).
 * Kept on globalThis because a bundler may give sigstore-js its own copy of this module.
 */
const MEMO = Symbol.for('modelseal.crypto-shim.verify-memo');
const RECORD = Symbol.for('modelseal.crypto-shim.record');

/**
 * One signature check sigstore-js asked for during a recorded run, by the memo id a real run would
 * look it up under. `answer` computes it here (pure JS); `ecdsa`, when set, lets a host compute the
 * same check natively (WebCrypto) instead.
 */
export interface RecordedCheck {
  id: string;
  answer: () => boolean;
  ecdsa?: {
    curveOid: string;
    /** The Node digest name the data is hashed with (sha256, sha384, …). */
    hash: string;
    spki: Uint8Array;
    data: Uint8Array;
    signature: Uint8Array;
  };
}

type MemoHost = { [MEMO]?: Map<string, boolean>; [RECORD]?: RecordedCheck[] };

export function withVerifyMemo<T>(f: () => T, seed?: ReadonlyMap<string, boolean>): T {
  const host = globalThis as MemoHost;
  if (host[MEMO]) return f();
  host[MEMO] = new Map(seed);
  try {
    return f();
  } finally {
    delete host[MEMO];
  }
}

export type RunOutcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Runs `f` with every signature check answering true without computing anything, and returns what
 * `f` produced together with the checks it asked for. The outcome is what a real run gives exactly
 * when every recorded check is in truth true (the run is a deterministic function of the answers);
 * if any is false, the caller must run `f` again with the true answers (preverify.ts does both).
 */
export function recordSignatureChecks<T>(f: () => T): { outcome: RunOutcome<T>; checks: RecordedCheck[] } {
  const host = globalThis as MemoHost;
  if (host[RECORD] || host[MEMO]) throw new Error('signature checks are already being recorded or memoised');
  const checks: RecordedCheck[] = [];
  host[RECORD] = checks;
  try {
    return { outcome: { ok: true, value: f() }, checks };
  } catch (error) {
    return { outcome: { ok: false, error }, checks };
  } finally {
    delete host[RECORD];
  }
}

const latin1 = (b: Uint8Array) => {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
};

/**
 * Each part is prefixed with its length. A separator alone is not enough: data and signatures may
 * contain it, so bytes moved from one part to the next would spell the same key (finding 14).
 */
export function memoKey(parts: readonly string[]): string {
  return parts.map((p) => `${p.length}:${p}`).join('');
}

type VerifyKey = KeyInput & ({ padding?: number; saltLength?: number } | object);

export function verify(algorithm: string | null | undefined, data: Data, key: VerifyKey, signature: Uint8Array): boolean {
  const host = globalThis as MemoHost;
  const memo = host[MEMO];
  const recording = host[RECORD];
  if (!memo && !recording) return verifyOnce(algorithm, data, key, signature);
  const k = createPublicKey(key as KeyInput);
  const opts = paddingOptions(key);
  const spki = k.export({ format: 'der', type: 'spki' }) as Uint8Array;
  const id = memoKey([algorithm ?? '', String(opts.padding ?? ''), String(opts.saltLength ?? ''), latin1(spki), latin1(toBytes(data)), latin1(signature)]);
  if (recording) {
    const bytes = Uint8Array.from(toBytes(data));
    const sig = Uint8Array.from(signature);
    const m = k.material;
    recording.push({
      id,
      answer: () => verifyOnce(algorithm, bytes, k, sig, opts),
      ...(m.kind === 'ec' ? { ecdsa: { curveOid: m.curveOid, hash: (algorithm || 'sha256').toLowerCase(), spki, data: bytes, signature: sig } } : {}),
    });
    return true;
  }
  if (!memo) return verifyOnce(algorithm, data, k, signature, opts);
  const known = memo.get(id);
  if (known !== undefined) return known;
  const result = verifyOnce(algorithm, data, k, signature, opts);
  memo.set(id, result);
  return result;
}

function paddingOptions(key: VerifyKey): { padding?: number; saltLength?: number } {
  return typeof key === 'object' && key !== null && !(key instanceof Uint8Array) && !(key instanceof ShimKeyObject)
    ? (key as { padding?: number; saltLength?: number })
    : {};
}

function verifyOnce(
  algorithm: string | null | undefined,
  data: Data,
  key: VerifyKey,
  signature: Uint8Array,
  opts = paddingOptions(key),
): boolean {
  shimStats.verify++;
  const k = parsePublicKey(key as KeyInput);
  const message = viewOf(toBytes(data));
  const sig = viewOf(signature);
  const m = k.material;
  switch (m.kind) {
    case 'ec': {
      const h = hashAlgorithm(algorithm || 'sha256');
      return verifyEcdsaDigest(CURVES[m.curveOid].impl, m.point, h(message), sig);
    }
    case 'ed25519':
      // OpenSSL refuses a digest for Ed25519 ("invalid digest"); sigstore-js turns the throw into false.
      if (algorithm) throw new Error('Ed25519 takes no digest');
      return ed25519.verify(sig, message, m.point, { zip215: false });
    case 'rsa':
      if (opts.padding === constants.RSA_PKCS1_PSS_PADDING) {
        return verifyPss(m, hashAlgorithm(algorithm || 'sha256'), undefined, opts.saltLength, message, sig);
      }
      if (opts.padding !== undefined && opts.padding !== constants.RSA_PKCS1_PADDING) throw new Error('unsupported padding');
      return pkcs1(algorithm || 'sha256').verify(m, message, sig);
    case 'rsa-pss': {
      const name = algorithm || m.pss.hash || 'sha256';
      const h = hashAlgorithm(name);
      if (m.pss.hash && hashAlgorithm(m.pss.hash) !== h) throw new Error('digest not allowed by RSASSA-PSS key');
      const mgfHash = m.pss.mgf1Hash ? hashAlgorithm(m.pss.mgf1Hash) : h;
      return verifyPss(m, h, mgfHash, opts.saltLength, message, sig, m.pss.saltLength);
    }
  }
}

/**
 * ECDSA over an already computed digest. Used by verify() and, for `sha256:` digest-only message
 * signatures, by the bundle verifier (OpenSSL hashes first, then does exactly this).
 */
export function verifyEcdsaDigest(
  curve: (typeof CURVES)[keyof typeof CURVES]['impl'],
  point: Uint8Array,
  digest: Uint8Array,
  derSignature: Uint8Array,
): boolean {
  let parsed;
  try {
    parsed = curve.Signature.fromBytes(derSignature, 'der');
  } catch {
    return false;
  }
  // OpenSSL re-encodes the parsed signature and rejects any difference: only canonical DER passes.
  if (!equalBytes(parsed.toBytes('der'), derSignature)) return false;
  return curve.verify(parsed.toBytes('compact'), digest, point, { prehash: false, lowS: false, format: 'compact' });
}

/** Prehashed verification for `sha256:HEX` message signatures (EC keys only, like the hashedrekord flow). */
export function verifyPrehashed(key: ShimKeyObject, digest: Uint8Array, signature: Uint8Array): boolean {
  const recording = (globalThis as MemoHost)[RECORD];
  if (recording) {
    // Not memoised in real runs (sigstore-js makes this check once): an id no memo lookup uses.
    const d = Uint8Array.from(digest);
    const sig = Uint8Array.from(signature);
    recording.push({ id: memoKey(['prehashed', latin1(d), latin1(sig)]), answer: () => verifyPrehashed(key, d, sig) });
    return true;
  }
  shimStats.verify++;
  const m = key.material;
  if (m.kind === 'ec') return verifyEcdsaDigest(CURVES[m.curveOid].impl, m.point, digest, signature);
  // Ed25519 signs the message itself and RSA needs the DigestInfo path; neither is offered here.
  throw new Error('digest-only verification needs an ECDSA key');
}

const PKCS1: Readonly<Record<string, IPKCS>> = {
  sha224: PKCS1_SHA224,
  sha256: PKCS1_SHA256,
  sha384: PKCS1_SHA384,
  sha512: PKCS1_SHA512,
};

function pkcs1(name: string): IPKCS {
  const canonical = name.toLowerCase().replace(/^rsa-/, '');
  hashAlgorithm(canonical); // unknown names throw like Node
  const scheme = Object.prototype.hasOwnProperty.call(PKCS1, canonical) ? PKCS1[canonical] : undefined;
  if (!scheme) throw new Error(`unsupported RSA digest: ${name}`);
  return scheme;
}

/**
 * RSASSA-PSS. Node verifies with salt length "auto" unless told otherwise; the library needs an exact
 * length, so try the usual ones (digest length, maximum) first, then every other allowed length.
 */
function verifyPss(
  key: { n: bigint; e: bigint },
  h: HashAlgorithm,
  mgfHash: HashAlgorithm | undefined,
  saltLength: number | undefined,
  message: Uint8Array,
  sig: Uint8Array,
  minSalt = 0,
): boolean {
  const mgf = mgf1((mgfHash ?? h) as never);
  const emLen = Math.ceil((key.n.toString(2).length - 1) / 8);
  const maxSalt = emLen - h.outputLen - 2;
  if (maxSalt < 0) return false;
  const tryLen = (s: number): boolean => PSS(h as never, mgf, s).verify(key, message, sig);
  if (saltLength !== undefined && saltLength >= 0) return saltLength >= minSalt && tryLen(saltLength);
  if (saltLength === constants.RSA_PSS_SALTLEN_DIGEST) return h.outputLen >= minSalt && tryLen(h.outputLen);
  const order = [h.outputLen, maxSalt];
  for (let s = 0; s <= maxSalt; s++) if (s !== h.outputLen && s !== maxSalt) order.push(s);
  return order.some((s) => s >= minSalt && s <= maxSalt && tryLen(s));
}

/** noble rejects Buffer subclasses in some paths; hand it plain Uint8Array views. */
function viewOf(b: Uint8Array): Uint8Array {
  return b.constructor === Uint8Array ? b : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

export default { createHash, createPublicKey, verify, timingSafeEqual, constants, KeyObject: ShimKeyObject };
