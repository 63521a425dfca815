/**
 * Keeps a view current with the signing history of a tab's repo: asks the worker (which starts the
 * walk), takes its `history/progress` pushes for that repo and head, and polls while the walk runs
 * (pushes can be missed while a view opens). "Load more" asks for 50 more versions.
 */
import type { SignatureHistoryView } from '../shared/messages.js';
import { onPush, request } from '../shared/rpc.js';

const POLL_MS = 700;

export interface HistoryFollower {
  more(): void;
  stop(): void;
}

export function followHistory(tabId: number, onView: (v: SignatureHistoryView | null) => void, onError: (e: unknown) => void): HistoryFollower {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: SignatureHistoryView | null = null;
  const accept = (v: SignatureHistoryView | null) => {
    if (stopped) return;
    current = v;
    onView(v);
    clearTimeout(timer);
    if (v?.status === 'loading') timer = setTimeout(() => ask(false), POLL_MS);
  };
  const ask = (more: boolean) => {
    request({ type: 'history/get', tabId, ...(more ? { more: true } : {}) }).then(accept, (e: unknown) => !stopped && onError(e));
  };
  const off = onPush('history/progress', (push) => {
    const v = push.view;
    if (current && v && v.hub === current.hub && v.kind === current.kind && v.repo === current.repo && v.head === current.head) accept(v);
  });
  ask(false);
  return {
    more: () => ask(true),
    stop: () => {
      stopped = true;
      clearTimeout(timer);
      off();
    },
  };
}
