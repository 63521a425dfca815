/**
 * Renders untrusted text (identities, issuers, repo and file names) as inert text: Preact text nodes
 * only, hidden characters replaced by visible ⟦U+XXXX⟧ stand-ins, look-alike letters underlined,
 * `dir="ltr"` + bidi isolation so nothing can reorder what surrounds it, and a warning chip per
 * suspicious property. The analysis itself is the core's (`identity-analysis.ts`).
 */
import { useState } from 'preact/hooks';
import { analyzeIdentity, MAX_IDENTITY_CHARS, warningFlags } from './identity-analysis.js';
import type { IdentityFlag } from './identity-analysis.js';
import { t, tp } from './i18n.js';

const FLAG_KEYS: Record<IdentityFlag, string | undefined> = {
  'bidi-control': 'flag_bidi',
  invisible: 'flag_invisible',
  control: 'flag_control',
  'combining-mark': 'flag_combining',
  'mixed-script': 'flag_mixedScript',
  confusable: 'flag_confusable',
  truncated: 'flag_tooLong',
  empty: undefined,
};

/** Even expanded, a hostile megabyte-long value is cut here (the chip still says "very long"). */
const EXPANDED_MAX = 4096;

export interface IdentityTextProps {
  value: string | undefined;
  /** Show the chips (off for compact one-line uses that show a single combined chip). */
  chips?: boolean;
  maxChars?: number;
  /** Monospace (identities, digests, paths) or the body face (reasons that quote hostile text). */
  mono?: boolean;
  /** Offer "show all" on a cut value (off in the one-line banner). */
  expandable?: boolean;
  class?: string;
}

export function IdentityText({ value, chips = true, maxChars = MAX_IDENTITY_CHARS, mono = true, expandable = true, class: cls }: IdentityTextProps) {
  const [expanded, setExpanded] = useState(false);
  if (typeof value !== 'string' || value === '') return <span class="ms-muted">{t('value_none')}</span>;
  const a = analyzeIdentity(value, expanded ? EXPANDED_MAX : maxChars);
  // Flags always come from the default view so "very long" stays visible after expanding.
  const flags = warningFlags(expanded ? analyzeIdentity(value, maxChars) : a);
  return (
    <span class={`ms-ident${flags.length ? ' ms-ident-flagged' : ''}${cls ? ' ' + cls : ''}`}>
      <bdi dir="ltr" class={mono ? 'ms-mono' : undefined}>
        {a.segments.map((s, i) => {
          switch (s.kind) {
            case 'text':
              return s.text;
            case 'hidden':
              return (
                <span key={i} class="ms-hidden-char" data-why={s.why} title={t('hidden_char_title')}>
                  {s.label}
                </span>
              );
            case 'confusable':
              return (
                <span key={i} class="ms-confusable" title={t('confusable_title', s.script, s.looksLike)}>
                  {s.text}
                </span>
              );
            case 'truncated':
              return (
                <span key={i} class="ms-muted">
                  {tp('value_more', s.omitted)}
                </span>
              );
          }
        })}
      </bdi>
      {expandable && !expanded && a.segments.some((s) => s.kind === 'truncated') && (
        <button type="button" class="ms-linkish" onClick={() => setExpanded(true)}>
          {t('value_showAll')}
        </button>
      )}
      {chips && flags.length > 0 && (
        <span class="ms-chips">
          {flags.map((f) =>
            FLAG_KEYS[f] ? (
              <span key={f} class="ms-chip" data-flag={f} role="note">
                {t(FLAG_KEYS[f])}
              </span>
            ) : null,
          )}
        </span>
      )}
    </span>
  );
}

/** True when the value carries any warning flag (for one combined chip in compact views). */
export function isSuspicious(value: string | undefined): boolean {
  return typeof value === 'string' && value !== '' && warningFlags(analyzeIdentity(value)).length > 0;
}
