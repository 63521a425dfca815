/**
 * Per-file marks beside file rows. Rows are found by their `/resolve/` or `/blob/` links (never by
 * class names). Each mark is a zero-size closed-shadow host with an absolutely positioned dot, so the
 * row's layout does not move; its meaning is also in the popup's file table, so a page forging a
 * look-alike dot gains nothing the toolbar would not contradict.
 */
import type { FileResult, FileStatus, Verdict } from '../extension/core/verdict.js';
import { parseHubPageUrl } from '../extension/core/hub/page-url.js';
import { adopt, closedHost, important } from './shadow.js';

const COLOURS: Readonly<Record<FileStatus, string>> = {
  verified: '#1a7f37',
  mismatch: '#cf222e',
  missing: '#cf222e',
  unsigned: '#cf222e',
  ignored: '#6e7781',
  unchecked: '#9a6700',
};

// Absolutely positioned and zero-size: never a flex or grid item, never moves the row's content.
const HOST_STYLE = important('all:initial;display:block;position:absolute;width:0;height:0;overflow:visible;opacity:1;visibility:visible');
const MAX_MARKS = 5000;
const MARK_CSS =
  'span{position:absolute;left:-18px;top:3px;width:12px;height:12px;border-radius:50%;box-shadow:0 0 0 2px #fff;}' +
  Object.entries(COLOURS)
    .map(([status, colour]) => `span.${status}{background:${colour};}`)
    .join('');

export interface MarkContext {
  hub: string;
  kind: 'model' | 'dataset';
  repo: string;
}

function filesOf(verdict: Verdict): FileResult[] | undefined {
  return 'files' in verdict ? verdict.files : undefined;
}

/** Marks every file link of this repo that the verdict knows about; returns how many were marked. */
export function markFiles(ctx: MarkContext, verdict: Verdict, signal: AbortSignal, label: (f: FileResult) => string): number {
  const files = filesOf(verdict);
  if (!files?.length) return 0;
  // A renamed repo's links may use its new name, which the worker reports as the subject.
  const names = new Set([ctx.repo, verdict.subject?.repo].filter((n): n is string => Boolean(n)));
  const byPath = new Map(files.map((f) => [f.path, f]));
  let n = 0;
  const labels = new Map<FileStatus, string>();
  const links = document.querySelectorAll<HTMLAnchorElement>('a[href*="/resolve/"], a[href*="/blob/"]');
  for (const a of links) {
    if (n >= MAX_MARKS) break;
    if (a.dataset.modelsealSeen === '1') continue;
    // Seen once per page: re-renders skip links already judged (marked or not).
    a.dataset.modelsealSeen = '1';
    signal.addEventListener('abort', () => delete a.dataset.modelsealSeen, { once: true });
    // One mark per row (the blob link and the download link of a row share it): the row check is
    // cheaper than parsing the link, so it comes first.
    const row = a.closest('li, tr') ?? a.parentElement;
    if (!row || row.querySelector('modelseal-mark')) continue;
    const page = parseHubPageUrl(a.href, [ctx.hub]);
    if (!page || !names.has(page.repo) || page.kind !== ctx.kind || !page.path) continue;
    if (page.view !== 'resolve' && page.view !== 'blob') continue;
    const file = byPath.get(page.path);
    if (!file) continue;
    const { host, root } = closedHost('modelseal-mark', HOST_STYLE, signal);
    host.dataset.status = file.status; // for tests and the popup's "find on page"; the page can forge it, the popup cannot be
    adopt(root, MARK_CSS);
    const dot = document.createElement('span');
    dot.className = file.status;
    let text = labels.get(file.status);
    if (text === undefined) labels.set(file.status, (text = label(file)));
    dot.title = text;
    root.append(dot);
    // Inside the link: its static position is the link's start, and it adds no text to the link.
    a.prepend(host);
    n++;
  }
  return n;
}
