/**
 * IBM's real certificate-method signature on `ibm-granite/granite-timeseries-patchtst-fm-r2`: a v0.3
 * bundle whose `x509CertificateChain` holds IBM's code-signing leaf (P-256 key) and DigiCert's
 * RSA-4096 intermediate, with no log entry and no timestamp. What the user sees:
 *
 * - with no CA trusted for the repo: "could not verify" with CERTIFICATE_CA_NOT_TRUSTED, naming the
 *   leaf and its issuers as claimed (unverified); red SIGNATURE_UNCHECKABLE on a repo with a pin.
 * - once the user trusts DigiCert's root (taken here from Node's bundled Mozilla root store) or the
 *   intermediate: verified, the RSA chain checked for real (a flipped bit in the leaf's RSA signature
 *   is refused), signer = the leaf's subject under that CA.
 *
 * The recording has the bundle and the file names only: the fake hub lists each signed digest as the
 * file's LFS SHA-256, so what is tested is the signature and the chain, not the Hub's bytes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { rootCertificates } from 'node:tls';
import { X509Certificate as NodeX509 } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { adapterFor } from '../../../extension/core/hubs/index.js';
import { verifyRevision } from '../../../extension/core/hub/verify-revision.js';
import { DEFAULT_REVISION, type RevisionCheck } from '../../../extension/core/hub/revision-check.js';
import { decide } from '../../../extension/core/trust/decide.js';
import { TrustStore } from '../../../extension/core/trust/store.js';
import type { KeyValueStorage } from '../../../extension/core/env.js';
import { FakeHub, fakeSha, type FakeFile } from './fake-hub.js';

const HF_REAL = resolve(process.cwd(), '../shared/fixtures/hf-real');
const NAME = 'ibm-granite-granite-timeseries-patchtst-fm-r2';
const REPO = 'ibm-granite/granite-timeseries-patchtst-fm-r2';
const C1 = fakeSha('digicert');
const NO_TRUST = { pins: [] };
const POLICIES = { signersPerRepo: 1, expected: [] };
const enc = new TextEncoder();

class MemoryStorage implements KeyValueStorage {
  private readonly m = new Map<string, unknown>();
  async get(k: string) {
    return this.m.get(k);
  }
  async set(k: string, v: unknown) {
    this.m.set(k, structuredClone(v));
  }
}

/** A root CA from Node's bundled (Mozilla) root store, by common name. */
function mozillaRoot(cn: string): string {
  const pem = rootCertificates.find((p) => new NodeX509(p).subject.split('\n').includes(`CN=${cn}`));
  if (!pem) throw new Error(`${cn} is not in Node's root store`);
  return pem;
}

function pemOf(der: Uint8Array): string {
  return `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
}

if (!existsSync(HF_REAL)) console.log('../shared/fixtures/hf-real absent: DigiCert certificate-method tests not registered');
else describe("IBM's real DigiCert certificate-method signature (granite-timeseries-patchtst-fm-r2)", () => {
  const sigText = readFileSync(resolve(HF_REAL, `${NAME}.model.sig.json`), 'utf8');
  const info = JSON.parse(readFileSync(resolve(HF_REAL, `${NAME}.model-info.json`), 'utf8')) as { siblings: { rfilename: string }[] };
  const bundle = JSON.parse(sigText) as {
    mediaType: string;
    verificationMaterial: { x509CertificateChain: { certificates: { rawBytes: string }[] }; tlogEntries: unknown[] };
    dsseEnvelope: { payload: string };
  };
  const chainDers = bundle.verificationMaterial.x509CertificateChain.certificates.map((c) => new Uint8Array(Buffer.from(c.rawBytes, 'base64')));
  const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8')) as { predicate: { resources: { name: string; digest: string }[] } };
  const signedDigest = new Map(statement.predicate.resources.map((r) => [r.name, r.digest]));

  /** The recorded repo; `asSigned` adds `digicert-root.pem`, which the signature lists but the Hub does not. */
  function repoFiles(sig: string = sigText, asSigned = false): Record<string, FakeFile> {
    const out: Record<string, FakeFile> = {};
    for (const { rfilename } of [...info.siblings, ...(asSigned ? [{ rfilename: 'digicert-root.pem' }] : [])]) {
      if (rfilename === 'model.sig') continue;
      const d = signedDigest.get(rfilename);
      out[rfilename] = d ? { bytes: enc.encode(`placeholder for ${rfilename}`), lfs: true, lfsOidOverride: d } : { bytes: enc.encode('x') };
    }
    out['model.sig'] = { bytes: enc.encode(sig) };
    return out;
  }

  function hubWith(files: Record<string, FakeFile>): FakeHub {
    const hub = new FakeHub();
    hub.add({ kind: 'model', id: REPO, refs: { main: C1 }, commits: { [C1]: files } });
    return hub;
  }

  function run(hub: FakeHub, caPems: string[] = []): Promise<RevisionCheck> {
    const client = adapterFor('https://huggingface.co').createClient({ fetch: hub.fetch, sleep: async () => undefined });
    return verifyRevision({ client, kind: 'model', repo: REPO, revision: DEFAULT_REVISION, caPems, clock: { now: () => 1_790_000_000_000 } });
  }

  it('the recording is what the test assumes: v0.3, a two-certificate chain, no log entry; one signed file (digicert-root.pem) is not on the Hub', () => {
    expect(bundle.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
    expect(chainDers).toHaveLength(2);
    expect(bundle.verificationMaterial.tlogEntries).toEqual([]);
    const missing = [...signedDigest.keys()].filter((name) => !info.siblings.some((s) => s.rfilename === name));
    expect(missing).toEqual(['digicert-root.pem']);
  });

  it('with no CA trusted: could not verify (CERTIFICATE_CA_NOT_TRUSTED), naming the certificate and its issuers as claimed', async () => {
    const check = await run(hubWith(repoFiles()));
    expect(check.outcome).toMatchObject({ status: 'unverifiable', signatureUncheckable: true, failure: { code: 'CERTIFICATE_CA_NOT_TRUSTED' } });
    if (check.outcome.status !== 'unverifiable') return;
    const claim = check.outcome.failure.params?.signer;
    expect(claim).toBe('International Business Machines Corporation, issued by DigiCert Trusted G4 Code Signing RSA4096 SHA384 2021 CA1 (chain: DigiCert Trusted Root G4)');
    expect(check.outcome.failure.reason).toContain('not checked');
    // Amber on a first visit; on a repo whose signer is pinned, a signature we cannot check is red.
    expect(decide(check, NO_TRUST, POLICIES).verdict).toMatchObject({ state: 'unverifiable', failure: { code: 'CERTIFICATE_CA_NOT_TRUSTED' } });
    const pinned = { pins: [{ signer: { kind: 'sigstore' as const, identity: 'Granite-sign@ibm.com', issuer: 'https://sigstore.verify.ibm.com/oauth2' }, since: 1, via: 'first-use' as const }] };
    expect(decide(check, pinned, POLICIES).verdict).toMatchObject({ state: 'invalid-signature', failure: { code: 'SIGNATURE_UNCHECKABLE' } });
  });

  it("trusting DigiCert's root (the user's CA policy): the RSA chain verifies end to end and every signed file matches", async () => {
    const g4 = mozillaRoot('DigiCert Trusted Root G4');
    const store = new TrustStore(new MemoryStorage());
    const ref = { hub: 'https://huggingface.co', kind: 'model' as const, repo: REPO };
    const visit = async () => {
      const { publicKeyPems, caPems } = await store.plan(ref);
      const client = adapterFor('https://huggingface.co').createClient({ fetch: hubWith(repoFiles(sigText, true)).fetch, sleep: async () => undefined });
      return store.record(await verifyRevision({ client, kind: 'model', repo: REPO, revision: DEFAULT_REVISION, publicKeyPems, caPems }));
    };
    expect((await visit()).state).toBe('unverifiable');
    await store.setExpected({ kind: 'certificate', scope: 'ibm-granite/*', caPems: [g4] });
    const v = await visit();
    expect(v.state).toBe('verified');
    if (v.state !== 'verified') return;
    expect(v.signature.signer).toMatchObject({
      kind: 'certificate',
      identity: 'C=US, ST=New York, L=Armonk, O=International Business Machines Corporation, CN=International Business Machines Corporation',
      caSubject: 'C=US, O=DigiCert Inc, OU=www.digicert.com, CN=DigiCert Trusted Root G4',
    });
    expect(v.signature.logEntries).toEqual([]);
    expect(v.files.filter((f) => f.status === 'verified').map((f) => f.path).sort()).toEqual([...signedDigest.keys()].sort());
    expect(v.agreed?.map((a) => a.source)).toContain('policy');

    // The repo as the Hub lists it lacks a file the signature lists: checked, and honestly "files changed".
    const asListed = await run(hubWith(repoFiles()), [g4]);
    const { verdict } = decide(asListed, NO_TRUST, POLICIES);
    expect(verdict).toMatchObject({ state: 'files-changed', failure: { code: 'FILES_MISMATCH', params: { files: 'digicert-root.pem' } } });
    if (verdict.state === 'files-changed') expect(verdict.files.find((f) => f.path === 'digicert-root.pem')?.status).toBe('missing');
  });

  it('trusting the intermediate from the chain works too; another CA, or a flipped bit in the RSA signature, is refused (red)', async () => {
    const intermediate = pemOf(chainDers[1]!);
    const viaIntermediate = await run(hubWith(repoFiles()), [intermediate]);
    expect(viaIntermediate.outcome.status).toBe('signed');
    if (viaIntermediate.outcome.status === 'signed') expect(viaIntermediate.outcome.evidence.signer.caSubject).toContain('DigiCert Trusted G4 Code Signing RSA4096 SHA384 2021 CA1');

    const other = await run(hubWith(repoFiles()), [mozillaRoot('DigiCert Global Root G2')]);
    expect(other.outcome).toMatchObject({ status: 'invalid-signature', failure: { code: 'CERTIFICATE_CHAIN_INVALID' } });

    // The leaf's DER ends with DigiCert's RSA signature over it: flip its last bit.
    const leaf = new Uint8Array(chainDers[0]!);
    leaf[leaf.length - 1]! ^= 1;
    const forged = JSON.parse(sigText) as typeof bundle;
    forged.verificationMaterial.x509CertificateChain.certificates[0]!.rawBytes = Buffer.from(leaf).toString('base64');
    const tampered = await run(hubWith(repoFiles(JSON.stringify(forged))), [mozillaRoot('DigiCert Trusted Root G4')]);
    expect(tampered.outcome).toMatchObject({ status: 'invalid-signature', failure: { code: 'CERTIFICATE_CHAIN_INVALID' } });
  });
});
