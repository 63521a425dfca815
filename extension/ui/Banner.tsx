/** The in-page one-line banner (36 px): icon, state name, signer or reason, pointer to the popup. */
import type { Verdict } from '../core/verdict.js';
import { FailureText } from './FailureText.js';
import { Icon } from './Icon.js';
import { IdentityText, isSuspicious } from './IdentityText.js';
import { failureLine, failureOf } from './StateHeader.js';
import { signerLine } from './SignerView.js';
import { t } from './i18n.js';
import { styleOf } from '../shared/state-style.js';

export function bannerDetail(v: Verdict): string | undefined {
  if (v.state === 'identity-changed') return signerLine(v.signature.signer);
  const line = failureLine(v);
  if (line) return line;
  if ('signature' in v && v.signature) return signerLine(v.signature.signer);
  return undefined;
}

/** The parts a revision's signatures cover, for one line: `original/`, `fp16/, q4/`, `q4/model.gguf`. */
export function coverageLine(signatures: Verdict['signatures']): string | undefined {
  if (!signatures || signatures.length === 0) return undefined;
  const parts = signatures.map((s) => (s.coverage.kind === 'folder' ? `${s.coverage.folder}/` : s.coverage.kind === 'file' ? s.coverage.file : '/'));
  const shown = [...new Set(parts)];
  return shown.length > 3 ? `${shown.slice(0, 3).join(', ')}, +${shown.length - 3}` : shown.join(', ');
}

export function Banner({ verdict, progress }: { verdict: Verdict; progress?: string | undefined }) {
  const s = styleOf(verdict.state);
  // A failure is shown as its localized sentence, values isolated; otherwise the signer line.
  const failure = progress === undefined && verdict.state !== 'identity-changed' ? failureOf(verdict) : undefined;
  const detail = progress ?? bannerDetail(verdict);
  const signedParts = progress === undefined && verdict.state === 'partly-signed' ? coverageLine(verdict.signatures) : undefined;
  const prefixKey =
    progress !== undefined
      ? undefined
      : verdict.state === 'identity-changed'
        ? 'banner_nowBy'
        : 'signature' in verdict && verdict.signature && !failureOf(verdict)
          ? 'banner_by'
          : undefined;
  const suspicious = verdict.state !== 'checking' && 'signature' in verdict && verdict.signature
    ? isSuspicious(verdict.signature.signer.identity) || isSuspicious(verdict.signature.signer.issuer)
    : false;
  return (
    <div class="ms-banner" data-tone={s.tone} data-state={verdict.state} role="status" title={t('banner_title')}>
      <Icon name={s.icon} size={16} spin={verdict.state === 'checking'} />
      <strong class="ms-banner-label">{t(s.labelKey)}</strong>
      {failure ? (
        <span class="ms-banner-detail">
          {signedParts && (
            // Partly signed: what is signed comes first, then what is not (the failure sentence).
            <>
              <span class="ms-muted">{t('banner_signedParts')} </span>
              <IdentityText value={signedParts} chips={false} maxChars={60} expandable={false} />
              <span class="ms-muted"> · </span>
            </>
          )}
          <FailureText failure={failure} maxChars={80} />
        </span>
      ) : detail && (
        <span class="ms-banner-detail">
          {prefixKey && <span class="ms-muted">{t(prefixKey)} </span>}
          <IdentityText value={detail} chips={false} maxChars={80} mono={prefixKey !== undefined} expandable={false} />
        </span>
      )}
      {suspicious && <span class="ms-chip">{t('flag_suspicious')}</span>}
      <span class="ms-banner-hint">{t('banner_hint')}</span>
    </div>
  );
}
