// Fixture repos for base-model lineage and listing pages. Lineage: a fine-tune whose card names a
// signed base (the fixture key, trusted by a `lineage-fixture/*` key policy), an unsigned one and
// one changed after signing. Listing: an organisation of `count` models of which `signed` carry a
// key signature (spread through the list), served by the fixture hub as an org page and by
// `/api/models?author=…`.
import { file, repo, sha256Hex } from './repo.mjs';
import { keySignedFiles } from './scenarios.mjs';

export const LINEAGE_OWNER = 'lineage-fixture';
export const FINETUNE = `${LINEAGE_OWNER}/finetune`;
export const BASE_SIGNED = `${LINEAGE_OWNER}/base-signed`;
// Outside the policy's scope: under `lineage-fixture/*` the policy would expect a signature (signature removed).
export const BASE_UNSIGNED = 'plain-fixture/base-unsigned';
export const BASE_CHANGED = `${LINEAGE_OWNER}/base-changed`;

export function lineageRepos(key) {
  const base = keySignedFiles(key, 6, 'lineage-base');
  // One LFS weight listed with another digest than the signed one: changed after signing.
  const changed = base.map((f) => (f.lfs && f.path.endsWith('00001.safetensors') ? { ...f, lfsOid: sha256Hex(Buffer.from('re-quantized weights')) } : f));
  return [
    repo({ id: BASE_SIGNED, commits: { v1: base } }),
    repo({ id: BASE_UNSIGNED, commits: { v1: [file('config.json', '{"hidden_size": 8}\n'), file('model.safetensors', 'unsigned weights', { lfs: true })] } }),
    repo({ id: BASE_CHANGED, commits: { v1: changed } }),
    repo({ id: FINETUNE, commits: { v1: keySignedFiles(key, 6, 'lineage-finetune') }, cardData: { base_model: [BASE_SIGNED, BASE_UNSIGNED, BASE_CHANGED] } }),
  ];
}

/** Indices of the signed models: spread through the list, so marks land above and below the fold. */
export function signedIndices(count, signed) {
  return Array.from({ length: signed }, (_, i) => Math.floor(((i + 0.5) * count) / signed));
}

/** `owner/model-000`…: `signed` of them key-signed, the rest unsigned. */
export function listingRepos(key, { owner = 'listing-org', count = 200, signed = 5 } = {}) {
  const marked = new Set(signedIndices(count, signed));
  const repos = [];
  for (let i = 0; i < count; i++) {
    const id = `${owner}/model-${String(i).padStart(3, '0')}`;
    const files = marked.has(i) ? keySignedFiles(key, 3, `listing-${i}`) : [file('config.json', `{"index": ${i}}\n`), file('model.safetensors', `weights ${i}`, { lfs: true })];
    repos.push(repo({ id, commits: { v1: files } }));
  }
  return repos;
}
