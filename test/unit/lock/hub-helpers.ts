/** A fake hub with real signatures, for the lock tests: commits signed by the factory's signers, checked by verifyRevision. */
import { adapterFor } from '../../../extension/core/hubs/index.js';
import { verifyRevision } from '../../../extension/core/hub/verify-revision.js';
import type { RevisionCheck } from '../../../extension/core/hub/revision-check.js';
import { createLock, type LockDocument } from '../../../extension/core/lock/index.js';
import { createSigstoreSigner, createTestSigstore, signModel, type FileMap, type TestSigstore } from '../../factory/index.js';
import { FakeHub, fakeSha, type FakeFile } from '../hub/fake-hub.js';

const enc = new TextEncoder();
export const ID = 'alice@example.com';
export const ISSUER = 'https://accounts.example.com';
export const C1 = fakeSha('lock-commit-1');
export const C2 = fakeSha('lock-commit-2');
export const POLICIES = { signersPerRepo: 1, expected: [] };
export const NOW = 1_700_000_000_000;
export const MODEL: FileMap = { 'config.json': '{"hidden_size": 8}', 'model.safetensors': 'weights v1', 'tokenizer.json': '{"v":1}' };
const LFS = new Set(['model.safetensors']);

let sigstore: TestSigstore | undefined;
/** One test Sigstore per test file (its trusted root verifies the signers below). */
export function testSigstore(): TestSigstore {
  return (sigstore ??= createTestSigstore({ seed: 'lock-hub-tests' }));
}

export type ModelSigner = Parameters<typeof signModel>[0]['signer'];
export const sigstoreSigner = (identity = ID): ModelSigner => createSigstoreSigner(testSigstore(), { identity, issuer: ISSUER });

export function toFake(files: FileMap, signature: string): Record<string, FakeFile> {
  const out: Record<string, FakeFile> = { 'model.sig': { bytes: enc.encode(signature) } };
  for (const [p, c] of Object.entries(files)) out[p] = { bytes: typeof c === 'string' ? enc.encode(c) : c, lfs: LFS.has(p) };
  return out;
}

/** A repo whose main is C2 when there is one, else C1. */
export function hub(commits: Record<string, Record<string, FakeFile>>, id = 'acme/model'): FakeHub {
  return new FakeHub().add({ kind: 'model', id, refs: { main: C2 in commits ? C2 : C1 }, commits });
}

/** verifyRevision at `revision`, as a page view of the default branch head. */
export async function check(h: FakeHub, revision: string, extra: { publicKeyPems?: string[]; repo?: string } = {}): Promise<RevisionCheck> {
  const client = adapterFor('https://huggingface.co').createClient({ fetch: h.fetch, sleep: async () => undefined });
  const c = await verifyRevision({
    client,
    kind: 'model',
    repo: extra.repo ?? 'acme/model',
    revision,
    trustedRoot: testSigstore().trustedRoot(),
    clock: { now: () => NOW },
    ...(extra.publicKeyPems ? { publicKeyPems: extra.publicKeyPems } : {}),
  });
  c.atDefaultHead = true;
  return c;
}

export function lockFrom(c: RevisionCheck): LockDocument {
  if (c.outcome.status !== 'signed') throw new Error(JSON.stringify(c.outcome));
  const s = c.outcome.signatures?.[0];
  if (!s?.content || !c.commit) throw new Error('no content');
  return createLock({ hub: c.hub, kind: c.kind, repo: c.repo, commit: c.commit, evidence: s.evidence, content: s.content });
}
