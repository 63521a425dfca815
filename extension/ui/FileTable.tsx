/** Per-file results, problems first. File names are hub data: rendered through IdentityText. */
import { useState } from 'preact/hooks';
import type { FileResult, FileStatus } from '../core/verdict.js';
import { IdentityText } from './IdentityText.js';
import { t, tp } from './i18n.js';

const ORDER: Record<FileStatus, number> = { mismatch: 0, missing: 1, unsigned: 2, unchecked: 3, verified: 4, ignored: 5 };
const TONE: Record<FileStatus, string> = {
  mismatch: 'red',
  missing: 'red',
  unsigned: 'red',
  unchecked: 'amber',
  verified: 'green',
  ignored: 'grey',
};

export function fileStatusKey(status: FileStatus | string): string {
  return Object.prototype.hasOwnProperty.call(ORDER, status) ? `file_${status}` : 'file_unknown';
}

/** Rows shown before "show all"; a 10,000-file repo must not make the popup slow. */
const PAGE = 200;

/**
 * `onDownloadVerified`: offered (popup) for files whose bytes can be checked against a signed digest:
 * a verified download of that file (fetched, hashed, kept only on a match).
 */
export function FileTable({ files, onDownloadVerified }: { files: FileResult[]; onDownloadVerified?: ((path: string) => void) | undefined }) {
  const [limit, setLimit] = useState(PAGE);
  const sorted = [...files].sort(
    (a, b) => (ORDER[a.status] ?? 9) - (ORDER[b.status] ?? 9) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
  );
  const counts = new Map<string, number>();
  for (const f of files) counts.set(f.status, (counts.get(f.status) ?? 0) + 1);
  return (
    <div class="ms-files">
      <p class="ms-files-summary">
        {[...counts.entries()]
          .sort((a, b) => (ORDER[a[0] as FileStatus] ?? 9) - (ORDER[b[0] as FileStatus] ?? 9))
          .map(([status, n]) => (
            <span key={status} class="ms-pill" data-tone={TONE[status as FileStatus] ?? 'grey'}>
              {t('files_count', n, t(fileStatusKey(status)))}
            </span>
          ))}
      </p>
      <table class="ms-table">
        <thead>
          <tr>
            <th scope="col">{t('files_path')}</th>
            <th scope="col">{t('files_status')}</th>
          </tr>
        </thead>
        <tbody>
          {sorted.slice(0, limit).map((f, i) => (
            <tr key={i} data-status={f.status}>
              <td>
                <IdentityText value={f.path} maxChars={120} />
                {f.reason && <div class="ms-muted ms-small">{f.reason}</div>}
              </td>
              <td>
                <span class="ms-pill" data-tone={TONE[f.status] ?? 'grey'}>
                  {t(fileStatusKey(f.status))}
                </span>
                {/* Verified means a verified signature lists it: by its whole-file digest, or by shards. */}
                {onDownloadVerified && f.status === 'verified' && (f.expected || f.algorithm) && (
                  <button type="button" class="ms-linkish ms-small" data-download-verified={f.path} onClick={() => onDownloadVerified(f.path)}>
                    {t('popup_downloadVerified')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {sorted.length > limit && (
        <button type="button" class="ms-linkish" onClick={() => setLimit(sorted.length)}>
          {tp('files_showAll', sorted.length)}
        </button>
      )}
    </div>
  );
}
