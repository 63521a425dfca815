/**
 * `globalThis.modelsealSelfTest`: lets an end-to-end test run checks inside the real worker through
 * Playwright's `worker.evaluate` (the Sigstore conformance suite, tab states). Reachable only from
 * the extension's own contexts; hub pages cannot see a worker's globals.
 */
import { verifyConformanceCase, type ConformanceResult } from '../core/sigstore/conformance.js';
import { withPreverifiedSignatures } from '../core/sigstore/preverify.js';
import { base64ToBytes } from '../core/sigstore/shims/keys.js';
import type { ModelSealWorker } from './worker.js';
import { iconImages } from './icon.js';
import { VERDICT_STATES, type VerdictState } from '../core/verdict.js';
import type { TrustRootService } from './trust-root.js';

/** Conformance case input in JSON-safe form (worker.evaluate cannot pass Uint8Array). */
export interface SelfTestBundleInput {
  bundleJson: string;
  /** The artifact as base64, or its hex SHA-256. */
  artifactBase64?: string;
  artifactSha256?: string;
  identity?: string;
  issuer?: string;
  publicKeyPem?: string;
  trustedRootJson?: string;
}

type SelfTestResult = { ok: true; signer?: unknown } | Exclude<ConformanceResult, { ok: true }>;

export interface SelfTest {
  verifyBundle(input: SelfTestBundleInput): SelfTestResult;
  /** The same, with the worker's WebCrypto pre-verifying signature checks (the path page views take). */
  verifyBundleNative(input: SelfTestBundleInput): Promise<SelfTestResult>;
  tabState(tabId: number): Promise<unknown>;
  allTabStates(): unknown[];
  verificationCount(): number;
  /** RGBA of the toolbar icon's tile (16 px image, just inside the left edge) for a state. */
  iconTile(state: VerdictState): number[] | null;
  /**
   * Points the worker's trust root at another TUF repository, starting from `seedRootJson` (the
   * extension ships the real seed, which no test repository can chain from), with its expiry judged
   * `clockOffsetMs` ahead. Updates it at once; resolves to the status.
   */
  useTufRepository(baseUrl: string, seedRootJson: string, clockOffsetMs?: number): Promise<unknown>;
}

export function verifyBundle(input: SelfTestBundleInput): SelfTestResult {
  return plain(conformanceCase(input));
}

async function verifyBundleNative(input: SelfTestBundleInput): Promise<SelfTestResult> {
  return plain(await withPreverifiedSignatures(() => conformanceCase(input), crypto.subtle));
}

function conformanceCase(input: SelfTestBundleInput): ConformanceResult {
  const artifact = input.artifactSha256 !== undefined ? { sha256: input.artifactSha256 } : { bytes: base64ToBytes(input.artifactBase64 ?? '') };
  return verifyConformanceCase({
    bundleJson: input.bundleJson,
    artifact,
    ...(input.identity !== undefined ? { identity: input.identity } : {}),
    ...(input.issuer !== undefined ? { issuer: input.issuer } : {}),
    ...(input.publicKeyPem !== undefined ? { publicKeyPem: input.publicKeyPem } : {}),
    ...(input.trustedRootJson !== undefined ? { trustedRootJson: input.trustedRootJson } : {}),
  });
}

function plain(r: ConformanceResult): SelfTestResult {
  // Only plain data crosses worker.evaluate.
  return r.ok ? { ok: true, signer: JSON.parse(JSON.stringify(r.verification.signer)) as unknown } : r;
}

export function installSelfTest(worker: ModelSealWorker, trustRoot?: TrustRootService): void {
  const api: SelfTest = {
    verifyBundle,
    verifyBundleNative,
    tabState: (tabId) => worker.tabs.get(tabId),
    allTabStates: () => worker.tabs.all(),
    verificationCount: () => worker.verifications,
    iconTile: (state) => {
      if (!VERDICT_STATES.includes(state)) return null;
      const img = iconImages(state)?.['16'];
      if (!img) return null;
      const i = (8 * img.width + 1) * 4;
      return Array.from(img.data.slice(i, i + 4));
    },
    useTufRepository: async (baseUrl, seedRootJson, clockOffsetMs = 0) => {
      if (!trustRoot) throw new Error('no trust root service');
      trustRoot.useRepository({ baseUrl, seedRoot: new TextEncoder().encode(seedRootJson) }, clockOffsetMs);
      return trustRoot.update();
    },
  };
  (globalThis as { modelsealSelfTest?: SelfTest }).modelsealSelfTest = api;
}
