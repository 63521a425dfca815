/**
 * The trust operations the popup reaches through the worker. Backed by the core TrustStore
 * (extension/core/trust) over the worker's serialized storage; only this file adapts it.
 */
import type { Signer } from '../core/verdict.js';
import { ModelSealError } from '../core/errors.js';

export interface TrustApi {
  history(hub: string, repo: string): Promise<unknown>;
  alerts(): Promise<unknown[]>;
  markAlertsRead(): Promise<unknown>;
  acceptSigner(hub: string, repo: string, signer: Signer, confirmation: string): Promise<unknown>;
  snapshot(): Promise<unknown>;
  setExpected(scope: string, identity: string, issuer: string): Promise<unknown>;
  removeExpected(scope: string): Promise<unknown>;
  removePin(hub: string, repo: string): Promise<unknown>;
  exportJson(): Promise<string>;
  importJson(json: string): Promise<unknown>;
}

const missing = async (): Promise<never> => {
  throw new ModelSealError('INTERNAL_ERROR', 'the trust store is not available in this build');
};

/** Used until the core trust store is wired: every trust operation fails closed. */
export const unavailableTrust: TrustApi = {
  history: missing,
  alerts: async () => [],
  markAlertsRead: missing,
  acceptSigner: missing,
  snapshot: missing,
  setExpected: missing,
  removeExpected: missing,
  removePin: missing,
  exportJson: missing,
  importJson: missing,
};
