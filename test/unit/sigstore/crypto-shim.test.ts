/**
 * Differential tests: the browser crypto adapter must agree with Node's native crypto (OpenSSL) on
 * every input sigstore-js can hand it: random keys, both S forms, malformed DER, wrong curve or digest,
 * RSA PKCS#1 v1.5 and PSS, Ed25519 edge cases, key encodings.
 */
import * as native from 'node:crypto';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import * as shim from '../../../extension/core/sigstore/shims/crypto.js';

type Outcome = boolean | 'throws';

function outcome(f: () => boolean): Outcome {
  try {
    return f();
  } catch {
    return 'throws';
  }
}

/** Node and the shim, each given the key in the same form. */
function both(alg: string | undefined, data: Uint8Array, pem: string, sig: Uint8Array): [Outcome, Outcome] {
  return [outcome(() => native.verify(alg, data, pem, sig)), outcome(() => shim.verify(alg, data, pem, sig))];
}

/** sigstore-js turns a throw into `false`; that is the contract both must agree on. */
const asVerdict = (o: Outcome) => o === true;

const CURVES = [
  { name: 'P-256', noble: p256, digests: ['sha256', 'sha384', 'sha512', undefined] },
  { name: 'P-384', noble: p384, digests: ['sha384', 'sha256', 'sha512', undefined] },
  { name: 'P-521', noble: p521, digests: ['sha512', 'sha256', undefined] },
] as const;

const rand = (n: number) => new Uint8Array(native.randomBytes(n));

describe('ECDSA', () => {
  for (const c of CURVES) {
    it(`${c.name}: random keys and messages agree with Node, including high-S`, () => {
      for (let i = 0; i < 12; i++) {
        const { publicKey, privateKey } = native.generateKeyPairSync('ec', { namedCurve: c.name });
        const pem = publicKey.export({ format: 'pem', type: 'spki' }) as string;
        const data = rand(1 + i * 17);
        const alg = c.digests[i % c.digests.length];
        const sig = new Uint8Array(native.sign(alg, data, privateKey));
        expect(both(alg, data, pem, sig)).toEqual([true, true]);

        // The other S form (n - s) is valid for OpenSSL: no low-S rule.
        const parsed = c.noble.Signature.fromBytes(sig, 'der');
        const flipped = new c.noble.Signature(parsed.r, c.noble.Point.CURVE().n - parsed.s).toBytes('der');
        expect(both(alg, data, pem, flipped)).toEqual([true, true]);

        // Wrong message, wrong digest.
        const other = Uint8Array.from(data);
        other[0] = (other[0] as number) ^ 1;
        expect(both(alg, other, pem, sig)).toEqual([false, false]);
        const wrongAlg = alg === 'sha512' ? 'sha384' : 'sha512';
        expect(both(wrongAlg, data, pem, sig).map(asVerdict)).toEqual([false, false]);
      }
    });
  }

  it('a signature for one curve never verifies under another', () => {
    const a = native.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const b = native.generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const data = rand(64);
    const sig = new Uint8Array(native.sign('sha256', data, a.privateKey));
    const pemB = b.publicKey.export({ format: 'pem', type: 'spki' }) as string;
    expect(both('sha256', data, pemB, sig).map(asVerdict)).toEqual([false, false]);
  });

  it('malformed DER signatures are rejected exactly like OpenSSL does', () => {
    const { publicKey, privateKey } = native.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = publicKey.export({ format: 'pem', type: 'spki' }) as string;
    const data = rand(32);
    const der = new Uint8Array(native.sign('sha256', data, privateKey));
    const { r, s } = p256.Signature.fromBytes(der, 'der');
    const int = (v: bigint, pad = 0) => {
      let hex = v.toString(16);
      if (hex.length % 2) hex = '0' + hex;
      let bytes = Buffer.from(hex, 'hex');
      if ((bytes[0] as number) & 0x80) bytes = Buffer.concat([Buffer.of(0), bytes]);
      bytes = Buffer.concat([Buffer.alloc(pad), bytes]);
      return Buffer.concat([Buffer.of(0x02, bytes.length), bytes]);
    };
    const seq = (body: Buffer, longForm = false) =>
      new Uint8Array(Buffer.concat([longForm ? Buffer.of(0x30, 0x81, body.length) : Buffer.of(0x30, body.length), body]));
    const variants: Record<string, Uint8Array> = {
      canonical: seq(Buffer.concat([int(r), int(s)])),
      trailingByte: new Uint8Array([...der, 0]),
      truncated: der.subarray(0, der.length - 1),
      longFormLength: seq(Buffer.concat([int(r), int(s)]), true),
      paddedR: seq(Buffer.concat([int(r, 1), int(s)])),
      swapped: seq(Buffer.concat([int(s), int(r)])),
      zeroR: seq(Buffer.concat([int(0n), int(s)])),
      rPlusN: seq(Buffer.concat([int(r + p256.Point.CURVE().n), int(s)])),
      compact: p256.Signature.fromBytes(der, 'der').toBytes('compact'),
      empty: new Uint8Array(),
      wrongTag: new Uint8Array([0x31, ...der.subarray(1)]),
    };
    for (const [name, sig] of Object.entries(variants)) {
      const [n, sh] = both('sha256', data, pem, sig);
      expect([name, asVerdict(sh)]).toEqual([name, asVerdict(n)]);
    }
    expect(asVerdict(both('sha256', data, pem, variants.canonical as Uint8Array)[1])).toBe(true);
  });
});

describe('Ed25519 (strict RFC 8032)', () => {
  it('random keys agree with Node; S >= L, bad lengths and digests are rejected', () => {
    const L = ed25519.Point.CURVE().n;
    for (let i = 0; i < 12; i++) {
      const { publicKey, privateKey } = native.generateKeyPairSync('ed25519');
      const pem = publicKey.export({ format: 'pem', type: 'spki' }) as string;
      const data = rand(i * 13);
      const sig = new Uint8Array(native.sign(null, data, privateKey));
      expect(both(undefined, data, pem, sig)).toEqual([true, true]);
      // S + L: same value mod L, non-canonical. OpenSSL and strict verifiers reject it.
      const sBytes = sig.slice(32);
      let sVal = 0n;
      for (let k = 31; k >= 0; k--) sVal = (sVal << 8n) | BigInt(sBytes[k] as number);
      const sPlusL = sVal + L;
      const malleable = Uint8Array.from(sig);
      for (let k = 0; k < 32; k++) malleable[32 + k] = Number((sPlusL >> BigInt(8 * k)) & 0xffn);
      expect(both(undefined, data, pem, malleable).map(asVerdict)).toEqual([false, false]);
      expect(both(undefined, data, pem, sig.subarray(0, 63)).map(asVerdict)).toEqual([false, false]);
      const tampered = Uint8Array.from(sig);
      tampered[i % 64] = (tampered[i % 64] as number) ^ 0x40;
      expect(both(undefined, data, pem, tampered).map(asVerdict)).toEqual([false, false]);
      // A digest name is an error for Ed25519 in OpenSSL: never a pass.
      expect(both('sha256', data, pem, sig).map(asVerdict)).toEqual([false, false]);
    }
  });

  it('a small-order public key verifies nothing', () => {
    // The identity point (y = 1): any "signature" with R = identity, S = 0 satisfies the equation
    // only for a non-strict verifier that skips the checks.
    const identity = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from('01' + '00'.repeat(31), 'hex')]);
    const pem = `-----BEGIN PUBLIC KEY-----\n${identity.toString('base64')}\n-----END PUBLIC KEY-----\n`;
    const sig = new Uint8Array([...Buffer.from('01' + '00'.repeat(31), 'hex'), ...new Uint8Array(32)]);
    const [, sh] = both(undefined, rand(10), pem, sig);
    expect(asVerdict(sh)).toBe(false);
  });
});

describe('RSA', () => {
  const rsa = native.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rsaPem = rsa.publicKey.export({ format: 'pem', type: 'spki' }) as string;

  it('PKCS#1 v1.5 with every SHA-2 digest, default SHA-256, PKCS#1 and SPKI encodings', () => {
    for (const alg of ['sha224', 'sha256', 'sha384', 'sha512', undefined]) {
      const data = rand(100);
      const sig = new Uint8Array(native.sign(alg ?? 'sha256', data, rsa.privateKey));
      expect(both(alg, data, rsaPem, sig)).toEqual([true, true]);
      const tampered = Uint8Array.from(sig);
      tampered[10] = (tampered[10] as number) ^ 1;
      expect(both(alg, data, rsaPem, tampered).map(asVerdict)).toEqual([false, false]);
    }
    const data = rand(10);
    const sig = new Uint8Array(native.sign('sha256', data, rsa.privateKey));
    const pkcs1 = rsa.publicKey.export({ format: 'der', type: 'pkcs1' });
    expect(shim.verify('sha256', data, { key: pkcs1, format: 'der', type: 'pkcs1' }, sig)).toBe(true);
    expect(native.verify('sha256', data, { key: pkcs1, format: 'der', type: 'pkcs1' }, sig)).toBe(true);
    // A PSS signature is not a PKCS#1 v1.5 signature on an rsaEncryption key (Node's default padding).
    const pss = new Uint8Array(
      native.sign('sha256', data, { key: rsa.privateKey, padding: native.constants.RSA_PKCS1_PSS_PADDING }),
    );
    expect(both('sha256', data, rsaPem, pss)).toEqual([false, false]);
    const withPadding = { key: rsaPem, padding: native.constants.RSA_PKCS1_PSS_PADDING };
    expect(native.verify('sha256', data, withPadding, pss)).toBe(true);
    expect(shim.verify('sha256', data, withPadding, pss)).toBe(true);
  });

  it('RSASSA-PSS keys: any salt length (Node verifies with "auto"), PKCS#1 v1.5 refused', () => {
    const pssKey = native.generateKeyPairSync('rsa-pss', { modulusLength: 2048 });
    const pem = pssKey.publicKey.export({ format: 'pem', type: 'spki' }) as string;
    for (const saltLength of [32, 0, 17, 222]) {
      const data = rand(50);
      const sig = new Uint8Array(native.sign('sha256', data, { key: pssKey.privateKey, saltLength }));
      expect([saltLength, ...both('sha256', data, pem, sig)]).toEqual([saltLength, true, true]);
      const other = Uint8Array.from(data);
      other[0] = (other[0] as number) ^ 1;
      expect(both('sha256', other, pem, sig)).toEqual([false, false]);
    }
    const data = rand(5);
    const v15 = new Uint8Array(native.sign('sha256', data, rsa.privateKey));
    expect(both('sha256', data, pem, v15).map(asVerdict)).toEqual([false, false]);
  });

  it('RSASSA-PSS keys with parameters enforce their digest', () => {
    const options = { modulusLength: 2048, hashAlgorithm: 'sha384', mgf1HashAlgorithm: 'sha384', saltLength: 48 };
    // Typed loosely: @types/node's overloads do not list the PSS parameter options together with PEM output.
    const generate = native.generateKeyPairSync as unknown as (type: string, o: object) => { publicKey: string; privateKey: string };
    const k = generate('rsa-pss', { ...options, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    const pem = k.publicKey as unknown as string;
    const data = rand(20);
    const sig = new Uint8Array(native.sign('sha384', data, k.privateKey));
    expect(both('sha384', data, pem, sig)).toEqual([true, true]);
    expect(both('sha256', data, pem, sig).map(asVerdict)).toEqual([false, false]);
  });
});

describe('public keys', () => {
  const ec = native.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = ec.publicKey.export({ format: 'pem', type: 'spki' }) as string;
  const der = new Uint8Array(ec.publicKey.export({ format: 'der', type: 'spki' }));

  it('accepts the forms sigstore-js passes and reports the same key details', () => {
    for (const input of [pem, `some preamble text\n${pem}`, { key: der, format: 'der', type: 'spki' }, { key: Buffer.from(der), format: 'der', type: 'spki' }]) {
      const k = shim.createPublicKey(input as never);
      expect(k.asymmetricKeyType).toBe(native.createPublicKey(input as never).asymmetricKeyType);
      expect(k.asymmetricKeyDetails).toEqual(native.createPublicKey(input as never).asymmetricKeyDetails);
      expect(Buffer.from(k.export({ format: 'der', type: 'spki' }) as Uint8Array).equals(Buffer.from(der))).toBe(true);
    }
  });

  it('rejects what Node rejects: off-curve points, truncation, garbage; stricter on trailing bytes', () => {
    const offCurve = Uint8Array.from(der);
    offCurve[offCurve.length - 1] = (offCurve[offCurve.length - 1] as number) ^ 1;
    const trailing = new Uint8Array([...der, 0]);
    for (const bad of [offCurve, der.subarray(0, 20), new Uint8Array([0x30, 0x00])]) {
      expect(() => native.createPublicKey({ key: Buffer.from(bad), format: 'der', type: 'spki' })).toThrow();
      expect(() => shim.createPublicKey({ key: bad, format: 'der', type: 'spki' })).toThrow();
    }
    // OpenSSL ignores bytes after the SPKI; we require canonical DER (fail closed, never looser).
    expect(() => native.createPublicKey({ key: Buffer.from(trailing), format: 'der', type: 'spki' })).not.toThrow();
    expect(() => shim.createPublicKey({ key: trailing, format: 'der', type: 'spki' })).toThrow();
    expect(() => shim.createPublicKey('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')).toThrow();
  });

  it('refuses curves sigstore does not use instead of guessing', () => {
    const k1 = native.generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
    expect(() => shim.createPublicKey(k1.publicKey.export({ format: 'pem', type: 'spki' }) as string)).toThrow();
  });
});

describe('withVerifyMemo', () => {
  it('answers a repeated check from the first result, only inside the scope', () => {
    const { publicKey, privateKey } = native.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = publicKey.export({ format: 'pem', type: 'spki' }) as string;
    const data = rand(40);
    const sig = new Uint8Array(native.sign('sha256', data, privateKey));
    const bad = Uint8Array.from(sig);
    bad[8] = (bad[8] as number) ^ 1;
    const before = shim.shimStats.verify;
    const results = shim.withVerifyMemo(() => [
      shim.verify('sha256', data, pem, sig),
      shim.verify('sha256', data, pem, sig),
      shim.verify('sha256', data, pem, bad),
      shim.verify('sha256', data, pem, bad),
      shim.verify('sha384', data, pem, sig),
    ]);
    expect(results).toEqual([true, true, false, false, false]);
    expect(shim.shimStats.verify - before).toBe(3);
    shim.verify('sha256', data, pem, sig);
    shim.verify('sha256', data, pem, sig);
    expect(shim.shimStats.verify - before).toBe(5);
  });
  it('a memo key cannot be forged by moving bytes between the data and the signature (finding 14)', () => {
    const { publicKey, privateKey } = native.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = publicKey.export({ format: 'pem', type: 'spki' }) as string;
    const data = new TextEncoder().encode('signed statement');
    // DER puts a 0x00 before an INTEGER whose top bit is set, so a zero byte comes within a few tries.
    let sig: Uint8Array;
    do sig = new Uint8Array(native.sign('sha256', data, privateKey));
    while (!sig.includes(0));
    const z = sig.indexOf(0);
    // (data ‖ 0x00 ‖ sig[..z], sig[z+1..]) joined with a 0x00 separator spells the same key as (data, sig).
    const forgedData = Uint8Array.from([...data, 0, ...sig.subarray(0, z)]);
    const forgedSig = sig.subarray(z + 1);
    expect(native.verify('sha256', forgedData, pem, forgedSig)).toBe(false);
    const results = shim.withVerifyMemo(() => [shim.verify('sha256', data, pem, sig), shim.verify('sha256', forgedData, pem, forgedSig)]);
    expect(results).toEqual([true, false]);
    expect(shim.memoKey(['ab', 'c'])).not.toBe(shim.memoKey(['a', 'bc']));
    expect(shim.memoKey(['1:a', ''])).not.toBe(shim.memoKey(['1', 'a']));
  });
});

describe('createHash and timingSafeEqual', () => {
  it('digests equal Node for every supported algorithm, in one or many updates', () => {
    for (const alg of ['sha224', 'sha256', 'sha384', 'sha512', 'sha3-256', 'sha3-384', 'sha3-512']) {
      for (const len of [0, 1, 55, 64, 1000]) {
        const a = rand(len);
        const b = rand(len + 3);
        const n = native.createHash(alg).update(a).update(b).digest('hex');
        expect(shim.createHash(alg).update(a).update(b).digest('hex')).toBe(n);
        expect(Buffer.from(shim.createHash(alg).update(Buffer.concat([a, b])).digest() as Uint8Array).toString('hex')).toBe(n);
      }
    }
    expect(() => shim.createHash('md5')).toThrow();
    expect(() => native.createHash('nope')).toThrow();
    expect(() => shim.createHash('nope')).toThrow();
  });

  it('timingSafeEqual compares bytes and throws on a length mismatch, like Node', () => {
    const a = rand(32);
    const b = Uint8Array.from(a);
    expect(shim.timingSafeEqual(a, b)).toBe(native.timingSafeEqual(a, b));
    b[31] = (b[31] as number) ^ 1;
    expect(shim.timingSafeEqual(a, b)).toBe(native.timingSafeEqual(a, b));
    expect(() => native.timingSafeEqual(a, a.subarray(1))).toThrow(RangeError);
    expect(() => shim.timingSafeEqual(a, a.subarray(1))).toThrow(RangeError);
  });
});
