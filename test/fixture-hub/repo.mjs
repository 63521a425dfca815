// Building blocks for fixture repos: files (inline bytes, stored as git or LFS entries), commits
// (a file set at a 40-hex SHA) and repos (branches → commits). Pure data plus Node hashing.
import { createHash } from 'node:crypto';

export const sha256Hex = (bytes) => createHash('sha256').update(bytes).digest('hex');
const sha1Hex = (bytes) => createHash('sha1').update(bytes).digest('hex');

/** Git blob id of some bytes (what the Hub reports as `oid`). */
export function gitBlobOid(bytes) {
  return sha1Hex(Buffer.concat([Buffer.from(`blob ${bytes.length}\0`), bytes]));
}

/** Deterministic 40-hex commit id from a label. */
export function commitSha(label) {
  return sha1Hex(Buffer.from(`modelseal-fixture-commit:${label}`));
}

/**
 * A file as the hub stores it. `lfs: true` makes it an LFS entry whose `lfs.oid` is the SHA-256 the
 * hub claims (`lfsOid` overrides it to simulate a file changed after signing).
 */
export function file(path, bytes, opts = {}) {
  const data = typeof bytes === 'string' ? Buffer.from(bytes) : Buffer.from(bytes);
  return { path, bytes: data, lfs: Boolean(opts.lfs), lfsOid: opts.lfsOid };
}

/** The tree item the Hub API returns for a file. */
export function treeItem(f) {
  const item = { type: 'file', oid: gitBlobOid(f.bytes), size: f.bytes.length, path: f.path };
  if (f.lfs) {
    const pointer = `version https://git-lfs.github.com/spec/v1\noid sha256:${f.lfsOid ?? sha256Hex(f.bytes)}\nsize ${f.bytes.length}\n`;
    item.oid = gitBlobOid(Buffer.from(pointer));
    item.lfs = { oid: f.lfsOid ?? sha256Hex(f.bytes), size: f.bytes.length, pointerSize: pointer.length };
  }
  return item;
}

/**
 * A repo: `kind` model|dataset, `id` owner/name, `commits` label → files, `branches` name → label.
 * Optional behaviour: `gated` (401 unless the session cookie is present), `rateLimitFirst` (that
 * many 429 answers before serving), `renamedFrom` (old id answered with 307), `pageScript` (extra
 * script in the HTML page, for hostile-page scenarios).
 */
export function repo(def) {
  const commits = new Map();
  for (const [label, files] of Object.entries(def.commits)) commits.set(commitSha(`${def.id}:${label}`), { label, files });
  const branches = new Map(Object.entries(def.branches ?? { main: Object.keys(def.commits).at(-1) }).map(([b, label]) => [b, commitSha(`${def.id}:${label}`)]));
  return { kind: 'model', ...def, commits, branches };
}

export function commitOf(r, label) {
  return commitSha(`${r.id}:${label}`);
}
