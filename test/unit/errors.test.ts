import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ModelSealError, asModelSealError, isCouldNotVerify } from '../../extension/core/errors.js';
import { verdictForError } from '../../extension/core/failure.js';
import { STATE_TABLE, VERDICT_STATES } from '../../extension/core/verdict.js';

describe('error codes and state table', () => {
  it('has unique, stable error codes', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    for (const code of ERROR_CODES) expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
  });

  it('keeps our errors and wraps foreign ones with the fallback code', () => {
    const ours = new ModelSealError('SIGNATURE_INVALID', 'bad');
    expect(asModelSealError(ours, 'INTERNAL_ERROR')).toBe(ours);
    const wrapped = asModelSealError(new TypeError('boom'), 'BUNDLE_MALFORMED');
    expect(wrapped.code).toBe('BUNDLE_MALFORMED');
    expect(wrapped.message).toBe('boom');
  });

  it('gives every state exactly one row, and only the two verified states are good', () => {
    expect(Object.keys(STATE_TABLE).sort()).toEqual([...VERDICT_STATES].sort());
    const good = VERDICT_STATES.filter((s) => STATE_TABLE[s].good);
    expect(good.sort()).toEqual(['verified', 'verified-first-use']);
    // Absence of a signature is neutral, not an alert; red states are alerts.
    expect(STATE_TABLE.unsigned.alert).toBe(false);
    for (const s of VERDICT_STATES) expect(STATE_TABLE[s].alert).toBe(STATE_TABLE[s].tone === 'red');
  });

  it('maps every error code to exactly one failure state: amber "could not verify" or red "invalid"', () => {
    // Doubt about the environment or the format is amber; a signature, certificate, log or identity
    // that fails is red. Neither is ever green.
    for (const code of ['NETWORK_ERROR', 'RATE_LIMITED', 'AUTH_REQUIRED', 'BUNDLE_TOO_LARGE', 'TOO_LARGE_TO_HASH', 'VERIFICATION_MATERIAL_UNSUPPORTED'] as const) {
      expect(isCouldNotVerify(code)).toBe(true);
    }
    for (const code of ['SIGNATURE_INVALID', 'CERTIFICATE_CHAIN_INVALID', 'TLOG_INVALID', 'IDENTITY_MISMATCH', 'ROOT_DIGEST_MISMATCH', 'KEY_MISMATCH'] as const) {
      expect(isCouldNotVerify(code)).toBe(false);
    }
    for (const code of ERROR_CODES) {
      const v = verdictForError(new ModelSealError(code, 'x'), { checkedAt: 0 });
      expect(v.state).toBe(isCouldNotVerify(code) ? 'unverifiable' : 'invalid-signature');
    }
  });
});
