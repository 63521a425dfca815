/**
 * The verified downloads page: every download ModelSeal fetched, hashed and (only on a match) handed
 * to the browser, with bytes, rate, ETA, the hash result, and Cancel / Retry. Paths, repos and
 * digests come from the hub: rendered as text only.
 */
import type { VerifiedDownload, VerifiedDownloadStatus } from '../shared/messages.js';
import { IdentityText } from './IdentityText.js';
import { FailureText } from './FailureText.js';
import { t, tp } from './i18n.js';

export function formatBytes(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

export function formatEta(d: VerifiedDownload): string {
  if (d.status !== 'downloading' || !d.rate || d.size === undefined || d.size <= d.received) return '–';
  const s = Math.ceil((d.size - d.received) / d.rate);
  return s >= 3600 ? `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min` : s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

/** Which source was wrong, in words (`failure.source`). */
const SOURCE_TEXT: Record<string, () => string> = {
  'served-bytes': () => t('dl_source_servedBytes'),
  network: () => t('dl_source_network'),
  hub: () => t('dl_source_hub'),
  size: () => t('dl_source_size'),
  storage: () => t('dl_source_storage'),
};

const STATUS_TEXT: Record<VerifiedDownloadStatus, () => string> = {
  queued: () => t('dl_status_queued'),
  downloading: () => t('dl_status_downloading'),
  paused: () => t('dl_status_paused'),
  saving: () => t('dl_status_saving'),
  done: () => t('dl_status_done'),
  failed: () => t('dl_status_failed'),
  cancelled: () => t('dl_status_cancelled'),
};

export interface DownloadsViewProps {
  downloads: VerifiedDownload[];
  onCancel(id: string): void;
  onRetry(id: string): void;
  onClear(): void;
}

export function DownloadsView({ downloads, onCancel, onRetry, onClear }: DownloadsViewProps) {
  return (
    <div class="ms-downloads">
      <h1>{t('dl_title')}</h1>
      <p class="ms-muted">{t('dl_intro')}</p>
      {downloads.length === 0 ? (
        <p>{t('dl_none')}</p>
      ) : (
        <table class="ms-table">
          <thead>
            <tr>
              <th>{t('dl_col_file')}</th>
              <th>{t('dl_col_status')}</th>
              <th>{t('dl_col_bytes')}</th>
              <th>{t('dl_col_rate')}</th>
              <th>{t('dl_col_eta')}</th>
              <th>{t('dl_col_hash')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {downloads.map((d) => (
              <DownloadRow key={d.id} d={d} onCancel={onCancel} onRetry={onRetry} />
            ))}
          </tbody>
        </table>
      )}
      <div class="ms-actions">
        <button type="button" class="ms-btn" onClick={onClear}>
          {t('dl_clear')}
        </button>
      </div>
    </div>
  );
}

function DownloadRow({ d, onCancel, onRetry }: { d: VerifiedDownload; onCancel(id: string): void; onRetry(id: string): void }) {
  const active = d.status === 'queued' || d.status === 'downloading' || d.status === 'saving';
  return (
    <tr data-download-id={d.id} data-status={d.status}>
      <td>
        <IdentityText value={d.path} maxChars={160} />
        <div class="ms-muted">
          <IdentityText value={d.repo.repo} maxChars={120} chips={false} /> @ <code>{d.commit.slice(0, 12)}</code>
        </div>
        {d.despiteVerdict && <div class="ms-muted">{t('dl_despiteVerdict')}</div>}
      </td>
      <td class="ms-dl-status">
        {(STATUS_TEXT[d.status] ?? STATUS_TEXT.failed)()}
        {d.failure && (
          <div class="ms-error" role="alert">
            <FailureText failure={d.failure} maxChars={400} />
            {d.failure.source && <div>{(SOURCE_TEXT[d.failure.source] ?? SOURCE_TEXT.hub!)()}</div>}
            {d.failure.bytesRead !== undefined && <div>{t('dl_bytesRead', formatBytes(d.failure.bytesRead))}</div>}
          </div>
        )}
        {d.restartReason && <div class="ms-muted">{t('dl_restarted', d.restartReason)}</div>}
        {d.resumedFrom !== undefined && d.resumedFrom > 0 && <div class="ms-muted">{t('dl_resumedFrom', formatBytes(d.resumedFrom))}</div>}
      </td>
      <td>
        {formatBytes(d.received)}
        {d.size !== undefined && ` / ${formatBytes(d.size)}`}
      </td>
      <td>{d.status === 'downloading' && d.rate ? `${formatBytes(d.rate)}/s` : '–'}</td>
      <td>{formatEta(d)}</td>
      <td class="ms-dl-hash">
        {d.shardCount !== undefined ? <ShardHash d={d} /> : <WholeFileHash d={d} />}
      </td>
      <td>
        {active && (
          <button type="button" class="ms-btn" onClick={() => onCancel(d.id)}>
            {t('dl_cancel')}
          </button>
        )}
        {(d.status === 'failed' || d.status === 'cancelled') && (
          <button type="button" class="ms-btn" onClick={() => onRetry(d.id)}>
            {t('dl_retry')}
          </button>
        )}
      </td>
    </tr>
  );
}

function WholeFileHash({ d }: { d: VerifiedDownload }) {
  return (
    <>
      <div>
        {t('dl_expected')} <code data-digest="expected">{d.algorithm}:{d.expected ?? '–'}</code>
      </div>
      {d.actual && (
        <div>
          {t('dl_actual')} <code data-digest="actual">{d.algorithm}:{d.actual}</code> {d.actual === d.expected ? t('dl_match') : t('dl_mismatch')}
        </div>
      )}
    </>
  );
}

/** A file signed by shards: no whole-file digest; each range was checked as it streamed. */
function ShardHash({ d }: { d: VerifiedDownload }) {
  const bad = d.failure?.shard;
  return (
    <>
      <div data-shards={d.shardCount}>{tp('dl_shards', d.shardCount ?? 0, d.algorithm)}</div>
      {(d.status === 'saving' || d.status === 'done') && <div data-shards-match>{tp('dl_shardsMatch', d.shardCount ?? 0)}</div>}
      {bad && (
        <div class="ms-error" data-shard-range={`${bad.start}-${bad.end}`}>
          <div>{t('dl_shardFailed', bad.start, bad.end)}</div>
          <div>
            {t('dl_expected')} <code data-digest="expected">{d.algorithm}:{bad.expected}</code>
          </div>
          <div>
            {t('dl_actual')} <code data-digest="actual">{d.algorithm}:{bad.actual}</code> {t('dl_mismatch')}
          </div>
        </div>
      )}
    </>
  );
}
