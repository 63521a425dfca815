// DSSE PAE and the model_signing 0.2 legacy PAE (Python bytes repr).
import { describe, expect, it } from 'vitest';
import { legacyPae, pae, pythonBytesRepr } from '../../../extension/core/oms/dsse.js';

const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const enc = (s: string) => new TextEncoder().encode(s);

describe('PAE', () => {
  it('uses byte lengths', () => {
    expect(dec(pae('application/vnd.in-toto+json', enc('héllo')))).toBe('DSSEv1 28 application/vnd.in-toto+json 6 héllo');
  });
  it('matches the DSSE spec example', () => {
    expect(dec(pae('http://example.com/HelloWorld', enc('hello world')))).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });
});

describe('legacy PAE (model_signing 0.1/0.2)', () => {
  // Expected strings are what CPython prints for repr(b"...").
  it.each([
    ['{"a": 1}\n', `b'{"a": 1}\\n'`],
    ["it's", `b"it's"`],
    [`it's "q"`, `b'it\\'s "q"'`],
    ['tab\there\r', `b'tab\\there\\r'`],
    ['back\\slash', `b'back\\\\slash'`],
  ])('repr of %j', (input, expected) => {
    expect(pythonBytesRepr(enc(input))).toBe(expected);
  });

  it('escapes non-ASCII and control bytes as \\xNN', () => {
    expect(pythonBytesRepr(new Uint8Array([0x00, 0x7f, 0xc3, 0xa9, 0x41]))).toBe(`b'\\x00\\x7f\\xc3\\xa9A'`);
  });

  it('uppercase DSSEV1, raw length, repr payload', () => {
    expect(dec(legacyPae('application/vnd.in-toto+json', enc('{}\n')))).toBe(`DSSEV1 28 application/vnd.in-toto+json 3 b'{}\\n'`);
  });
});
