/**
 * "Check files on this computer" entry: `check-files.html[?hub=&kind=&repo=&revision=]` (the popup
 * opens it for its tab's repo and commit). Wires the view to the picker, the hash workers and the
 * worker's signature messages.
 */
import { render } from 'preact';
import '../ui/styles.css';
import { DiskCheckView, type DiskCheckActions, type DiskCheckChoice, type PickedSummary } from '../ui/DiskCheckView.js';
import { readCheckFilesQuery } from '../ui/check-files-link.js';
import { t } from '../ui/i18n.js';
import { browser } from '../ui/rpc.js';
import { DEFAULT_REVISION } from '../core/hub/revision-check.js';
import { DiskCheckRun, type DiskCheckSource } from './disk-check-run.js';
import { fromFileList, hasDirectoryPicker, pickDirectory, type Picked } from './pick-files.js';

/** The built-in hub; a page opened from a tab names that tab's hub instead. */
const DEFAULT_HUB = 'https://huggingface.co';

function summary(p: Picked): PickedSummary {
  return { ...(p.folder !== undefined ? { folder: p.folder } : {}), count: p.entries.length, bytes: p.entries.reduce((n, e) => n + e.size, 0) };
}

function main() {
  const root = document.getElementById('app');
  if (!root) return;
  document.documentElement.lang = browser.i18n.getUILanguage();
  document.title = t('disk_title');
  const target = readCheckFilesQuery(location.search);
  const hub = target?.hub ?? DEFAULT_HUB;
  let picked: Picked | undefined;
  let current: DiskCheckRun | undefined;

  const sourceOf = (choice: DiskCheckChoice): DiskCheckSource =>
    choice.kind === 'revision'
      ? { kind: 'revision', hub, repoKind: choice.repoKind, repo: choice.repo, revision: choice.revision ?? DEFAULT_REVISION }
      : { kind: 'folder', ...(choice.repo ? { repo: { hub, kind: choice.repo.kind, repo: choice.repo.repo } } : {}) };

  const actions: DiskCheckActions = {
    ...(hasDirectoryPicker()
      ? {
          pickDirectory: async () => {
            picked = await pickDirectory();
            return summary(picked);
          },
        }
      : {}),
    fromInput: (files, directory) => {
      picked = undefined;
      picked = fromFileList(files, directory);
      return summary(picked);
    },
    run: async (choice, onProgress) => {
      if (!picked) throw new Error('nothing picked');
      current = new DiskCheckRun();
      try {
        return await current.run(picked, sourceOf(choice), onProgress);
      } finally {
        current = undefined;
      }
    },
    cancel: () => current?.cancel(),
    now: () => Date.now(),
  };
  render(<DiskCheckView actions={actions} directoryPicker={hasDirectoryPicker()} {...(target ? { target } : {})} />, root);
}

main();
