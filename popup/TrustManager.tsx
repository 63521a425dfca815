/** Pinned signers per repo and expected-identity policies (per repo or `owner/*`). */
import { useState } from 'preact/hooks';
import type { PolicyView, TrustSnapshotView } from '../extension/ui/view-models.js';
import { IdentityText } from '../extension/ui/IdentityText.js';
import { signerLine } from '../extension/ui/SignerView.js';
import { formatTime } from '../extension/ui/format.js';
import { t } from '../extension/ui/i18n.js';

export interface TrustActions {
  removePin(hub: string | undefined, repo: string): Promise<void>;
  setExpected(p: PolicyView): Promise<void>;
  removeExpected(scope: string): Promise<void>;
}

/** `owner/name` or `owner/*`; the worker validates again. */
export function validScope(scope: string): boolean {
  return /^[A-Za-z0-9][\w.-]{0,95}\/(\*|[\w.-]{1,96})$/.test(scope);
}

function useAction() {
  const [error, setError] = useState<string | undefined>();
  const run = (p: Promise<unknown>) => {
    setError(undefined);
    p.catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  return [error, run] as const;
}

function PolicyForm({ onAdd }: { onAdd: (p: PolicyView) => Promise<void> }) {
  const [scope, setScope] = useState('');
  const [identity, setIdentity] = useState('');
  const [issuer, setIssuer] = useState('');
  const [error, run] = useAction();
  const ok = validScope(scope.trim()) && identity.trim() !== '' && issuer.trim() !== '';
  return (
    <form
      class="ms-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!ok) return;
        run(onAdd({ scope: scope.trim(), identity: identity.trim(), issuer: issuer.trim() }).then(() => {
          setScope('');
          setIdentity('');
          setIssuer('');
        }));
      }}
    >
      <label class="ms-field">
        <span>{t('policy_scope')}</span>
        <input type="text" placeholder="owner/model or owner/*" value={scope} onInput={(e) => setScope(e.currentTarget.value)} />
      </label>
      <label class="ms-field">
        <span>{t('policy_identity')}</span>
        <input type="text" value={identity} onInput={(e) => setIdentity(e.currentTarget.value)} />
      </label>
      <label class="ms-field">
        <span>{t('policy_issuer')}</span>
        <input type="text" placeholder="https://token.actions.githubusercontent.com" value={issuer} onInput={(e) => setIssuer(e.currentTarget.value)} />
      </label>
      <button type="submit" class="ms-btn" disabled={!ok}>
        {t('policy_add')}
      </button>
      {error && <p class="ms-error" role="alert">{error}</p>}
    </form>
  );
}

export function TrustManager({ snapshot, actions }: { snapshot: TrustSnapshotView; actions?: TrustActions }) {
  const [confirming, setConfirming] = useState<string | undefined>();
  const [error, run] = useAction();
  return (
    <div class="ms-trust">
      <h3 class="ms-h3">{t('pins_title')}</h3>
      {snapshot.pins.length === 0 ? (
        <p class="ms-muted">{t('pins_empty')}</p>
      ) : (
        <ul class="ms-list">
          {snapshot.pins.map((p) => {
            const key = `${p.hub ?? ''} ${p.repo}`;
            return (
              <li key={key}>
                <div class="ms-row">
                  <span class="ms-grow">
                    <IdentityText value={p.repo} maxChars={80} />
                  </span>
                  {actions && (
                    <button
                      type="button"
                      class={confirming === key ? 'ms-btn ms-btn-danger' : 'ms-btn'}
                      onClick={() => {
                        if (confirming !== key) return setConfirming(key);
                        setConfirming(undefined);
                        run(actions.removePin(p.hub, p.repo));
                      }}
                    >
                      {confirming === key ? t('pins_removeConfirm') : t('pins_remove')}
                    </button>
                  )}
                </div>
                {p.signers.map((s, i) => (
                  <div key={i} class="ms-small ms-pin-signer">
                    <IdentityText value={signerLine(s)} maxChars={96} />
                    {s.issuer && (
                      <div class="ms-muted">
                        {t('signer_issuer')} <IdentityText value={s.issuer} maxChars={96} />
                      </div>
                    )}
                  </div>
                ))}
                {p.since !== undefined && <div class="ms-small ms-muted">{t('pins_since', formatTime(p.since))}</div>}
              </li>
            );
          })}
        </ul>
      )}
      <h3 class="ms-h3">{t('policy_title')}</h3>
      <p class="ms-small ms-muted">{t('policy_explain')}</p>
      {snapshot.policies.length > 0 && (
        <ul class="ms-list">
          {snapshot.policies.map((p) => (
            <li key={p.scope}>
              <div class="ms-row">
                <span class="ms-grow">
                  <IdentityText value={p.scope} maxChars={80} />
                </span>
                {actions && (
                  <button type="button" class="ms-btn" onClick={() => run(actions.removeExpected(p.scope))}>
                    {t('policy_remove')}
                  </button>
                )}
              </div>
              {p.kind === 'key' ? (
                <div class="ms-small">
                  <span class="ms-muted">{t('signer_key')} </span>
                  <IdentityText value={p.keyFingerprint} maxChars={96} />
                </div>
              ) : (
                <>
                  <div class="ms-small">
                    <span class="ms-muted">{t('signer_identity')} </span>
                    <IdentityText value={p.identity} maxChars={96} />
                  </div>
                  <div class="ms-small">
                    <span class="ms-muted">{t('signer_issuer')} </span>
                    <IdentityText value={p.issuer} maxChars={96} />
                  </div>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {actions && <PolicyForm onAdd={actions.setExpected} />}
      {error && <p class="ms-error" role="alert">{error}</p>}
    </div>
  );
}
