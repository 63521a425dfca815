/** The per-file mark: one 16 px icon whose title says the file's status (and the repo's state). */
import type { FileResult, FileStatus, Verdict } from '../core/verdict.js';
import { Icon } from './Icon.js';
import type { IconName } from '../shared/icon-paths.js';
import { fileStatusKey } from './FileTable.js';
import { t } from './i18n.js';
import { styleOf } from '../shared/state-style.js';

const FILE_ICON: Record<FileStatus, { icon: IconName; tone: string }> = {
  verified: { icon: 'shieldCheck', tone: 'green' },
  mismatch: { icon: 'fileAlert', tone: 'red' },
  missing: { icon: 'fileAlert', tone: 'red' },
  unsigned: { icon: 'fileAlert', tone: 'red' },
  unchecked: { icon: 'warnTriangle', tone: 'amber' },
  ignored: { icon: 'minusCircle', tone: 'grey' },
};

export function findFile(v: Verdict, path: string): FileResult | undefined {
  return 'files' in v && v.files ? v.files.find((f) => f.path === path) : undefined;
}

/**
 * `named`: the title starts with the file's path, so a user hovering the mark can see which file it
 * speaks for even if the page moves rows around it (in-page marks set this; the popup need not).
 * `top`: absolute offset in px inside a strip of marks.
 */
export function FileMark({ verdict, path, named = false, top }: { verdict: Verdict; path: string; named?: boolean; top?: number }) {
  const file = findFile(verdict, path);
  const repo = styleOf(verdict.state);
  // Without a per-file result the mark shows the repo's state (checking, unsigned, could not verify…).
  const look = file && FILE_ICON[file.status] ? FILE_ICON[file.status] : { icon: repo.icon, tone: repo.tone };
  // A verified file in a repo whose signer is not trusted is not "fine": take the repo's colour.
  const tone = file?.status === 'verified' && !(verdict.state === 'verified' || verdict.state === 'verified-first-use') ? repo.tone : look.tone;
  const status = file ? `${t(fileStatusKey(file.status))} · ${t(repo.labelKey)}` : t(repo.labelKey);
  const title = named ? `${path}: ${status}` : status;
  const style = top === undefined ? undefined : { position: 'absolute', left: '0', top: `${top}px` };
  return (
    <span class="ms-mark" data-tone={tone} data-status={file?.status ?? verdict.state} data-path={named ? path : undefined} title={title} role="img" aria-label={title} style={style}>
      <Icon name={look.icon} size={14} spin={verdict.state === 'checking'} />
    </span>
  );
}
