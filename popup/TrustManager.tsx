/** Pinned signers per repo and expected-signer policies (per repo or `owner/*`). */
import { useState } from 'preact/hooks';
import { EMPTY_DRAFT, MAX_CAS, MAX_PEM_FILE_BYTES, POLICY_KINDS, caSubject, checkDraft, validScope } from './policy-input.js';
import type { PolicyDraft, PolicyInput, PolicyKind } from './policy-input.js';
import type { PolicyView, TrustSnapshotView } from '../extension/ui/view-models.js';
import type { RepoRef } from '../extension/core/repo-ref.js';
import { IdentityText } from '../extension/ui/IdentityText.js';
import { signerLine } from '../extension/ui/SignerView.js';
import { formatTime } from '../extension/ui/format.js';
import { t } from '../extension/ui/i18n.js';

export interface TrustActions {
  /** The pinned repo, named as the store names it (hub, kind, repo). */
  removePin(ref: RepoRef): Promise<void>;
  setExpected(p: PolicyInput): Promise<void>;
  removeExpected(scope: string): Promise<void>;
}

export { validScope };

function useAction() {
  const [error, setError] = useState<string | undefined>();
  const run = (p: Promise<unknown>) => {
    setError(undefined);
    p.catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  return [error, run, setError] as const;
}

/** Reads picked .pem files, refusing any too large to be one (the worker caps each PEM at 16 KiB). */
async function readPemFiles(files: FileList | null): Promise<string> {
  const list = files ? [...files].slice(0, MAX_CAS) : [];
  if (list.some((f) => f.size > MAX_PEM_FILE_BYTES)) throw new Error(t('policy_fileTooLarge'));
  return (await Promise.all(list.map((f) => f.text()))).join('\n');
}

function KindChoice({ kind, onChange }: { kind: PolicyKind; onChange: (k: PolicyKind) => void }) {
  return (
    <fieldset class="ms-kinds">
      <legend>{t('policy_kind')}</legend>
      {POLICY_KINDS.map((k) => (
        <label key={k} class="ms-kind">
          <input type="radio" name="ms-policy-kind" value={k} checked={kind === k} onChange={() => onChange(k)} />
          {KIND_LABEL[k]()}
        </label>
      ))}
    </fieldset>
  );
}

// Literal keys, so the locale coverage test sees them.
const KIND_LABEL: Record<PolicyKind, () => string> = {
  sigstore: () => t('policy_kindSigstore'),
  key: () => t('policy_kindKey'),
  certificate: () => t('policy_kindCa'),
};

function PemField({ label, hint, value, multiple, invalid, onText, onError }: {
  label: string;
  hint: string;
  value: string;
  multiple: boolean;
  invalid: boolean;
  onText: (text: string) => void;
  onError: (message: string) => void;
}) {
  return (
    <>
      <label class="ms-field">
        <span>{label}</span>
        <textarea
          class="ms-pem"
          rows={multiple ? 6 : 4}
          spellcheck={false}
          placeholder={hint}
          aria-invalid={invalid ? 'true' : undefined}
          value={value}
          onInput={(e) => onText(e.currentTarget.value)}
        />
      </label>
      <label class="ms-btn ms-file">
        {multiple ? t('policy_pickFiles') : t('policy_pickFile')}
        <input
          type="file"
          accept=".pem,.crt,.cer,.pub,.txt,application/x-pem-file"
          multiple={multiple}
          onChange={(e) => {
            const input = e.currentTarget;
            readPemFiles(input.files).then(
              (text) => onText(multiple && value.trim() ? `${value.trimEnd()}\n${text}` : text),
              (err: unknown) => onError(err instanceof Error ? err.message : String(err)),
            );
            input.value = ''; // the same file may be picked again after an edit
          }}
        />
      </label>
    </>
  );
}

/** Adds a policy of any kind: a Sigstore identity, the signer's public key, or CA certificates. */
export function PolicyForm({ onAdd, initial }: { onAdd: (p: PolicyInput) => Promise<void>; initial?: Partial<PolicyDraft> }) {
  const [draft, setDraft] = useState<PolicyDraft>({ ...EMPTY_DRAFT, ...initial });
  const [error, run, setError] = useAction();
  const set = (p: Partial<PolicyDraft>) => {
    setError(undefined);
    setDraft((d) => ({ ...d, ...p }));
  };
  const check = checkDraft(draft);
  const input = check.input;
  return (
    <form
      class="ms-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!input) return;
        run(onAdd(input).then(() => setDraft({ ...EMPTY_DRAFT, kind: draft.kind })));
      }}
    >
      <KindChoice kind={draft.kind} onChange={(kind) => set({ kind })} />
      <label class="ms-field">
        <span>{t('policy_scope')}</span>
        <input
          type="text"
          placeholder="owner/model or owner/*"
          aria-invalid={check.field === 'scope' ? 'true' : undefined}
          value={draft.scope}
          onInput={(e) => set({ scope: e.currentTarget.value })}
        />
      </label>
      {draft.kind === 'sigstore' && (
        <>
          <label class="ms-field">
            <span>{t('policy_identity')}</span>
            <input type="text" aria-invalid={check.field === 'body' ? 'true' : undefined} value={draft.identity} onInput={(e) => set({ identity: e.currentTarget.value })} />
          </label>
          <fieldset class="ms-kinds">
            <legend>{t('policy_match')}</legend>
            {(['exact', 'glob'] as const).map((m) => (
              <label key={m} class="ms-kind">
                <input type="radio" name="ms-policy-match" value={m} checked={draft.match === m} onChange={() => set({ match: m })} />
                {m === 'exact' ? t('policy_matchExact') : t('policy_matchGlob')}
              </label>
            ))}
          </fieldset>
          <label class="ms-field">
            <span>{t('policy_issuer')}</span>
            <input type="text" placeholder="https://token.actions.githubusercontent.com" value={draft.issuer} onInput={(e) => set({ issuer: e.currentTarget.value })} />
          </label>
        </>
      )}
      {draft.kind === 'key' && (
        <PemField
          label={t('policy_keyPem')}
          hint="-----BEGIN PUBLIC KEY-----"
          value={draft.keyPem}
          multiple={false}
          invalid={check.field === 'body'}
          onText={(keyPem) => set({ keyPem })}
          onError={setError}
        />
      )}
      {draft.kind === 'certificate' && (
        <PemField
          label={t('policy_caPem')}
          hint="-----BEGIN CERTIFICATE-----"
          value={draft.caPem}
          multiple={true}
          invalid={check.field === 'body'}
          onText={(caPem) => set({ caPem })}
          onError={setError}
        />
      )}
      {check.preview && draft.kind === 'certificate' && <p class="ms-small ms-muted">{t('policy_caPreview')}</p>}
      {check.preview && (
        <ul class="ms-small ms-preview">
          {check.preview.map((line, i) => (
            <li key={i}>
              <IdentityText value={line} maxChars={120} />
            </li>
          ))}
        </ul>
      )}
      <button type="submit" class="ms-btn" disabled={!input}>
        {t('policy_add')}
      </button>
      {check.problem && (
        <p class="ms-error" role="alert" data-problem="input">
          {check.problem}
        </p>
      )}
      {error && (
        <p class="ms-error" role="alert" data-problem="worker">
          {error}
        </p>
      )}
    </form>
  );
}

/** One stored policy's details: hostile text only through IdentityText. */
function PolicyDetails({ p }: { p: PolicyView }) {
  if (p.kind === 'key')
    return (
      <div class="ms-small">
        <span class="ms-muted">{t('signer_key')} </span>
        <IdentityText value={p.keyFingerprint ?? '?'} maxChars={96} />
      </div>
    );
  if (p.kind === 'certificate') {
    const pems = p.caPems ?? [];
    return (
      <div class="ms-small">
        <span class="ms-muted">{t('policy_caCount', String(pems.length))}</span>
        <ul class="ms-ca-list">
          {pems.map((pem, i) => {
            const subject = caSubject(pem);
            return <li key={i}>{subject === undefined ? <span class="ms-muted">{t('policy_caUnreadable')}</span> : <IdentityText value={subject} maxChars={120} />}</li>;
          })}
        </ul>
      </div>
    );
  }
  return (
    <>
      <div class="ms-small">
        <span class="ms-muted">{p.glob ? t('policy_identityGlob') : t('signer_identity')} </span>
        <IdentityText value={p.identity} maxChars={96} />
      </div>
      <div class="ms-small">
        <span class="ms-muted">{t('signer_issuer')} </span>
        <IdentityText value={p.issuer} maxChars={96} />
      </div>
    </>
  );
}

export function TrustManager({ snapshot, actions }: { snapshot: TrustSnapshotView; actions?: TrustActions }) {
  const [confirming, setConfirming] = useState<string | undefined>();
  const [error, run] = useAction();
  const perScope = (scope: string) => snapshot.policies.filter((x) => x.scope.toLowerCase() === scope.toLowerCase()).length;
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
                        run(actions.removePin({ hub: p.hub, kind: p.kind, repo: p.repo }));
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
            <li key={`${p.kind ?? ''}:${p.scope}`} data-kind={p.kind}>
              <div class="ms-row">
                <span class="ms-grow">
                  <IdentityText value={p.scope} maxChars={80} />
                </span>
                {actions && (
                  <button type="button" class="ms-btn" onClick={() => run(actions.removeExpected(p.scope))}>
                    {/* The worker removes a scope's policies of every kind at once; say so when there are several. */}
                    {perScope(p.scope) > 1 ? t('policy_removeAll', String(perScope(p.scope))) : t('policy_remove')}
                  </button>
                )}
              </div>
              <PolicyDetails p={p} />
            </li>
          ))}
        </ul>
      )}
      {actions && <PolicyForm onAdd={actions.setExpected} />}
      {error && <p class="ms-error" role="alert">{error}</p>}
    </div>
  );
}
