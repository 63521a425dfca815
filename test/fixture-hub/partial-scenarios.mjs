// Fixture repos signed in part (issue 9 §3): a repo signed only in `original/` by a root model.sig
// (as OpenAI's `openai/privacy-filter`), a repo with two folder signatures and unsigned top-level
// files, and, with ../shared, OpenAI's real bundle itself. Key-signed ones use the fixture key,
// whose policy each scenario sets first.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { file, repo } from './repo.mjs';
import { factory } from './factory.mjs';

const HF_REAL = resolve(process.cwd(), '../shared/fixtures/hf-real');
const README = '# Partly signed fixture\n';

/** Files of a model folder, as a file map (path → bytes) and as hub files under `dir/`. */
function folder(dir, files, lfs = (p) => p.endsWith('.safetensors') || p.endsWith('.gguf')) {
  return Object.entries(files).map(([p, c]) => file(`${dir}/${p}`, c, { lfs: lfs(p) }));
}

const ORIGINAL = {
  'config.json': '{"model_type": "fixture", "hidden_size": 8}\n',
  'dtypes.json': '{"weights": "bf16"}\n',
  'model.safetensors': 'original weights, signed in original/\n',
};
const FP16 = { 'config.json': '{"dtype": "fp16"}\n', 'model.safetensors': 'fp16 weights\n' };
const Q4 = { 'model.gguf': 'q4 weights\n', 'tokenizer.json': '{"v": 1}\n' };

/** OpenAI's real root model.sig over `original/`, its signed digests listed as each file's LFS SHA-256. */
function openAiRepo() {
  const sig = readFileSync(resolve(HF_REAL, 'openai-privacy-filter.model.sig.json'));
  const info = JSON.parse(readFileSync(resolve(HF_REAL, 'openai-privacy-filter.model-info.json'), 'utf8'));
  const payload = JSON.parse(Buffer.from(JSON.parse(sig.toString('utf8')).dsseEnvelope.payload, 'base64').toString('utf8'));
  const signed = new Map(payload.predicate.resources.map((r) => [r.name, r.digest]));
  // The recording has file names only: placeholders, with every signed file's listed digest the signed one.
  const files = info.siblings
    .map((s) => s.rfilename)
    .filter((p) => p !== 'model.sig')
    .map((p) => {
      const d = p.startsWith('original/') ? signed.get(p.slice('original/'.length)) : undefined;
      return d ? file(p, `placeholder for ${p}\n`, { lfs: true, lfsOid: d }) : file(p, `placeholder for ${p}\n`, { lfs: /\.(safetensors|onnx|onnx_data.*)$/.test(p) });
    });
  return repo({ id: 'openai-fixture/privacy-filter', commits: { v1: [file('model.sig', sig), ...files] } });
}

export function hasHfReal() {
  return existsSync(resolve(HF_REAL, 'openai-privacy-filter.model.sig.json'));
}

export function partialSignatureRepos(key) {
  const rootOverOriginal = factory.signModel({ files: ORIGINAL, name: 'original', signer: key.signer }).signature;
  const fp16Sig = factory.signModel({ files: FP16, name: 'fp16', signer: key.signer }).signature;
  const q4Sig = factory.signModel({ files: Q4, name: 'q4', signer: key.signer }).signature;
  const repos = [
    repo({
      id: 'acme/original-only',
      commits: {
        v1: [
          file('model.sig', rootOverOriginal),
          ...folder('original', ORIGINAL),
          file('README.md', README),
          file('config.json', ORIGINAL['config.json']),
          file('model.safetensors', 'converted weights, not signed\n', { lfs: true }),
        ],
      },
    }),
    repo({
      id: 'acme/two-folders',
      commits: {
        v1: [
          file('fp16/model.sig', fp16Sig),
          ...folder('fp16', FP16),
          file('q4/model.sig', q4Sig),
          ...folder('q4', Q4),
          file('README.md', README),
          file('convert.py', 'print("converts fp16 to q4")\n'),
        ],
      },
    }),
  ];
  if (hasHfReal()) repos.push(openAiRepo());
  return repos;
}

export function partialSignatureScenarios(visit, keyPolicy) {
  const scenarios = [
    { name: 'root signature over original/ only', steps: [keyPolicy('acme/original-only'), visit('/acme/original-only', 'partly-signed')] },
    { name: 'two folder signatures', steps: [keyPolicy('acme/two-folders'), visit('/acme/two-folders', 'partly-signed')] },
  ];
  if (hasHfReal()) scenarios.push({ name: "OpenAI's real subfolder signature", steps: [visit('/openai-fixture/privacy-filter', 'partly-signed')] });
  return scenarios;
}
