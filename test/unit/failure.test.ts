import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ModelSealError, isCouldNotVerify } from '../../extension/core/errors.js';
import { failureFromError, signatureFailureOutcome, unverifiableForError, verdictForError } from '../../extension/core/failure.js';

describe('the one failure mapping', () => {
  it('makes one plain line of the message, hidden characters shown, and carries named details as params', () => {
    const e = new ModelSealError('WORK_BUDGET_EXCEEDED', 'budget\n\tused  up\u202e', { limit: '128 MiB', other: 'x' });
    const f = failureFromError(e);
    expect(f.code).toBe('WORK_BUDGET_EXCEEDED');
    expect(f.reason).not.toMatch(/[\n\t\u202e]/);
    expect(f.reason.startsWith('budget used up')).toBe(true);
    expect(f.params).toEqual({ limit: '128 MiB' });
    expect(failureFromError(new TypeError('boom'))).toEqual({ code: 'INTERNAL_ERROR', reason: 'boom' });
  });

  it('never maps an error to green; before a signature is judged it is amber', () => {
    for (const code of ERROR_CODES) {
      const e = new ModelSealError(code, 'x');
      expect(verdictForError(e, { checkedAt: 1 }).state).toBe(isCouldNotVerify(code) ? 'unverifiable' : 'invalid-signature');
      expect(unverifiableForError(e, { checkedAt: 1 })).toEqual({ checkedAt: 1, state: 'unverifiable', failure: { code, reason: 'x' } });
      const out = signatureFailureOutcome(e, ['model.sig']);
      expect(out.status).toBe(isCouldNotVerify(code) ? 'unverifiable' : 'invalid-signature');
    }
  });

  it('marks a signature that cannot be checked here, but not an environment failure', () => {
    expect(signatureFailureOutcome(new ModelSealError('VERIFICATION_MATERIAL_UNSUPPORTED', 'x'), ['model.sig'])).toMatchObject({ status: 'unverifiable', signatureUncheckable: true });
    expect(signatureFailureOutcome(new ModelSealError('NETWORK_ERROR', 'x'), ['model.sig'])).not.toHaveProperty('signatureUncheckable');
  });
});
