/**
 * Stale tab state (finding 7), in the worker's logic: a tab that leaves the hub page its state is
 * about loses that state, and `frame/verdict` is answered only to a frame embedded in a hub page of
 * the tab it asks about. The end-to-end side (real navigation, web-accessible resources) is in
 * test/e2e/attacks-tabs.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ModelSealWorker, type WorkerHost } from '../../../extension/background/worker.js';
import { MemoryArea, SerializedStorage } from '../../../extension/background/storage.js';
import { validate } from '../../../extension/background/validate.js';
import type { RevisionChecker } from '../../../extension/background/revision-checker.js';
import type { TrustStore } from '../../../extension/core/trust/store.js';

const HUB = 'https://huggingface.co';
const EXT = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/';
const OWN = 'abcdefghijklmnopabcdefghijklmnop';
const PAGE = `${HUB}/acme/signed`;
const isHub = (u: string) => u.startsWith(`${HUB}/`);

function setup() {
  const cleared: number[] = [];
  const session = new MemoryArea();
  const host: WorkerHost = {
    ownId: OWN,
    extensionBase: EXT,
    now: () => 1,
    local: new SerializedStorage(new MemoryArea()),
    session,
    // Never called here: states are put in place through the registry.
    checker: {} as RevisionChecker,
    trust: {} as TrustStore,
    downloads: { pause: async () => undefined, resume: async () => undefined, cancel: async () => undefined, download: async () => 1 },
    openTab: async () => undefined,
    pushToTab: () => undefined,
    showTabState: () => undefined,
    showAlertCount: () => undefined,
    tabCleared: (id) => void cleared.push(id),
  };
  const worker = new ModelSealWorker(host);
  /** Tab 7 shows acme/signed with a final "verified" verdict. */
  const verified = () => {
    const gen = worker.tabs.begin(7, { url: PAGE, hub: HUB, kind: 'model', repo: 'acme/signed' });
    worker.tabs.finish(7, gen, { state: 'unsigned', checkedAt: 1 });
  };
  return { worker, cleared, session, verified };
}

const frame = (tabUrl: string | undefined, frameId = 3) => ({ id: OWN, url: `${EXT}extension/pages/frame.html?tab=7`, tab: tabUrl === undefined ? { id: 7 } : { id: 7, url: tabUrl }, frameId });

describe('tab state follows the tab off the hub', () => {
  it('navigating to another site (URL hidden from us) clears the state, its session copy, and tells open views', async () => {
    const { worker, cleared, session, verified } = setup();
    verified();
    await worker.tabNavigated(7, undefined);
    expect(await worker.tabs.get(7)).toBeUndefined();
    expect((await session.get('tab:7'))['tab:7']).toBeUndefined();
    expect(cleared).toEqual([7]);
  });

  it('navigating to a visible non-hub URL, a hub non-repo page or another repo clears it; the same repo keeps it', async () => {
    for (const url of ['https://evil.example/acme/signed', `${HUB}/settings/profile`, `${HUB}/acme/other`, `${HUB}/datasets/acme/signed`]) {
      const { worker, verified } = setup();
      verified();
      await worker.tabNavigated(7, url);
      expect(await worker.tabs.get(7), url).toBeUndefined();
    }
    const { worker, cleared, verified } = setup();
    verified();
    await worker.tabNavigated(7, `${PAGE}/tree/main`);
    expect((await worker.tabs.get(7))?.verdict.state).toBe('unsigned');
    expect(cleared).toEqual([]);
  });

  it('a verification finishing after the tab left changes nothing', async () => {
    const { worker } = setup();
    const gen = worker.tabs.begin(7, { url: PAGE, hub: HUB, kind: 'model', repo: 'acme/signed' });
    await worker.tabNavigated(7, undefined);
    expect(worker.tabs.finish(7, gen, { state: 'unsigned', checkedAt: 2 })).toBe(false);
    expect(await worker.tabs.get(7)).toBeUndefined();
  });
});

describe('frame/verdict is for frames embedded in a hub page of that tab', () => {
  it('refuses a frame whose tab is not on a hub page, the top frame, and frames asking about other tabs', () => {
    const msg = { type: 'frame/verdict', tabId: 7 };
    expect(validate(msg, frame('https://evil.example/embed'), OWN, EXT, isHub)).toMatchObject({ ok: false, reason: 'frame is not in a hub page' });
    expect(validate(msg, frame(undefined), OWN, EXT, isHub)).toMatchObject({ ok: false, reason: 'frame is not in a hub page' });
    expect(validate(msg, frame(`${EXT}extension/pages/frame.html?tab=7`, 0), OWN, EXT, isHub)).toMatchObject({ ok: false, reason: 'frame is not embedded' });
    expect(validate(msg, { ...frame(PAGE), frameId: undefined }, OWN, EXT, isHub)).toMatchObject({ ok: false });
    expect(validate({ type: 'frame/verdict', tabId: 8 }, frame(PAGE), OWN, EXT, isHub)).toMatchObject({ ok: false, reason: 'frame asked about another tab' });
    expect(validate(msg, { id: OWN, url: `${EXT}extension/pages/frame.html?tab=7`, frameId: 3 }, OWN, EXT, isHub)).toMatchObject({ ok: false });
    expect(validate(msg, frame(PAGE), OWN, EXT, isHub).ok).toBe(true);
  });

  it('a stale state (navigation event missed) is not handed to a frame in a page about another repo', async () => {
    const { worker, verified } = setup();
    verified();
    const other = await worker.handle({ type: 'frame/verdict', tabId: 7 }, frame(`${HUB}/acme/other`));
    expect(other).toEqual({ ok: true, value: null });
    const evil = await worker.handle({ type: 'frame/verdict', tabId: 7 }, frame('https://evil.example/embed'));
    expect(evil).toMatchObject({ ok: false, error: { code: 'REFUSED' } });
    const own = await worker.handle({ type: 'frame/verdict', tabId: 7 }, frame(`${PAGE}/tree/main`));
    expect(own).toMatchObject({ ok: true, value: { tabId: 7, verdict: { state: 'unsigned' } } });
  });
});
