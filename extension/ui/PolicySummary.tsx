/** One expected-signer policy in a line or two (scope, then what it expects): hostile text only through IdentityText. */
import type { ExpectedIdentity } from '../core/trust/types.js';
import { IdentityText } from './IdentityText.js';
import { t } from './i18n.js';

export function PolicySummary({ policy, scope = true }: { policy: ExpectedIdentity; scope?: boolean }) {
  return (
    <span class="ms-policy-summary" data-kind={policy.kind}>
      {scope && (
        <>
          <IdentityText value={policy.scope} maxChars={80} />{' '}
        </>
      )}
      {policy.kind === 'sigstore' && (
        <>
          <span class="ms-muted">{policy.glob ? t('policy_identityGlob') : t('signer_identity')} </span>
          <IdentityText value={policy.identity} maxChars={96} /> <span class="ms-muted">{t('signer_issuer')} </span>
          <IdentityText value={policy.issuer} maxChars={96} />
        </>
      )}
      {policy.kind === 'key' && (
        <>
          <span class="ms-muted">{t('signer_key')} </span>
          <IdentityText value={policy.keyFingerprint ?? '?'} maxChars={96} />
        </>
      )}
      {policy.kind === 'certificate' && <span class="ms-muted">{t('policy_caCount', String(policy.caPems.length))}</span>}
    </span>
  );
}
