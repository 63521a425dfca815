/** A listing entry's mark: "Signed" (not checked yet), or the state the user's own check of that commit recorded. */
import type { ListingMark } from '../shared/messages.js';
import { Icon } from './Icon.js';
import { t } from './i18n.js';
import { styleOf } from '../shared/state-style.js';

export function ListingMarkView({ mark }: { mark: ListingMark }) {
  const files = mark.signatureFiles.join(', ');
  if (mark.state) {
    const s = styleOf(mark.state);
    return (
      <span class="ms-state-chip" data-tone={s.tone} data-state={mark.state} data-listing-mark={mark.repo} title={t('listing_checkedTitle', t(s.labelKey))}>
        <Icon name={s.icon} size={12} />
        {t(s.labelKey)}
      </span>
    );
  }
  return (
    <span class="ms-state-chip" data-tone="blue" data-state="signed" data-listing-mark={mark.repo} title={t('listing_signedTitle', files)}>
      <Icon name="shieldCheck" size={12} />
      {t('listing_signed')}
    </span>
  );
}
