// The agreed-sources row and the popup's lock panel, rendered with the real locale file.
import { describe, expect, it } from 'vitest';
import { AgreedSources } from '../../../extension/ui/AgreedSources.js';
import { VerdictView } from '../../../extension/ui/VerdictView.js';
import { LockPanel } from '../../../popup/LockPanel.js';
import type { AgreedEntry, Verdict } from '../../../extension/core/verdict.js';
import { LOCK, NOOP_ACTIONS, VERDICTS } from './fixtures.js';
import { html, text } from './render.js';

const ALL: AgreedEntry[] = [
  { source: 'signature' },
  { source: 'transparency-log' },
  { source: 'hub-digests', files: 12 },
  { source: 'bytes-hashed', files: 1 },
  { source: 'lock' },
  { source: 'pin' },
  { source: 'policy' },
];

describe('agreed sources row', () => {
  it('names each source that agreed, in one row, with file counts in the right plural', () => {
    const out = html(AgreedSources, { agreed: ALL });
    expect(text(out)).toBe('Agreed: signature · transparency log · hub’s digests (12 files) · hashed here (1 file) · your lock · your pin · your policy');
    expect(out).toContain('data-agreed="signature transparency-log hub-digests bytes-hashed lock pin policy"');
  });

  it('shows nothing when nothing agreed, and leaves out sources it does not know or counts that are not counts', () => {
    expect(html(AgreedSources, { agreed: undefined })).toBe('');
    expect(html(AgreedSources, { agreed: [] })).toBe('');
    const odd = [{ source: '<b>x</b>' }, { source: 'hub-digests', files: -1 }, { source: 'signature' }] as unknown as AgreedEntry[];
    expect(text(html(AgreedSources, { agreed: odd }))).toBe('Agreed: signature');
  });

  it('is part of the verdict view', () => {
    const v: Verdict = { ...VERDICTS.verified, agreed: [{ source: 'signature' }, { source: 'lock' }] };
    expect(text(html(VerdictView, { verdict: v }))).toContain('Agreed: signature · your lock');
  });

  it('a lock-mismatch verdict names the locked commit', () => {
    const words = text(html(VerdictView, { verdict: VERDICTS['lock-mismatch'] }));
    expect(words).toContain('Differs from your lock');
    expect(words).toContain(`Your lock is commit ${LOCK.commit.slice(0, 12)}`);
  });
});

describe('lock panel', () => {
  it('offers "Lock this version" on a verified revision without a lock', () => {
    const out = html(LockPanel, { lock: null, verdict: VERDICTS.verified, actions: NOOP_ACTIONS });
    expect(text(out)).toContain('Not locked.');
    expect(out).toContain('data-action="lock"');
    expect(text(out)).toContain('Lock this version');
    expect(out).not.toContain('data-action="export-lock"');
  });

  it('offers nothing to lock on a revision that is not verified', () => {
    for (const state of ['files-changed', 'identity-changed', 'unpinned-revision', 'partly-signed', 'unverifiable'] as const) {
      expect(html(LockPanel, { lock: null, verdict: VERDICTS[state], actions: NOOP_ACTIONS }), state).not.toContain('data-action="lock"');
    }
  });

  it('with a lock: names its commit, export and remove; "lock this version instead" only where the content differs', () => {
    const locked = html(LockPanel, { lock: LOCK, verdict: VERDICTS.verified, actions: NOOP_ACTIONS });
    expect(text(locked)).toContain(`Locked to commit ${LOCK.commit.slice(0, 12)}`);
    expect(text(locked)).toContain('5 files');
    expect(locked).toContain('data-action="export-lock"');
    expect(locked).toContain('data-action="remove-lock"');
    expect(locked).not.toContain('data-action="lock"');
    const differs = html(LockPanel, { lock: LOCK, verdict: VERDICTS['lock-mismatch'], actions: NOOP_ACTIONS });
    expect(text(differs)).toContain('Lock this version instead');
  });
});
