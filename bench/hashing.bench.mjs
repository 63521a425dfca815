// CLI hashing throughput: `modelseal verify --key` on a 1 GiB model directory (8 × 128 MiB files,
// signed here with a fresh P-256 key) against `openssl dgst -sha256` over the same files. Both read
// from the page cache after a warm-up pass. Target: CLI throughput ≥ 0.7 × OpenSSL.
import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync, randomFillSync, sign } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cli = new URL('../dist/cli/modelseal.js', import.meta.url).pathname;
if (!existsSync(cli)) {
  console.error('hashing bench: dist/cli/modelseal.js missing, run `npm run build` first');
  process.exit(1);
}
if (spawnSync('openssl', ['version']).status !== 0) {
  console.error('hashing bench: openssl not found');
  process.exit(1);
}

const FILES = 8;
const FILE_SIZE = 128 * 1024 * 1024;
const CHUNK = 16 * 1024 * 1024;
const RUNS = 3;

const root = mkdtempSync(join(tmpdir(), 'modelseal-hash-bench-'));
try {
  const model = join(root, 'model');
  mkdirSync(model);
  const names = [];
  const resources = [];
  const buf = Buffer.allocUnsafe(CHUNK);
  for (let f = 0; f < FILES; f++) {
    const name = `model-${String(f + 1).padStart(5, '0')}-of-${String(FILES).padStart(5, '0')}.safetensors`;
    const h = createHash('sha256');
    const parts = [];
    for (let off = 0; off < FILE_SIZE; off += CHUNK) {
      randomFillSync(buf);
      h.update(buf);
      parts.push(Buffer.from(buf));
    }
    writeFileSync(join(model, name), Buffer.concat(parts));
    names.push(name);
    resources.push({ name, algorithm: 'sha256', digest: h.digest('hex') });
  }
  // A model_signing 1.1-shaped key signature over the statement.
  const root256 = createHash('sha256');
  for (const r of resources) root256.update(Buffer.from(r.digest, 'hex'));
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'model', digest: { sha256: root256.digest('hex') } }],
    predicateType: 'https://model_signing/signature/v1.0',
    predicate: { serialization: { method: 'files', hash_type: 'sha256', allow_symlinks: false, ignore_paths: ['model.sig'] }, resources },
  };
  const payload = Buffer.from(JSON.stringify(statement, null, 2));
  const type = 'application/vnd.in-toto+json';
  const pae = Buffer.concat([Buffer.from(`DSSEv1 ${type.length} ${type} ${payload.length} `), payload]);
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = publicKey.export({ type: 'spki', format: 'pem' });
  const bundle = {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { publicKey: { hint: createHash('sha256').update(pem).digest('hex') }, tlogEntries: [] },
    dsseEnvelope: { payload: payload.toString('base64'), payloadType: type, signatures: [{ sig: sign('sha256', pae, privateKey).toString('base64'), keyid: '' }] },
  };
  writeFileSync(join(model, 'model.sig'), JSON.stringify(bundle));
  writeFileSync(join(root, 'key.pem'), pem);

  const time = (cmd, args) => {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr}`);
    return s;
  };
  const opensslArgs = ['dgst', '-sha256', ...names.map((n) => join(model, n))];
  const cliArgs = [cli, 'verify', '--key', join(root, 'key.pem'), model];
  time('openssl', opensslArgs); // warm the page cache
  time(process.execPath, cliArgs);
  const best = (f) => Math.min(...Array.from({ length: RUNS }, f));
  const tOpenssl = best(() => time('openssl', opensslArgs));
  const tCli = best(() => time(process.execPath, cliArgs));
  const gib = (FILES * FILE_SIZE) / 2 ** 30;
  const ratio = tOpenssl / tCli;
  const rows = [
    ['data', `${FILES} files, ${gib.toFixed(2)} GiB`],
    ['openssl dgst -sha256 (best of 3)', `${tOpenssl.toFixed(2)} s  ${(gib / tOpenssl).toFixed(2)} GiB/s`],
    ['modelseal verify --key (best of 3)', `${tCli.toFixed(2)} s  ${(gib / tCli).toFixed(2)} GiB/s`],
    ['throughput ratio (CLI / openssl)', ratio.toFixed(2)],
    ['target', '≥ 0.70'],
    ['result', ratio >= 0.7 ? 'PASS' : 'FAIL'],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
