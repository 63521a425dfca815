// Sigstore bundle verification: our browser build (dist/cli/core-lib.js: sigstore-js on the noble
// crypto adapter) against @sigstore/verify on Node's native crypto, same bundles, same trusted roots
// (prepared once on both sides). Prints ms/op and the ratio, pure JS and with WebCrypto pre-verifying
// the ECDSA checks (sigstore/preverify.ts); target ≤ 1.5× native with WebCrypto.
// "native" is sigstore-js as published; "native+enc" is the same with our one-pass DER encoder
// (sigstore/shims/der-encode.ts) swapped into its ASN1Obj, i.e. native without the re-encoding cost
// ours no longer pays: the stricter yardstick.
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import { bundleFromJSON } from '@sigstore/bundle';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { ASN1Obj } from '@sigstore/core';

const repo = fileURLToPath(new URL('..', import.meta.url));
const fixtures = resolve(repo, '../shared/fixtures');
const lib = join(repo, 'dist/cli/core-lib.js');
const N = Number(process.env.BENCH_N ?? 40);
const WARMUP = 5;

if (!existsSync(lib)) {
  console.log('sigstore bench: dist/cli/core-lib.js missing, run `npm run build` (or `node scripts/build.mjs cli`) first');
  process.exit(1);
}
if (!existsSync(fixtures)) {
  console.log(`sigstore bench: ${fixtures} not found, nothing to measure`);
  process.exit(0);
}
const ours = await import(lib);
const publishedToDer = ASN1Obj.prototype.toDER;
const oursToDer = function toDER() {
  return ours.encodeDer(this);
};

const conformance = join(fixtures, 'sigstore-conformance/bundle-verify');
const DEFAULT_ID = 'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';
const DEFAULT_ISSUER = 'https://token.actions.githubusercontent.com';
const json = (p) => JSON.parse(readFileSync(p, 'utf8'));
const production = json(join(fixtures, 'sigstore-public-good/targets_trusted_root.json'));

const OMS = { identity: 'stefanb@us.ibm.com', issuer: 'https://sigstore.verify.ibm.com/oauth2' };
const cases = [
  { name: 'OMS model.sig v1.0.1 (DSSE, Rekor v1)', bundle: json(join(fixtures, 'oms-real/v1.0.1-sigstore/model.sig')), root: production, policy: OMS },
  { name: 'OMS model.sig v1.1.0 (DSSE, Rekor v1 + TSA)', bundle: json(join(fixtures, 'oms-real/v1.1.0-sigstore/model.sig')), root: production, policy: OMS },
  {
    name: 'conformance happy-path-v0.3 (hashedrekord)',
    bundle: json(join(conformance, 'happy-path-v0.3/bundle.sigstore.json')),
    root: production,
    policy: { identity: DEFAULT_ID, issuer: DEFAULT_ISSUER },
    artifact: readFileSync(join(conformance, 'a.txt')),
  },
  {
    name: 'conformance rekor2-happy-path (Rekor v2 + TSA)',
    bundle: json(join(conformance, 'rekor2-happy-path/bundle.sigstore.json')),
    root: json(join(conformance, 'rekor2-happy-path/trusted_root.json')),
    policy: { identity: DEFAULT_ID, issuer: DEFAULT_ISSUER },
    artifact: readFileSync(join(conformance, 'a.txt')),
  },
];

const ROUNDS = 8;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The machine is shared: interleave the sides in rounds and take each side's median round. */
async function timeSides(sides) {
  for (let i = 0; i < WARMUP; i++) for (const f of sides) await f();
  const per = Math.max(1, Math.round(N / ROUNDS));
  const times = sides.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, f] of sides.entries()) {
      globalThis.gc?.();
      const t = process.hrtime.bigint();
      for (let k = 0; k < per; k++) await f();
      times[i].push(Number(process.hrtime.bigint() - t) / 1e6 / per);
    }
  }
  return times.map(median);
}

const rows = [];
for (const c of cases) {
  // Native: the upstream recipe, trust material prepared once (ours caches it per root object too).
  const verifier = new Verifier(toTrustMaterial(TrustedRoot.fromJSON(c.root)), { tlogThreshold: 1, ctlogThreshold: 1, timestampThreshold: 1 });
  const nativePolicy = { subjectAlternativeName: c.policy.identity, extensions: { issuer: c.policy.issuer } };
  const native = () => {
    ASN1Obj.prototype.toDER = publishedToDer;
    return verifier.verify(toSignedEntity(bundleFromJSON(c.bundle), c.artifact), nativePolicy);
  };
  const nativeEnc = () => {
    ASN1Obj.prototype.toDER = oursToDer;
    try {
      return verifier.verify(toSignedEntity(bundleFromJSON(c.bundle), c.artifact), nativePolicy);
    } finally {
      ASN1Obj.prototype.toDER = publishedToDer;
    }
  };
  const options = { policy: c.policy, trustedRoot: c.root, ...(c.artifact ? { artifact: { bytes: new Uint8Array(c.artifact) } } : {}) };
  const browser = () => ours.verifySigstoreBundle(c.bundle, options);
  const webcrypto = () => ours.withPreverifiedSignatures(browser, globalThis.crypto.subtle);
  native();
  nativeEnc();
  browser();
  await webcrypto();
  const [n, ne, b, w] = await timeSides([native, nativeEnc, browser, webcrypto]);
  rows.push({
    bundle: c.name,
    'native ms/op': n.toFixed(2),
    'native+enc ms/op': ne.toFixed(2),
    'ours pure JS ms/op': b.toFixed(2),
    'pure JS ratio': (b / n).toFixed(2) + '×',
    'ours WebCrypto ms/op': w.toFixed(2),
    ratio: (w / n).toFixed(2) + '×',
    'ratio vs native+enc': (w / ne).toFixed(2) + '×',
  });
}
const geoOf = (key) => Math.exp(rows.reduce((s, r) => s + Math.log(parseFloat(r[key])), 0) / rows.length);
console.log(`Sigstore bundle verification, ${N} iterations in ${ROUNDS} interleaved rounds (median) after ${WARMUP} warm-up (Node ${process.version}); sha256 of core-lib ${createHash('sha256').update(readFileSync(lib)).digest('hex').slice(0, 12)}`);
console.table(rows);
console.log(`geometric mean ratio ours/native: pure JS ${geoOf('pure JS ratio').toFixed(2)}×, with WebCrypto ${geoOf('ratio').toFixed(2)}× (target ≤ 1.5×); with WebCrypto vs native+enc ${geoOf('ratio vs native+enc').toFixed(2)}×`);
