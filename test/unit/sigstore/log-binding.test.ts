/**
 * A log entry's `logId` is not covered by anything in Rekor v2 (and sigstore-js picks the checkpoint key
 * by the signed note's key hint among all trusted logs), so a bundle could name another trusted log and
 * still verify. The core must bind the named log to the key that verified the entry's SET/checkpoint,
 * and report that log. Real factory bundles, real crypto.
 */
import { describe, expect, it } from 'vitest';
import { verifySigstoreBundle } from '../../../extension/core/sigstore/index.js';
import { isModelSealError } from '../../../extension/core/errors.js';
import { b64, createTestSigstore, utf8, type BundleJson } from '../../factory/index.js';

const ID = 'binding@example.com';
const ISSUER = 'https://issuer.example';
const s = createTestSigstore({ seed: 'log-binding' });
const root = s.trustedRoot();
const payload = utf8(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'm', digest: { sha256: '00'.repeat(32) } }] }));

const logIdOf = (baseUrl: string): string => {
  const t = (root.tlogs as Array<{ baseUrl: string; logId: { keyId: string } }>).find((l) => l.baseUrl === baseUrl);
  if (!t) throw new Error(`no ${baseUrl} in the trusted root`);
  return t.logId.keyId;
};
const V1 = s.rekorV1.baseUrl;
const V2 = s.rekorV2.baseUrl;

const sign = (log: 'rekor-v1' | 'rekor-v2') =>
  s.signDsse({ payloadType: 'application/vnd.in-toto+json', payload, identity: ID, issuer: ISSUER, log, timestamp: 'tsa' }).bundle;

function withEntry(bundle: BundleJson, edit: (e: BundleJson['verificationMaterial']['tlogEntries'][number]) => void): BundleJson {
  const copy = structuredClone(bundle);
  const entry = copy.verificationMaterial.tlogEntries[0];
  if (!entry) throw new Error('no log entry');
  edit(entry);
  return copy;
}

const verify = (bundle: unknown, trustedRoot: unknown = root) => verifySigstoreBundle(bundle, { policy: { identity: ID, issuer: ISSUER }, trustedRoot });

function failure(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (e) {
    return isModelSealError(e) ? { code: e.code, message: e.message } : { code: `not a ModelSealError: ${String(e)}`, message: '' };
  }
  return { code: 'no error', message: '' };
}

describe('the log named by an entry is the log that signed it', () => {
  it('controls: Rekor v1 and v2 bundles verify and name their own log', () => {
    expect(verify(sign('rekor-v1')).logEntries.map((e) => e.log)).toEqual([V1]);
    expect(verify(sign('rekor-v2')).logEntries.map((e) => e.log)).toEqual([V2]);
  });

  it('Rekor v2 entry relabelled with the Rekor v1 log id is TLOG_INVALID', () => {
    const forged = withEntry(sign('rekor-v2'), (e) => (e.logId.keyId = logIdOf(V1)));
    const f = failure(() => verify(forged));
    expect(f.code).toBe('TLOG_INVALID');
    // sigstore-js 4.1 binds the checkpoint to the named log id too and rejects this before our check.
    expect(f.message).toMatch(/checkpoint/);
  });

  it('Rekor v1 entry relabelled with the Rekor v2 log id is TLOG_INVALID', () => {
    const forged = withEntry(sign('rekor-v1'), (e) => (e.logId.keyId = logIdOf(V2)));
    expect(failure(() => verify(forged)).code).toBe('TLOG_INVALID');
  });

  it('Rekor v1 entry without its SET (checkpoint only): verifies as signed, relabelled is TLOG_INVALID', () => {
    const proofOnly = withEntry(sign('rekor-v1'), (e) => delete e.inclusionPromise);
    expect(verify(proofOnly).logEntries.map((e) => e.log)).toEqual([V1]);
    const forged = withEntry(proofOnly, (e) => (e.logId.keyId = logIdOf(V2)));
    const f = failure(() => verify(forged));
    expect(f.code).toBe('TLOG_INVALID');
    expect(f.message).toMatch(/checkpoint/);
  });

  it('a checkpoint also carrying a bogus line with the named log\'s key hint does not help', () => {
    const forged = withEntry(sign('rekor-v2'), (e) => {
      e.logId.keyId = logIdOf(V1);
      const hint = Buffer.from(logIdOf(V1), 'base64').subarray(0, 4);
      e.inclusionProof.checkpoint.envelope += `\u2014 rekor.sigstore.test ${b64(Buffer.concat([hint, Buffer.alloc(64, 7)]))}\n`;
    });
    expect(failure(() => verify(forged)).code).toBe('TLOG_INVALID');
  });

  it('a log known by its checkpoint key id (logId differs) is matched and reported by that id', () => {
    const tlogs = root.tlogs as Array<Record<string, unknown>>;
    const v2 = { ...structuredClone(tlogs[1]!), logId: { keyId: b64(new Uint8Array(32).fill(9)) }, checkpointKeyId: { keyId: logIdOf(V2) } };
    const byCheckpointId = { ...root, tlogs: [tlogs[0], v2] };
    expect(verify(sign('rekor-v2'), byCheckpointId).logEntries.map((e) => e.log)).toEqual([V2]);
    const forged = withEntry(sign('rekor-v1'), (e) => {
      delete e.inclusionPromise;
      e.logId.keyId = logIdOf(V2);
    });
    expect(failure(() => verify(forged, byCheckpointId)).code).toBe('TLOG_INVALID');
  });

  it('a root holding the same key under two URLs reports the one the entry names', () => {
    // Same key and log id, so the crypto cannot tell them apart; the first match by id is reported.
    const tlogs = root.tlogs as Array<Record<string, unknown>>;
    const alias = { ...structuredClone(tlogs[1]!), baseUrl: 'https://mirror.rekor.sigstore.test' };
    const twoNames = { ...root, tlogs: [tlogs[0], alias, tlogs[1]] };
    expect(verify(sign('rekor-v2'), twoNames).logEntries.map((e) => e.log)).toEqual(['https://mirror.rekor.sigstore.test']);
  });
});
