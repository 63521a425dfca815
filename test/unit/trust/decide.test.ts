import { describe, expect, it } from 'vitest';
import { decide, orderUncovered, wouldPinOnFirstUse, type RepoTrustState, type TrustPolicies } from '../../../extension/core/trust/decide.js';
import { globMatches } from '../../../extension/core/trust/signer.js';
import { DEFAULT_REVISION, type RevisionCheck, type RevisionOutcome, type VerifiedSignature } from '../../../extension/core/hub/revision-check.js';
import type { ExpectedIdentity, Pin } from '../../../extension/core/trust/types.js';
import type { FileResult, SignatureEvidence, Signer } from '../../../extension/core/verdict.js';

const ALICE: Signer = { kind: 'sigstore', identity: 'alice@example.com', issuer: 'https://accounts.example.com' };
const MALLORY: Signer = { kind: 'sigstore', identity: 'mallory@example.com', issuer: 'https://accounts.example.com' };
const ALICE_OTHER_ISSUER: Signer = { ...ALICE, issuer: 'https://evil.example' };
const KEY: Signer = { kind: 'key', keyFingerprint: 'a'.repeat(64) };
const OK_FILES: FileResult[] = [{ path: 'w.bin', status: 'verified', expected: 'aa', actual: 'aa', algorithm: 'sha256' }];

function evidence(signer: Signer): SignatureEvidence {
  return { signer, logEntries: [], timestamps: [], rootDigest: 'r'.repeat(64), predicateType: 'https://model_signing/signature/v1.0' };
}
function check(outcome: RevisionOutcome, commit = 'c'.repeat(40)): RevisionCheck {
  // The default branch head unless a test says otherwise (only it may pin on first use).
  return { hub: 'https://huggingface.co', kind: 'model', repo: 'acme/model', revision: 'main', commit, checkedAt: 5000, outcome, requests: 3, atDefaultHead: true };
}
function signed(signer: Signer, files: FileResult[] = OK_FILES, ignoreUnsignedFiles = false): RevisionCheck {
  return check({ status: 'signed', signatureFiles: ['model.sig'], evidence: evidence(signer), files, ignoreUnsignedFiles });
}
const pin = (signer: Signer, since = 1000): Pin => ({ signer, since, via: 'first-use' });
const P1: TrustPolicies = { signersPerRepo: 1, expected: [] };
const EMPTY: RepoTrustState = { pins: [] };

describe('decide', () => {
  it('first verified signature: verified-first-use and a pin', () => {
    const d = decide(signed(ALICE), EMPTY, P1);
    expect(d.verdict).toMatchObject({ state: 'verified-first-use', trustedSince: 5000, subject: { repo: 'acme/model', commit: 'c'.repeat(40) } });
    expect(d.newPin).toEqual({ signer: ALICE, since: 5000, via: 'first-use', commit: 'c'.repeat(40) });
  });

  it('same signer later: verified with trustedSince, no new pin', () => {
    const d = decide(signed({ ...ALICE }), { pins: [pin(ALICE, 1234)] }, P1);
    expect(d.verdict).toMatchObject({ state: 'verified', trustedSince: 1234 });
    expect(d.newPin).toBeUndefined();
  });

  it('different signer (or same identity, other issuer): identity-changed with old and new', () => {
    for (const who of [MALLORY, ALICE_OTHER_ISSUER, KEY]) {
      const d = decide(signed(who), { pins: [pin(ALICE)] }, P1);
      expect(d.verdict.state).toBe('identity-changed');
      if (d.verdict.state !== 'identity-changed') return;
      expect(d.verdict.previousSigners).toEqual([ALICE]);
      expect(d.verdict.signature.signer).toEqual(who);
      expect(d.verdict.failure.code).toBe('IDENTITY_MISMATCH');
      expect(d.newPin).toBeUndefined();
    }
  });

  it('keeps hostile identity text out of the one-line reason', () => {
    const evil: Signer = { kind: 'sigstore', identity: 'alice@example.com\u202e\nmoc.evil', issuer: 'https://x' };
    const d = decide(signed(evil), { pins: [pin(ALICE)] }, P1);
    if (d.verdict.state !== 'identity-changed') throw new Error(d.verdict.state);
    expect(d.verdict.failure.reason).not.toMatch(/[\u202e\n]/);
    expect(d.verdict.failure.reason).toContain('⟦U+202E⟧⟦U+000A⟧');
  });

  it('k signers per repo: a second signer is pinned when k = 2, a third is a change', () => {
    const P2 = { signersPerRepo: 2, expected: [] };
    const d = decide(signed(MALLORY), { pins: [pin(ALICE)] }, P2);
    expect(d.verdict.state).toBe('verified-first-use');
    expect(d.newPin?.signer).toEqual(MALLORY);
    expect(decide(signed(KEY), { pins: [pin(ALICE), pin(MALLORY)] }, P2).verdict.state).toBe('identity-changed');
  });

  it('signed before, unsigned now: signature-removed', () => {
    const d = decide(check({ status: 'unsigned' }), { pins: [pin(ALICE)] }, P1);
    expect(d.verdict).toMatchObject({ state: 'signature-removed', previousSigners: [ALICE], failure: { code: 'SIGNATURE_REMOVED' } });
    expect(decide(check({ status: 'unsigned' }), { pins: [], signedSince: 1 }, P1).verdict.state).toBe('signature-removed');
    expect(decide(check({ status: 'unsigned' }), EMPTY, P1).verdict.state).toBe('unsigned');
  });

  it('files differ: files-changed naming the files; never a pin', () => {
    const files: FileResult[] = [
      ...OK_FILES,
      { path: 'a.bin', status: 'mismatch' },
      { path: 'gone.bin', status: 'missing' },
      { path: 'extra.py', status: 'unsigned' },
      { path: '.gitattributes', status: 'ignored' },
    ];
    const d = decide(signed(ALICE, files), EMPTY, P1);
    expect(d.verdict.state).toBe('files-changed');
    if (d.verdict.state === 'files-changed') {
      expect(d.verdict.failure.code).toBe('FILES_MISMATCH');
      expect(d.verdict.failure.reason).toContain('3 files');
      expect(d.verdict.failure.reason).toContain('a.bin, gone.bin, extra.py');
    }
    expect(d.newPin).toBeUndefined();
    // Per-file signatures: an uncovered file is not a changed file, but the repo is only partly signed.
    const perFile = decide(signed(ALICE, [...OK_FILES, { path: 'README.md', status: 'unsigned' }], true), EMPTY, P1);
    expect(perFile.verdict).toMatchObject({ state: 'partly-signed', uncovered: ['README.md'], failure: { code: 'PARTLY_SIGNED' } });
  });

  it('identity change outranks file changes; unchecked files are never verified', () => {
    const files: FileResult[] = [{ path: 'a.bin', status: 'mismatch' }];
    expect(decide(signed(MALLORY, files), { pins: [pin(ALICE)] }, P1).verdict.state).toBe('identity-changed');
    const unchecked = decide(signed(ALICE, [...OK_FILES, { path: 'big.bin', status: 'unchecked', reason: 'too large' }]), { pins: [pin(ALICE)] }, P1);
    expect(unchecked.verdict).toMatchObject({ state: 'unverifiable', failure: { code: 'TOO_LARGE_TO_HASH' } });
  });

  it('passes invalid and unverifiable outcomes through with their codes', () => {
    const inv = decide(check({ status: 'invalid-signature', signatureFiles: ['model.sig'], failure: { code: 'SIGNATURE_INVALID', reason: 'bad' } }), { pins: [pin(ALICE)] }, P1);
    expect(inv.verdict).toMatchObject({ state: 'invalid-signature', failure: { code: 'SIGNATURE_INVALID' } });
    const unv = decide(check({ status: 'unverifiable', failure: { code: 'RATE_LIMITED', reason: 'slow down' } }), EMPTY, P1);
    expect(unv.verdict).toMatchObject({ state: 'unverifiable', failure: { code: 'RATE_LIMITED' } });
    expect(unv.newPin).toBeUndefined();
  });

  describe('expected identities', () => {
    const exact: ExpectedIdentity = { kind: 'sigstore', scope: 'acme/model', identity: 'alice@example.com', glob: false, issuer: 'https://accounts.example.com', createdAt: 77 };
    const ownerGlob: ExpectedIdentity = { kind: 'sigstore', scope: 'acme/*', identity: '*@example.com', glob: true, issuer: 'https://accounts.example.com', createdAt: 88 };

    it('a matching signer is verified (not first use) and pinned by policy', () => {
      const d = decide(signed(ALICE), EMPTY, { signersPerRepo: 1, expected: [exact] });
      expect(d.verdict).toMatchObject({ state: 'verified', trustedSince: 77 });
      expect(d.newPin).toMatchObject({ signer: ALICE, via: 'policy' });
    });

    it('anyone else is IDENTITY_MISMATCH even on first sight', () => {
      const d = decide(signed(MALLORY), EMPTY, { signersPerRepo: 1, expected: [exact] });
      expect(d.verdict).toMatchObject({ state: 'identity-changed', failure: { code: 'IDENTITY_MISMATCH' } });
      if (d.verdict.state === 'identity-changed') expect(d.verdict.previousSigners).toEqual([{ kind: 'sigstore', identity: 'alice@example.com', issuer: 'https://accounts.example.com' }]);
      expect(decide(signed(ALICE_OTHER_ISSUER), EMPTY, { signersPerRepo: 1, expected: [exact] }).verdict.state).toBe('identity-changed');
    });

    it('owner/* globs apply to every repo of the owner; a repo policy wins over the owner one', () => {
      expect(decide(signed(MALLORY), EMPTY, { signersPerRepo: 1, expected: [ownerGlob] }).verdict.state).toBe('verified');
      expect(decide(signed({ ...MALLORY, identity: 'mallory@example.com.evil' }), EMPTY, { signersPerRepo: 1, expected: [ownerGlob] }).verdict.state).toBe('identity-changed');
      expect(decide(signed(MALLORY), EMPTY, { signersPerRepo: 1, expected: [ownerGlob, exact] }).verdict.state).toBe('identity-changed');
      const other = { ...check({ status: 'unsigned' }), repo: 'other/model' };
      expect(decide(other, EMPTY, { signersPerRepo: 1, expected: [ownerGlob] }).verdict.state).toBe('unsigned');
    });

    it('a policy-covered repo without a signature is an alert', () => {
      expect(decide(check({ status: 'unsigned' }), EMPTY, { signersPerRepo: 1, expected: [exact] }).verdict.state).toBe('signature-removed');
    });

    it('key policies match key signers by fingerprint', () => {
      const keyPolicy: ExpectedIdentity = { kind: 'key', scope: 'acme/model', publicKeyPem: '-----BEGIN PUBLIC KEY-----', keyFingerprint: 'a'.repeat(64), createdAt: 1 };
      expect(decide(signed(KEY), EMPTY, { signersPerRepo: 1, expected: [keyPolicy] }).verdict.state).toBe('verified');
      expect(decide(signed({ kind: 'key', keyFingerprint: 'b'.repeat(64) }), EMPTY, { signersPerRepo: 1, expected: [keyPolicy] }).verdict.state).toBe('identity-changed');
      expect(decide(signed(ALICE), EMPTY, { signersPerRepo: 1, expected: [keyPolicy] }).verdict.state).toBe('identity-changed');
    });
  });
});

describe('decide: attack fixes', () => {
  const elsewhere = (c: RevisionCheck, extra: Partial<RevisionCheck> = {}): RevisionCheck => ({ ...c, revision: 'refs/pr/1', atDefaultHead: false, ...extra });

  it('finding 1: a first signer off the default branch head is unpinned-revision, never a pin', () => {
    for (const c of [elsewhere(signed(MALLORY)), { ...signed(MALLORY), atDefaultHead: undefined }]) {
      const d = decide(c, EMPTY, P1);
      expect(d.verdict).toMatchObject({ state: 'unpinned-revision', failure: { code: 'NOT_DEFAULT_BRANCH', params: { signer: expect.stringContaining('mallory@example.com') } } });
      expect(d.newPin).toBeUndefined();
    }
    const named = decide(elsewhere(signed(MALLORY), { defaultBranch: 'release' }), EMPTY, P1).verdict;
    expect(named).toMatchObject({ state: 'unpinned-revision', defaultBranch: 'release', failure: { params: { defaultBranch: 'release' } } });
    // Pins and policies judge every revision.
    expect(decide(elsewhere(signed(ALICE)), { pins: [pin(ALICE)] }, P1).verdict.state).toBe('verified');
    expect(decide(elsewhere(signed(MALLORY)), { pins: [pin(ALICE)] }, P1).verdict.state).toBe('identity-changed');
    const policy: ExpectedIdentity = { kind: 'sigstore', scope: 'acme/model', identity: 'alice@example.com', glob: false, issuer: ALICE.issuer as string, createdAt: 7 };
    expect(decide(elsewhere(signed(ALICE)), EMPTY, { signersPerRepo: 1, expected: [policy] }).verdict.state).toBe('verified');
    // Files that differ are red whatever the revision.
    expect(decide(elsewhere(signed(MALLORY, [{ path: 'a.bin', status: 'mismatch' }])), EMPTY, P1).verdict.state).toBe('files-changed');
    // A home page names no revision: the verdict does not show the placeholder.
    expect(decide({ ...signed(ALICE), revision: DEFAULT_REVISION }, EMPTY, P1).verdict.subject?.revision).toBeUndefined();
  });

  it('finding 1: wouldPinOnFirstUse says when the default head is worth a request', () => {
    expect(wouldPinOnFirstUse(elsewhere(signed(MALLORY)), EMPTY, P1)).toBe(true);
    expect(wouldPinOnFirstUse(elsewhere(signed(ALICE)), { pins: [pin(ALICE)] }, P1)).toBe(false);
    expect(wouldPinOnFirstUse(elsewhere(signed(MALLORY)), { pins: [pin(ALICE)] }, P1)).toBe(false);
    expect(wouldPinOnFirstUse(elsewhere(signed(MALLORY)), { pins: [pin(ALICE)] }, { signersPerRepo: 2, expected: [] })).toBe(true);
    expect(wouldPinOnFirstUse(check({ status: 'unsigned' }), EMPTY, P1)).toBe(false);
  });

  it('finding 2: uncovered files make a per-file repo partly signed, code and config first', () => {
    const files: FileResult[] = [
      ...OK_FILES,
      ...['README.md', 'notes.json', 'tokenizer.json', 'config.json', 'pytorch_model.bin', 'modeling_evil.py', 'generation_config.json'].map((path) => ({ path, status: 'unsigned' as const })),
    ];
    const d = decide(signed(ALICE, files, true), { pins: [pin(ALICE)] }, P1);
    expect(d.verdict.state).toBe('partly-signed');
    if (d.verdict.state !== 'partly-signed') return;
    expect(d.verdict.uncovered).toEqual(['modeling_evil.py', 'pytorch_model.bin', 'config.json', 'generation_config.json', 'tokenizer.json', 'notes.json', 'README.md']);
    expect(d.verdict.failure).toMatchObject({ code: 'PARTLY_SIGNED', params: { count: 7 } });
    expect(d.verdict.failure.reason).toContain('modeling_evil.py, pytorch_model.bin');
    expect(orderUncovered(['b.txt', 'a/x.pkl', 'z.py'])).toEqual(['z.py', 'a/x.pkl', 'b.txt']);
  });

  it('finding 3: an uncheckable signature is red where a signer is trusted, amber elsewhere', () => {
    const uncheckable = check({
      status: 'unverifiable',
      failure: { code: 'VERIFICATION_MATERIAL_UNSUPPORTED', reason: "signed with a key: add the signer's public key for this repo to check it" },
      signatureFiles: ['model.sig'],
      signatureUncheckable: true,
    });
    const policy: ExpectedIdentity = { kind: 'sigstore', scope: 'acme/*', identity: 'alice@example.com', glob: false, issuer: ALICE.issuer as string, createdAt: 7 };
    for (const [trust, policies] of [
      [{ pins: [pin(ALICE)] }, P1],
      [{ pins: [], signedSince: 3 }, P1],
      [EMPTY, { signersPerRepo: 1, expected: [policy] }],
    ] as const) {
      const v = decide(uncheckable, trust, policies).verdict;
      expect(v).toMatchObject({ state: 'invalid-signature', failure: { code: 'SIGNATURE_UNCHECKABLE' } });
      if (v.state === 'invalid-signature') expect(v.failure.reason).not.toMatch(/public key/);
    }
    expect(decide(uncheckable, EMPTY, P1).verdict).toMatchObject({ state: 'unverifiable', failure: { code: 'VERIFICATION_MATERIAL_UNSUPPORTED' } });
    // Not knowing (network) is no evidence against the signature.
    const offline = check({ status: 'unverifiable', failure: { code: 'NETWORK_ERROR', reason: 'could not reach the hub' }, signatureFiles: ['model.sig'] });
    expect(decide(offline, { pins: [pin(ALICE)] }, P1).verdict.state).toBe('unverifiable');
  });

  it('finding 6: files left unchecked by the budget name it', () => {
    const c = signed(ALICE, [...OK_FILES, { path: 'x.json', status: 'unchecked', reason: 'could not hash: budget' }]);
    if (c.outcome.status !== 'signed') throw new Error('setup');
    c.outcome.budgetExceeded = { limit: '500 downloads, 128 MiB' };
    const v = decide(c, { pins: [pin(ALICE)] }, P1).verdict;
    expect(v).toMatchObject({ state: 'unverifiable', failure: { code: 'WORK_BUDGET_EXCEEDED', params: { count: 1, limit: '500 downloads, 128 MiB' } } });
  });
});

describe('decide with several signatures', () => {
  const v = (path: string, status: FileResult['status']): FileResult => ({ path, status, ...(status === 'verified' ? { expected: 'aa', actual: 'aa', algorithm: 'sha256' } : {}) });
  const sig = (path: string, scope: VerifiedSignature['scope'], signer: Signer = ALICE): VerifiedSignature => ({ path, scope, evidence: evidence(signer) });
  function several(signatures: VerifiedSignature[], files: FileResult[]): RevisionCheck {
    const repoWide = signatures.some((s) => s.scope.kind === 'repo');
    return check({ status: 'signed', signatureFiles: signatures.map((s) => s.path), evidence: signatures[0]!.evidence, files, ignoreUnsignedFiles: !repoWide, signatures });
  }
  const FOLDER = sig('original/model.sig', { kind: 'folder', folder: 'original' });

  it('a folder signature: files outside every scope are uncovered (code and config first), the verdict names the signature file', () => {
    const c = several([FOLDER], [
      v('original/model.safetensors', 'verified'), v('original/model.sig', 'ignored'), v('.gitattributes', 'ignored'),
      v('README.md', 'unsigned'), v('onnx/model.onnx', 'unsigned'), v('config.json', 'unsigned'), v('modeling.py', 'unsigned'),
    ]);
    const d = decide(c, EMPTY, P1);
    expect(d.verdict).toMatchObject({ state: 'partly-signed', uncovered: ['modeling.py', 'config.json', 'README.md', 'onnx/model.onnx'], signatureFiles: ['original/model.sig'] });
    expect(d.newPin).toBeUndefined();
    // Every file inside the folder: verified, and the verdict still says which signature it rests on.
    const full = decide(several([FOLDER], [v('original/model.safetensors', 'verified'), v('original/model.sig', 'ignored')]), EMPTY, P1);
    expect(full.verdict).toMatchObject({ state: 'verified-first-use', signatureFiles: ['original/model.sig'] });
    expect(full.newPin?.signer).toEqual(ALICE);
  });

  it('a file inside a signed folder that its manifest does not list was added after signing: files-changed', () => {
    const c = several([FOLDER], [v('original/model.safetensors', 'verified'), v('original/evil.py', 'unsigned'), v('README.md', 'unsigned')]);
    const d = decide(c, EMPTY, P1);
    expect(d.verdict).toMatchObject({ state: 'files-changed', failure: { code: 'FILES_MISMATCH', params: { count: 1, files: 'original/evil.py' } } });
  });

  it('a repo-wide signature keeps the strict rule beside other signatures: an added file is files-changed', () => {
    const c = several([sig('model.sig', { kind: 'repo' }), FOLDER], [v('original/model.safetensors', 'verified'), v('extra.py', 'unsigned')]);
    expect(decide(c, EMPTY, P1).verdict).toMatchObject({ state: 'files-changed', signatureFiles: ['model.sig', 'original/model.sig'] });
    // Even when the outcome (wrongly) says unsigned files may be ignored: the scopes decide.
    if (c.outcome.status !== 'signed') throw new Error('setup');
    c.outcome.ignoreUnsignedFiles = true;
    expect(decide(c, EMPTY, P1).verdict.state).toBe('files-changed');
  });

  it('signatures by different signers are refused like per-file ones, naming the odd one; nothing is pinned', () => {
    for (const [a, b] of [
      [FOLDER, sig('gguf/q4.gguf.sig', { kind: 'file', file: 'gguf/q4.gguf' }, MALLORY)],
      [sig('model.sig', { kind: 'repo' }), sig('original/model.sig', { kind: 'folder', folder: 'original' }, ALICE_OTHER_ISSUER)],
      [sig('a.gguf.sig', { kind: 'file', file: 'a.gguf' }), sig('b.gguf.sig', { kind: 'file', file: 'b.gguf' }, { ...ALICE, sourceRepository: 'https://github.com/x/y' })],
    ] as const) {
      const c = several([a, b], [v(a.scope.kind === 'file' ? a.scope.file : 'original/x', 'verified')]);
      for (const trust of [EMPTY, { pins: [pin(ALICE)] }]) {
        const d = decide(c, trust, P1);
        expect(d.verdict).toMatchObject({ state: 'invalid-signature', failure: { code: 'IDENTITY_MISMATCH' }, signatureFiles: [a.path, b.path] });
        if (d.verdict.state === 'invalid-signature') expect(d.verdict.failure.reason).toContain(b.path);
        expect(d.newPin).toBeUndefined();
      }
      expect(wouldPinOnFirstUse(c, EMPTY, P1)).toBe(false);
    }
    // One signer across all of them: judged as one signature.
    const same = several([FOLDER, sig('gguf/q4.gguf.sig', { kind: 'file', file: 'gguf/q4.gguf' })], [v('original/x', 'verified'), v('gguf/q4.gguf', 'verified')]);
    expect(wouldPinOnFirstUse(same, EMPTY, P1)).toBe(true);
    expect(decide(same, { pins: [pin(ALICE)] }, P1).verdict).toMatchObject({ state: 'verified', signatureFiles: ['original/model.sig', 'gguf/q4.gguf.sig'] });
  });

  it('names the signature files on failures too', () => {
    const inv = decide(check({ status: 'invalid-signature', signatureFiles: ['.kaggle/signing.json'], failure: { code: 'SIGNATURE_INVALID', reason: 'bad' } }), EMPTY, P1);
    expect(inv.verdict).toMatchObject({ state: 'invalid-signature', signatureFiles: ['.kaggle/signing.json'] });
    expect(decide(check({ status: 'unsigned' }), EMPTY, P1).verdict).not.toHaveProperty('signatureFiles');
  });
});

describe('globMatches', () => {
  it('matches * within a path segment and ** across', () => {
    expect(globMatches('*@example.com', 'a.b@example.com')).toBe(true);
    expect(globMatches('*@example.com', 'a@example.com.evil')).toBe(false);
    expect(globMatches('https://github.com/acme/*/.github/workflows/release.yml@refs/tags/*', 'https://github.com/acme/m/.github/workflows/release.yml@refs/tags/v1')).toBe(true);
    expect(globMatches('https://github.com/acme/*', 'https://github.com/acme/m/.github/x')).toBe(false);
    expect(globMatches('https://github.com/acme/**', 'https://github.com/acme/m/.github/x')).toBe(true);
    // Regex metacharacters are literal.
    expect(globMatches('a.b', 'axb')).toBe(false);
    expect(globMatches('(a)+', '(a)+')).toBe(true);
    expect(globMatches('exact', 'exact\n')).toBe(false);
  });
});
