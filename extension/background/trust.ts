/**
 * The trust operations the popup reaches through the worker, over the core TrustStore (which owns
 * the document, its schema and its one serialized writer). Messages name a repo by hub and id; the
 * kind (model or dataset) is found from what the store has seen.
 */
import type { Signer } from '../core/verdict.js';
import type { TrustStore } from '../core/trust/store.js';
import type { RepoKind } from '../core/hubs/adapter.js';
import type { RepoRecord } from '../core/trust/types.js';
import type { AcceptPlan, PolicyChoice } from '../core/trust/accept.js';
import type { ImportDiff, ImportMode, ImportPreview } from '../core/trust/import.js';

export interface TrustApi {
  history(hub: string, repo: string): Promise<RepoRecord | null>;
  alerts(): Promise<{ alerts: unknown[]; unread: number }>;
  markAlertsRead(ids?: number[]): Promise<void>;
  acceptSigner(hub: string, repo: string, signer: Signer, confirmation: string, policy?: PolicyChoice, policyScope?: string): Promise<AcceptPlan>;
  previewAccept(hub: string, repo: string, signer: Signer): Promise<AcceptPlan>;
  snapshot(): Promise<unknown>;
  setExpected(scope: string, identity: string, issuer: string): Promise<void>;
  setExpectedKey(scope: string, publicKeyPem: string): Promise<void>;
  setExpectedCa(scope: string, caPems: string[]): Promise<void>;
  removeExpected(scope: string): Promise<void>;
  removePin(hub: string, repo: string): Promise<void>;
  setSignersPerRepo(k: number): Promise<void>;
  exportJson(): Promise<string>;
  previewImport(json: string): Promise<ImportPreview>;
  applyImport(json: string, mode: ImportMode, confirmation: string | undefined, previewId: string): Promise<ImportDiff>;
}

export function trustApi(store: TrustStore): TrustApi {
  const kindOf = async (hub: string, repo: string): Promise<RepoKind> => {
    for (const kind of ['model', 'dataset'] as const) if (await store.repo({ hub, kind, repo })) return kind;
    return 'model';
  };
  return {
    async history(hub, repo) {
      return (await store.repo({ hub, kind: await kindOf(hub, repo), repo })) ?? null;
    },
    alerts: () => store.alerts(),
    markAlertsRead: (ids) => store.markAlertsRead(ids),
    async acceptSigner(hub, repo, signer, confirmation, policy, policyScope) {
      return store.acceptSigner({ hub, kind: await kindOf(hub, repo), repo }, signer, confirmation, {
        ...(policy ? { policy } : {}),
        ...(policyScope !== undefined ? { policyScope } : {}),
      });
    },
    async previewAccept(hub, repo, signer) {
      return store.previewAccept({ hub, kind: await kindOf(hub, repo), repo }, signer);
    },
    snapshot: () => store.snapshot(),
    setExpected: (scope, identity, issuer) => store.setExpected({ scope, identity, issuer }),
    // The store validates the PEM; the cast only bridges Omit<> over its policy union.
    setExpectedKey: (scope, publicKeyPem) => store.setExpected({ kind: 'key', scope, publicKeyPem } as unknown as Parameters<TrustStore['setExpected']>[0]),
    setExpectedCa: (scope, caPems) => store.setExpected({ kind: 'certificate', scope, caPems }),
    removeExpected: (scope) => store.removeExpected(scope),
    async removePin(hub, repo) {
      await store.removePin({ hub, kind: await kindOf(hub, repo), repo });
    },
    setSignersPerRepo: (k) => store.setSignersPerRepo(k),
    exportJson: () => store.exportJson(),
    previewImport: (json) => store.previewImport(json),
    applyImport: (json, mode, confirmation, previewId) => store.applyImport(json, { mode, previewId, ...(confirmation !== undefined ? { confirmation } : {}) }),
  };
}
