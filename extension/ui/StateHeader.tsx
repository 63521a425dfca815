/** The state line every surface starts with: icon, state name, one-line summary, and the reason if any. */
import type { FailureInfo, Verdict, VerdictState } from '../core/verdict.js';
import { FailureText } from './FailureText.js';
import { failureText, plainTitle } from './failure-text.js';
import { Icon } from './Icon.js';
import { t } from './i18n.js';
import { styleOf } from '../shared/state-style.js';

export function StateChip({ state }: { state: VerdictState | string }) {
  const s = styleOf(state);
  return (
    <span class="ms-state-chip" data-tone={s.tone} data-state={state}>
      <Icon name={s.icon} size={12} spin={state === 'checking'} />
      {t(s.labelKey)}
    </span>
  );
}

/** The failure, when the verdict has one (the code is kept for support). */
export function failureOf(v: Verdict): FailureInfo | undefined {
  return 'failure' in v && v.failure ? v.failure : undefined;
}

export { codeWording } from './failure-text.js';

/** One line for people, in the UI's language (see failureText). */
export function failureLine(v: Verdict): string | undefined {
  const f = failureOf(v);
  return f ? failureText(f) : undefined;
}

/** `label`, `summary`: a surface's own name and one-line explanation of the state (the disk check's differ from the hub's). */
export function StateHeader({ verdict, progress, label, summary: ownSummary }: { verdict: Verdict; progress?: string | undefined; label?: string | undefined; summary?: string | undefined }) {
  const s = styleOf(verdict.state);
  const failure = failureOf(verdict);
  const summary = ownSummary ?? t(s.summaryKey);
  const line = failure ? failureText(failure) : undefined;
  return (
    <div class="ms-state" data-tone={s.tone} data-state={verdict.state} role="status">
      <span class="ms-state-icon">
        <Icon name={s.icon} size={22} spin={verdict.state === 'checking'} />
      </span>
      <div class="ms-state-text">
        <div class="ms-state-label">{label ?? t(s.labelKey)}</div>
        <div class="ms-state-summary">{summary}</div>
        {failure && (
          <div class="ms-state-reason">
            {/* A line that only repeats the summary (a code's fixed sentence) is left out; the code stays. */}
            {line !== summary && (
              <>
                {t('reason_prefix')} <FailureText failure={failure} />{' '}
              </>
            )}
            {/* The core's English wording, for support, only as a tooltip: the visible line is localized. */}
            <code class="ms-code" title={plainTitle(failure.reason)}>
              {failure.code}
            </code>
          </div>
        )}
        {progress && <div class="ms-state-reason">{progress}</div>}
      </div>
    </div>
  );
}
