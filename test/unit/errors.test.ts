import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ModelSealError, asModelSealError } from '../../extension/core/errors.js';
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
});
