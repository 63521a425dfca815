// Publisher and copy scenarios built from the real IBM signatures in ../shared/fixtures/hf-real (the
// bundles as the Hub served them; the model files themselves are not there, so each signed file is an
// LFS entry whose listed SHA-256 is the signed digest, which is what the extension checks on a page).
//   ibm-granite/granite-4.1-3b   the publisher's own repo, signed by its documented signer
//   copycat/granite-4.1-3b       an exact copy: the same files and the same model.sig, card names the base
//   requant/granite-4.1-3b-Q4    a re-quantized copy: the original's model.sig over other weights
//   unsloth/granite-4.1-3b       the real re-upload: IBM's signature over unsloth's files (README differs)
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SHARED } from './scenarios.mjs';
import { file, repo, sha256Hex } from './repo.mjs';

export const HF_REAL = resolve(SHARED, 'fixtures/hf-real');
export const hasHfReal = () => existsSync(resolve(HF_REAL, 'ibm-granite-granite-4.1-3b.model.sig.json'));

export const ORIGINAL = 'ibm-granite/granite-4.1-3b';
export const EXACT_COPY = 'copycat/granite-4.1-3b';
export const REQUANT_COPY = 'requant/granite-4.1-3b-Q4';
export const UNSLOTH_COPY = 'unsloth/granite-4.1-3b';

/** A real model.sig and one LFS entry per signed resource, listed with its signed digest. */
function signedFromReal(name) {
  const sig = readFileSync(resolve(HF_REAL, `${name}.model.sig.json`));
  const payload = JSON.parse(Buffer.from(JSON.parse(sig.toString('utf8')).dsseEnvelope.payload, 'base64').toString('utf8'));
  const files = payload.predicate.resources.map((r) => file(r.name, `stand-in bytes for ${r.name}\n`, { lfs: true, lfsOid: r.digest }));
  return { sig, files, rootDigest: payload.subject[0].digest.sha256 };
}

export function publisherRepos() {
  const ibm = signedFromReal('ibm-granite-granite-4.1-3b');
  const unsloth = signedFromReal('unsloth-granite-4.1-3b');
  const card = { base_model: [ORIGINAL] };
  // Re-quantized: the two safetensors shards are gone, one GGUF file is added.
  const requant = [
    ...ibm.files.filter((f) => !f.path.endsWith('.safetensors')),
    file('granite-4.1-3b-Q4_K_M.gguf', 'quantized weights', { lfs: true, lfsOid: sha256Hex(Buffer.from('quantized weights')) }),
  ];
  return {
    rootDigests: { ibm: ibm.rootDigest, unsloth: unsloth.rootDigest },
    repos: [
      repo({ id: ORIGINAL, commits: { v1: [file('model.sig', ibm.sig), ...ibm.files] } }),
      repo({ id: EXACT_COPY, cardData: card, commits: { v1: [file('model.sig', ibm.sig), ...ibm.files] } }),
      repo({ id: REQUANT_COPY, cardData: card, commits: { v1: [file('model.sig', ibm.sig), ...requant] } }),
      repo({ id: UNSLOTH_COPY, commits: { v1: [file('model.sig', unsloth.sig), ...unsloth.files] } }),
    ],
  };
}
