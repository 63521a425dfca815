// A test TUF repository whose trusted_root.json target trusts the factory's test Sigstore instance,
// and a model signed by that instance: with it, a trust root update is what makes the signature
// verifiable (the production root does not know the test CA or logs).
import { createTestSigstore, type TestSigstore } from './sigstore.js';
import { createSigstoreSigner } from './signers.js';
import { signModel } from './model.js';
import { TestTufRepo } from './tuf.js';

export const TUF_TEST_IDENTITY = 'release@tuf.sigstore.test';
export const TUF_TEST_ISSUER = 'https://issuer.sigstore.test';

export interface SigstoreTuf {
  sigstore: TestSigstore;
  tuf: TestTufRepo;
  /** Bytes of 1.root.json, the seed a client starts from. */
  seedRoot: Uint8Array;
}

/** The repository's metadata expiry is counted from `now` (timestamp 7 days, snapshot 30, targets 180). */
export function sigstoreTuf(now = new Date()): SigstoreTuf {
  const sigstore = createTestSigstore();
  const tuf = new TestTufRepo('modelseal-tuf-sigstore', now);
  tuf.target = new TextEncoder().encode(JSON.stringify(sigstore.trustedRoot()));
  const seedRoot = tuf.publishRoot();
  tuf.publish();
  return { sigstore, tuf, seedRoot };
}

/** model.sig text and the files it signs, by the test Sigstore instance. */
export function sigstoreSignedModel(sigstore: TestSigstore, name = 'tuf-model'): { signature: string; files: Record<string, Uint8Array> } {
  const files = { 'config.json': new TextEncoder().encode(`{"model":"${name}"}\n`), 'weights.bin': new TextEncoder().encode(`weights of ${name}\n`) };
  const { signature } = signModel({ files, signer: createSigstoreSigner(sigstore, { identity: TUF_TEST_IDENTITY, issuer: TUF_TEST_ISSUER }), name });
  return { signature, files };
}
