/**
 * "Check files on this computer": pick a folder (or files), say what to check them against, watch
 * the progress, read the verdict in the same header and file table as the popup. A pure view: the
 * page hands in the actions (picking, running, cancelling). Folder and file names are the user's
 * disk's text: rendered through IdentityText like any hostile name.
 */
import { useState } from 'preact/hooks';
import type { Verdict } from '../core/verdict.js';
import type { RepoKind } from '../core/repo-ref.js';
import { StateHeader } from './StateHeader.js';
import { VerdictView } from './VerdictView.js';
import { IdentityText } from './IdentityText.js';
import { t, tp } from './i18n.js';
import { parseRepoAtRevision, type CheckFilesTarget } from './check-files-link.js';

export interface PickedSummary {
  folder?: string;
  count: number;
  bytes: number;
}

export interface DiskProgressView {
  phase: 'signature' | 'hashing';
  bytesDone: number;
  bytesTotal: number;
  startedAt: number;
}

/** What to check against, as the form names it. */
export type DiskCheckChoice =
  | { kind: 'folder'; repo?: { kind: RepoKind; repo: string } }
  | { kind: 'revision'; repoKind: RepoKind; repo: string; revision?: string };

export interface DiskCheckActions {
  /** The File System Access picker, where the browser has one. */
  pickDirectory?: () => Promise<PickedSummary | undefined>;
  /** Files from an `<input type=file>` (`directory`: it had webkitdirectory). */
  fromInput(files: FileList, directory: boolean): PickedSummary;
  run(choice: DiskCheckChoice, onProgress: (p: DiskProgressView) => void): Promise<Verdict>;
  cancel(): void;
  now(): number;
}

const MB = 1_000_000;

export function formatMegabytes(bytes: number): string {
  return (bytes / MB).toFixed(bytes >= 100 * MB ? 0 : 1);
}

/** MB/s over the time since hashing began; 0 until there is something to divide. */
export function throughput(p: DiskProgressView, now: number): number {
  const seconds = (now - p.startedAt) / 1000;
  return seconds > 0.05 ? p.bytesDone / MB / seconds : 0;
}

/**
 * The disk page's own name and summary of a state where the hub's wording would mislead (it speaks of
 * "the hub" or of branches). Other states keep the shared wording.
 */
function diskWording(v: Verdict): { label?: string; summary?: string } {
  if ('failure' in v && v.failure?.code === 'SIGNER_NOT_JUDGED') return { label: t('disk_state_notJudged'), summary: t('disk_summary_notJudged') };
  switch (v.state) {
    case 'verified':
      return { summary: t('disk_summary_verified') };
    case 'files-changed':
      return { summary: t('disk_summary_filesChanged') };
    case 'unverifiable':
      return { summary: t('disk_summary_unverifiable') };
    default:
      return {};
  }
}

function ProgressBar({ progress, now }: { progress: DiskProgressView; now: number }) {
  if (progress.phase === 'signature') return <p class="ms-muted" role="status">{t('disk_phaseSignature')}</p>;
  const rate = throughput(progress, now);
  return (
    <div class="ms-disk-progress" role="status">
      <progress value={progress.bytesDone} max={Math.max(progress.bytesTotal, 1)} />
      <span class="ms-small" data-testid="disk-progress-text">
        {t('disk_progress', formatMegabytes(progress.bytesDone), formatMegabytes(progress.bytesTotal), rate.toFixed(0))}
      </span>
    </div>
  );
}

export function DiskCheckView({ actions, target, directoryPicker }: { actions: DiskCheckActions; target?: CheckFilesTarget; directoryPicker: boolean }) {
  const [picked, setPicked] = useState<PickedSummary | undefined>();
  const [pickError, setPickError] = useState<string | undefined>();
  const [against, setAgainst] = useState<'folder' | 'revision'>(target ? 'revision' : 'folder');
  const [repoText, setRepoText] = useState(target ? `${target.repo}${target.revision ? `@${target.revision}` : ''}` : '');
  const [repoKind, setRepoKind] = useState<RepoKind>(target?.kind ?? 'model');
  const [progress, setProgress] = useState<DiskProgressView | undefined>();
  const [running, setRunning] = useState(false);
  const [verdict, setVerdict] = useState<Verdict | undefined>();

  const parsed = repoText.trim() === '' ? undefined : parseRepoAtRevision(repoText);
  const repoInvalid = repoText.trim() !== '' && !parsed;
  const canRun = !!picked && !running && !repoInvalid && (against === 'folder' || !!parsed);

  const took = (summary: PickedSummary | undefined) => {
    setVerdict(undefined);
    setPickError(undefined);
    if (summary) setPicked(summary);
  };
  const onInput = (e: Event, directory: boolean) => {
    const input = e.currentTarget as HTMLInputElement;
    if (!input.files || input.files.length === 0) return;
    try {
      took(actions.fromInput(input.files, directory));
    } catch (err) {
      setPicked(undefined);
      setPickError(err instanceof Error ? err.message : String(err));
    }
  };
  const onPickDirectory = async () => {
    try {
      took(await actions.pickDirectory?.());
    } catch (err) {
      if ((err as { name?: string })?.name === 'AbortError') return;
      setPicked(undefined);
      setPickError(err instanceof Error ? err.message : String(err));
    }
  };
  const onRun = async () => {
    const choice: DiskCheckChoice =
      against === 'revision' && parsed
        ? { kind: 'revision', repoKind, repo: parsed.repo, ...(parsed.revision ? { revision: parsed.revision } : {}) }
        : { kind: 'folder', ...(parsed ? { repo: { kind: repoKind, repo: parsed.repo } } : {}) };
    setRunning(true);
    setVerdict(undefined);
    try {
      setVerdict(await actions.run(choice, setProgress));
    } finally {
      setRunning(false);
      setProgress(undefined);
    }
  };

  return (
    <main class="ms-disk">
      <h1 class="ms-disk-title">{t('disk_title')}</h1>
      <p class="ms-small">{t('disk_intro')}</p>

      <section class="ms-disk-step">
        <h2 class="ms-h3">{t('disk_stepFiles')}</h2>
        <div class="ms-row ms-wrap">
          {directoryPicker && (
            <button type="button" class="ms-btn" onClick={onPickDirectory} disabled={running}>
              {t('disk_pickFolder')}
            </button>
          )}
          <label class="ms-btn ms-file">
            {directoryPicker ? t('disk_pickFolderInput') : t('disk_pickFolder')}
            <input type="file" data-testid="disk-folder-input" {...{ webkitdirectory: true }} multiple disabled={running} onChange={(e) => onInput(e, true)} />
          </label>
          <label class="ms-btn ms-file">
            {t('disk_pickFiles')}
            <input type="file" data-testid="disk-files-input" multiple disabled={running} onChange={(e) => onInput(e, false)} />
          </label>
        </div>
        {picked && (
          <p class="ms-small" data-testid="disk-picked">
            {picked.folder !== undefined && (
              <>
                <IdentityText value={picked.folder} maxChars={80} />
                {': '}
              </>
            )}
            {tp('disk_pickedCount', picked.count, formatMegabytes(picked.bytes))}
          </p>
        )}
        {pickError && (
          <p class="ms-error" role="alert">
            {pickError}
          </p>
        )}
        <p class="ms-small ms-muted">{t('disk_symlinks')}</p>
      </section>

      <section class="ms-disk-step">
        <h2 class="ms-h3">{t('disk_stepAgainst')}</h2>
        <fieldset class="ms-kinds">
          <label class="ms-kind">
            <input type="radio" name="against" value="folder" checked={against === 'folder'} onChange={() => setAgainst('folder')} disabled={running} />
            {t('disk_againstFolder')}
          </label>
          <label class="ms-kind">
            <input type="radio" name="against" value="revision" checked={against === 'revision'} onChange={() => setAgainst('revision')} disabled={running} />
            {t('disk_againstRevision')}
          </label>
        </fieldset>
        <div class="ms-row ms-wrap">
          <label class="ms-field">
            <span class="ms-small">{against === 'revision' ? t('disk_repoRevisionLabel') : t('disk_repoJudgeLabel')}</span>
            <input type="text" data-testid="disk-repo" value={repoText} placeholder="owner/name@revision" aria-invalid={repoInvalid} disabled={running} onInput={(e) => setRepoText((e.currentTarget as HTMLInputElement).value)} />
          </label>
          <label class="ms-field">
            <span class="ms-small">{t('disk_kindLabel')}</span>
            <select value={repoKind} disabled={running} onChange={(e) => setRepoKind((e.currentTarget as HTMLSelectElement).value === 'dataset' ? 'dataset' : 'model')}>
              <option value="model">{t('disk_kindModel')}</option>
              <option value="dataset">{t('disk_kindDataset')}</option>
            </select>
          </label>
        </div>
        <p class="ms-small ms-muted">{against === 'revision' ? t('disk_againstRevisionHint') : t('disk_againstFolderHint')}</p>
      </section>

      <div class="ms-actions">
        <button type="button" class="ms-btn ms-btn-primary" data-testid="disk-run" disabled={!canRun} onClick={onRun}>
          {t('disk_run')}
        </button>
        {running && (
          <button type="button" class="ms-btn ms-btn-danger" data-testid="disk-cancel" onClick={() => actions.cancel()}>
            {t('disk_cancel')}
          </button>
        )}
      </div>
      {running && progress && <ProgressBar progress={progress} now={actions.now()} />}

      {verdict && (
        <section class="ms-disk-result" data-testid="disk-result" data-state={verdict.state}>
          <StateHeader verdict={verdict} {...diskWording(verdict)} />
          <VerdictView verdict={verdict} header={false} surface="disk" />
        </section>
      )}
    </main>
  );
}
