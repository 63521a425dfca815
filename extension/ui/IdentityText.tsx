/**
 * Renders untrusted text (identities, issuers, repo and file names) as inert text: Preact text nodes
 * only, hidden characters replaced by visible ⟦U+XXXX⟧ stand-ins, `dir="ltr"` + bidi isolation so
 * nothing can reorder what surrounds it, and a warning chip per suspicious property.
 */
import { useState } from 'preact/hooks';
import { analyzeIdentity, MAX_IDENTITY_CHARS } from './identity-seam.js';
import type { IdentityFlag } from './identity-seam.js';
import { t } from './i18n.js';

const FLAG_KEYS: Record<IdentityFlag, string> = {
  bidi: 'flag_bidi',
  invisible: 'flag_invisible',
  control: 'flag_control',
  'mixed-script': 'flag_mixedScript',
  confusable: 'flag_confusable',
  'too-long': 'flag_tooLong',
};

/** Even expanded, a hostile megabyte-long value is cut here (the chip says so). */
const EXPANDED_MAX = 4096;

export interface IdentityTextProps {
  value: string | undefined;
  /** Show the chips (off for compact one-line uses that show a single combined chip). */
  chips?: boolean;
  maxChars?: number;
  /** Monospace (identities, digests, paths) or the body face (reasons that quote hostile text). */
  mono?: boolean;
  class?: string;
}

export function IdentityText({ value, chips = true, maxChars = MAX_IDENTITY_CHARS, mono = true, class: cls }: IdentityTextProps) {
  const [expanded, setExpanded] = useState(false);
  if (typeof value !== 'string' || value === '') return <span class="ms-muted">{t('value_none')}</span>;
  const a = analyzeIdentity(value, expanded ? EXPANDED_MAX : maxChars);
  // Flags always come from the default view so "too long" stays visible after expanding.
  const flags = expanded ? analyzeIdentity(value, maxChars).flags : a.flags;
  const flagged = flags.length > 0;
  return (
    <span class={`ms-ident${flagged ? ' ms-ident-flagged' : ''}${cls ? ' ' + cls : ''}`}>
      <bdi dir="ltr" class={mono ? 'ms-mono' : undefined}>
        {a.segments.map((s, i) =>
          s.kind === 'text' ? (
            s.text
          ) : (
            <span key={i} class="ms-hidden-char" title={t('hidden_char_title')}>
              {s.label}
            </span>
          ),
        )}
        {a.omitted > 0 && <span class="ms-muted">{t('value_more', a.omitted)}</span>}
      </bdi>
      {a.omitted > 0 && !expanded && (
        <button type="button" class="ms-linkish" onClick={() => setExpanded(true)}>
          {t('value_showAll')}
        </button>
      )}
      {chips && flagged && (
        <span class="ms-chips">
          {flags.map((f) => (
            <span key={f} class="ms-chip" data-flag={f} role="note">
              {t(FLAG_KEYS[f])}
            </span>
          ))}
        </span>
      )}
    </span>
  );
}

/** True when the value carries any warning flag (for one combined chip in compact views). */
export function isSuspicious(value: string | undefined): boolean {
  return typeof value === 'string' && analyzeIdentity(value).flags.length > 0;
}
