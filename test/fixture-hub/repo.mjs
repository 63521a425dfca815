// Building blocks for fixture repos: files (inline bytes, stored as git or LFS entries), commits
// (a file set at a 40-hex SHA) and repos (branches → commits), and the tree listing the Hub API
// returns for a commit (made by the fixture factory's hubTree).
import { createHash } from 'node:crypto';
import { factory } from './factory.mjs';

export const sha256Hex = (bytes) => createHash('sha256').update(bytes).digest('hex');
const sha1Hex = (bytes) => createHash('sha1').update(bytes).digest('hex');

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

/**
 * The recursive tree listing the Hub API returns for a commit's files (directories included), LFS
 * entries as each file says. A file's `lfsOid` replaces the SHA-256 the hub claims for it (and the
 * pointer blob id that follows from it), as when an LFS object changes after signing.
 */
export function treeListing(files) {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const items = factory.hubTree(Object.fromEntries(files.map((f) => [f.path, f.bytes])), { isLfs: (p) => Boolean(byPath.get(p)?.lfs) });
  for (const item of items) {
    const f = byPath.get(item.path);
    if (!item.lfs || !f?.lfsOid) continue;
    const pointer = factory.lfsPointer(f.bytes).replace(item.lfs.oid, f.lfsOid);
    item.oid = factory.gitBlobSha1(factory.utf8(pointer));
    item.lfs.oid = f.lfsOid;
  }
  return items;
}

/**
 * A repo: `kind` model|dataset, `id` owner/name, `commits` label → files, `branches` name → label.
 * Optional behaviour: `gated` (401 unless the session cookie is present), `rateLimitFirst` (that
 * many 429 answers before serving), `renamedFrom` (old id answered with 307), `pageScript` (extra
 * script in the HTML page, for hostile-page scenarios), `defaultBranch` (the branch the repo info
 * endpoint and the home page show; default `main`), `cardData` (the model card's metadata the revision and
 * repo info endpoints return, e.g. `{ base_model: 'org/name' }`). File downloads (`/resolve/`) answer `Range:
 * bytes=N-` with 206 unless `ignoreRange`; for LFS files, `lie` serves other bytes than the listing names (every
 * byte flipped; with `lieFrom` only the bytes from that offset on; with `honestFirst` only after that many honest
 * downloads of LFS files, e.g. the checker's); `truncateFirst` makes that many downloads end halfway (the full Content-Length
 * announced); `changeEtag` gives every answer another ETag (the file changed between requests).
 * `cardData`: the model card's metadata the revision and repo info answers carry (e.g. `{ base_model: 'org/name' }`).
 */
export function repo(def) {
  const commits = new Map();
  for (const [label, files] of Object.entries(def.commits)) commits.set(commitSha(`${def.id}:${label}`), { label, files });
  const branches = new Map(Object.entries(def.branches ?? { main: Object.keys(def.commits).at(-1) }).map(([b, label]) => [b, commitSha(`${def.id}:${label}`)]));
  return { kind: 'model', ...def, commits, branches };
}
