// model.sig parsing: limits, media types, envelope and verification material shapes.
import { describe, expect, it } from 'vitest';
import { parseBundle } from '../../../extension/core/oms/bundle.js';
import { decodeBase64, encodeBase64 } from '../../../extension/core/oms/base64.js';
import { jsonDepth } from '../../../extension/core/oms/bounded-json.js';
import { MAX_BUNDLE_BYTES } from '../../../extension/core/oms/limits.js';
import { buildStatement, createKeySigner, createCaSigner, signModel } from '../../factory/index.js';
import type { ErrorCode } from '../../../extension/core/errors.js';

function code(f: () => unknown): ErrorCode | undefined {
  try {
    f();
  } catch (e) {
    return (e as { code?: ErrorCode }).code;
  }
  return undefined;
}

const keySigned = () => signModel({ files: { a: 'x' }, signer: createKeySigner('P-256') });
// Tests reach into arbitrary bundle JSON to corrupt it; a precise type would only restate the fixture.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyJson = Record<string, any>;
const clone = (b: unknown) => JSON.parse(JSON.stringify(b)) as AnyJson;

describe('parseBundle', () => {
  it('parses a key bundle: envelope bytes, signature, hint', () => {
    const m = keySigned();
    const p = parseBundle(m.signature);
    expect(p.bundleVersion).toBe('0.3');
    expect(p.envelope.payloadType).toBe('application/vnd.in-toto+json');
    expect(p.envelope.payload).toEqual(m.payload);
    expect(p.material).toMatchObject({ kind: 'public-key', hint: m.bundle.verificationMaterial.publicKey?.hint });
    expect(p.tlogEntryCount).toBe(0);
  });

  it('parses bytes and text alike, and 1.0-style rawBytes keys', () => {
    const m = signModel({ files: { a: 'x' }, signer: createKeySigner('P-384', { style: 'rawBytes' }) });
    const p = parseBundle(new TextEncoder().encode(m.signature));
    expect(p.material.kind).toBe('public-key');
    expect(p.material.kind === 'public-key' && p.material.rawBytes?.length).toBeGreaterThan(100);
  });

  it('parses certificate chains leaf first', () => {
    const ca = createCaSigner();
    const p = parseBundle(signModel({ files: { a: 'x' }, signer: ca }).signature);
    expect(p.material.kind === 'x509-chain' && p.material.ders.map((d) => d.length)).toEqual(ca.chain.map((c) => c.der.length));
  });

  it.each([
    'application/vnd.dev.sigstore.bundle+json;version=0.1',
    'application/vnd.dev.sigstore.bundle+json;version=0.2',
    'application/vnd.dev.sigstore.bundle+json;version=0.3',
    'application/vnd.dev.sigstore.bundle.v0.3+json',
  ])('accepts media type %s', (mediaType) => {
    const b = clone(keySigned().bundle);
    b.mediaType = mediaType;
    expect(parseBundle(JSON.stringify(b)).mediaType).toBe(mediaType);
  });

  it('rejects unknown media types', () => {
    const b = clone(keySigned().bundle);
    b.mediaType = 'application/vnd.dev.sigstore.bundle+json;version=9';
    expect(code(() => parseBundle(JSON.stringify(b)))).toBe('BUNDLE_UNSUPPORTED_MEDIA_TYPE');
  });

  it(`rejects bundles over ${MAX_BUNDLE_BYTES} bytes before parsing`, () => {
    const b = clone(keySigned().bundle);
    b.padding = 'x'.repeat(MAX_BUNDLE_BYTES);
    expect(code(() => parseBundle(JSON.stringify(b)))).toBe('BUNDLE_TOO_LARGE');
    expect(code(() => parseBundle(new TextEncoder().encode(JSON.stringify(b))))).toBe('BUNDLE_TOO_LARGE');
    // Multi-byte text counts in UTF-8 bytes, not UTF-16 units.
    b.padding = 'é'.repeat(MAX_BUNDLE_BYTES / 2 + 1);
    expect(code(() => parseBundle(JSON.stringify(b)))).toBe('BUNDLE_TOO_LARGE');
  });

  it('rejects JSON nested deeper than 64, counting only real brackets', () => {
    const b = clone(keySigned().bundle);
    let deep: unknown = 1;
    for (let i = 0; i < 70; i++) deep = [deep];
    b.extra = deep;
    expect(code(() => parseBundle(JSON.stringify(b)))).toBe('BUNDLE_TOO_DEEP');
    b.extra = '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["\\"[[[';
    expect(parseBundle(JSON.stringify(b)).bundleVersion).toBe('0.3');
    expect(jsonDepth('{"a":[{"b":"]]]}"}]}')).toBe(3);
  });

  it('rejects invalid UTF-8 and invalid JSON', () => {
    expect(code(() => parseBundle(new Uint8Array([0x7b, 0xff, 0x7d])))).toBe('BUNDLE_MALFORMED');
    expect(code(() => parseBundle('{"mediaType":'))).toBe('BUNDLE_MALFORMED');
    expect(code(() => parseBundle('[]'))).toBe('BUNDLE_MALFORMED');
    expect(code(() => parseBundle('null'))).toBe('BUNDLE_MALFORMED');
  });

  it('envelope errors are ENVELOPE_MALFORMED', () => {
    const cases: ((b: AnyJson) => void)[] = [
      (b) => delete b.dsseEnvelope,
      (b) => (b.dsseEnvelope.payloadType = 'text/plain'),
      (b) => (b.dsseEnvelope.signatures = []),
      (b) => b.dsseEnvelope.signatures.push(b.dsseEnvelope.signatures[0]),
      (b) => (b.dsseEnvelope.signatures[0].sig = 'not base64!'),
      (b) => (b.dsseEnvelope.signatures[0].sig = ''),
      (b) => (b.dsseEnvelope.payload = 'a===='),
      (b) => (b.dsseEnvelope.signatures[0].keyid = 5),
      (b) => (b.messageSignature = { signature: '' }),
    ];
    for (const mutate of cases) {
      const b = clone(keySigned().bundle);
      mutate(b);
      expect(code(() => parseBundle(JSON.stringify(b))), mutate.toString()).toBe('ENVELOPE_MALFORMED');
    }
  });

  it('accepts keyid as "", null or absent', () => {
    for (const keyid of ['', null, undefined]) {
      const b = clone(keySigned().bundle);
      b.dsseEnvelope.signatures[0].keyid = keyid;
      expect(parseBundle(JSON.stringify(b)).envelope.keyid).toBeUndefined();
    }
  });

  it('verification material must be exactly one known kind', () => {
    const b = clone(keySigned().bundle);
    b.verificationMaterial.certificate = { rawBytes: 'AAAA' };
    expect(code(() => parseBundle(JSON.stringify(b)))).toBe('VERIFICATION_MATERIAL_UNSUPPORTED');
    delete b.verificationMaterial.certificate;
    delete b.verificationMaterial.publicKey;
    expect(code(() => parseBundle(JSON.stringify(b)))).toBe('VERIFICATION_MATERIAL_UNSUPPORTED');
    b.verificationMaterial.x509CertificateChain = { certificates: [] };
    expect(code(() => parseBundle(JSON.stringify(b)))).toBe('BUNDLE_MALFORMED');
    b.verificationMaterial = 'x';
    expect(code(() => parseBundle(JSON.stringify(b)))).toBe('BUNDLE_MALFORMED');
  });

  it('keeps the exact payload bytes (never re-serialized)', () => {
    const st = buildStatement({ a: 'x' });
    const odd = new TextEncoder().encode(new TextDecoder().decode(st.payload).replace('{', '{   '));
    const b = clone(keySigned().bundle);
    b.dsseEnvelope.payload = encodeBase64(odd);
    expect(parseBundle(JSON.stringify(b)).envelope.payload).toEqual(odd);
  });
});

describe('base64', () => {
  it('round-trips and accepts URL-safe input', () => {
    const bytes = new Uint8Array(256).map((_, i) => i);
    expect(decodeBase64(encodeBase64(bytes))).toEqual(bytes);
    expect(decodeBase64('-_8')).toEqual(new Uint8Array([0xfb, 0xff]));
    expect(decodeBase64('+/8=')).toEqual(new Uint8Array([0xfb, 0xff]));
  });
  it.each(['a', 'ab c', 'ab=c', 'abc==', '####', 'a+_b'])('rejects %j', (s) => {
    expect(() => decodeBase64(s)).toThrow();
  });
});
