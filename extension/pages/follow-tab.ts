/**
 * Keeps an in-page frame current: asks `frame/verdict` for its tab, listens for the worker's
 * `tab/state` pushes, and polls gently as a fallback (fast while checking, slow once final, paused
 * while the page is hidden). It stops for good, and the frame shows nothing, once the page it served
 * is gone: the worker dropped the tab's state, or refuses to answer this frame (not embedded in a hub
 * page of that tab).
 */
import type { TabState } from '../shared/messages.js';
import { onTabCleared, onTabState, request, RpcError } from '../ui/rpc.js';

const FAST_MS = 1500;
const SLOW_MS = 15_000;

export function tabIdFromQuery(): number | undefined {
  const raw = new URLSearchParams(location.search).get('tab');
  const n = Number(raw);
  return raw !== null && raw !== '' && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** Follows the tab's state; `onGone` runs once when following stops. Returns a stop function. */
export function followTab(tabId: number, onState: (s: TabState) => void, onGone: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last: TabState | undefined;
  let stopped = false;
  const offs: (() => void)[] = [];
  const stop = () => {
    if (stopped) return;
    stopped = true;
    clearTimeout(timer);
    for (const off of offs) off();
    onGone();
  };
  const accept = (s: TabState | null) => {
    if (stopped) return;
    if (s) {
      last = s;
      onState(s);
    } else if (last) {
      // Had a verdict and now none: the page it was about is gone.
      return stop();
    }
    // null before any state: the worker has none yet (or restarted): keep asking gently.
    schedule();
  };
  const ask = () => {
    if (stopped) return;
    if (document.visibilityState === 'hidden') return schedule();
    request({ type: 'frame/verdict', tabId }).then(accept, (e: unknown) => {
      // Refused: this frame is not in a hub page of that tab, and never will be.
      if (e instanceof RpcError && e.code === 'REFUSED') return stop();
      schedule();
    });
  };
  function schedule() {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(ask, last?.verdict.state === 'checking' || !last ? FAST_MS : SLOW_MS);
  }
  // A clear may be stale by the time it lands (the tab already shows a new hub page): ask again, and
  // stop only if the worker now has nothing (or refuses).
  offs.push(onTabState(tabId, accept), onTabCleared(tabId, () => ask()));
  const onVisible = () => {
    if (document.visibilityState === 'visible') ask();
  };
  document.addEventListener('visibilitychange', onVisible);
  offs.push(() => document.removeEventListener('visibilitychange', onVisible));
  ask();
  return stop;
}
