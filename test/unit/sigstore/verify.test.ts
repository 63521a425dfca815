/**
 * verifySigstoreBundle / verifyConformanceCase in-process (the code path the service worker runs),
 * on real bundles: the conformance suite, the real OMS model signatures, and policy/root/artifact
 * failures with their codes. Also proves the `crypto`/`util` aliases really route sigstore-js to our shims.
 */
import { KeyObject as NativeKeyObject, createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { isDeepStrictEqual as nodeDeepEqual } from 'node:util';
import { join, resolve } from 'node:path';
import { crypto as sigstoreCrypto } from '@sigstore/core';
import { describe, expect, it } from 'vitest';
import {
  CONFORMANCE_DEFAULTS,
  parseTrustedRoot,
  productionTrustedRootJson,
  verifyConformanceCase,
  verifySigstoreBundle,
} from '../../../extension/core/sigstore/index.js';
import { isDeepStrictEqual } from '../../../extension/core/sigstore/shims/util.js';
import { isModelSealError } from '../../../extension/core/errors.js';

const shared = resolve(process.cwd(), '../shared/fixtures');
const suite = join(shared, 'sigstore-conformance/bundle-verify');
const omsReal = join(shared, 'oms-real');
const OMS_POLICY = { identity: 'stefanb@us.ibm.com', issuer: 'https://sigstore.verify.ibm.com/oauth2' };

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return isModelSealError(e) ? e.code : `not a ModelSealError: ${String(e)}`;
  }
  return 'no error';
}

describe('shims are wired in', () => {
  it('sigstore-js resolves `crypto` to the adapter: its keys are our KeyObject, not Node\'s', () => {
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'pem', type: 'spki' }) as string;
    const key = sigstoreCrypto.createPublicKey(pem) as unknown as Record<string, unknown>;
    // The test runner pre-bundles its own copy of the shim for sigstore-js, so compare by shape.
    expect(key).toHaveProperty('material.kind', 'ec');
    expect(key).not.toBeInstanceOf(NativeKeyObject);
  });

  it('isDeepStrictEqual agrees with Node on the shapes sigstore-js compares', () => {
    const d = new Date(1_700_000_000_000);
    class Sct {
      constructor(readonly logID: Buffer, readonly ts: bigint) {}
    }
    const pairs: Array<[unknown, unknown]> = [
      [{ type: 'tsa', timestamp: d }, { type: 'tsa', timestamp: new Date(d.getTime()) }],
      [{ type: 'tsa', timestamp: d }, { type: 'tsa', timestamp: new Date(d.getTime() + 1) }],
      [new Sct(Buffer.from('ab'), 1n), new Sct(Buffer.from('ab'), 1n)],
      [new Sct(Buffer.from('ab'), 1n), new Sct(Buffer.from('ac'), 1n)],
      [new Sct(Buffer.from('ab'), 1n), { logID: Buffer.from('ab'), ts: 1n }],
      [[1, 2, [3]], [1, 2, [3]]],
      [[1, 2], [1, 2, undefined]],
      [{ a: undefined }, {}],
      [0, -0],
      [NaN, NaN],
      ['1', 1],
      [Buffer.from('x'), new Uint8Array([0x78])],
    ];
    for (const [a, b] of pairs) expect([a, b, isDeepStrictEqual(a, b)]).toEqual([a, b, nodeDeepEqual(a, b)]);
  });
});

describe('trusted roots', () => {
  it('the production root comes from @sigstore/tuf seeds and passes validation', () => {
    const root = productionTrustedRootJson() as { tlogs: Array<{ baseUrl: string }> };
    expect(root.tlogs.map((t) => t.baseUrl)).toContain('https://rekor.sigstore.dev');
    expect(() => parseTrustedRoot(root)).not.toThrow();
    const fixture = join(shared, 'sigstore-public-good/targets_trusted_root.json');
    if (existsSync(fixture)) expect(root).toEqual(JSON.parse(readFileSync(fixture, 'utf8')));
  });

  it('rejects logs and authorities without a validity start, and non-roots', () => {
    /** Deletes (or replaces) one field of a copy of the production root and returns the code. */
    const edit = (path: Array<string | number>, value?: unknown) => {
      const r = structuredClone(productionTrustedRootJson()) as Record<string | number, unknown>;
      let o = r;
      for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
      const last = path[path.length - 1] as string | number;
      if (value === undefined) delete o[last];
      else o[last] = value;
      return codeOf(() => parseTrustedRoot(r));
    };
    expect(edit(['tlogs', 0, 'publicKey', 'validFor', 'start'])).toBe('TRUSTED_ROOT_INVALID');
    expect(edit(['ctlogs', 1, 'publicKey', 'validFor'])).toBe('TRUSTED_ROOT_INVALID');
    expect(edit(['certificateAuthorities', 0, 'validFor', 'start'])).toBe('TRUSTED_ROOT_INVALID');
    expect(edit(['timestampAuthorities', 0, 'validFor'])).toBe('TRUSTED_ROOT_INVALID');
    expect(edit(['mediaType'], 'text/plain')).toBe('TRUSTED_ROOT_INVALID');
    expect(edit(['tlogs', 0, 'publicKey', 'validFor', 'end'])).toBe('no error');
    expect(codeOf(() => parseTrustedRoot([]))).toBe('TRUSTED_ROOT_INVALID');
  });
});

if (!existsSync(shared)) {
  console.log(`sigstore verify tests: ${shared} not found, fixture-based tests not registered`);
} else {
  const read = (p: string) => readFileSync(p, 'utf8');

  describe('conformance cases in-process (the service worker path)', () => {
    const cases = readdirSync(suite, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    it.each(cases)('%s', (name) => {
      const dir = join(suite, name);
      const has = (f: string) => existsSync(join(dir, f));
      const artifact = new Uint8Array(readFileSync(has('artifact') ? join(dir, 'artifact') : join(suite, 'a.txt')));
      const base = {
        bundleJson: read(join(dir, 'bundle.sigstore.json')),
        ...(has('identity') ? { identity: read(join(dir, 'identity')).trim() } : {}),
        ...(has('issuer') ? { issuer: read(join(dir, 'issuer')).trim() } : {}),
        ...(has('key.pub') ? { publicKeyPem: read(join(dir, 'key.pub')) } : {}),
        ...(has('trusted_root.json') ? { trustedRootJson: read(join(dir, 'trusted_root.json')) } : {}),
      };
      const byPath = verifyConformanceCase({ ...base, artifact: { bytes: artifact } });
      const byDigest = verifyConformanceCase({ ...base, artifact: { sha256: createHash('sha256').update(artifact).digest('hex') } });
      const expected = !name.endsWith('_fail');
      expect([byPath.ok, byPath.ok ? '' : byPath.message]).toEqual([expected, expected ? '' : expect.any(String)]);
      expect(byDigest.ok).toBe(expected);
      if (!byPath.ok) expect(byPath.code).not.toBe('INTERNAL_ERROR');
    });

    it('reports the signer, the log by its trusted-root URL, and verified timestamps', () => {
      const r = verifyConformanceCase({
        bundleJson: read(join(suite, 'happy-path-v0.3/bundle.sigstore.json')),
        artifact: { bytes: new Uint8Array(readFileSync(join(suite, 'a.txt'))) },
      });
      if (!r.ok) throw new Error(r.message);
      expect(r.verification.signer).toEqual({ kind: 'sigstore', identity: CONFORMANCE_DEFAULTS.identity, issuer: CONFORMANCE_DEFAULTS.issuer });
      expect(r.verification.logEntries[0]?.log).toBe('https://rekor.sigstore.dev');
      expect(r.verification.timestamps.length).toBeGreaterThan(0);
    });

    it('managed keys: signer is the key fingerprint (SHA-256 of the SPKI DER)', () => {
      const dir = join(suite, 'managed-key-happy-path');
      const pem = read(join(dir, 'key.pub'));
      const r = verifyConformanceCase({
        bundleJson: read(join(dir, 'bundle.sigstore.json')),
        publicKeyPem: pem,
        artifact: { bytes: new Uint8Array(readFileSync(join(suite, 'a.txt'))) },
      });
      if (!r.ok) throw new Error(r.message);
      const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
      expect(r.verification.signer).toEqual({ kind: 'key', keyFingerprint: createHash('sha256').update(der).digest('hex') });
    });

    it('names the failure: trust root, artifact, material', () => {
      const bytes = new Uint8Array(readFileSync(join(suite, 'a.txt')));
      const tlogStart = join(suite, 'trust-root-tlog-missing-validity-start_fail');
      const noStart = verifyConformanceCase({
        bundleJson: read(join(tlogStart, 'bundle.sigstore.json')),
        trustedRootJson: read(join(tlogStart, 'trusted_root.json')),
        artifact: { bytes },
      });
      expect(noStart.ok ? 'ok' : noStart.code).toBe('TRUSTED_ROOT_INVALID');
      const intoto = verifyConformanceCase({
        bundleJson: read(join(suite, 'happy-path-intoto-in-dsse-v3/bundle.sigstore.json')),
        artifact: { bytes: new TextEncoder().encode('not the subject') },
      });
      expect(intoto.ok ? 'ok' : intoto.code).toBe('ARTIFACT_MISMATCH');
      const message = verifyConformanceCase({
        bundleJson: read(join(suite, 'happy-path-v0.3/bundle.sigstore.json')),
        artifact: { sha256: '00'.repeat(32) },
      });
      expect(message.ok ? 'ok' : message.code).toBe('ARTIFACT_MISMATCH');
      const keyBundleAsIdentity = verifyConformanceCase({
        bundleJson: read(join(suite, 'managed-key-happy-path/bundle.sigstore.json')),
        artifact: { bytes },
      });
      expect(keyBundleAsIdentity.ok ? 'ok' : keyBundleAsIdentity.code).toBe('VERIFICATION_MATERIAL_UNSUPPORTED');
      const malformed = verifyConformanceCase({ bundleJson: '{"mediaType": ', artifact: { bytes } });
      expect(malformed.ok ? 'ok' : malformed.code).toBe('BUNDLE_MALFORMED');
      const deep = verifyConformanceCase({ bundleJson: '['.repeat(100) + ']'.repeat(100), artifact: { bytes } });
      expect(deep.ok ? 'ok' : deep.code).toBe('BUNDLE_TOO_DEEP');
    });
  });

  describe('real OMS model signatures (Sigstore public good)', () => {
    for (const version of ['v1.0.1', 'v1.1.0']) {
      const sigPath = join(omsReal, `${version}-sigstore/model.sig`);
      it(`${version}: verifies with the upstream identity and issuer and returns the exact payload`, () => {
        const bundle = JSON.parse(read(sigPath));
        const r = verifySigstoreBundle(bundle, { policy: OMS_POLICY });
        expect(r.signer).toEqual({ kind: 'sigstore', ...OMS_POLICY });
        expect(r.logEntries).toHaveLength(1);
        expect(r.logEntries[0]).toMatchObject({ log: 'https://rekor.sigstore.dev', kind: 'dsse', kindVersion: '0.0.1' });
        expect(r.logEntries[0]?.integratedTime).toBeGreaterThan(1_700_000_000);
        expect(r.dsse?.payloadType).toBe('application/vnd.in-toto+json');
        expect(Buffer.from(r.dsse?.payload ?? []).toString('base64')).toBe(bundle.dsseEnvelope.payload);
      });

      it(`${version}: wrong identity, wrong issuer, other subject are rejected with their codes`, () => {
        const bundle = JSON.parse(read(sigPath));
        expect(codeOf(() => verifySigstoreBundle(bundle, { policy: { ...OMS_POLICY, identity: 'stefanb@us.ibm.co' } }))).toBe('IDENTITY_MISMATCH');
        expect(codeOf(() => verifySigstoreBundle(bundle, { policy: { ...OMS_POLICY, issuer: 'https://sigstore.verify.ibm.com/oauth' } }))).toBe('ISSUER_MISMATCH');
        expect(codeOf(() => verifySigstoreBundle(bundle, { policy: OMS_POLICY, artifact: { sha256: 'ab'.repeat(32) } }))).toBe('ARTIFACT_MISMATCH');
        expect(codeOf(() => verifySigstoreBundle(bundle, { policy: { publicKeyPem: 'x' } }))).toBe('KEY_MISMATCH');
      });
    }

    it('the subject digest of the signed statement is accepted as the artifact digest', () => {
      const bundle = JSON.parse(read(join(omsReal, 'v1.1.0-sigstore/model.sig')));
      const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8'));
      const r = verifySigstoreBundle(bundle, { policy: OMS_POLICY, artifact: { sha256: statement.subject[0].digest.sha256 } });
      expect(r.signer.identity).toBe(OMS_POLICY.identity);
    });
  });
}
