/**
 * Publishers and copies, on the real IBM signatures from ../shared/fixtures/hf-real: the original's
 * signature is fetched from a fake hub and verified for real (production trusted root), then decide()
 * judges the copy against it.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FakeHub, fakeSha } from '../hub/fake-hub.js';
import { adapterFor } from '../../../extension/core/hubs/index.js';
import { builtinDirectory } from '../../../extension/core/publishers/builtin.js';
import { findOriginal, originalCandidates } from '../../../extension/core/publishers/original.js';
import { verifyUnknownSigner } from '../../../extension/core/hub/verify-revision.js';
import { decide, wouldPinOnFirstUse, type TrustPolicies } from '../../../extension/core/trust/decide.js';
import type { CopyCandidate, RevisionCheck } from '../../../extension/core/hub/revision-check.js';
import type { FileResult, SignatureEvidence } from '../../../extension/core/verdict.js';

const REAL = resolve(process.cwd(), '../shared/fixtures/hf-real');
const bundle = (name: string) => new Uint8Array(readFileSync(resolve(REAL, `${name}.model.sig.json`)));
const IBM_41 = bundle('ibm-granite-granite-4.1-3b');
const UNSLOTH_41 = bundle('unsloth-granite-4.1-3b');
const IBM_MICRO = bundle('ibm-granite-granite-4.0-micro');
const OPENAI = bundle('openai-privacy-filter');

const evidenceOf = (b: Uint8Array): SignatureEvidence => verifyUnknownSigner(b, [], undefined).evidence;
const OK: FileResult[] = [{ path: 'model-00001-of-00002.safetensors', status: 'verified' }];
const CHANGED: FileResult[] = [{ path: 'model-00001-of-00002.safetensors', status: 'mismatch' }];
const ON: TrustPolicies = { signersPerRepo: 1, expected: [], publishers: builtinDirectory() };
const OFF: TrustPolicies = { signersPerRepo: 1, expected: [] };

function check(repo: string, ev: SignatureEvidence, files: FileResult[] = OK, copyOf?: CopyCandidate): RevisionCheck {
  return {
    hub: 'https://huggingface.co', kind: 'model', repo, revision: 'main', commit: fakeSha(repo), checkedAt: 9000, requests: 3, atDefaultHead: true,
    outcome: { status: 'signed', signatureFiles: ['model.sig'], evidence: ev, files, ignoreUnsignedFiles: false },
    ...(copyOf ? { copyOf } : {}),
  };
}

function hubWith(repos: Record<string, { sig?: Uint8Array; cardData?: Record<string, unknown> }>): FakeHub {
  const hub = new FakeHub();
  for (const [id, r] of Object.entries(repos)) {
    const commit = fakeSha(`${id}@main`);
    hub.add({ kind: 'model', id, refs: { main: commit }, commits: { [commit]: { 'config.json': { bytes: new TextEncoder().encode('{}') }, ...(r.sig ? { 'model.sig': { bytes: r.sig } } : {}) } }, ...(r.cardData ? { cardData: r.cardData } : {}) });
  }
  return hub;
}

describe('publishers: the repo namespace documented signer (real IBM signatures)', () => {
  it('a first visit to ibm-granite signed by a documented signer is verified "documented by the publisher", not first use, and pins nothing', () => {
    for (const b of [IBM_41, IBM_MICRO]) {
      const c = check('ibm-granite/granite-4.1-3b', evidenceOf(b));
      expect(wouldPinOnFirstUse(c, { pins: [] }, ON)).toBe(false);
      const d = decide(c, { pins: [] }, ON);
      expect(d.verdict).toMatchObject({ state: 'verified', publisher: { relation: 'documented', name: 'IBM', namespace: 'ibm-granite', owner: 'ibm-granite' } });
      expect(d.newPin).toBeUndefined();
    }
    // Switched off: today's behaviour, first use.
    expect(decide(check('ibm-granite/granite-4.1-3b', evidenceOf(IBM_41)), { pins: [] }, OFF).verdict.state).toBe('verified-first-use');
  });

  it('any other signer on a listed namespace is red, naming the documented signers', () => {
    const d = decide(check('ibm-granite/granite-4.1-3b', evidenceOf(OPENAI)), { pins: [] }, ON);
    expect(d.verdict).toMatchObject({ state: 'identity-changed', failure: { code: 'IDENTITY_MISMATCH' } });
    if (d.verdict.state !== 'identity-changed') return;
    expect(d.verdict.failure.reason).toContain('not by a signer IBM documents for ibm-granite');
    expect(d.verdict.previousSigners.map((s) => s.identity)).toEqual(['Granite-sign@ibm.com', 'Granite-verify@ibm.com']);
    expect(d.newPin).toBeUndefined();
  });

  it("the user's policies and pins win over the directory", () => {
    const other = evidenceOf(OPENAI);
    const pinned = decide(check('ibm-granite/granite-4.1-3b', other), { pins: [{ signer: other.signer, since: 1, via: 'accepted' }] }, ON);
    expect(pinned.verdict.state).toBe('verified');
    const policy: TrustPolicies = { ...ON, expected: [{ kind: 'sigstore', scope: 'ibm-granite/*', identity: 'someone@example.com', glob: false, issuer: 'https://x.example', createdAt: 1 }] };
    expect(decide(check('ibm-granite/granite-4.1-3b', evidenceOf(IBM_41)), { pins: [] }, policy).verdict).toMatchObject({ state: 'identity-changed', failure: { reason: expect.stringContaining('your policy') } });
  });
});

describe('copies: another publisher signature on another namespace', () => {
  it('candidates: base models in the publisher namespace first, then the same model name there; never the repo itself', () => {
    expect(originalCandidates('unsloth/granite-4.1-3b', ['ibm-granite'], ['ibm-granite/granite-4.1-3b-base', 'meta/llama', 'unsloth/granite-4.1-3b'])).toEqual([
      'ibm-granite/granite-4.1-3b-base',
      'ibm-granite/granite-4.1-3b',
    ]);
    expect(originalCandidates('ibm-granite/x', ['ibm-granite'])).toEqual([]);
  });

  it('an exact copy (same signer, same root digest as the original signed release) is green with the copy explicit, and pins nothing', async () => {
    const hub = hubWith({ 'ibm-granite/granite-4.1-3b': { sig: IBM_41 } });
    const ev = evidenceOf(IBM_41);
    const client = adapterFor('https://huggingface.co').createClient({ fetch: hub.fetch });
    const original = await findOriginal({ client, kind: 'model', repo: 'copycat/granite-4.1-3b', signature: ev, directory: builtinDirectory(), baseModels: ['ibm-granite/granite-4.1-3b'] });
    expect(original).toMatchObject({ repo: 'ibm-granite/granite-4.1-3b', status: 'signed', rootDigest: ev.rootDigest });
    const c = check('copycat/granite-4.1-3b', ev, OK, original);
    expect(wouldPinOnFirstUse(c, { pins: [] }, ON)).toBe(false);
    const d = decide(c, { pins: [] }, ON);
    expect(d.verdict).toMatchObject({ state: 'verified', publisher: { relation: 'exact-copy', name: 'IBM', namespace: 'ibm-granite', owner: 'copycat', original: 'ibm-granite/granite-4.1-3b' } });
    expect(d.newPin).toBeUndefined();
  });

  it('the real unsloth re-upload: same IBM signer, other root digest than ibm-granite/granite-4.1-3b -> files-changed "another model\'s files", not tampering', async () => {
    const hub = hubWith({ 'ibm-granite/granite-4.1-3b': { sig: IBM_41 } });
    const ev = evidenceOf(UNSLOTH_41);
    expect(ev.signer).toEqual(evidenceOf(IBM_41).signer);
    expect(ev.rootDigest).not.toBe(evidenceOf(IBM_41).rootDigest);
    const client = adapterFor('https://huggingface.co').createClient({ fetch: hub.fetch });
    const original = await findOriginal({ client, kind: 'model', repo: 'unsloth/granite-4.1-3b', signature: ev, directory: builtinDirectory() });
    const d = decide(check('unsloth/granite-4.1-3b', ev, OK, original), { pins: [] }, ON);
    expect(d.verdict).toMatchObject({ state: 'files-changed', failure: { code: 'COPY_FILES_DIFFER' }, publisher: { relation: 'changed-copy', original: 'ibm-granite/granite-4.1-3b', owner: 'unsloth' } });
    if (d.verdict.state === 'files-changed') expect(d.verdict.failure.reason).toBe("carries the signature of another model's files: these files differ from ibm-granite/granite-4.1-3b's signed release");
    expect(d.newPin).toBeUndefined();
  });

  it("a re-quantized copy carrying the original's exact signature: its files differ -> COPY_FILES_DIFFER, not FILES_MISMATCH", () => {
    const ev = evidenceOf(IBM_41);
    const original: CopyCandidate = { repo: 'ibm-granite/granite-4.1-3b', status: 'signed', signer: ev.signer, rootDigest: ev.rootDigest };
    const d = decide(check('quant/granite-4.1-3b-Q4', ev, CHANGED, original), { pins: [] }, ON);
    expect(d.verdict).toMatchObject({ state: 'files-changed', failure: { code: 'COPY_FILES_DIFFER', params: { count: 1 } }, publisher: { relation: 'changed-copy', original: 'ibm-granite/granite-4.1-3b' } });
    // Without the directory it is the plain tampering wording.
    expect(decide(check('quant/granite-4.1-3b-Q4', ev, CHANGED), { pins: [] }, OFF).verdict).toMatchObject({ failure: { code: 'FILES_MISMATCH' } });
  });

  it('no original found: "signed by IBM (ibm-granite), not by the owner of this repo", never a first-use pin', async () => {
    const ev = evidenceOf(UNSLOTH_41);
    const client = adapterFor('https://huggingface.co').createClient({ fetch: hubWith({ 'ibm-granite/granite-4.1-3b': {} }).fetch });
    const original = await findOriginal({ client, kind: 'model', repo: 'unsloth/granite-4.1-3b', signature: ev, directory: builtinDirectory() });
    expect(original).toMatchObject({ repo: 'ibm-granite/granite-4.1-3b', status: 'unsigned' });
    const d = decide(check('unsloth/granite-4.1-3b', ev, OK, original), { pins: [] }, ON);
    expect(d.verdict).toMatchObject({ state: 'identity-changed', failure: { code: 'SIGNER_NOT_OWNER', reason: 'signed by IBM (ibm-granite), not by the owner of this repo (unsloth)' } });
    expect(d.newPin).toBeUndefined();
    // The user's explicit choice (an accepted pin) wins.
    expect(decide(check('unsloth/granite-4.1-3b', ev, OK, original), { pins: [{ signer: ev.signer, since: 1, via: 'accepted' }] }, ON).verdict).toMatchObject({ state: 'verified', publisher: { relation: 'other-publisher' } });
  });

  it('a hub that serves a forged "original" (its signed root digest swapped for the copy\'s) proves nothing: not an exact copy', async () => {
    const ev = evidenceOf(UNSLOTH_41);
    const ibmRoot = evidenceOf(IBM_41).rootDigest;
    const b = JSON.parse(new TextDecoder().decode(IBM_41));
    const payload = Buffer.from(b.dsseEnvelope.payload, 'base64').toString('utf8');
    expect(payload).toContain(ibmRoot);
    b.dsseEnvelope.payload = Buffer.from(payload.replace(ibmRoot, ev.rootDigest)).toString('base64');
    const forged = new TextEncoder().encode(JSON.stringify(b));
    const client = adapterFor('https://huggingface.co').createClient({ fetch: hubWith({ 'ibm-granite/granite-4.1-3b': { sig: forged } }).fetch });
    const original = await findOriginal({ client, kind: 'model', repo: 'unsloth/granite-4.1-3b', signature: ev, directory: builtinDirectory() });
    expect(original?.status).toBe('unavailable');
    expect(decide(check('unsloth/granite-4.1-3b', ev, OK, original), { pins: [] }, ON).verdict).toMatchObject({ state: 'identity-changed', failure: { code: 'SIGNER_NOT_OWNER' } });
  });

  it('a signer no publisher documents, on an unlisted namespace: unchanged first use', async () => {
    const ev = evidenceOf(OPENAI);
    const client = adapterFor('https://huggingface.co').createClient({ fetch: hubWith({}).fetch });
    expect(await findOriginal({ client, kind: 'model', repo: 'openai/privacy-filter', signature: ev, directory: builtinDirectory() })).toBeUndefined();
    expect(decide(check('openai/privacy-filter', ev), { pins: [] }, ON).verdict.state).toBe('verified-first-use');
  });
});
