/**
 * Finding 10, CI identities: a reusable workflow shared by many repos gives every caller the same
 * Fulcio identity (the workflow's URI) and issuer. The certificate's Source Repository URI
 * (1.3.6.1.4.1.57264.1.12) names the repo the run was for; ModelSeal pins it beside identity and
 * issuer, so a signature made for another repo through the same workflow is a different signer.
 * Certificates come from the factory's test Fulcio.
 */
import { describe, expect, it } from 'vitest';
import { createSigstoreSigner, createTestSigstore, OID, signModel, utf8 } from './index.js';
import { verifySignatureOnly } from '../../extension/core/verify-model.js';
import { decide, type TrustPolicies } from '../../extension/core/trust/decide.js';
import { describeSigner, sameSigner } from '../../extension/core/trust/signer.js';
import { parseSigner } from '../../extension/core/trust/schema.js';
import type { RevisionCheck } from '../../extension/core/hub/revision-check.js';
import type { SignatureEvidence, Signer } from '../../extension/core/verdict.js';
import { SignerView, signerLine } from '../../extension/ui/SignerView.js';
import { html, text } from '../unit/ui/render.js';

const WORKFLOW = 'https://github.com/acme/shared-workflows/.github/workflows/sign-model.yml@refs/heads/main';
const GHA = 'https://token.actions.githubusercontent.com';
const OURS = 'https://github.com/acme/model';
const THEIRS = 'https://github.com/mallory/model';

const sigstore = createTestSigstore({ seed: 'source-repository' });
const trustedRoot = sigstore.trustedRoot();
const files = { 'weights.bin': utf8('weights'), 'config.json': utf8('{}') };

function signedBy(opts: { sourceRepository?: string; leafExtensions?: { oid: string; value: Uint8Array }[] }): string {
  const signer = createSigstoreSigner(sigstore, { identity: WORKFLOW, issuer: GHA, ...opts });
  return signModel({ files, signer }).signature;
}
const signerOf = (signature: string): Signer => verifySignatureOnly(signature, { kind: 'sigstore', anyIdentity: true, trustedRoot }).evidence.signer;

function revision(signer: Signer): RevisionCheck {
  const evidence: SignatureEvidence = { signer, logEntries: [], timestamps: [], rootDigest: 'r'.repeat(64), predicateType: 'https://model_signing/signature/v1.0' };
  return {
    hub: 'https://huggingface.co',
    kind: 'model',
    repo: 'acme/model',
    revision: 'main',
    commit: 'c'.repeat(40),
    checkedAt: 5000,
    outcome: { status: 'signed', signatureFiles: ['model.sig'], evidence, files: [{ path: 'weights.bin', status: 'verified', expected: 'aa', actual: 'aa', algorithm: 'sha256' }], ignoreUnsignedFiles: false },
    requests: 3,
  };
}
const P1: TrustPolicies = { signersPerRepo: 1, expected: [] };

describe('Source Repository URI of CI identities', () => {
  it('is read from the verified certificate beside identity and issuer', () => {
    expect(signerOf(signedBy({ sourceRepository: OURS }))).toEqual({ kind: 'sigstore', identity: WORKFLOW, issuer: GHA, sourceRepository: OURS });
    // Identities without the claim (e-mail sign-ins, older certificates) have no such field.
    expect(signerOf(signedBy({}))).toEqual({ kind: 'sigstore', identity: WORKFLOW, issuer: GHA });
  });

  it('two signatures by the same workflow identity from different source repos are different signers', () => {
    const ours = signerOf(signedBy({ sourceRepository: OURS }));
    const oursAgain = signerOf(signedBy({ sourceRepository: OURS }));
    const theirs = signerOf(signedBy({ sourceRepository: THEIRS }));
    expect(ours.identity).toBe(theirs.identity);
    expect(ours.issuer).toBe(theirs.issuer);
    expect(sameSigner(ours, oursAgain)).toBe(true);
    expect(sameSigner(ours, theirs)).toBe(false);
    // Claim present on one side only is not the same principal either.
    expect(sameSigner(ours, signerOf(signedBy({})))).toBe(false);
    expect(describeSigner(theirs)).toContain(THEIRS);
  });

  it('a repo pinned to one caller of a shared workflow alerts when another caller signs it', () => {
    const ours = signerOf(signedBy({ sourceRepository: OURS }));
    const theirs = signerOf(signedBy({ sourceRepository: THEIRS }));
    const pins = [{ signer: ours, since: 1000, via: 'first-use' as const }];
    expect(decide(revision(signerOf(signedBy({ sourceRepository: OURS }))), { pins }, P1).verdict.state).toBe('verified');
    const d = decide(revision(theirs), { pins }, P1);
    expect(d.verdict.state).toBe('identity-changed');
    if (d.verdict.state !== 'identity-changed') return;
    expect(d.verdict.previousSigners).toEqual([ours]);
    expect(d.verdict.signature.signer.sourceRepository).toBe(THEIRS);
  });

  it('a claim that is not a UTF8String is refused, never guessed', () => {
    const raw = signedBy({ leafExtensions: [{ oid: OID.fulcioSourceRepositoryUri, value: utf8(OURS) }] });
    expect(() => signerOf(raw)).toThrow(expect.objectContaining({ code: 'CERTIFICATE_INVALID' }));
  });

  it('the trust store keeps it, bounded, on Sigstore signers only', () => {
    expect(parseSigner({ kind: 'sigstore', identity: WORKFLOW, issuer: GHA, sourceRepository: OURS }, 's')).toEqual({ kind: 'sigstore', identity: WORKFLOW, issuer: GHA, sourceRepository: OURS });
    expect(() => parseSigner({ kind: 'sigstore', identity: WORKFLOW, issuer: GHA, sourceRepository: 'x'.repeat(1025) }, 's')).toThrow();
    expect(() => parseSigner({ kind: 'sigstore', identity: WORKFLOW, issuer: GHA, sourceRepository: 7 }, 's')).toThrow();
    expect(() => parseSigner({ kind: 'key', keyFingerprint: 'a'.repeat(64), sourceRepository: OURS }, 's')).toThrow();
  });

  it('the signer view and the one-line label show it, through the identity analyser', () => {
    const theirs: Signer = { kind: 'sigstore', identity: WORKFLOW, issuer: GHA, sourceRepository: THEIRS };
    const view = text(html(SignerView, { signer: theirs }));
    expect(view).toContain('Source repository');
    expect(view).toContain(THEIRS);
    expect(signerLine(theirs)).toContain(THEIRS);
    expect(signerLine(theirs)).not.toBe(signerLine({ ...theirs, sourceRepository: OURS }));
    // Hostile text in the claim is shown by code point and flagged like any identity.
    const spoof = text(html(SignerView, { signer: { ...theirs, sourceRepository: 'https://github.com/acme/model\u202e' } }));
    expect(spoof).toContain('⟦U+202E⟧');
    expect(text(html(SignerView, { signer: { kind: 'sigstore', identity: 'a@example.com', issuer: GHA } }))).not.toContain('Source repository');
  });
});
