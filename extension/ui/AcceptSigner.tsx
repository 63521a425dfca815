/**
 * The only way a changed signer becomes trusted: the user types the repo name. The button stays
 * disabled until the text matches exactly; the worker checks the confirmation again.
 */
import { useState } from 'preact/hooks';
import type { Signer } from '../core/verdict.js';
import { IdentityText } from './IdentityText.js';
import { t } from './i18n.js';

export interface AcceptSignerProps {
  repo: string;
  signer: Signer;
  onAccept: (signer: Signer, confirmation: string) => Promise<void>;
}

export function AcceptSigner({ repo, signer, onAccept }: AcceptSignerProps) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [done, setDone] = useState(false);
  const matches = text === repo;
  if (done) return <p class="ms-ok" role="status">{t('accept_done')}</p>;
  return (
    <form
      class="ms-accept"
      onSubmit={(e) => {
        e.preventDefault();
        if (!matches || busy) return;
        setBusy(true);
        setError(undefined);
        onAccept(signer, text).then(
          () => setDone(true),
          (err: unknown) => {
            setBusy(false);
            setError(err instanceof Error ? err.message : String(err));
          },
        );
      }}
    >
      <p>{t('accept_explain')}</p>
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
      <button type="submit" class="ms-btn ms-btn-danger" disabled={!matches || busy}>
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
