import { beforeEach, describe, expect, it, vi } from 'vitest';

const rt = vi.hoisted(() => ({
  reply: undefined as unknown,
  sent: [] as unknown[],
  listeners: new Set<(m: unknown) => unknown>(),
}));

vi.mock('webextension-polyfill', () => ({
  default: {
    runtime: {
      sendMessage: async (m: unknown) => (rt.sent.push(m), rt.reply),
      onMessage: {
        addListener: (l: (m: unknown) => unknown) => void rt.listeners.add(l),
        removeListener: (l: (m: unknown) => unknown) => void rt.listeners.delete(l),
      },
    },
  },
}));

const { onPush, request, RpcError } = await import('../../../extension/shared/rpc.js');

describe('the typed call to the worker', () => {
  beforeEach(() => {
    rt.sent.length = 0;
    rt.listeners.clear();
  });

  it('sends the request as is and answers its value', async () => {
    rt.reply = { ok: true, value: 'exported' };
    await expect(request({ type: 'trust/export' })).resolves.toBe('exported');
    expect(rt.sent).toEqual([{ type: 'trust/export' }]);
  });

  it('throws the worker\'s error code, and NO_REPLY when nothing answered', async () => {
    rt.reply = { ok: false, error: { code: 'REFUSED', message: 'malformed message' } };
    await expect(request({ type: 'page/left' })).rejects.toMatchObject({ code: 'REFUSED', message: 'malformed message' });
    rt.reply = undefined;
    const e = await request({ type: 'page/left' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RpcError);
    expect(e).toMatchObject({ code: 'NO_REPLY' });
  });

  it('hands on pushes of the one type asked for, until unsubscribed', () => {
    const got: unknown[] = [];
    const off = onPush('tab/cleared', (p) => void got.push(p.tabId));
    for (const l of [...rt.listeners]) {
      l({ type: 'tab/state', state: { tabId: 1 } });
      l(null);
      l({ type: 'tab/cleared', tabId: 4 });
    }
    off();
    expect(rt.listeners.size).toBe(0);
    expect(got).toEqual([4]);
  });
});
