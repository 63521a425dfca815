/**
 * One line per log entry: "in the log, consistent with the log as of TIME", or why that was not
 * shown. Only the worker decides (background/log-witness.ts); this renders its answer.
 */
import type { LogConsistency, LogUncheckedReason } from '../shared/messages.js';
import { IdentityText } from './IdentityText.js';
import { formatTime } from './format.js';
import { t } from './i18n.js';

/** Red: the log itself contradicts what was seen. Amber-muted: not checked, for a reason. */
const LOUD = new Set(['equivocation', 'inconsistent']);
/** Message keys per reason (`_locales` names allow no hyphen). */
const REASON_KEY: Record<LogUncheckedReason, string> = {
  off: 'log_unchecked_off',
  network: 'log_unchecked_network',
  invalid: 'log_unchecked_invalid',
  inconsistent: 'log_unchecked_inconsistent',
  equivocation: 'log_unchecked_equivocation',
  'no-checkpoint': 'log_unchecked_noCheckpoint',
  'other-shard': 'log_unchecked_otherShard',
};

function hostOf(log: string): string {
  try {
    return new URL(log).hostname || log;
  } catch {
    return log;
  }
}

export function LogConsistencyLine({ entry }: { entry: LogConsistency }) {
  if (entry.state === 'consistent') {
    return (
      <p class="ms-small ms-ok" data-log-consistency="consistent" title={t('log_consistentTitle', String(entry.treeSize), String(entry.logTreeSize))}>
        {t('log_consistent', formatTime(entry.asOf))} <span class="ms-muted">(<IdentityText value={hostOf(entry.log)} maxChars={60} />)</span>
      </p>
    );
  }
  const loud = LOUD.has(entry.reason);
  return (
    <p class={loud ? 'ms-small ms-error' : 'ms-small ms-muted'} role={loud ? 'alert' : undefined} data-log-consistency="unchecked" data-log-reason={entry.reason} title={entry.message?.slice(0, 300)}>
      {t(REASON_KEY[entry.reason] ?? 'log_unchecked_invalid')} <span class="ms-muted">(<IdentityText value={hostOf(entry.log)} maxChars={60} />)</span>
    </p>
  );
}

export function LogConsistencyList({ entries }: { entries: LogConsistency[] }) {
  if (entries.length === 0) return null;
  return (
    <div class="ms-log-consistency">
      {entries.slice(0, 8).map((e, i) => (
        <LogConsistencyLine key={i} entry={e} />
      ))}
    </div>
  );
}
