/**
 * The worker's logic in Node for tests: real core (verifyRevision, TrustStore, real key signatures)
 * over the fixture hub served as a fetch, with the browser APIs recorded instead of performed.
 */
import { expect } from 'vitest';
import { ModelSealWorker, type WorkerHost } from '../../../extension/background/worker.js';
import { RevisionChecker } from '../../../extension/background/revision-checker.js';
import { MemoryArea, SerializedStorage } from '../../../extension/background/storage.js';
import { TrustStore } from '../../../extension/core/trust/store.js';
import type { TabState } from '../../../extension/shared/messages.js';
import { createHubHandler, hubFetch } from '../../fixture-hub/hub.mjs';
import { repo, file, sha256Hex } from '../../fixture-hub/repo.mjs';
import { keySignedFiles, fixtureKey } from '../../fixture-hub/scenarios.mjs';

export const EXT = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/';
export const OWN = 'abcdefghijklmnopabcdefghijklmnop';
export const key = fixtureKey();

/**
 * A worker over three repos: `acme/signed` (key-signed), `acme/changed` (one file's listed digest
 * differs from the signed one) and `other/plain` (unsigned). `label` varies the signed content.
 */
export function setupWorker(label: string, { downloadIdBase = 0, extraRepos = [] as ReturnType<typeof repo>[], trustRoot = undefined as WorkerHost['trustRoot'] } = {}) {
  const signed = keySignedFiles(key, 30, label);
  const repos = [
    repo({ id: 'acme/signed', commits: { v1: signed } }),
    repo({ id: 'acme/changed', commits: { v1: signed.map((f) => (f.lfs && f.path.endsWith('00001.safetensors') ? { ...f, lfsOid: sha256Hex(Buffer.from('other')) } : f)) } }),
    repo({ id: 'other/plain', commits: { v1: [file('config.json', '{}')] } }),
    ...extraRepos,
  ];
  const hub = createHubHandler(repos);
  const local = new SerializedStorage(new MemoryArea());
  const store = new TrustStore(local);
  const pushed: TabState[] = [];
  const downloads = { paused: [] as number[], resumed: [] as number[], cancelled: [] as number[], started: [] as string[] };
  const opened: string[] = [];
  let requests = 0;
  const host: WorkerHost = {
    ownId: OWN,
    extensionBase: EXT,
    now: () => Date.now(),
    local,
    session: new MemoryArea(),
    checker: new RevisionChecker({ fetch: hubFetch(hub), trust: store, cache: local, now: () => Date.now(), maxHashBytes: () => 1 << 20, onRequest: () => requests++ }),
    trust: store,
    downloads: {
      pause: async (id) => void downloads.paused.push(id),
      resume: async (id) => void downloads.resumed.push(id),
      cancel: async (id) => void downloads.cancelled.push(id),
      download: async ({ url }) => (downloads.started.push(url), downloadIdBase + downloads.started.length),
    },
    openTab: async (url) => opened.push(url) + 100, // tab ids 101, 102, …
    pushToTab: (_id, s) => void pushed.push(s),
    showTabState: () => undefined,
    showAlertCount: () => undefined,
    ...(trustRoot ? { trustRoot } : {}),
  };
  const worker = new ModelSealWorker(host);
  return { worker, hub, repos, store, pushed, downloads, opened, requests: () => requests };
}

/** The key policy for acme/*, set the way the popup does it (through a validated message). */
export async function keyPolicy(worker: ModelSealWorker): Promise<void> {
  const reply = await worker.handle({ type: 'trust/set-expected-key', scope: 'acme/*', publicKeyPem: key.pem }, { id: OWN, url: `${EXT}popup/index.html` });
  expect(reply.ok).toBe(true);
}
