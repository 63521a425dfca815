/** The state line every surface starts with: icon, state name, one-line summary, and the reason if any. */
import type { Verdict, VerdictState } from '../core/verdict.js';
import { Icon } from './Icon.js';
import { IdentityText } from './IdentityText.js';
import { t } from './i18n.js';
import { styleOf } from './state-style.js';

export function StateChip({ state }: { state: VerdictState | string }) {
  const s = styleOf(state);
  return (
    <span class="ms-state-chip" data-tone={s.tone} data-state={state}>
      <Icon name={s.icon} size={12} spin={state === 'checking'} />
      {t(s.labelKey)}
    </span>
  );
}

/** The failure reason, when the verdict has one (text only; the code is kept for support). */
export function failureOf(v: Verdict): { code: string; reason: string } | undefined {
  return 'failure' in v && v.failure ? v.failure : undefined;
}

/** States whose reason varies with the code; elsewhere the state name already says what the code says. */
const CODE_LED = new Set<string>(['invalid-signature', 'unverifiable']);

/** The localized meaning of a failure code, or undefined for a code this UI has no wording for. */
export function codeWording(code: string): string | undefined {
  if (!/^[A-Z0-9_]{1,64}$/.test(code)) return undefined;
  const key = `code_${code}`;
  const s = t(key);
  return s && s !== key ? s : undefined;
}

/** One line for people: the code's wording for code-led states, else the verdict's specific reason. */
export function failureLine(v: Verdict): string | undefined {
  const f = failureOf(v);
  if (!f) return undefined;
  return (CODE_LED.has(v.state) ? codeWording(f.code) : undefined) ?? f.reason;
}

export function StateHeader({ verdict, progress }: { verdict: Verdict; progress?: string | undefined }) {
  const s = styleOf(verdict.state);
  const failure = failureOf(verdict);
  const wording = failure && CODE_LED.has(verdict.state) ? codeWording(failure.code) : undefined;
  return (
    <div class="ms-state" data-tone={s.tone} data-state={verdict.state} role="status">
      <span class="ms-state-icon">
        <Icon name={s.icon} size={22} spin={verdict.state === 'checking'} />
      </span>
      <div class="ms-state-text">
        <div class="ms-state-label">{t(s.labelKey)}</div>
        <div class="ms-state-summary">{t(s.summaryKey)}</div>
        {failure && (
          <div class="ms-state-reason">
            {t('reason_prefix')}{' '}
            {wording ? <strong>{wording}</strong> : <IdentityText value={failure.reason} chips={false} mono={false} maxChars={300} />}{' '}
            <code class="ms-code">{failure.code}</code>
            {wording && (
              <div class="ms-muted">
                <IdentityText value={failure.reason} chips={false} mono={false} maxChars={300} />
              </div>
            )}
          </div>
        )}
        {progress && <div class="ms-state-reason">{progress}</div>}
      </div>
    </div>
  );
}
