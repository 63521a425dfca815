/** Downloads page entry: `verified/list`, then live `verified/progress` pushes; Cancel, Retry, Clear. */
import { render } from 'preact';
import '../ui/styles.css';
import { DownloadsView } from '../ui/DownloadsView.js';
import { t } from '../ui/i18n.js';
import { browser, request } from '../ui/rpc.js';
import { onPush } from '../shared/rpc.js';
import type { VerifiedDownload } from '../shared/messages.js';

const byId = new Map<string, VerifiedDownload>();

function order(): VerifiedDownload[] {
  const all = [...byId.values()];
  const active = (d: VerifiedDownload) => d.status === 'queued' || d.status === 'downloading' || d.status === 'saving';
  return [...all.filter(active).sort((a, b) => a.startedAt - b.startedAt), ...all.filter((d) => !active(d)).sort((a, b) => b.startedAt - a.startedAt)];
}

function show(root: HTMLElement): void {
  const act = (p: Promise<unknown>) => void p.then(refresh).catch(() => undefined);
  render(
    <DownloadsView
      downloads={order()}
      onCancel={(id) => act(request({ type: 'verified/cancel', id }))}
      onRetry={(id) => act(request({ type: 'verified/retry', id }))}
      onClear={() => act(request({ type: 'verified/clear' }))}
    />,
    root,
  );
}

let root: HTMLElement | null = null;
async function refresh(): Promise<void> {
  const list = await request({ type: 'verified/list' });
  byId.clear();
  for (const d of list) byId.set(d.id, d);
  if (root) show(root);
}

async function main() {
  root = document.getElementById('app');
  if (!root) return;
  document.documentElement.lang = browser.i18n.getUILanguage();
  document.title = t('dl_title');
  onPush('verified/progress', (push) => {
    byId.set(push.download.id, push.download);
    if (root) show(root);
  });
  await refresh();
}

void main();
