/**
 * The only way a changed signer becomes trusted: the user sees what accepting changes (the pin, and
 * the policy that names the old signer, if any), chooses how a policy changes when there is a choice,
 * and types the repo name. The button stays disabled until all of that is done; the worker checks
 * the confirmation and recomputes the change again.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Signer } from '../core/verdict.js';
import type { AcceptPlan, PolicyChoice } from '../core/trust/accept.js';
import { IdentityText } from './IdentityText.js';
import { PolicySummary } from './PolicySummary.js';
import { SignerView } from './SignerView.js';
import { t } from './i18n.js';

export interface AcceptSignerProps {
  repo: string;
  signer: Signer;
  /** `policy` and `policyScope`: the change chosen for the policy the user was shown. */
  onAccept: (signer: Signer, confirmation: string, policy?: PolicyChoice, policyScope?: string) => Promise<unknown>;
  /** What accepting would change; without it the step cannot show the change, so it is not offered. */
  loadPlan?: (signer: Signer) => Promise<AcceptPlan>;
}

// Literal keys, so the locale coverage test sees them.
const CHOICE_LABEL: Record<PolicyChoice, () => string> = {
  replace: () => t('accept_policyReplace'),
  exception: () => t('accept_policyException'),
};

/** What accepting changes, as the worker computed it. */
export function AcceptChanges({ plan, choice, onChoice }: { plan: AcceptPlan; choice?: PolicyChoice | undefined; onChoice?: (c: PolicyChoice) => void }) {
  const p = plan.policy;
  return (
    <div class="ms-accept-changes">
      <p>{t('accept_changesTitle')}</p>
      <ul class="ms-small ms-preview">
        <li data-change="pin">{plan.pin.add ? t('accept_pinAdd') : t('accept_pinAlready')}</li>
        {plan.pin.drop.map((s, i) => (
          <li key={i} data-change="pin-drop">
            {t('accept_pinDrop')} <SignerView signer={s} compact />
          </li>
        ))}
        {p && (
          <li data-change="policy">
            {t('accept_policyNames')} <IdentityText value={p.scope} maxChars={80} />
            <ul>
              {p.current.slice(0, 8).map((e, i) => (
                <li key={i}>
                  <PolicySummary policy={e} scope={false} />
                </li>
              ))}
            </ul>
            {p.choices.length === 0 && <p class="ms-error">{t('accept_policyCannot')}</p>}
            {p.choices.length === 1 && <p>{CHOICE_LABEL[p.choices[0]!]()}</p>}
            {p.choices.length > 1 && onChoice && (
              <fieldset class="ms-kinds">
                <legend>{t('accept_policyChoose')}</legend>
                {p.choices.map((c) => (
                  <label key={c} class="ms-kind">
                    <input type="radio" name="ms-accept-policy" value={c} checked={choice === c} onChange={() => onChoice(c)} />
                    {CHOICE_LABEL[c]()}
                  </label>
                ))}
              </fieldset>
            )}
          </li>
        )}
      </ul>
    </div>
  );
}

export function AcceptSigner({ repo, signer, onAccept, loadPlan }: AcceptSignerProps) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [done, setDone] = useState(false);
  const [plan, setPlan] = useState<AcceptPlan | undefined>();
  const [choice, setChoice] = useState<PolicyChoice | undefined>();
  useEffect(() => {
    if (!loadPlan) return;
    let live = true;
    loadPlan(signer).then(
      (p) => {
        if (!live) return;
        setPlan(p);
        // A single way to change the policy is shown as the change itself; two need a choice.
        setChoice(p.policy?.choices.length === 1 ? p.policy.choices[0] : undefined);
      },
      (err: unknown) => live && setError(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      live = false;
    };
  }, []);
  const matches = text === repo;
  // Fail closed: no plan (not loaded, failed), a policy that cannot change, or no choice made.
  const ready = !!plan && (!plan.policy || (plan.policy.choices.length > 0 && choice !== undefined));
  // The lasting confirmation is the parent's: it must outlive this form, which goes with the verdict.
  if (done) return null;
  return (
    <form
      class="ms-accept"
      onSubmit={(e) => {
        e.preventDefault();
        if (!matches || !ready || busy) return;
        setBusy(true);
        setError(undefined);
        onAccept(signer, text, plan?.policy ? choice : undefined, plan?.policy?.scope).then(
          () => setDone(true),
          (err: unknown) => {
            setBusy(false);
            setError(err instanceof Error ? err.message : String(err));
          },
        );
      }}
    >
      <p>{t('accept_explain')}</p>
      {plan ? <AcceptChanges plan={plan} choice={choice} onChoice={setChoice} /> : !error && <p class="ms-muted">{t('loading')}</p>}
      <label class="ms-field">
        <span>
          {t('accept_typeRepo')} <IdentityText value={repo} />
        </span>
        <input
          type="text"
          autocomplete="off"
          spellcheck={false}
          value={text}
          onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
          aria-invalid={text !== '' && !matches}
        />
      </label>
      <button type="submit" class="ms-btn ms-btn-danger" disabled={!matches || !ready || busy}>
        {t('accept_button')}
      </button>
      {error && (
        <p class="ms-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
