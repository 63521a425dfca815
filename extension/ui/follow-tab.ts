/**
 * Keeps a view current with its tab's state, the one way for every view (in-page frames and the
 * popup): asks the worker, listens for its `tab/state` and `tab/cleared` pushes, and polls gently as
 * a fallback (fast while checking, slow once final, paused while the page is hidden). Frames stop for
 * good, and show nothing, once the page they served is gone: the worker dropped the tab's state, or
 * refuses to answer (the frame is not embedded in a hub page of that tab). The popup keeps following
 * the tab and shows "no page" until a hub page begins in it again.
 */
import type { TabState } from '../shared/messages.js';
import { onTabCleared, onTabState, request, RpcError } from './rpc.js';

const FAST_MS = 1500;
const SLOW_MS = 15_000;

export function tabIdFromQuery(): number | undefined {
  const raw = new URLSearchParams(location.search).get('tab');
  const n = Number(raw);
  return raw !== null && raw !== '' && Number.isInteger(n) && n >= 0 ? n : undefined;
}

export interface FollowTabOptions {
  /** Frames ask as frames (the worker answers only a frame inside a hub page of that tab). */
  ask: 'frame/verdict' | 'tab/verdict';
  /** Each state the worker has for the tab; `null` when it has none (the tab is not on a hub page). */
  onState(state: TabState | null): void;
  /** Frames: stop once the page is gone (a state, then none) or the worker refuses. */
  stopWhenGone: boolean;
  /** Runs once when following stops (frames: the page is gone). */
  onGone?(): void;
  /** A failed question (other than a refusal that stops a frame); following goes on. */
  onError?(e: unknown): void;
}

export interface TabFollower {
  /** Ask now (e.g. right after the user changed trust). */
  refresh(): void;
  stop(): void;
}

/** Follows the tab's state until stopped (or, for frames, until the page is gone). */
export function followTab(tabId: number, options: FollowTabOptions): TabFollower {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last: TabState | undefined;
  let stopped = false;
  const offs: (() => void)[] = [];
  const stop = () => {
    if (stopped) return;
    stopped = true;
    clearTimeout(timer);
    for (const off of offs) off();
    options.onGone?.();
  };
  const accept = (s: TabState | null) => {
    if (stopped) return;
    if (s) {
      last = s;
      options.onState(s);
    } else if (last) {
      // Had a verdict and now none: the page it was about is gone.
      if (options.stopWhenGone) return stop();
      last = undefined;
      options.onState(null);
    } else if (!options.stopWhenGone) {
      options.onState(null);
    }
    // A frame with no state yet: the worker has none yet (or restarted): keep asking gently.
    schedule();
  };
  const ask = () => {
    if (stopped) return;
    if (document.visibilityState === 'hidden') return schedule();
    request({ type: options.ask, tabId }).then(accept, (e: unknown) => {
      // Refused: this frame is not in a hub page of that tab, and never will be.
      if (options.stopWhenGone && e instanceof RpcError && e.code === 'REFUSED') return stop();
      options.onError?.(e);
      schedule();
    });
  };
  function schedule() {
    clearTimeout(timer);
    if (stopped) return;
    const waiting = last?.verdict.state === 'checking' || (!last && options.stopWhenGone);
    timer = setTimeout(ask, waiting ? FAST_MS : SLOW_MS);
  }
  // A clear may be stale by the time it lands (the tab already shows a new hub page): ask again, and
  // let the answer decide.
  offs.push(onTabState(tabId, accept), onTabCleared(tabId, () => ask()));
  const onVisible = () => {
    if (document.visibilityState === 'visible') ask();
  };
  document.addEventListener('visibilitychange', onVisible);
  offs.push(() => document.removeEventListener('visibilitychange', onVisible));
  ask();
  return { refresh: ask, stop };
}
