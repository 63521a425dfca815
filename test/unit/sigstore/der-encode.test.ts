/**
 * The one-pass DER encoder (shims/der-encode.ts) that replaces @sigstore/core's ASN1Obj.toDER: byte
 * for byte the same output as the original on every certificate, key and timestamp in the shared
 * fixtures and on generated trees whose lengths cross every length-field boundary, and it is the
 * encoder sigstore-js really calls once the verifier is loaded.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
// The copy sigstore-js itself uses (the test runner pre-bundles @sigstore/*).
import { ASN1Obj } from '@sigstore/core';
import { encodeDer, originalToDer } from '../../../extension/core/sigstore/shims/der-encode.js';
import '../../../extension/core/sigstore/index.js';

const shared = resolve(process.cwd(), '../shared/fixtures');

/** TLV bytes with a minimal DER length (written independently of both encoders). */
function tlv(tag: number, content: Uint8Array): Uint8Array {
  const len = content.length;
  const lenBytes: number[] = [];
  if (len < 128) lenBytes.push(len);
  else {
    const be: number[] = [];
    for (let v = len; v > 0; v = Math.floor(v / 256)) be.unshift(v % 256);
    lenBytes.push(0x80 | be.length, ...be);
  }
  const out = new Uint8Array(1 + lenBytes.length + len);
  out[0] = tag;
  out.set(lenBytes, 1);
  out.set(content, 1 + lenBytes.length);
  return out;
}
const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let i = 0;
  for (const p of parts) {
    out.set(p, i);
    i += p.length;
  }
  return out;
};

/** Deterministic pseudo-random DER trees: SEQUENCE, SET, OCTET STRING (wrapping DER or not), INTEGER, NULL. */
function generated(seed: number, depth: number): Uint8Array {
  let s = seed;
  const rnd = (n: number) => {
    s = (s * 1103515245 + 12345) >>> 0;
    return s % n;
  };
  const node = (d: number): Uint8Array => {
    const kind = d >= depth ? 2 + rnd(3) : rnd(5);
    switch (kind) {
      case 0:
        return tlv(0x30, concat(Array.from({ length: rnd(4) }, () => node(d + 1))));
      case 1:
        return tlv(0x04, node(d + 1)); // an OCTET STRING the parser unwraps
      case 2: {
        // Content lengths around every length-field boundary.
        const sizes = [0, 1, 127, 128, 255, 256, 300, 65535, 65536];
        const bytes = new Uint8Array(sizes[rnd(sizes.length)] as number).map(() => 0x41 + rnd(20));
        return tlv(0x04, bytes);
      }
      case 3:
        return tlv(0x02, Uint8Array.of(1 + rnd(100)));
      default:
        return tlv(0x05, new Uint8Array(0));
    }
  };
  return node(0);
}

function derStrings(value: unknown, out: Uint8Array[]): void {
  if (Array.isArray(value)) for (const v of value) derStrings(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if ((k === 'rawBytes' || k === 'signedTimestamp') && typeof v === 'string') out.push(new Uint8Array(Buffer.from(v, 'base64')));
      else derStrings(v, out);
    }
  }
}

function fixtureDer(): Uint8Array[] {
  const out: Uint8Array[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if ((name.endsWith('.json') || name.endsWith('.sig')) && statSync(p).size < 4 * 1024 * 1024) {
        try {
          derStrings(JSON.parse(readFileSync(p, 'utf8')), out);
        } catch {
          // not JSON: nothing to collect
        }
      }
    }
  };
  walk(shared);
  return out;
}

function sameAsOriginal(der: Uint8Array): number {
  let obj: ASN1Obj;
  try {
    obj = ASN1Obj.parseBuffer(Buffer.from(der));
  } catch {
    return 0; // not DER (e.g. a raw Ed25519 key): nothing to re-encode
  }
  const ours = encodeDer(obj);
  const theirs = originalToDer.call(obj);
  expect(Buffer.from(ours).equals(Buffer.from(theirs))).toBe(true);
  return 1;
}

describe('one-pass DER encoder', () => {
  it('matches @sigstore/core on generated trees crossing every length boundary', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const der = generated(seed, 4);
      expect(sameAsOriginal(der)).toBe(1);
      // The inputs are canonical DER, so both encoders also give back the input.
      expect(Buffer.from(encodeDer(ASN1Obj.parseBuffer(Buffer.from(der)))).equals(Buffer.from(der))).toBe(true);
    }
  });

  it('returns a Node Buffer, as callers in sigstore-js use Buffer methods on it', () => {
    const out = encodeDer(ASN1Obj.parseBuffer(Buffer.from(tlv(0x30, tlv(0x02, Uint8Array.of(5))))));
    expect(Buffer.isBuffer(out)).toBe(true);
    expect((out as Buffer).equals(Buffer.from([0x30, 3, 2, 1, 5]))).toBe(true);
  });

  it('is the encoder ASN1Obj uses once the verifier module is loaded', () => {
    const obj = ASN1Obj.parseBuffer(Buffer.from(tlv(0x30, tlv(0x05, new Uint8Array(0)))));
    expect(obj.toDER).not.toBe(originalToDer);
    expect(Buffer.from(obj.toDER()).equals(Buffer.from([0x30, 2, 5, 0]))).toBe(true);
  });

  if (existsSync(shared)) {
    it('matches @sigstore/core on every certificate, key and timestamp in the shared fixtures', () => {
      const ders = fixtureDer();
      const compared = ders.reduce((n, d) => n + sameAsOriginal(d), 0);
      // The fixtures hold hundreds of certificates (trusted roots, bundles) and TSA timestamps.
      expect(compared).toBeGreaterThan(100);
    });
  }
});
