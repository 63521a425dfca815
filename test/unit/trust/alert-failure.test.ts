/** Alerts keep the failure's code and parameters (additive, optional) so the popup can word them in its language. */
import { describe, expect, it } from 'vitest';
import { parseAlert } from '../../../extension/core/trust/schema.js';
import { TrustStore } from '../../../extension/core/trust/store.js';
import type { KeyValueStorage } from '../../../extension/core/env.js';
import type { Signer } from '../../../extension/core/verdict.js';

const HUB = 'https://huggingface.co';
const base = { id: 1, hub: HUB, kind: 'model', repo: 'acme/m', state: 'files-changed', at: 1, read: false, reason: '1 file differs' };

class MemoryStorage implements KeyValueStorage {
  readonly data = new Map<string, unknown>();
  async get(key: string): Promise<unknown> {
    const v = this.data.get(key);
    return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
  }
  async set(key: string, value: unknown): Promise<void> {
    this.data.set(key, JSON.parse(JSON.stringify(value)));
  }
}

describe('alert code and parameters', () => {
  it('are read back when valid; an alert without them (older store) still parses', () => {
    expect(parseAlert(base, 'a')).not.toHaveProperty('code');
    const a = parseAlert({ ...base, code: 'FILES_MISMATCH', params: { count: 1, files: 'model.bin' } }, 'a');
    expect(a).toMatchObject({ code: 'FILES_MISMATCH', params: { count: 1, files: 'model.bin' } });
  });

  it('drop an unknown code and unknown parameter names, reject values of the wrong kind', () => {
    const a = parseAlert({ ...base, code: 'FROM_A_NEWER_VERSION', params: { count: 2, sneaky: { x: 1 } } }, 'a');
    expect(a).not.toHaveProperty('code');
    expect(a.params).toEqual({ count: 2 });
    expect(() => parseAlert({ ...base, params: { files: ['a'] } }, 'a')).toThrow(/params\.files/);
    expect(() => parseAlert({ ...base, params: { count: Infinity } }, 'a')).toThrow(/params\.count/);
    expect(() => parseAlert({ ...base, params: 'count=1' }, 'a')).toThrow(/params/);
    expect(() => parseAlert({ ...base, code: 7 }, 'a')).toThrow(/code/);
  });

  it('are written by the store from the verdict', async () => {
    const ALICE: Signer = { kind: 'sigstore', identity: 'alice@example.com', issuer: 'https://accounts.example.com' };
    const MALLORY: Signer = { ...ALICE, identity: 'mallory@example.com' };
    let t = 1000;
    const store = new TrustStore(new MemoryStorage(), { clock: { now: () => ++t } });
    const signed = (commit: string, signer: Signer) => ({
      hub: HUB,
      kind: 'model' as const,
      repo: 'acme/m',
      revision: 'main',
      commit,
      checkedAt: ++t,
      requests: 3,
      atDefaultHead: true,
      outcome: {
        status: 'signed' as const,
        signatureFiles: ['model.sig'],
        evidence: { signer, logEntries: [], timestamps: [], rootDigest: '0'.repeat(64), predicateType: 'p' },
        files: [{ path: 'w.bin', status: 'verified' as const }],
        ignoreUnsignedFiles: false,
      },
    });
    await store.record(signed('1'.repeat(40), ALICE));
    const v = await store.record(signed('2'.repeat(40), MALLORY));
    expect(v.state).toBe('identity-changed');
    const { alerts } = await store.alerts();
    expect(alerts[0]!.code).toBe('IDENTITY_MISMATCH');
    // Parameters are copied only when the verdict has them (the trust module fills them).
    expect(alerts[0]!.params).toEqual('failure' in v ? v.failure.params : undefined);
  });
});
