/**
 * A log key's validFor window must hold the entry's time. sigstore-js (3.1 and 4.1) checks it only against a
 * SET's integratedTime; an entry proven by a checkpoint alone (every Rekor v2 entry, or a v1 entry
 * without its SET) has no signed log time, so the bundle's verified RFC 3161 times date it instead.
 * Real factory bundles and trusted roots, real crypto; only the log's validFor is edited.
 */
import { describe, expect, it } from 'vitest';
import { bundleFromJSON } from '@sigstore/bundle';
import { toTrustMaterial } from '@sigstore/verify';
import { verifySigstoreBundle, parseTrustedRoot } from '../../../extension/core/sigstore/index.js';
import { authenticatedLogs } from '../../../extension/core/sigstore/log-binding.js';
import { isModelSealError } from '../../../extension/core/errors.js';
import { b64, createTestSigstore, fromB64, utf8, type BundleJson } from '../../factory/index.js';

const ID = 'validity@example.com';
const ISSUER = 'https://issuer.example';
const s = createTestSigstore({ seed: 'log-validity' });
const root = s.trustedRoot();
const payload = utf8(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'm', digest: { sha256: '00'.repeat(32) } }] }));

type Log = 'rekor-v1' | 'rekor-v2';
const sign = (log: Log, timestamp: 'tsa' | 'none' = 'tsa'): BundleJson =>
  s.signDsse({ payloadType: 'application/vnd.in-toto+json', payload, identity: ID, issuer: ISSUER, log, timestamp }).bundle;

const verify = (bundle: unknown, trustedRoot: unknown = root) => verifySigstoreBundle(bundle, { policy: { identity: ID, issuer: ISSUER }, trustedRoot });

/** The trusted root with one log's publicKey.validFor replaced (undefined bounds are left out). */
function rootWithWindow(log: Log, start: number | undefined, end: number | undefined): Record<string, unknown> {
  const baseUrl = log === 'rekor-v1' ? s.rekorV1.baseUrl : s.rekorV2.baseUrl;
  const copy = structuredClone(root);
  const tlog = (copy.tlogs as Array<{ baseUrl: string; publicKey: Record<string, unknown> }>).find((t) => t.baseUrl === baseUrl);
  if (!tlog) throw new Error(`no ${baseUrl} in the trusted root`);
  tlog.publicKey.validFor = {
    ...(start !== undefined ? { start: new Date(start).toISOString() } : {}),
    ...(end !== undefined ? { end: new Date(end).toISOString() } : {}),
  };
  return copy;
}

/** The one RFC 3161 time the bundle carries, as verified against the unedited root (ms). */
function tsaTime(bundle: BundleJson): number {
  const times = verify(bundle).timestamps.filter((t) => t.source === 'tsa').map((t) => t.time);
  expect(times).toHaveLength(1);
  return times[0]!;
}

function failure(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (e) {
    return isModelSealError(e) ? { code: e.code, message: e.message } : { code: `not a ModelSealError: ${String(e)}`, message: '' };
  }
  return { code: 'no error', message: '' };
}

const SECOND = 1000;

describe('a checkpoint-only entry is dated by the verified RFC 3161 times', () => {
  const v2 = sign('rekor-v2');
  const t = tsaTime(v2);

  it('Rekor v2: a log key retired before the timestamp is TLOG_INVALID', () => {
    const f = failure(() => verify(v2, rootWithWindow('rekor-v2', t - 3600 * SECOND, t - SECOND)));
    expect(f.code).toBe('TLOG_INVALID');
    expect(f.message).toMatch(/valid/);
  });

  it('Rekor v2: a log key not yet valid at the timestamp is TLOG_INVALID', () => {
    expect(failure(() => verify(v2, rootWithWindow('rekor-v2', t + SECOND, undefined))).code).toBe('TLOG_INVALID');
  });

  it('Rekor v2: both bounds are inclusive, and a missing end is open', () => {
    expect(verify(v2, rootWithWindow('rekor-v2', t, t)).logEntries.map((e) => e.log)).toEqual([s.rekorV2.baseUrl]);
    expect(verify(v2, rootWithWindow('rekor-v2', t - SECOND, t + SECOND)).logEntries).toHaveLength(1);
    expect(verify(v2, rootWithWindow('rekor-v2', t, undefined)).logEntries).toHaveLength(1);
    // One millisecond outside either bound fails: the comparison is not rounded to seconds.
    expect(failure(() => verify(v2, rootWithWindow('rekor-v2', t + 1, undefined))).code).toBe('TLOG_INVALID');
    expect(failure(() => verify(v2, rootWithWindow('rekor-v2', t - 3600 * SECOND, t - 1))).code).toBe('TLOG_INVALID');
  });

  it('Rekor v1 without its SET (checkpoint only) is held to the same rule; with its SET, integratedTime decides', () => {
    const v1 = sign('rekor-v1');
    const tv1 = tsaTime(v1);
    const retired = rootWithWindow('rekor-v1', tv1 - 3600 * SECOND, tv1 - SECOND);
    const proofOnly = structuredClone(v1);
    delete (proofOnly.verificationMaterial.tlogEntries[0] as { inclusionPromise?: unknown }).inclusionPromise;
    expect(verify(proofOnly).logEntries).toHaveLength(1);
    expect(failure(() => verify(proofOnly, retired)).code).toBe('TLOG_INVALID');
    // Control: with the SET the window is checked at integratedTime (here equal to the TSA time) upstream.
    expect(failure(() => verify(v1, retired)).code).not.toBe('no error');
    expect(verify(proofOnly, rootWithWindow('rekor-v1', tv1, tv1)).logEntries).toHaveLength(1);
  });

  it('every verified timestamp must fall inside the window, not just one', () => {
    const later = t + 60 * SECOND;
    const two = structuredClone(v2);
    const sig = fromB64(two.dsseEnvelope!.signatures[0]!.sig);
    two.verificationMaterial.timestampVerificationData!.rfc3161Timestamps.push({ signedTimestamp: b64(s.tsa.timestamp(sig, new Date(later))) });
    // Control: both timestamps verify and are reported.
    expect(verify(two).timestamps.filter((x) => x.source === 'tsa').map((x) => x.time).sort()).toEqual([t, later]);
    expect(verify(two, rootWithWindow('rekor-v2', t, later)).logEntries).toHaveLength(1);
    expect(failure(() => verify(two, rootWithWindow('rekor-v2', t, later - SECOND))).code).toBe('TLOG_INVALID');
    expect(failure(() => verify(two, rootWithWindow('rekor-v2', t + SECOND, later))).code).toBe('TLOG_INVALID');
  });

  it('no verified timestamp: a checkpoint-only entry is TLOG_INVALID', () => {
    // sigstore-js already refuses a lone checkpoint entry without a timestamp; the binding must too on its own.
    const bundle = bundleFromJSON(v2);
    const trusted = parseTrustedRoot(root);
    const tlogs = toTrustMaterial(trusted).tlogs;
    expect(authenticatedLogs(bundle, trusted, tlogs, [new Date(t)]).map((l) => l.baseUrl)).toEqual([s.rekorV2.baseUrl]);
    let caught: unknown;
    try {
      authenticatedLogs(bundle, trusted, tlogs, []);
    } catch (e) {
      caught = e;
    }
    expect(isModelSealError(caught) && caught.code).toBe('TLOG_INVALID');
    expect(failure(() => verify(sign('rekor-v2', 'none'))).code).not.toBe('no error');
  });
});
