/**
 * `globalThis.modelsealSelfTest`: lets an end-to-end test run checks inside the real worker through
 * Playwright's `worker.evaluate` (Sigstore conformance, tab states). Reachable only from the
 * extension's own contexts; pages cannot see a worker's globals.
 */
import type { ModelSealWorker } from './worker.js';

export interface SelfTest {
  tabState(tabId: number): Promise<unknown>;
  allTabStates(): unknown[];
  verificationCount(): number;
  verifyBundle?: (...args: unknown[]) => Promise<unknown>;
}

export function installSelfTest(worker: ModelSealWorker, verifyBundle?: SelfTest['verifyBundle']): void {
  const api: SelfTest = {
    tabState: (tabId) => worker.tabs.get(tabId),
    allTabStates: () => worker.tabs.all(),
    verificationCount: () => worker.verifications,
  };
  if (verifyBundle) api.verifyBundle = verifyBundle;
  (globalThis as { modelsealSelfTest?: SelfTest }).modelsealSelfTest = api;
}
