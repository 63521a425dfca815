// Fixture repos with multi-commit histories for the signing history (issue 8 §1–§2): the same key
// signer over many versions; a signer change (real IBM Granite Sigstore signatures from
// ../shared/fixtures/hf-real, then the real oms-real Sigstore signature, whose files are at the head);
// a removal and a re-signing; 1,000 commits with 3 signature versions; a 429 in the middle of a walk.
// Commits are linear in declaration order; non-signature commits edit .gitattributes (never signed: ignored at the model root), so commits
// outnumber signature versions.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { file, repo } from './repo.mjs';
import { keySignedFiles, OMS_REAL, SHARED } from './scenarios.mjs';

const HF_REAL = resolve(SHARED, 'fixtures/hf-real');

/** The real files of an oms-real Sigstore fixture (model.sig and the files it signs). */
function omsReal(dir) {
  const read = (n) => readFileSync(resolve(OMS_REAL, dir, n));
  return ['model.sig', 'signme-1', 'signme-2', 'ignore-me'].map((n) => file(n, read(n)));
}

/** A real Hugging Face model.sig (its model files are not here: only the signature is checked in history). */
const hfRealSig = (name) => file('model.sig', readFileSync(resolve(HF_REAL, `${name}.model.sig.json`)));

/** The same bundle with its DSSE signature's first byte changed. */
function tampered(f) {
  const b = JSON.parse(f.bytes.toString('utf8'));
  const sig = Buffer.from(b.dsseEnvelope.signatures[0].sig, 'base64');
  sig[8] ^= 0x01;
  b.dsseEnvelope.signatures[0].sig = sig.toString('base64');
  return { ...f, bytes: Buffer.from(JSON.stringify(b)) };
}

const readme = (i) => file('.gitattributes', `# history fixture revision ${i}\n`);

export const HISTORY_REPOS = {
  sameSigner: 'history-fixture/same-signer',
  signerChange: 'history-fixture/signer-change',
  removal: 'history-fixture/removal',
  long: 'history-fixture/long',
  rateLimited: 'history-fixture/rate-limited',
};

/** `versions` key-signed versions, each followed by `gap` README-only commits; returns label → files. */
function keySignedHistory(key, name, versions, gap) {
  const commits = {};
  for (let v = 0; v < versions; v++) {
    const signed = keySignedFiles(key, 3, `${name}-v${v}`);
    commits[`v${v}`] = [...signed, readme(`v${v}`)];
    for (let g = 0; g < gap; g++) commits[`v${v}-edit${g}`] = [...signed, readme(`v${v}-${g}`)];
  }
  return commits;
}

/**
 * The history repos. `key`: the fixture key (scenarios.mjs fixtureKey) for key-signed ones, trusted
 * through a key policy by the tests. Needs ../shared (the real signatures).
 */
export function historyRepos(key) {
  // 14 versions by the same key, each with a README edit after it: 28 commits.
  const same = repo({ id: HISTORY_REPOS.sameSigner, commits: keySignedHistory(key, 'same', 14, 1) });

  // Two versions by Granite-sign@ibm.com (Sigstore; the first is the copy unsloth published), one that
  // does not verify, an edit, then stefanb's v1.0.1 and v1.1.0 signatures.
  const oldReal = omsReal('v1.0.1-sigstore');
  const change = repo({
    id: HISTORY_REPOS.signerChange,
    commits: {
      g1: [hfRealSig('unsloth-granite-4.1-3b'), readme('g1')],
      g2: [hfRealSig('ibm-granite-granite-4.1-3b'), readme('g2')],
      // A version whose signature does not verify (one byte of the DSSE signature changed): that row fails.
      bad: [tampered(hfRealSig('ibm-granite-granite-4.1-3b')), readme('bad')],
      edit: [tampered(hfRealSig('ibm-granite-granite-4.1-3b')), readme('edit')],
      s1: [...oldReal, readme('s1')],
      s2: [...omsReal('v1.1.0-sigstore'), readme('s2')],
    },
    titles: { g1: 'Sign model', g2: 'Re-sign model.sig files', bad: 'Broken signature', edit: 'Update README', s1: 'New signing key owner', s2: 'Re-sign' },
  });

  // Signed, then model.sig deleted, an edit, then signed again (the same real signature and files,
  // so every commit's files match it). `old` keeps the first commit.
  const real = omsReal('v1.1.0-sigstore');
  const removal = repo({
    id: HISTORY_REPOS.removal,
    commits: {
      a1: [...real, readme('a1')],
      a2: [...real.filter((f) => f.path !== 'model.sig'), readme('a2')],
      a3: [...real.filter((f) => f.path !== 'model.sig'), readme('a3')],
      a4: [...real, readme('a4')],
    },
    titles: { a2: 'Remove model.sig', a4: 'Sign again' },
    branches: { main: 'a4', old: 'a1' },
  });

  // 1,000 commits, signature versions at commits 0, 400 and 800.
  const longCommits = {};
  let signed = [];
  for (let i = 0; i < 1000; i++) {
    if (i % 400 === 0) signed = keySignedFiles(key, 3, `long-v${i}`);
    longCommits[`c${i}`] = [...signed, readme(i)];
  }
  const long = repo({ id: HISTORY_REPOS.long, commits: longCommits });

  // The third history request is answered 429 (then served): the walk waits and goes on.
  const rateLimited = repo({ id: HISTORY_REPOS.rateLimited, commits: keySignedHistory(key, 'rl', 4, 1), rateLimitHistoryAt: 3 });

  return [same, change, removal, long, rateLimited];
}
