/**
 * The popup's log line, rendered with the real locale file: consistent only for a consistent answer;
 * every reason worded (never a raw key); the contradictions (inconsistent, equivocation) red and
 * announced; a hostile log name stays text.
 */
import { describe, expect, it } from 'vitest';
import { LogConsistencyList } from '../../../extension/ui/LogConsistencyView.js';
import type { LogConsistency, LogUncheckedReason } from '../../../extension/shared/messages.js';
import { html, text } from './render.js';

const LOG = 'https://rekor.sigstore.dev';
const REASONS: LogUncheckedReason[] = ['off', 'network', 'invalid', 'inconsistent', 'equivocation', 'no-checkpoint', 'other-shard'];

describe('LogConsistencyList', () => {
  it('says "consistent as of" with the fetch time only for a consistent answer', () => {
    const entries: LogConsistency[] = [{ state: 'consistent', log: LOG, origin: 'rekor.sigstore.dev - 1', treeSize: 10, logTreeSize: 20, asOf: Date.UTC(2026, 10, 29, 14, 20) }];
    const markup = html(LogConsistencyList, { entries });
    expect(text(markup)).toBe('In the log, consistent with the log as of 2026-11-29 14:20 UTC ( rekor.sigstore.dev )');
    expect(markup).toContain('data-log-consistency="consistent"');
  });

  it('words every reason, never as consistent; contradictions are red alerts', () => {
    for (const reason of REASONS) {
      const markup = html(LogConsistencyList, { entries: [{ state: 'unchecked', log: LOG, reason }] });
      const out = text(markup);
      expect(out, reason).not.toMatch(/log_unchecked|consistent with the log/);
      expect(out, reason).toContain('rekor.sigstore.dev');
      const loud = reason === 'inconsistent' || reason === 'equivocation';
      expect(markup.includes('role="alert"'), reason).toBe(loud);
      expect(markup.includes('ms-error'), reason).toBe(loud);
    }
    expect(new Set(REASONS.map((reason) => text(html(LogConsistencyList, { entries: [{ state: 'unchecked', log: LOG, reason }] })))).size).toBe(REASONS.length);
  });

  it('a log name that is not a URL is shown as text, hidden characters made visible', () => {
    const out = text(html(LogConsistencyList, { entries: [{ state: 'unchecked', log: 'evil\u202Egol', reason: 'invalid' }] }));
    expect(out).toContain('⟦U+202E⟧');
    expect(html(LogConsistencyList, { entries: [] })).toBe('');
  });
});
