/** Who signed: identity and issuer (GitHub Actions identities split into repo, workflow, ref), or key/CA. */
import type { ComponentChildren } from 'preact';
import type { Signer } from '../core/verdict.js';
import { IdentityText } from './IdentityText.js';
import { parseGithubActionsIdentity } from './identity-analysis.js';
import { t } from './i18n.js';

function Row({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

export function SignerView({ signer, compact = false }: { signer: Signer | undefined; compact?: boolean }) {
  if (!signer) return <p class="ms-muted">{t('signer_unknown')}</p>;
  const gha = signer.identity ? parseGithubActionsIdentity(signer.identity) : undefined;
  return (
    <dl class={compact ? 'ms-kv ms-kv-compact' : 'ms-kv'} data-signer-kind={signer.kind}>
      {signer.kind === 'sigstore' && (
        <>
          {gha ? (
            <>
              <Row label={t('signer_ghaRepo')}>
                <IdentityText value={gha.repo} />
              </Row>
              <Row label={t('signer_ghaWorkflow')}>
                <IdentityText value={gha.workflow} />
              </Row>
              <Row label={t('signer_ghaRef')}>
                <IdentityText value={gha.ref} />
              </Row>
              {!compact && (
                <Row label={t('signer_identity')}>
                  <IdentityText value={signer.identity} chips={false} />
                </Row>
              )}
            </>
          ) : (
            <Row label={t('signer_identity')}>
              <IdentityText value={signer.identity} />
            </Row>
          )}
          <Row label={t('signer_issuer')}>
            <IdentityText value={signer.issuer} />
          </Row>
          {signer.sourceRepository !== undefined && (
            // The repo the CI run was for, from the certificate: with a shared workflow this, not
            // the workflow's repo above, says whose build it was.
            <Row label={t('signer_sourceRepo')}>
              <IdentityText value={signer.sourceRepository} />
            </Row>
          )}
        </>
      )}
      {signer.kind === 'key' && (
        <Row label={t('signer_key')}>
          <IdentityText value={signer.keyFingerprint} />
        </Row>
      )}
      {signer.kind === 'certificate' && (
        <>
          <Row label={t('signer_certSubject')}>
            <IdentityText value={signer.identity} />
          </Row>
          <Row label={t('signer_ca')}>
            <IdentityText value={signer.caSubject} />
          </Row>
        </>
      )}
    </dl>
  );
}

/** One-line signer label for banners, history rows and alerts. */
export function signerLine(signer: Signer | undefined): string {
  if (!signer) return '';
  if (signer.kind === 'key') return t('signer_keyShort', (signer.keyFingerprint ?? '').slice(0, 16));
  if (signer.kind === 'certificate') return signer.identity ?? signer.caSubject ?? '';
  const gha = signer.identity ? parseGithubActionsIdentity(signer.identity) : undefined;
  const line = gha ? `${gha.repo} · ${gha.workflow.replace(/^\.github\/workflows\//, '')} · ${gha.ref}` : (signer.identity ?? '');
  // Two callers of one shared workflow differ only here, so the short line must say it too.
  return signer.sourceRepository === undefined ? line : t('signer_forSource', line, signer.sourceRepository);
}
