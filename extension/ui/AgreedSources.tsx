/**
 * "Which independent sources agreed" as one compact row: the verdict's `agreed` list, worded from
 * `_locales`. Only what the core says held is shown; an absent source is simply not named.
 */
import type { AgreedEntry } from '../core/verdict.js';
import { t, tp } from './i18n.js';

/** One source's words; unknown sources (a newer worker) are left out rather than guessed. */
function word(a: AgreedEntry): string | undefined {
  const n = typeof a.files === 'number' && Number.isSafeInteger(a.files) && a.files >= 0 ? a.files : undefined;
  switch (a.source) {
    case 'signature':
      return t('agreed_signature');
    case 'transparency-log':
      return t('agreed_transparencyLog');
    case 'hub-digests':
      return n === undefined ? undefined : tp('agreed_hubDigests', n);
    case 'bytes-hashed':
      return n === undefined ? undefined : tp('agreed_bytesHashed', n);
    case 'lock':
      return t('agreed_lock');
    case 'pin':
      return t('agreed_pin');
    case 'policy':
      return t('agreed_policy');
    default:
      return undefined;
  }
}

export function AgreedSources({ agreed }: { agreed: readonly AgreedEntry[] | undefined }) {
  const shown = (agreed ?? []).slice(0, 16).flatMap((a) => {
    const w = word(a);
    return w ? [{ source: a.source, w }] : [];
  });
  if (shown.length === 0) return null;
  return (
    <p class="ms-small ms-agreed" title={t('agreed_title')} data-agreed={shown.map((s) => s.source).join(' ')}>
      <span class="ms-muted">{t('agreed_label')} </span>
      {shown.map((s, i) => (
        <span key={s.source} class="ms-agreed-source" data-source={s.source}>
          {i > 0 ? ' · ' : ''}
          {s.w}
        </span>
      ))}
    </p>
  );
}
