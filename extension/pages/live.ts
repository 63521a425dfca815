/**
 * Keeps an in-page frame current: asks `frame/verdict` for its tab, listens for the worker's
 * `tab/state` pushes, and polls gently as a fallback (fast while checking, slow once final, paused
 * while the page is hidden).
 */
import type { TabState } from '../shared/messages.js';
import { onTabState, request } from '../ui/rpc.js';

const FAST_MS = 1500;
const SLOW_MS = 15_000;

export function tabIdFromQuery(): number | undefined {
  const n = Number(new URLSearchParams(location.search).get('tab'));
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

export function followTab(tabId: number, onState: (s: TabState) => void, onError: (e: unknown) => void): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last: TabState | undefined;
  const accept = (s: TabState | null) => {
    // null: the worker has no state for this tab (yet, or after a restart): keep asking gently.
    if (s) {
      last = s;
      onState(s);
    }
    schedule();
  };
  const ask = () => {
    if (document.visibilityState === 'hidden') return schedule();
    request({ type: 'frame/verdict', tabId }).then(accept, (e: unknown) => {
      onError(e);
      schedule();
    });
  };
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(ask, last?.verdict.state === 'checking' || !last ? FAST_MS : SLOW_MS);
  }
  onTabState(tabId, accept);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') ask();
  });
  ask();
}
