/** Hub endpoints (each needs its host permission), signers per repo, export and import of trust data. */
import { ImportActions, JsonFileButton, TypedWordField } from './ImportReviewParts.js';
import { useState } from 'preact/hooks';
import type { Settings } from '../extension/shared/messages.js';
import type { Signer } from '../extension/core/verdict.js';
import type { ExpectedIdentity } from '../extension/core/trust/types.js';
import type { ImportDiff, ImportMode, ImportPreview, LockBrief, LockDiff, PinDiff } from '../extension/core/trust/import.js';
import { IdentityText } from '../extension/ui/IdentityText.js';
import { PolicySummary } from '../extension/ui/PolicySummary.js';
import { signerLine } from '../extension/ui/SignerView.js';
import { t, tp } from '../extension/ui/i18n.js';
import { TrustRootSettings, type TrustRootActions } from './TrustRootSettings.js';
import { PublishersSettings, type PublishersActions } from './PublishersSettings.js';

export interface SettingsActions {
  save(patch: Partial<Settings>): Promise<void>;
  /** Must call `permissions.request` synchronously: it only works inside the click. */
  requestHost(origin: string): Promise<boolean>;
  exportJson(): Promise<string>;
  /** What importing the file would change (merged and replaced); changes nothing. */
  previewImport(text: string): Promise<ImportPreview>;
  /** Applies the previewed change; the worker refuses anything else (PREVIEW_MISMATCH, CONFIRMATION_MISMATCH). */
  applyImport(text: string, mode: ImportMode, confirmation: string | undefined, previewId: string): Promise<void>;
  /** The Sigstore trust root kept through TUF (status, online switch, update now). */
  trustRoot?: TrustRootActions;
  /** The publishers' directory (its own section; absent: not shown). */
  publishers?: PublishersActions;
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

/** Lists are cut for the popup; the counts in the headings stay exact. */
const MAX_LISTED = 50;

function More({ total }: { total: number }) {
  return total > MAX_LISTED ? <li class="ms-muted">{tp('import_more', total - MAX_LISTED)}</li> : null;
}

function Signers({ signers }: { signers: Signer[] }) {
  if (signers.length === 0) return <span class="ms-muted">{t('value_none')}</span>;
  return (
    <>
      {signers.slice(0, 16).map((s, i) => (
        <span key={i} class="ms-import-signer">
          <IdentityText value={signerLine(s)} maxChars={96} />
          {s.issuer && (
            <>
              {' '}
              <span class="ms-muted">{t('signer_issuer')}</span> <IdentityText value={s.issuer} maxChars={96} />
            </>
          )}
        </span>
      ))}
    </>
  );
}

function PinList({ title, list, show }: { title: string; list: PinDiff[]; show: 'before' | 'after' | 'both' }) {
  if (list.length === 0) return null;
  return (
    <>
      <h4 class="ms-h3">{title}</h4>
      <ul class="ms-small ms-preview">
        {list.slice(0, MAX_LISTED).map((p) => (
          <li key={`${p.hub}|${p.kind}|${p.repo}`}>
            <IdentityText value={p.repo} maxChars={80} />
            {p.hub !== DEFAULT_HUB && (
              <span class="ms-muted">
                {' '}
                <IdentityText value={p.hub} maxChars={60} />
              </span>
            )}
            {show !== 'after' && (
              <div>
                {show === 'both' && <span class="ms-muted">{t('import_before')} </span>}
                <Signers signers={p.before} />
              </div>
            )}
            {show !== 'before' && (
              <div>
                {show === 'both' && <span class="ms-muted">{t('import_after')} </span>}
                <Signers signers={p.after} />
              </div>
            )}
          </li>
        ))}
        <More total={list.length} />
      </ul>
    </>
  );
}

function LockLine({ lock }: { lock: LockBrief }) {
  return (
    <span class="ms-mono" title={lock.rootDigest}>
      {tp('import_lockAt', lock.files, lock.commit.slice(0, 12))}
    </span>
  );
}

/** Locks an import adds, removes or moves: which repo, which commit before and after. */
function LockList({ title, list }: { title: string; list: LockDiff[] }) {
  if (list.length === 0) return null;
  return (
    <>
      <h4 class="ms-h3">{title}</h4>
      <ul class="ms-small ms-preview" data-change="locks">
        {list.slice(0, MAX_LISTED).map((l) => (
          <li key={`${l.hub}|${l.kind}|${l.repo}`}>
            <IdentityText value={l.repo} maxChars={80} />
            {l.before && (
              <div>
                <span class="ms-muted">{t('import_before')} </span>
                <LockLine lock={l.before} />
              </div>
            )}
            {l.after && (
              <div>
                <span class="ms-muted">{t('import_after')} </span>
                <LockLine lock={l.after} />
              </div>
            )}
          </li>
        ))}
        <More total={list.length} />
      </ul>
    </>
  );
}

function PolicyList({ title, list }: { title: string; list: ExpectedIdentity[] }) {
  if (list.length === 0) return null;
  return (
    <>
      <h4 class="ms-h3">{title}</h4>
      <ul class="ms-small ms-preview">
        {list.slice(0, MAX_LISTED).map((e) => (
          <li key={`${e.kind}|${e.scope}`}>
            <PolicySummary policy={e} />
          </li>
        ))}
        <More total={list.length} />
      </ul>
    </>
  );
}

/** Everything an import would change, in the chosen mode. */
export function ImportChanges({ diff }: { diff: ImportDiff }) {
  const empty =
    diff.pins.added.length + diff.pins.removed.length + diff.pins.changed.length === 0 &&
    diff.policies.added.length + diff.policies.removed.length + diff.policies.changed.length === 0 &&
    !diff.signersPerRepo &&
    diff.locks.added.length + diff.locks.removed.length + diff.locks.changed.length === 0 &&
    diff.alerts.added + diff.alerts.removed + diff.repos.added + diff.repos.removed === 0;
  return (
    <div class="ms-import-changes" data-mode={diff.mode}>
      {empty && <p class="ms-muted">{t('import_nothing')}</p>}
      {diff.signersPerRepo && (
        <p class="ms-import-k" data-change="k">
          {t('import_k', String(diff.signersPerRepo.before), String(diff.signersPerRepo.after))}
        </p>
      )}
      <PolicyList title={t('import_policiesAdded', String(diff.policies.added.length))} list={diff.policies.added} />
      {diff.policies.changed.length > 0 && (
        <>
          <h4 class="ms-h3">{t('import_policiesChanged', String(diff.policies.changed.length))}</h4>
          <ul class="ms-small ms-preview">
            {diff.policies.changed.slice(0, MAX_LISTED).map((c) => (
              <li key={`${c.after.kind}|${c.after.scope}`}>
                <IdentityText value={c.after.scope} maxChars={80} />
                <div>
                  <span class="ms-muted">{t('import_before')} </span>
                  <PolicySummary policy={c.before} scope={false} />
                </div>
                <div>
                  <span class="ms-muted">{t('import_after')} </span>
                  <PolicySummary policy={c.after} scope={false} />
                </div>
              </li>
            ))}
            <More total={diff.policies.changed.length} />
          </ul>
        </>
      )}
      <PolicyList title={t('import_policiesRemoved', String(diff.policies.removed.length))} list={diff.policies.removed} />
      <PinList title={t('import_pinsChanged', String(diff.pins.changed.length))} list={diff.pins.changed} show="both" />
      <PinList title={t('import_pinsRemoved', String(diff.pins.removed.length))} list={diff.pins.removed} show="before" />
      <PinList title={t('import_pinsAdded', String(diff.pins.added.length))} list={diff.pins.added} show="after" />
      <LockList title={t('import_locksChanged', String(diff.locks.changed.length))} list={diff.locks.changed} />
      <LockList title={t('import_locksRemoved', String(diff.locks.removed.length))} list={diff.locks.removed} />
      <LockList title={t('import_locksAdded', String(diff.locks.added.length))} list={diff.locks.added} />
      {(diff.alerts.added > 0 || diff.alerts.removed > 0) && <p class="ms-small">{t('import_alerts', String(diff.alerts.added), String(diff.alerts.removed))}</p>}
      {(diff.repos.added > 0 || diff.repos.removed > 0) && <p class="ms-small">{t('import_repos', String(diff.repos.added), String(diff.repos.removed))}</p>}
    </div>
  );
}

interface Pending {
  text: string;
  preview: ImportPreview;
}

/**
 * The preview of a chosen file and the apply step: Merge (default) or Replace, what that changes,
 * and the typed word when it removes or widens trust. Nothing is applied before "Apply".
 */
export function ImportReview({ pending, actions, onDone, onCancel, onStale }: {
  pending: Pending;
  actions: SettingsActions;
  onDone: () => void;
  onCancel: () => void;
  /** The trust data changed since the preview: preview the same file again. */
  onStale: (message: string) => void;
}) {
  const [mode, setMode] = useState<ImportMode>('merge');
  const [word, setWord] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const diff = pending.preview[mode];
  const needs = diff.confirmation;
  const ok = needs === undefined || word.trim() === needs;
  return (
    <form
      class="ms-form ms-import"
      onSubmit={(e) => {
        e.preventDefault();
        if (!ok || busy) return;
        setBusy(true);
        setError(undefined);
        actions.applyImport(pending.text, mode, needs === undefined ? undefined : word, diff.id).then(onDone, (err: unknown) => {
          setBusy(false);
          const text = t('import_failed', err instanceof Error ? err.message : String(err));
          if ((err as { code?: unknown } | null)?.code === 'PREVIEW_MISMATCH') onStale(text);
          else setError(text);
        });
      }}
    >
      <p>{t('import_previewTitle')}</p>
      <fieldset class="ms-kinds">
        <legend>{t('import_mode')}</legend>
        {(['merge', 'replace'] as const).map((m) => (
          <label key={m} class="ms-kind">
            <input
              type="radio"
              name="ms-import-mode"
              value={m}
              checked={mode === m}
              onChange={() => {
                // A word typed for one mode never confirms the other.
                setMode(m);
                setWord('');
              }}
            />
            {m === 'merge' ? t('import_modeMerge') : t('import_modeReplace')}
          </label>
        ))}
      </fieldset>
      <ImportChanges diff={diff} />
      {needs !== undefined && <TypedWordField expected={needs} name="ms-import-confirm" word={word} setWord={setWord} ok={ok} />}
      <ImportActions canApply={ok && !busy} danger={needs !== undefined} onCancel={onCancel} error={error} />
    </form>
  );
}

function ExportImport({ actions }: { actions: SettingsActions }) {
  const [message, setMessage] = useState<{ ok: boolean; text: string } | undefined>();
  const [pending, setPending] = useState<Pending | undefined>();
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
  const preview = (text: string) =>
    actions.previewImport(text).then(
      (p) => setPending({ text, preview: p }),
      (e: unknown) => setMessage({ ok: false, text: t('import_failed', e instanceof Error ? e.message : String(e)) }),
    );
  // Choosing a file only previews it.
  const importFile = (file: File | undefined) => {
    if (!file) return;
    setPending(undefined);
    if (file.size > MAX_IMPORT_BYTES) return setMessage({ ok: false, text: t('import_tooLarge') });
    setMessage(undefined);
    file.text().then(preview, (e: unknown) => setMessage({ ok: false, text: t('import_failed', e instanceof Error ? e.message : String(e)) }));
  };
  return (
    <>
      <div class="ms-row ms-wrap">
        <button type="button" class="ms-btn" onClick={exportNow}>
          {t('export_button')}
        </button>
        <JsonFileButton label={t('import_button')} name="ms-trust-import" onFile={importFile} />
        {message && (
          <p class={message.ok ? 'ms-ok' : 'ms-error'} role={message.ok ? 'status' : 'alert'}>
            {message.text}
          </p>
        )}
      </div>
      {pending && (
        <ImportReview
          key={pending.preview.merge.id + pending.preview.replace.id}
          pending={pending}
          actions={actions}
          onDone={() => {
            setPending(undefined);
            setMessage({ ok: true, text: t('import_done') });
          }}
          onCancel={() => setPending(undefined)}
          onStale={(text) => {
            // A fresh preview (new id, empty typed word) replaces the stale one; the error says why.
            setMessage({ ok: false, text });
            const again = pending.text;
            setPending(undefined);
            void preview(again);
          }}
        />
      )}
    </>
  );
}

/** Online transparency-log checks: on by default; the label names every host it contacts. */
function LogChecks({ settings, actions }: { settings: Settings; actions?: SettingsActions | undefined }) {
  const [error, setError] = useState<string | undefined>();
  const on = settings.onlineLogChecks !== false;
  return (
    <>
      <h3 class="ms-h3">{t('settings_logTitle')}</h3>
      <label class="ms-row">
        <input
          type="checkbox"
          data-setting="online-log-checks"
          checked={on}
          disabled={!actions}
          onChange={(e) => actions?.save({ onlineLogChecks: e.currentTarget.checked }).catch((err: unknown) => setError(String(err)))}
        />
        <span class="ms-grow">
          {t('settings_logOnline', (settings.logHosts ?? []).join(', '))}
        </span>
      </label>
      {error && <p class="ms-error" role="alert">{error}</p>}
    </>
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
      <LogChecks settings={settings} actions={actions} />
      {actions?.trustRoot && (
        <>
          <h3 class="ms-h3">{t('trustRoot_title')}</h3>
          <TrustRootSettings actions={actions.trustRoot} />
        </>
      )}
      {actions?.publishers && (
        <>
          <h3 class="ms-h3">{t('publishers_title')}</h3>
          <PublishersSettings settings={settings} save={(patch) => actions.save(patch)} actions={actions.publishers} />
        </>
      )}
      {actions && (
        <>
          <h3 class="ms-h3">{t('backup_title')}</h3>
          <ExportImport actions={actions} />
        </>
      )}
    </div>
  );
}
