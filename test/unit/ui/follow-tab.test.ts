// @vitest-environment happy-dom
/**
 * followTab, the one way views follow their tab: frames stop for good when their page is gone or the
 * worker refuses them; the popup shows "no page" and goes on following. The worker is a recording
 * stand-in for `request()` and the push listeners (the module under test is the follower itself).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TabState } from '../../../extension/shared/messages.js';

const w = vi.hoisted(() => ({
  RpcError: class RpcError extends Error {
    constructor(
      readonly code: string,
      message: string,
    ) {
      super(message);
    }
  },
  asked: [] as unknown[],
  answer: (_m: unknown): Promise<unknown> => Promise.resolve(null),
  stateListeners: new Set<(s: unknown) => void>(),
  clearedListeners: new Set<() => void>(),
}));

vi.mock('../../../extension/ui/rpc.js', () => {
  return {
    RpcError: w.RpcError,
    request: (m: unknown) => {
      w.asked.push(m);
      return w.answer(m);
    },
    onTabState: (_tabId: number, l: (s: unknown) => void) => {
      w.stateListeners.add(l);
      return () => w.stateListeners.delete(l);
    },
    onTabCleared: (_tabId: number, l: () => void) => {
      w.clearedListeners.add(l);
      return () => w.clearedListeners.delete(l);
    },
  };
});

const { followTab } = await import('../../../extension/ui/follow-tab.js');
const { RpcError } = w;

const state = (s: 'checking' | 'verified'): TabState => ({ tabId: 3, verdict: s === 'checking' ? { state: 'checking', checkedAt: 1 } : { state: 'unsigned', checkedAt: 2 } });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  w.asked.length = 0;
  w.stateListeners.clear();
  w.clearedListeners.clear();
});
afterEach(() => vi.useRealTimers());

describe('followTab', () => {
  it('a frame shows each state, and stops for good once the page is gone', async () => {
    const seen: unknown[] = [];
    let gone = 0;
    w.answer = async () => state('checking');
    followTab(3, { ask: 'frame/verdict', stopWhenGone: true, onState: (s) => seen.push(s?.verdict.state), onGone: () => gone++ });
    await vi.waitFor(() => expect(seen).toEqual(['checking']));
    expect(w.asked).toEqual([{ type: 'frame/verdict', tabId: 3 }]);
    for (const l of w.stateListeners) l(state('verified'));
    expect(seen).toEqual(['checking', 'unsigned']);
    // The tab left the hub: the worker has nothing now.
    w.answer = async () => null;
    for (const l of w.clearedListeners) l();
    await vi.waitFor(() => expect(gone).toBe(1));
    expect(w.stateListeners.size).toBe(0);
    const asked = w.asked.length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(w.asked.length).toBe(asked);
    expect(seen).toEqual(['checking', 'unsigned']);
  });

  it('a frame the worker refuses (not inside a hub page of that tab) stops at once', async () => {
    let gone = 0;
    w.answer = () => Promise.reject(new RpcError('REFUSED', 'frame is not in a hub page'));
    followTab(3, { ask: 'frame/verdict', stopWhenGone: true, onState: () => expect.unreachable(), onGone: () => gone++ });
    await vi.waitFor(() => expect(gone).toBe(1));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(w.asked).toHaveLength(1);
  });

  it('the popup shows "no page" when the tab leaves the hub and the new page when one begins', async () => {
    const seen: unknown[] = [];
    w.answer = async () => state('verified');
    const f = followTab(3, { ask: 'tab/verdict', stopWhenGone: false, onState: (s) => seen.push(s ? s.verdict.state : null) });
    await vi.waitFor(() => expect(seen).toEqual(['unsigned']));
    expect(w.asked[0]).toEqual({ type: 'tab/verdict', tabId: 3 });
    w.answer = async () => null;
    for (const l of w.clearedListeners) l();
    await vi.waitFor(() => expect(seen).toEqual(['unsigned', null]));
    // Still following: a new hub page in the tab reaches the popup.
    for (const l of w.stateListeners) l(state('checking'));
    expect(seen).toEqual(['unsigned', null, 'checking']);
    // While checking it asks again soon; refresh() asks at once.
    w.answer = async () => state('verified');
    vi.advanceTimersByTime(1500);
    await vi.waitFor(() => expect(seen.at(-1)).toBe('unsigned'));
    const asked = w.asked.length;
    f.refresh();
    expect(w.asked.length).toBe(asked + 1);
    f.stop();
    expect(w.stateListeners.size).toBe(0);
  });

  it('the popup reports a failed question and keeps asking', async () => {
    const errors: unknown[] = [];
    w.answer = () => Promise.reject(new RpcError('REFUSED', 'nope'));
    followTab(3, { ask: 'tab/verdict', stopWhenGone: false, onState: () => undefined, onError: (e) => errors.push(e) });
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    vi.advanceTimersByTime(15_000);
    await vi.waitFor(() => expect(errors).toHaveLength(2));
  });
});
