/**
 * Per-file marks beside file rows. Rows are found by their `/resolve/` or `/blob/` links (never by
 * class names). Each mark is a zero-size, absolutely positioned closed-shadow host inside the link,
 * so the row's layout does not move; its meaning is also in the popup's file table, so a page
 * forging a look-alike dot gains nothing the toolbar would not contradict.
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
  /** Revision named by the page URL, if any: links of the file list use it. */
  revision?: string;
}

/** Per-page memory: links already judged and rows already marked (no DOM flags, no listeners). */
export interface MarkMemory {
  seen: WeakSet<Element>;
  rows: WeakSet<Element>;
}

export const newMarkMemory = (): MarkMemory => ({ seen: new WeakSet(), rows: new WeakSet() });

function filesOf(verdict: Verdict): FileResult[] | undefined {
  return 'files' in verdict ? verdict.files : undefined;
}

/** Repo-relative file path of a file-list link, or undefined when the link is about something else. */
function linkPath(
  a: HTMLAnchorElement,
  prefixes: readonly string[],
  hub: string,
  names: Set<string>,
  revisions: readonly string[],
  kind: MarkContext['kind'],
): string | undefined {
  const raw = a.getAttribute('href') ?? '';
  // Fast path: the hub writes file-list links as root-relative `/{repo}/blob|resolve/{rev}/{path}`.
  for (const p of prefixes) {
    if (!raw.startsWith(p)) continue;
    const rest = raw.slice(p.length).split(/[?#]/)[0] ?? '';
    try {
      const path = rest.split('/').map(decodeURIComponent).join('/');
      return path && !path.split('/').some((s) => s === '' || s === '.' || s === '..') ? path : undefined;
    } catch {
      return undefined;
    }
  }
  const page = parseHubPageUrl(a.href, [hub]);
  // A link to the same file at another revision is not what this verdict is about.
  if (!page || !names.has(page.repo) || page.kind !== kind || !page.path || !revisions.includes(page.revision ?? '')) return undefined;
  return page.view === 'resolve' || page.view === 'blob' ? page.path : undefined;
}

/** Marks every file link of this repo that the verdict knows about; returns how many were marked. */
export function markFiles(ctx: MarkContext, verdict: Verdict, signal: AbortSignal, label: (f: FileResult) => string, memory: MarkMemory): number {
  const files = filesOf(verdict);
  if (!files?.length) return 0;
  // A renamed repo's links may use its new name, which the worker reports as the subject.
  const names = new Set([ctx.repo, verdict.subject?.repo].filter((n): n is string => Boolean(n)));
  const revisions = [...new Set([ctx.revision ?? 'main', verdict.subject?.revision, verdict.subject?.commit].filter((r): r is string => Boolean(r)))];
  const base = ctx.kind === 'dataset' ? '/datasets/' : '/';
  const prefixes = [...names].flatMap((n) => revisions.flatMap((r) => ['blob', 'resolve'].map((v) => `${base}${n}/${v}/${encodeURIComponent(r)}/`)));
  const byPath = new Map(files.map((f) => [f.path, f]));
  let n = 0;
  const labels = new Map<FileStatus, string>();
  const links = document.querySelectorAll<HTMLAnchorElement>('a[href*="/resolve/"], a[href*="/blob/"]');
  for (const a of links) {
    if (n >= MAX_MARKS) break;
    if (memory.seen.has(a)) continue;
    memory.seen.add(a);
    // One mark per row (the blob link and the download link of a row share it).
    const row = a.closest('li, tr') ?? a.parentElement;
    if (!row || memory.rows.has(row)) continue;
    const path = linkPath(a, prefixes, ctx.hub, names, revisions, ctx.kind);
    const file = path === undefined ? undefined : byPath.get(path);
    if (!file) continue;
    memory.rows.add(row);
    const { host, root } = closedHost('modelseal-mark', HOST_STYLE, signal);
    host.dataset.status = file.status; // for tests; the page can forge it, the popup cannot be
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
