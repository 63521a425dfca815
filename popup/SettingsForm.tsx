/** Hub endpoints (each needs its host permission), signers per repo, export and import of trust data. */
import { useState } from 'preact/hooks';
import type { Settings } from '../extension/shared/messages.js';
import { IdentityText } from '../extension/ui/IdentityText.js';
import { t } from '../extension/ui/i18n.js';

export interface SettingsActions {
  save(patch: Partial<Settings>): Promise<void>;
  /** Must call `permissions.request` synchronously: it only works inside the click. */
  requestHost(origin: string): Promise<boolean>;
  exportJson(): Promise<string>;
  importJson(text: string): Promise<void>;
}

export const DEFAULT_HUB = 'https://huggingface.co';
/** Import files larger than this are refused before reading (the worker validates the content). */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

/** An https origin with no path, query or credentials; `undefined` when the text is not one. */
export function parseHubOrigin(text: string): string | undefined {
  const s = text.trim();
  if (!/^https:\/\/[^/?#\s]+\/?$/i.test(s)) return undefined;
  try {
    const u = new URL(s);
    if (u.protocol !== 'https:' || u.username || u.password) return undefined;
    return u.origin;
  } catch {
    return undefined;
  }
}

function Hubs({ hubs, actions }: { hubs: string[]; actions?: SettingsActions }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | undefined>();
  const origin = parseHubOrigin(text);
  const add = () => {
    if (!actions) return;
    if (!origin) return setError(t('hubs_invalid'));
    if (hubs.includes(origin)) return setError(t('hubs_duplicate'));
    setError(undefined);
    // The permission prompt first, straight from the click; then the setting.
    actions
      .requestHost(origin)
      .then((granted) => {
        if (!granted) throw new Error(t('hubs_denied'));
        return actions.save({ hubs: [...hubs, origin] });
      })
      .then(() => setText(''), (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  return (
    <>
      <ul class="ms-list">
        {hubs.map((h) => (
          <li key={h} class="ms-row">
            <span class="ms-grow">
              <IdentityText value={h} maxChars={80} />
            </span>
            {actions && h !== DEFAULT_HUB && (
              <button type="button" class="ms-btn" onClick={() => actions.save({ hubs: hubs.filter((x) => x !== h) }).catch((e: unknown) => setError(String(e)))}>
                {t('hubs_remove')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {actions && (
        <form
          class="ms-row"
          onSubmit={(e) => {
            e.preventDefault();
            add();
          }}
        >
          <input
            class="ms-grow"
            type="url"
            aria-label={t('hubs_addLabel')}
            placeholder="https://hf-mirror.com"
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
          />
          <button type="submit" class="ms-btn" disabled={!origin}>
            {t('hubs_add')}
          </button>
        </form>
      )}
      {error && <p class="ms-error" role="alert">{error}</p>}
    </>
  );
}

function ExportImport({ actions }: { actions: SettingsActions }) {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>();
  const exportNow = () => {
    actions.exportJson().then(
      (json) => {
        const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
        const a = document.createElement('a');
        a.href = url;
        a.download = `modelseal-trust-${new Date().toISOString().slice(0, 10)}.json`;
        a.click();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
        setMessage({ ok: true, text: t('export_done') });
      },
      (e: unknown) => setMessage({ ok: false, text: e instanceof Error ? e.message : String(e) }),
    );
  };
  const importFile = (file: File | undefined) => {
    if (!file) return;
    if (file.size > MAX_IMPORT_BYTES) return setMessage({ ok: false, text: t('import_tooLarge') });
    file
      .text()
      .then((text) => actions.importJson(text))
      .then(
        () => setMessage({ ok: true, text: t('import_done') }),
        (e: unknown) => setMessage({ ok: false, text: t('import_failed', e instanceof Error ? e.message : String(e)) }),
      );
  };
  return (
    <div class="ms-row ms-wrap">
      <button type="button" class="ms-btn" onClick={exportNow}>
        {t('export_button')}
      </button>
      <label class="ms-btn ms-file">
        {t('import_button')}
        <input
          type="file"
          accept="application/json,.json"
          onChange={(e) => {
            const input = e.currentTarget;
            importFile(input.files?.[0]);
            input.value = '';
          }}
        />
      </label>
      {message && (
        <p class={message.ok ? 'ms-ok' : 'ms-error'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
    </div>
  );
}

export function SettingsForm({ settings, actions }: { settings: Settings; actions?: SettingsActions }) {
  const [k, setK] = useState(String(settings.signersPerRepo));
  const [error, setError] = useState<string | undefined>();
  const kValue = Number(k);
  const kOk = Number.isInteger(kValue) && kValue >= 1 && kValue <= 16;
  return (
    <div class="ms-settings">
      <h3 class="ms-h3">{t('hubs_title')}</h3>
      <Hubs hubs={settings.hubs} actions={actions} />
      <h3 class="ms-h3">{t('k_title')}</h3>
      <form
        class="ms-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (kOk && actions) actions.save({ signersPerRepo: kValue }).catch((err: unknown) => setError(String(err)));
        }}
      >
        <label class="ms-grow">
          {t('k_label')}{' '}
          <input type="number" min={1} max={16} step={1} value={k} onInput={(e) => setK(e.currentTarget.value)} aria-invalid={!kOk} />
        </label>
        {actions && (
          <button type="submit" class="ms-btn" disabled={!kOk || kValue === settings.signersPerRepo}>
            {t('save')}
          </button>
        )}
      </form>
      {error && <p class="ms-error" role="alert">{error}</p>}
      {actions && (
        <>
          <h3 class="ms-h3">{t('backup_title')}</h3>
          <ExportImport actions={actions} />
        </>
      )}
    </div>
  );
}
