/**
 * Settings for the publishers' directory: switch it off, see what is in force (shipped and imported
 * entries with their sources), import a further directory (enterprise use) with a preview of every
 * entry and the typed confirmation the worker checks again, or remove the imports.
 */
import { ImportActions, JsonFileButton, TypedWordField } from './ImportReviewParts.js';
import { useEffect, useState } from 'preact/hooks';
import type { PublishersView, Settings } from '../extension/shared/messages.js';
import type { PublisherImportPreview } from '../extension/core/publishers/import.js';
import type { PublisherDirectory } from '../extension/core/publishers/directory.js';
import { IdentityText } from '../extension/ui/IdentityText.js';
import { t, tp } from '../extension/ui/i18n.js';
/** Import files larger than this are refused before reading (the worker validates the content). */
const MAX_DIRECTORY_BYTES = 512 * 1024;

/** The worker's publishers messages, as the popup sends them. */
export interface PublishersActions {
  get(): Promise<PublishersView>;
  preview(json: string): Promise<PublisherImportPreview>;
  apply(json: string, previewId: string, confirmation: string): Promise<PublishersView>;
  removeImported(): Promise<PublishersView>;
}

function Entries({ dir }: { dir: PublisherDirectory }) {
  return (
    <ul class="ms-publishers">
      {dir.publishers.slice(0, 50).map((p) => (
        <li key={p.namespace} data-namespace={p.namespace}>
          <IdentityText value={`${p.name} (${p.namespace})`} maxChars={96} />
          <span class="ms-small ms-muted"> {tp('publishers_signers', p.signers.length, p.source.checked)}</span>
        </li>
      ))}
    </ul>
  );
}

export function ImportPreviewForm({ text, preview, actions, onDone, onCancel }: {
  text: string;
  preview: PublisherImportPreview;
  actions: PublishersActions;
  onDone: (v: PublishersView) => void;
  onCancel: () => void;
}) {
  const [word, setWord] = useState('');
  const [error, setError] = useState<string | undefined>();
  const ok = word.trim() === preview.confirmation;
  return (
    <form
      class="ms-form ms-publishers-import"
      onSubmit={(e) => {
        e.preventDefault();
        if (!ok) return;
        actions.apply(text, preview.id, word).then(onDone, (err: unknown) =>
          setError(t('import_failed', err instanceof Error ? err.message : String(err))),
        );
      }}
    >
      <p>{t('publishers_previewTitle')}</p>
      <ul class="ms-publishers-preview">
        {preview.entries.map((e) => (
          <li key={e.namespace} data-namespace={e.namespace} data-overrides={e.overrides ? 'yes' : 'no'}>
            <IdentityText value={`${e.name} (${e.namespace})`} maxChars={96} />
            {e.overrides && <strong> {t('publishers_overrides')}</strong>}
            <ul>
              {e.signers.map((s, i) => (
                <li key={i}>
                  <IdentityText value={s} maxChars={160} />
                </li>
              ))}
              {e.source.urls.map((u, i) => (
                <li key={`u${i}`} class="ms-small ms-muted">
                  <IdentityText value={u} maxChars={160} />
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      <TypedWordField expected={preview.confirmation} name="ms-publishers-confirm" word={word} setWord={setWord} ok={ok} />
      <ImportActions canApply={ok} danger={true} onCancel={onCancel} error={error} />
    </form>
  );
}

export function PublishersSettings({ settings, save, actions }: { settings: Settings; save: (patch: Partial<Settings>) => Promise<void>; actions: PublishersActions }) {
  const [view, setView] = useState<PublishersView | undefined>();
  const [pending, setPending] = useState<{ text: string; preview: PublisherImportPreview } | undefined>();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>();
  const on = settings.publishersDirectory !== false;
  useEffect(() => {
    actions.get().then(setView, () => undefined);
  }, [on]);
  const fail = (e: unknown) => setMessage({ ok: false, text: t('import_failed', e instanceof Error ? e.message : String(e)) });
  const importFile = (file: File | undefined) => {
    if (!file) return;
    setPending(undefined);
    if (file.size > MAX_DIRECTORY_BYTES) return setMessage({ ok: false, text: t('import_tooLarge') });
    setMessage(undefined);
    file.text().then((text) => actions.preview(text).then((preview) => setPending({ text, preview }), fail), fail);
  };
  return (
    <div class="ms-publishers-settings">
      <label class="ms-row">
        <input type="checkbox" name="ms-publishers-on" checked={on} onChange={(e) => void save({ publishersDirectory: e.currentTarget.checked }).catch(fail)} />
        {t('publishers_use')}
      </label>
      {view && (
        <>
          <Entries dir={view.builtin} />
          {view.imported.map((d, i) => (
            <Entries key={i} dir={d} />
          ))}
        </>
      )}
      <div class="ms-row ms-wrap">
        <JsonFileButton label={t('publishers_import')} name="ms-publishers-import" onFile={importFile} />
        {view && view.imported.length > 0 && (
          <button type="button" class="ms-btn" onClick={() => actions.removeImported().then(setView, fail)}>
            {t('publishers_removeImported')}
          </button>
        )}
      </div>
      {message && (
        <p class={message.ok ? 'ms-ok' : 'ms-error'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
      {pending && (
        <ImportPreviewForm
          key={pending.preview.id}
          text={pending.text}
          preview={pending.preview}
          actions={actions}
          onDone={(v) => {
            setView(v);
            setPending(undefined);
            setMessage({ ok: true, text: t('import_done') });
          }}
          onCancel={() => setPending(undefined)}
        />
      )}
    </div>
  );
}
