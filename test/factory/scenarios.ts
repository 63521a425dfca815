// Ready-made signed example models for the fixture hub, the demo and end-to-end tests. Every
// scenario is deterministic and carries what a verifier needs (trusted root, public key or CA).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { utf8 } from './bytes.js';
import { signModel, type FileMap, type HashType, type Method } from './model.js';
import { writeModel } from './hub.js';
import { createCaSigner, createKeySigner, createSigstoreSigner } from './signers.js';
import { createTestSigstore, type TestSigstore } from './sigstore.js';

export type ScenarioVerification =
  | { method: 'sigstore'; identity: string; issuer: string; trustedRoot: Record<string, unknown> }
  | { method: 'key'; publicKeyPem: string }
  | { method: 'certificate'; caPems: string[] };

export interface Scenario {
  name: string;
  description: string;
  /** The files as published (may differ from what was signed, for negative scenarios). */
  files: FileMap;
  /** model.sig content. */
  signature: string;
  verify: ScenarioVerification;
  /** What a correct verifier concludes. */
  expect: 'verified' | 'mismatch' | 'unsigned-file' | 'missing-file' | 'wrong-identity';
  method: Method;
  hashType: HashType;
}

export const SCENARIO_IDENTITY = 'release-bot@modelseal.test';
export const SCENARIO_ISSUER = 'https://accounts.modelseal.test';
export const SCENARIO_WORKFLOW_IDENTITY =
  'https://github.com/modelseal-test/models/.github/workflows/release.yml@refs/heads/main';
export const SCENARIO_WORKFLOW_ISSUER = 'https://token.actions.githubusercontent.com';

/** A small deterministic "weights" blob. */
function weights(seed: number, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** A small model laid out like a Hugging Face repo. */
export function exampleModelFiles(seed = 1): FileMap {
  return {
    '.gitattributes': '*.safetensors filter=lfs diff=lfs merge=lfs -text\n',
    'README.md': `# Example model ${seed}\n\nA tiny model used by ModelSeal's tests.\n`,
    'config.json': JSON.stringify({ architectures: ['TinyModel'], hidden_size: 16, seed }, null, 2) + '\n',
    'model.safetensors': weights(seed, 4096),
    'tokenizer.json': JSON.stringify({ version: '1.0', model: { type: 'BPE' } }) + '\n',
    'tokenizer/vocab.json': JSON.stringify({ '<s>': 0, '</s>': 1, a: 2 }) + '\n',
  };
}

/** Builds every scenario; pass a TestSigstore to share one instance (and trusted root) with a test. */
export function buildScenarioModels(sigstore: TestSigstore = createTestSigstore()): Scenario[] {
  const trustedRoot = sigstore.trustedRoot();
  const scenarios: Scenario[] = [];
  const base = { method: 'files' as Method, hashType: 'sha256' as HashType };

  const v1 = createSigstoreSigner(sigstore, { identity: SCENARIO_IDENTITY, issuer: SCENARIO_ISSUER, log: 'rekor-v1' });
  const sigstoreVerify: ScenarioVerification = { method: 'sigstore', identity: SCENARIO_IDENTITY, issuer: SCENARIO_ISSUER, trustedRoot };
  const files1 = exampleModelFiles(1);
  const signed1 = signModel({ files: files1, signer: v1, name: 'sigstore-rekor-v1' });
  scenarios.push({ ...base, name: 'sigstore-rekor-v1', description: 'Sigstore (email identity), Rekor v1 entry with SET and inclusion proof', files: files1, signature: signed1.signature, verify: sigstoreVerify, expect: 'verified' });

  const v2 = createSigstoreSigner(sigstore, { identity: SCENARIO_WORKFLOW_IDENTITY, issuer: SCENARIO_WORKFLOW_ISSUER, log: 'rekor-v2', timestamp: 'tsa' });
  const files2 = exampleModelFiles(2);
  const signed2 = signModel({ files: files2, signer: v2, name: 'sigstore-rekor-v2' });
  scenarios.push({ ...base, name: 'sigstore-rekor-v2', description: 'Sigstore (workflow URI identity), Rekor v2 entry with RFC 3161 timestamp', files: files2, signature: signed2.signature, verify: { method: 'sigstore', identity: SCENARIO_WORKFLOW_IDENTITY, issuer: SCENARIO_WORKFLOW_ISSUER, trustedRoot }, expect: 'verified' });

  const key256 = createKeySigner('P-256');
  const files3 = exampleModelFiles(3);
  const signed3 = signModel({ files: files3, signer: key256, name: 'key-p256' });
  scenarios.push({ ...base, name: 'key-p256', description: 'ECDSA P-256 key, model_signing 1.1 bundle (publicKey.hint)', files: files3, signature: signed3.signature, verify: { method: 'key', publicKeyPem: key256.publicKeyPem }, expect: 'verified' });

  const key384 = createKeySigner('P-384', { style: 'rawBytes' });
  const files4 = exampleModelFiles(4);
  const signed4 = signModel({ files: files4, signer: key384, name: 'key-p384-v1.0', method: 'shards', shardSize: 1024, hashType: 'blake2b', recordIgnorePaths: false });
  scenarios.push({ name: 'key-p384-v1.0', description: 'ECDSA P-384 key, model_signing 1.0-style bundle (publicKey.rawBytes), shards of 1024 bytes, BLAKE2b', files: files4, signature: signed4.signature, verify: { method: 'key', publicKeyPem: key384.publicKeyPem }, expect: 'verified', method: 'shards', hashType: 'blake2b' });

  const ca = createCaSigner();
  const files5 = exampleModelFiles(5);
  const signed5 = signModel({ files: files5, signer: ca, name: 'certificate', hashType: 'blake3' });
  scenarios.push({ name: 'certificate', description: 'Certificate chain to a private CA, BLAKE3', files: files5, signature: signed5.signature, verify: { method: 'certificate', caPems: [ca.caPem] }, expect: 'verified', method: 'files', hashType: 'blake3' });

  // Negative scenarios: valid signatures, published files differ.
  const files6 = exampleModelFiles(6);
  const signed6 = signModel({ files: files6, signer: v1, name: 'tampered-weights' });
  const tampered = { ...files6, 'model.safetensors': weights(666, 4096) };
  scenarios.push({ ...base, name: 'tampered-weights', description: 'Signed by the Sigstore identity, then model.safetensors was replaced', files: tampered, signature: signed6.signature, verify: sigstoreVerify, expect: 'mismatch' });

  const files7 = exampleModelFiles(7);
  const signed7 = signModel({ files: files7, signer: key256, name: 'extra-file' });
  scenarios.push({ ...base, name: 'extra-file', description: 'Key-signed, then an unsigned pickle was added', files: { ...files7, 'extra/payload.pkl': utf8('not signed') }, signature: signed7.signature, verify: { method: 'key', publicKeyPem: key256.publicKeyPem }, expect: 'unsigned-file' });

  const files8 = exampleModelFiles(8);
  const signed8 = signModel({ files: files8, signer: key256, name: 'missing-file' });
  const { 'tokenizer.json': _dropped, ...without } = files8;
  scenarios.push({ ...base, name: 'missing-file', description: 'Key-signed, then tokenizer.json was deleted', files: without, signature: signed8.signature, verify: { method: 'key', publicKeyPem: key256.publicKeyPem }, expect: 'missing-file' });

  const files9 = exampleModelFiles(9);
  const impostor = createSigstoreSigner(sigstore, { identity: 'mallory@modelseal.test', issuer: SCENARIO_ISSUER, log: 'rekor-v1' });
  const signed9 = signModel({ files: files9, signer: impostor, name: 'wrong-identity' });
  scenarios.push({ ...base, name: 'wrong-identity', description: 'Valid Sigstore signature by a different identity than the expected one', files: files9, signature: signed9.signature, verify: sigstoreVerify, expect: 'wrong-identity' });

  return scenarios;
}

/**
 * Writes each scenario to `dir/<name>/` (files + model.sig) and its verification material next to
 * it: `dir/<name>.verify.json` plus `trusted_root.json`, `key.pub` or `ca.pem` in `dir/<name>.trust/`.
 */
export function writeScenarioModels(dir: string, scenarios: Scenario[] = buildScenarioModels()): Scenario[] {
  for (const s of scenarios) {
    writeModel(join(dir, s.name), { ...s.files, 'model.sig': s.signature });
    const trust = join(dir, `${s.name}.trust`);
    mkdirSync(trust, { recursive: true });
    const v = s.verify;
    const material: Record<string, unknown> = { method: v.method, expect: s.expect, description: s.description };
    if (v.method === 'sigstore') {
      writeFileSync(join(trust, 'trusted_root.json'), JSON.stringify(v.trustedRoot, null, 2));
      Object.assign(material, { identity: v.identity, issuer: v.issuer, trustedRoot: `${s.name}.trust/trusted_root.json` });
    } else if (v.method === 'key') {
      writeFileSync(join(trust, 'key.pub'), v.publicKeyPem);
      material['key'] = `${s.name}.trust/key.pub`;
    } else {
      writeFileSync(join(trust, 'ca.pem'), v.caPems.join(''));
      material['ca'] = `${s.name}.trust/ca.pem`;
    }
    writeFileSync(join(dir, `${s.name}.verify.json`), JSON.stringify(material, null, 2) + '\n');
  }
  return scenarios;
}
