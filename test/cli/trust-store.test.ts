/**
 * `--trust-store FILE` parity: the extension's exported trust store decides in the CLI exactly as in
 * the extension. Each scenario is one export (made by the extension's TrustStore and exported with
 * its exportJson) and one repo revision; the extension's side is its own worker code (the
 * RevisionChecker over the fixture hub, with the export imported the way the popup imports it), the
 * CLI's side is the BUILT CLI's `download --json` against the same repos on a loopback Hub server.
 * Both must give the same state and failure code. `verify DIR --trust-store` is checked on the
 * downloaded copy with the same stores.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, ensureCliBuilt } from './built-cli.js';
import { startLoopbackHub, type LoopbackHub } from './loopback-hub.mjs';
import { KEY, OTHER_KEY, bytesOf } from './download-fixtures.js';
import { createSigstoreSigner, createTestSigstore, signModel } from '../factory/index.js';
import { file, repo, commitSha } from '../fixture-hub/repo.mjs';
import { createHubHandler, hubFetch } from '../fixture-hub/hub.mjs';
import { RevisionChecker } from '../../extension/background/revision-checker.js';
import { MemoryArea, SerializedStorage } from '../../extension/background/storage.js';
import { TrustStore } from '../../extension/core/trust/store.js';
import { repoKey, type TrustDocument } from '../../extension/core/trust/types.js';
import { DEFAULT_REVISION } from '../../extension/core/hub/revision-check.js';
import type { FetchLike } from '../../extension/core/env.js';
import type { Signer, Verdict } from '../../extension/core/verdict.js';

const ISSUER = 'https://issuer.example';
const sigstore = createTestSigstore({ seed: 'cli-trust-store' });
const root = sigstore.trustedRoot();
const signedBy = (identity: string, label: string) => {
  const model = { 'config.json': new TextEncoder().encode(`{"v": "${label}"}\n`), 'w.bin': new Uint8Array(bytesOf(`trust/${label}`, 200_000)) };
  const { signature } = signModel({ files: model, signer: createSigstoreSigner(sigstore, { identity, issuer: ISSUER }) });
  return [file('model.sig', signature), file('config.json', Buffer.from(model['config.json'])), file('w.bin', Buffer.from(model['w.bin']), { lfs: true })];
};
const keyed = (() => {
  const model = { 'w.bin': new Uint8Array(bytesOf('trust/keyed', 1000)) };
  return [file('model.sig', signModel({ files: model, signer: KEY.signer }).signature), file('w.bin', Buffer.from(model['w.bin']), { lfs: true })];
})();

const repos = [
  repo({ id: 'acme/sig', commits: { v1: signedBy('alice@example.com', 'v1'), v2: signedBy('alice@example.com', 'v2') } }),
  repo({ id: 'acme/bob', commits: { v1: signedBy('bob@example.com', 'bob') } }),
  repo({ id: 'acme/keyed', commits: { v1: keyed } }),
  repo({ id: 'acme/plain', commits: { v1: [file('w.bin', 'plain\n', { lfs: true })] } }),
];
const V1 = commitSha('acme/sig:v1');
const V2 = commitSha('acme/sig:v2');

const alice: Signer = { kind: 'sigstore', identity: 'alice@example.com', issuer: ISSUER };
const bob: Signer = { kind: 'sigstore', identity: 'bob@example.com', issuer: ISSUER };

let hub: LoopbackHub;
const roots: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'modelseal-ts-'));
  roots.push(d);
  return d;
};
let rootFile = '';

beforeAll(async () => {
  ensureCliBuilt();
  hub = await startLoopbackHub(repos);
  rootFile = join(temp(), 'trusted_root.json');
  writeFileSync(rootFile, JSON.stringify(root));
}, 300_000);
afterAll(async () => {
  await hub?.close();
  for (const d of roots) rmSync(d, { recursive: true, force: true });
});

function memoryStore(): TrustStore {
  return new TrustStore(new SerializedStorage(new MemoryArea()));
}

/** An export made by the extension's own store. */
async function exportOf(setup: (doc: TrustDocument, hubOrigin: string) => void): Promise<string> {
  const store = memoryStore();
  await store.update((doc) => setup(doc, hub.endpoint));
  return store.exportJson();
}

function pin(doc: TrustDocument, hubOrigin: string, name: string, signers: Signer[], signedSince?: number) {
  const ref = { hub: hubOrigin, kind: 'model' as const, repo: name };
  doc.repos[repoKey(ref)] = { ...ref, pins: signers.map((signer, i) => ({ signer, since: 1_700_000_000_000 + i, via: 'first-use' as const })), history: [], ...(signedSince ? { signedSince } : {}) };
}

/** The extension: the export imported as the popup does (preview, then apply), then the worker's verdict. */
async function extensionVerdict(exported: string, name: string, revision?: string): Promise<Verdict> {
  const store = memoryStore();
  const preview = await store.previewImport(exported);
  await store.applyImport(exported, { mode: 'replace', previewId: preview.replace.id, ...(preview.replace.confirmation ? { confirmation: preview.replace.confirmation } : {}) });
  const checker = new RevisionChecker({
    fetch: hubFetch(createHubHandler(repos)) as FetchLike,
    trust: store,
    cache: new SerializedStorage(new MemoryArea()),
    now: () => Date.now(),
    maxHashBytes: () => 1 << 20,
    trustedRoot: root,
  });
  return checker.verdictFor({ hub: hub.endpoint, kind: 'model', repo: name, revision: revision ?? DEFAULT_REVISION });
}

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('HF_')) env[k] = v;
  env.HF_HOME = join(temp(), 'hf');
  return new Promise((done) => execFile(process.execPath, [cliPath, ...args], { cwd: temp(), env, timeout: 120_000 }, (err, stdout, stderr) => done({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr })));
}

async function cliVerdict(exported: string, spec: string): Promise<{ verdict: Verdict; code: number | null; dir: string; storeFile: string }> {
  const d = temp();
  const storeFile = join(d, 'trust.json');
  writeFileSync(storeFile, exported);
  const dir = join(d, 'copy');
  const r = await run(['download', spec, dir, '--endpoint', hub.endpoint, '--trust-store', storeFile, '--trusted-root', rootFile, '--json']);
  expect(r.code === 0 || r.code === 1, r.stderr).toBe(true);
  return { verdict: JSON.parse(r.stdout).verdict as Verdict, code: r.code, dir, storeFile };
}

const code = (v: Verdict) => ('failure' in v ? v.failure.code : undefined);

type Scenario = { name: string; setup: (doc: TrustDocument, h: string) => void; repo: string; revision?: string; state: Verdict['state']; code?: string };
const scenarios: Scenario[] = [
  { name: 'empty store, default branch head: first use', setup: () => {}, repo: 'acme/sig', state: 'verified-first-use' },
  { name: 'empty store, an older commit: not the default branch', setup: () => {}, repo: 'acme/sig', revision: V1, state: 'unpinned-revision', code: 'NOT_DEFAULT_BRANCH' },
  { name: 'empty store, the head named by SHA: first use (head looked up)', setup: () => {}, repo: 'acme/sig', revision: V2, state: 'verified-first-use' },
  { name: 'pinned signer', setup: (d, h) => pin(d, h, 'acme/sig', [alice]), repo: 'acme/sig', state: 'verified' },
  { name: 'pinned signer, older commit', setup: (d, h) => pin(d, h, 'acme/sig', [alice]), repo: 'acme/sig', revision: V1, state: 'verified' },
  { name: 'another signer pinned, k = 1', setup: (d, h) => pin(d, h, 'acme/sig', [bob]), repo: 'acme/sig', state: 'identity-changed', code: 'IDENTITY_MISMATCH' },
  {
    name: 'another signer pinned, k = 2: room for a second',
    setup: (d, h) => {
      pin(d, h, 'acme/sig', [bob]);
      d.settings.signersPerRepo = 2;
    },
    repo: 'acme/sig',
    state: 'verified-first-use',
  },
  {
    name: 'owner policy with a glob',
    setup: (d) => void d.expected.push({ kind: 'sigstore', scope: 'acme/*', identity: '*@example.com', glob: true, issuer: ISSUER, createdAt: 1 }),
    repo: 'acme/bob',
    state: 'verified',
  },
  {
    name: 'repo policy naming someone else',
    setup: (d) => void d.expected.push({ kind: 'sigstore', scope: 'acme/bob', identity: 'alice@example.com', glob: false, issuer: ISSUER, createdAt: 1 }),
    repo: 'acme/bob',
    state: 'identity-changed',
    code: 'IDENTITY_MISMATCH',
  },
  { name: 'key-signed repo, no key in the store', setup: () => {}, repo: 'acme/keyed', state: 'unverifiable', code: 'VERIFICATION_MATERIAL_UNSUPPORTED' },
  { name: 'key policy with the signing key', setup: (d) => void d.expected.push({ kind: 'key', scope: 'acme/keyed', publicKeyPem: KEY.pem, createdAt: 1 }), repo: 'acme/keyed', state: 'verified' },
  { name: 'key policy with another key', setup: (d) => void d.expected.push({ kind: 'key', scope: 'acme/keyed', publicKeyPem: OTHER_KEY.pem, createdAt: 1 }), repo: 'acme/keyed', state: 'invalid-signature', code: 'KEY_MISMATCH' },
  { name: 'seen signed before, now unsigned', setup: (d, h) => pin(d, h, 'acme/plain', [alice], 1_700_000_000_000), repo: 'acme/plain', state: 'signature-removed', code: 'SIGNATURE_REMOVED' },
  { name: 'never signed', setup: () => {}, repo: 'acme/plain', state: 'unsigned' },
];

describe('--trust-store: the CLI decides as the extension does', () => {
  for (const s of scenarios) {
    it(s.name, async () => {
      const exported = await exportOf(s.setup);
      const ext = await extensionVerdict(exported, s.repo, s.revision);
      const spec = s.revision ? `${s.repo}@${s.revision}` : s.repo;
      const { verdict, code: exit, dir } = await cliVerdict(exported, spec);
      expect({ state: verdict.state, code: code(verdict) }).toEqual({ state: ext.state, code: code(ext) });
      expect({ state: ext.state, code: code(ext) }).toEqual({ state: s.state, code: s.code });
      const good = s.state === 'verified' || s.state === 'verified-first-use';
      expect(exit).toBe(good ? 0 : 1);
      // Refused before downloading: nothing at all was written.
      if (!good) expect(existsSync(dir)).toBe(false);
    }, 60_000);
  }
});

describe('verify DIR --trust-store', () => {
  it('judges a copy on disk by the store: pinned signer verified, another pinned signer refused, no first use from disk', async () => {
    const pinned = await exportOf((d, h) => pin(d, h, 'acme/sig', [alice]));
    const { dir, code: exit } = await cliVerdict(pinned, 'acme/sig');
    expect(exit).toBe(0);
    const storeFile = join(temp(), 'pinned.json');
    writeFileSync(storeFile, pinned);
    const ok = await run(['verify', dir, '--trust-store', storeFile, '--repo', 'acme/sig', '--endpoint', hub.endpoint, '--trusted-root', rootFile]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('Verified: signed by alice@example.com');

    const other = join(temp(), 'other.json');
    writeFileSync(other, await exportOf((d, h) => pin(d, h, 'acme/sig', [bob])));
    const changed = await run(['verify', dir, '--trust-store', other, '--repo', 'acme/sig', '--endpoint', hub.endpoint, '--trusted-root', rootFile]);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain('NOT VERIFIED (identity-changed)');

    const empty = join(temp(), 'empty.json');
    writeFileSync(empty, await exportOf(() => {}));
    const first = await run(['verify', dir, '--trust-store', empty, '--repo', 'acme/sig', '--endpoint', hub.endpoint, '--trusted-root', rootFile]);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('[NOT_DEFAULT_BRANCH]');

    // Another hub's pins do not apply: pins are per hub, kind and repo.
    const elsewhere = await run(['verify', dir, '--trust-store', storeFile, '--repo', 'acme/sig', '--endpoint', 'https://hf-mirror.com', '--trusted-root', rootFile]);
    expect(elsewhere.code).toBe(1);

    const bad = join(temp(), 'bad.json');
    writeFileSync(bad, '{"format": "something else"}');
    const refused = await run(['verify', dir, '--trust-store', bad, '--repo', 'acme/sig']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('STORE_INVALID');
  }, 120_000);
});
