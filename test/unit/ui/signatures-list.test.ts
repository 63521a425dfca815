/**
 * Several signatures shown together: each with what it covers, how many files, its signature file
 * and its signer, rendered with the real locale file. Folder and file names are hostile text.
 */
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../../extension/core/verdict.js';
import { VerdictView } from '../../../extension/ui/VerdictView.js';
import { Banner, coverageLine } from '../../../extension/ui/Banner.js';
import { EMAIL_SIGNER, HOSTILE, KEY_SIGNER, VERDICTS } from './fixtures.js';
import { html, text } from './render.js';

const partly = VERDICTS['partly-signed'];

function withSignatures(v: Verdict, signatures: NonNullable<Verdict['signatures']>): Verdict {
  return { ...v, signatures };
}

describe('SignaturesList in the verdict view', () => {
  it('lists a folder and a per-file signature, each with coverage, file count, signature path and signer', () => {
    const out = text(html(VerdictView, {
      verdict: withSignatures(partly, [
        { path: 'model.sig', coverage: { kind: 'folder', folder: 'original' }, signer: EMAIL_SIGNER, rootDigest: 'aa'.repeat(32), files: 4 },
        { path: 'gguf/q4.gguf.sig', coverage: { kind: 'file', file: 'gguf/q4.gguf' }, signer: KEY_SIGNER, rootDigest: 'bb'.repeat(32), files: 1 },
      ]),
    }));
    expect(out).toContain('Signatures (2)');
    expect(out).toContain('Folder original/ · 4 files · signature model.sig');
    expect(out).toContain('File gguf/q4.gguf · 1 file · signature gguf/q4.gguf.sig');
    expect(out).toContain('Granite.Preview@ibm.com');
    expect(out).toContain(KEY_SIGNER.keyFingerprint!.slice(0, 16));
  });

  it('says "Whole repo" for a repo-wide signature beside others', () => {
    const out = text(html(VerdictView, {
      verdict: withSignatures(partly, [{ path: 'model.sig', coverage: { kind: 'repo' }, signer: EMAIL_SIGNER, rootDigest: 'aa'.repeat(32), files: 9 }]),
    }));
    expect(out).toContain('Signature (1)');
    expect(out).toContain('Whole repo · 9 files');
  });

  it('renders hostile folder names as text with hidden characters shown, never markup', () => {
    const markup = html(VerdictView, {
      verdict: withSignatures(partly, [
        { path: `${HOSTILE.script}/model.sig`, coverage: { kind: 'folder', folder: HOSTILE.script }, signer: EMAIL_SIGNER, rootDigest: 'aa'.repeat(32), files: 1 },
        { path: 'x.sig', coverage: { kind: 'file', file: HOSTILE.bidi }, signer: EMAIL_SIGNER, rootDigest: 'aa'.repeat(32), files: 1 },
      ]),
    });
    expect(markup).not.toContain('<script>');
    expect(text(markup)).toContain('⟦U+202E⟧');
  });

  it('shows no list for a verdict without signatures (one repo-wide signature)', () => {
    expect(text(html(VerdictView, { verdict: VERDICTS.verified }))).not.toContain('Signatures (');
  });
});

describe('a certificate signature with no trusted CA, as the user reads it', () => {
  it("names the certificate's claimed subject and issuers and says how to check it (not a verified signer)", () => {
    const claim = 'International Business Machines Corporation, issued by DigiCert Trusted G4 Code Signing RSA4096 SHA384 2021 CA1 (chain: DigiCert Trusted Root G4)';
    const verdict: Verdict = {
      state: 'unverifiable',
      subject: { repo: 'ibm-granite/granite-timeseries-patchtst-fm-r2' },
      checkedAt: 1,
      failure: { code: 'CERTIFICATE_CA_NOT_TRUSTED', reason: 'english', params: { signer: claim } },
    };
    const out = text(html(VerdictView, { verdict }));
    expect(out).toContain(`Signed with a certificate for ${claim} (not checked yet).`);
    expect(out).toContain('add that certificate authority for this repo in the Trust tab');
  });
});

describe('the banner of a partly signed repo', () => {
  it('says what is signed before what is not', () => {
    const v = withSignatures(partly, [
      { path: 'fp16/model.sig', coverage: { kind: 'folder', folder: 'fp16' }, signer: EMAIL_SIGNER, rootDigest: 'aa'.repeat(32), files: 2 },
      { path: 'q4/model.sig', coverage: { kind: 'folder', folder: 'q4' }, signer: EMAIL_SIGNER, rootDigest: 'bb'.repeat(32), files: 2 },
    ]);
    const out = text(html(Banner, { verdict: v }));
    expect(out).toMatch(/Signed: fp16\/, q4\/ · 1 file is covered by no signature: modeling_evil\.py/);
    // Without the signature list (one repo-wide signature, or an older verdict): the sentence alone.
    expect(text(html(Banner, { verdict: partly }))).not.toContain('Signed:');
  });

  it('bounds the list and shows hostile folder names as text', () => {
    const many = Array.from({ length: 5 }, (_, i) => ({ path: `d${i}/model.sig`, coverage: { kind: 'folder' as const, folder: `d${i}` }, signer: EMAIL_SIGNER, rootDigest: 'aa'.repeat(32), files: 1 }));
    expect(coverageLine(many)).toBe('d0/, d1/, d2/, +2');
    const markup = html(Banner, { verdict: withSignatures(partly, [{ ...many[0]!, coverage: { kind: 'folder', folder: HOSTILE.script } }]) });
    expect(markup).not.toContain('<script>');
  });
});
