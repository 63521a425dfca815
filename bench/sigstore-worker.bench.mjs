// Sigstore bundle verification inside the extension's service worker (Chromium, the built extension):
// pure JS, and with the worker's WebCrypto pre-verifying the signature checks (the path page views
// take), against @sigstore/verify on Node's native crypto in this process. Prints ms/op and ratios;
// target ≤ 1.5× native with WebCrypto.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleFromJSON } from '@sigstore/bundle';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { launchWithExtension } from '../test/fixture-hub/browser.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));
const fixtures = resolve(repo, '../shared/fixtures');
const N = Number(process.env.BENCH_N ?? 24);
if (!existsSync(fixtures)) {
  console.log(`sigstore worker bench: ${fixtures} not found, nothing to measure`);
  process.exit(0);
}
const text = (p) => readFileSync(p, 'utf8');
const conformance = join(fixtures, 'sigstore-conformance/bundle-verify');
const production = join(fixtures, 'sigstore-public-good/targets_trusted_root.json');
const DEFAULT_ID = 'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';
const DEFAULT_ISSUER = 'https://token.actions.githubusercontent.com';
const OMS = { identity: 'stefanb@us.ibm.com', issuer: 'https://sigstore.verify.ibm.com/oauth2' };
const artifact = readFileSync(join(conformance, 'a.txt'));
const cases = [
  { name: 'OMS model.sig v1.0.1 (DSSE, Rekor v1)', bundle: join(fixtures, 'oms-real/v1.0.1-sigstore/model.sig'), root: production, policy: OMS, dsse: true },
  { name: 'OMS model.sig v1.1.0 (DSSE, Rekor v1 + TSA)', bundle: join(fixtures, 'oms-real/v1.1.0-sigstore/model.sig'), root: production, policy: OMS, dsse: true },
  { name: 'conformance happy-path-v0.3 (hashedrekord)', bundle: join(conformance, 'happy-path-v0.3/bundle.sigstore.json'), root: production, policy: { identity: DEFAULT_ID, issuer: DEFAULT_ISSUER } },
  { name: 'conformance rekor2-happy-path (Rekor v2 + TSA; includes parsing its root)', bundle: join(conformance, 'rekor2-happy-path/bundle.sigstore.json'), root: join(conformance, 'rekor2-happy-path/trusted_root.json'), policy: { identity: DEFAULT_ID, issuer: DEFAULT_ISSUER } },
];

function nodeNative(c) {
  const verifier = new Verifier(toTrustMaterial(TrustedRoot.fromJSON(JSON.parse(text(c.root)))), { tlogThreshold: 1, ctlogThreshold: 1, timestampThreshold: 1 });
  const bundle = JSON.parse(text(c.bundle));
  const policy = { subjectAlternativeName: c.policy.identity, extensions: { issuer: c.policy.issuer } };
  const run = () => verifier.verify(toSignedEntity(bundleFromJSON(bundle), c.dsse ? undefined : artifact), policy);
  for (let i = 0; i < 5; i++) run();
  const times = [];
  for (let i = 0; i < N; i++) {
    const t = process.hrtime.bigint();
    run();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

const b = await launchWithExtension();
try {
  const rows = [];
  for (const c of cases) {
    const input = {
      bundleJson: text(c.bundle),
      artifactBase64: artifact.toString('base64'),
      identity: c.policy.identity,
      issuer: c.policy.issuer,
      // The production root is the worker's built-in one (parsed once, as for page views); a custom
      // root is passed as text and parsed on every call, so that row includes root parsing.
      ...(c.root === production ? {} : { trustedRootJson: text(c.root) }),
    };
    if (c.dsse) {
      // OMS bundles are DSSE: the artifact is the statement's subject digest.
      const env = JSON.parse(input.bundleJson).dsseEnvelope;
      const statement = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8'));
      delete input.artifactBase64;
      input.artifactSha256 = statement.subject[0].digest.sha256;
    }
    const [pure, webcrypto] = await b.worker.evaluate(async ({ input, n }) => {
      const st = globalThis.modelsealSelfTest;
      const median = (xs) => xs.sort((a, x) => a - x)[Math.floor(xs.length / 2)];
      const time = async (f) => {
        for (let i = 0; i < 5; i++) await f();
        const out = [];
        for (let i = 0; i < n; i++) {
          const t = performance.now();
          const r = await f();
          out.push(performance.now() - t);
          if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
        }
        return median(out);
      };
      return [await time(() => st.verifyBundle(input)), await time(() => st.verifyBundleNative(input))];
    }, { input, n: N });
    const native = nodeNative(c);
    rows.push({
      bundle: c.name,
      'Node native ms/op': native.toFixed(2),
      'worker pure JS ms/op': pure.toFixed(2),
      'pure JS ratio': (pure / native).toFixed(2) + '×',
      'worker WebCrypto ms/op': webcrypto.toFixed(2),
      ratio: (webcrypto / native).toFixed(2) + '×',
    });
  }
  const geo = (k) => Math.exp(rows.reduce((s, r) => s + Math.log(parseFloat(r[k])), 0) / rows.length);
  console.log(`Sigstore bundle verification in the service worker (Chromium), median of ${N} after 5 warm-up, vs @sigstore/verify on Node ${process.version}`);
  console.table(rows);
  console.log(`geometric mean ratio worker/native: pure JS ${geo('pure JS ratio').toFixed(2)}×, with WebCrypto ${geo('ratio').toFixed(2)}× (target ≤ 1.5×)`);
} finally {
  await b.context.close();
}
