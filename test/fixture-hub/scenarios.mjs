// The scenario repos every end-to-end test, the demo and the bench use. Sigstore-signed repos carry
// the real public-good signatures from ../shared/fixtures/oms-real (identity stefanb@us.ibm.com);
// key-signed ones are signed here with a fresh P-256 key whose public half the test pins by policy.
import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { file, repo, sha256Hex } from './repo.mjs';
import { newSigningKey, keySignedBundle } from './sign.mjs';

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

/** n model files, every 10th an LFS "weights" file, with a key signature over all of them. */
export function keySignedFiles(key, n, name = 'model') {
  const files = [];
  for (let i = 0; i < n; i++) {
    const lfs = i % 10 === 0;
    files.push(file(lfs ? `weights/shard-${String(i).padStart(5, '0')}.safetensors` : `tokens/part-${String(i).padStart(5, '0')}.json`, `fixture ${name} file ${i}\n`, { lfs }));
  }
  return [file('model.sig', keySignedBundle(key, name, files)), ...files];
}

/**
 * Builds every scenario. Returns { repos, scenarios, key } where each scenario names the page to
 * visit, the state the toolbar must reach and any setup step.
 */
export function buildScenarios() {
  const key = newSigningKey();
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
      // v1 signed by the Sigstore identity, v2 by the fixture key (known to the user, so it verifies).
      commits: { v1: sig(), v2: keySignedFiles(key, 4, 'identity-change') },
      branches: { main: 'v2', old: 'v1' },
    }),
    repo({
      id: 'ibm-fixture/signature-removed',
      commits: { v1: sig(), v2: sig().filter((f) => f.path !== 'model.sig') },
      branches: { main: 'v2', old: 'v1' },
    }),
    repo({ id: 'ibm-fixture/invalid-signature', commits: { v1: sig().map((f) => (f.path === 'model.sig' ? { ...f, bytes: tamperSignature(f.bytes) } : f)) } }),
    repo({ id: 'ibm-fixture/gated', gated: true, commits: { v1: sigLfs() } }),
    repo({ id: 'ibm-fixture/rate-limited', rateLimitFirst: 1, commits: { v1: sigLfs() } }),
    repo({ id: 'acme/ten-thousand', commits: { v1: keySignedFiles(key, 10_000, 'ten-thousand') } }),
    repo({ id: 'ibm-fixture/new-name', renamedFrom: 'ibm-fixture/old-name', commits: { v1: sigLfs() } }),
    repo({ id: 'ibm-fixture/signed-data', kind: 'dataset', commits: { v1: sigLfs() } }),
    repo({ id: 'ibm-fixture/hostile-page', pageScript: HOSTILE_SCRIPT, commits: { v1: sigLfs() } }),
  ];
  const scenarios = [
    { name: 'Sigstore-signed, valid', path: '/ibm-fixture/sigstore-signed', expect: ['verified-first-use', 'verified'] },
    { name: 'key-signed, key pinned by policy', path: '/acme/key-signed', expect: ['verified', 'verified-first-use'], policy: { scope: 'acme/key-signed', key } },
    { name: 'unsigned', path: '/acme/unsigned', expect: ['unsigned'] },
    { name: 'LFS file changed after signing', path: '/ibm-fixture/lfs-changed', expect: ['files-changed'] },
    { name: 'extra unsigned file', path: '/ibm-fixture/extra-file', expect: ['files-changed'] },
    { name: 'identity changed', path: '/ibm-fixture/identity-change', before: '/ibm-fixture/identity-change/tree/old', expect: ['identity-changed'], knownKey: key },
    { name: 'signature removed', path: '/ibm-fixture/signature-removed', before: '/ibm-fixture/signature-removed/tree/old', expect: ['signature-removed'] },
    { name: 'invalid signature', path: '/ibm-fixture/invalid-signature', expect: ['invalid-signature'] },
    { name: 'gated (401), then signed in', path: '/ibm-fixture/gated', expect: ['unverifiable'], then: { signIn: true, expect: ['verified-first-use', 'verified'] } },
    { name: '429, then success', path: '/ibm-fixture/rate-limited', expect: ['verified-first-use', 'verified'] },
    { name: '10,000 files (paginated tree)', path: '/acme/ten-thousand', expect: ['verified', 'verified-first-use'], policy: { scope: 'acme/ten-thousand', key } },
    { name: 'renamed repo (307)', path: '/ibm-fixture/old-name', expect: ['verified-first-use', 'verified'] },
    { name: 'dataset repo', path: '/datasets/ibm-fixture/signed-data', expect: ['verified-first-use', 'verified'] },
    { name: 'hostile page script', path: '/ibm-fixture/hostile-page', expect: ['verified-first-use', 'verified'] },
  ];
  return { repos, scenarios, key };
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
