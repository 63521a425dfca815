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
/** Each reason's wording (literal keys, so the locale check sees every one). */
function reasonText(reason: LogUncheckedReason): string {
  switch (reason) {
    case 'off':
      return t('log_unchecked_off');
    case 'network':
      return t('log_unchecked_network');
    case 'inconsistent':
      return t('log_unchecked_inconsistent');
    case 'equivocation':
      return t('log_unchecked_equivocation');
    case 'no-checkpoint':
      return t('log_unchecked_noCheckpoint');
    case 'other-shard':
      return t('log_unchecked_otherShard');
    default:
      return t('log_unchecked_invalid');
  }
}

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
      {reasonText(entry.reason)} <span class="ms-muted">(<IdentityText value={hostOf(entry.log)} maxChars={60} />)</span>
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
