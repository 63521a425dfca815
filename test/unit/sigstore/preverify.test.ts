/**
 * WebCrypto pre-verification (sigstore/preverify.ts): the same answers as the pure-JS path on every
 * conformance case and on real OMS signatures, its answers really reach sigstore-js (a subtle that
 * says "false" fails the bundle), and anything it cannot answer falls back to noble.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyConformanceCase, verifySigstoreBundle } from '../../../extension/core/sigstore/index.js';
import { preverify, withPreverifiedSignatures, type SubtleVerify } from '../../../extension/core/sigstore/preverify.js';
import { recordSignatureChecks } from '../../../extension/core/sigstore/shims/crypto.js';
import { isModelSealError } from '../../../extension/core/errors.js';

const shared = resolve(process.cwd(), '../shared/fixtures');
const suite = join(shared, 'sigstore-conformance/bundle-verify');
const OMS_POLICY = { identity: 'stefanb@us.ibm.com', issuer: 'https://sigstore.verify.ibm.com/oauth2' };
const subtle = globalThis.crypto.subtle;

function outcome(f: () => unknown): string {
  try {
    f();
    return 'ok';
  } catch (e) {
    return isModelSealError(e) ? e.code : `not a ModelSealError: ${String(e)}`;
  }
}
async function outcomeAsync(f: () => Promise<unknown>): Promise<string> {
  try {
    await f();
    return 'ok';
  } catch (e) {
    return isModelSealError(e) ? e.code : `not a ModelSealError: ${String(e)}`;
  }
}

if (!existsSync(shared)) {
  console.log(`preverify tests: ${shared} not found, fixture-based tests not registered`);
} else {
  const read = (p: string) => readFileSync(p, 'utf8');
  const oms = JSON.parse(read(join(shared, 'oms-real/v1.0.1-sigstore/model.sig'))) as Record<string, unknown>;
  const verifyOms = (bundle: unknown) => () => verifySigstoreBundle(bundle, { policy: OMS_POLICY });

  describe('WebCrypto pre-verification', () => {
    const cases = readdirSync(suite, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    it.each(cases)('conformance %s: same outcome as the pure-JS path', async (name) => {
      const dir = join(suite, name);
      const has = (f: string) => existsSync(join(dir, f));
      const artifact = new Uint8Array(readFileSync(has('artifact') ? join(dir, 'artifact') : join(suite, 'a.txt')));
      const input = {
        bundleJson: read(join(dir, 'bundle.sigstore.json')),
        ...(has('identity') ? { identity: read(join(dir, 'identity')).trim() } : {}),
        ...(has('issuer') ? { issuer: read(join(dir, 'issuer')).trim() } : {}),
        ...(has('key.pub') ? { publicKeyPem: read(join(dir, 'key.pub')) } : {}),
        ...(has('trusted_root.json') ? { trustedRootJson: read(join(dir, 'trusted_root.json')) } : {}),
      };
      for (const a of [{ bytes: artifact }, { sha256: createHash('sha256').update(artifact).digest('hex') }]) {
        const plain = verifyConformanceCase({ ...input, artifact: a });
        const fast = await withPreverifiedSignatures(() => verifyConformanceCase({ ...input, artifact: a }), subtle);
        expect(fast.ok ? 'ok' : fast.code).toBe(plain.ok ? 'ok' : plain.code);
        expect(fast.ok).toBe(!name.endsWith('_fail'));
      }
    });

    it('a real OMS signature: the recorded run stands only because every check it made is true', async () => {
      const { outcome, checks } = recordSignatureChecks(verifyOms(oms));
      expect(outcome.ok).toBe(true);
      // Fulcio chain (P-384), SCT, SET and the DSSE signature at least, all ECDSA.
      expect(checks.filter((c) => c.ecdsa).length).toBeGreaterThanOrEqual(3);
      const answers = await preverify(checks, subtle);
      expect(answers.size).toBe(new Set(checks.map((c) => c.id)).size);
      expect([...answers.values()].every((v) => v === true)).toBe(true);
      expect(await outcomeAsync(() => withPreverifiedSignatures(verifyOms(oms), subtle))).toBe('ok');
    });

    it('a recorded run that says "ok" on a bad signature is never the answer', async () => {
      // The recording answers every check with true, so on its own it accepts a forged log promise.
      const forged = structuredClone(oms);
      const entry = (forged.verificationMaterial as { tlogEntries: Array<{ inclusionPromise: { signedEntryTimestamp: string } }> }).tlogEntries[0]!;
      const set = Buffer.from(entry.inclusionPromise.signedEntryTimestamp, 'base64');
      set[set.length - 3]! ^= 1;
      entry.inclusionPromise.signedEntryTimestamp = set.toString('base64');
      expect(outcome(verifyOms(forged))).not.toBe('ok');
      const recorded = recordSignatureChecks(verifyOms(forged));
      expect(recorded.outcome.ok).toBe(true);
      expect(recorded.checks.some((c) => !c.answer())).toBe(true);
      expect(await outcomeAsync(() => withPreverifiedSignatures(verifyOms(forged), subtle))).toBe(outcome(verifyOms(forged)));
    });

    it("the answers reach sigstore-js: a WebCrypto that says 'false' fails a valid bundle", async () => {
      const liar: SubtleVerify = { importKey: subtle.importKey.bind(subtle), verify: async () => false };
      expect(await outcomeAsync(() => withPreverifiedSignatures(verifyOms(oms), liar))).not.toBe('ok');
    });

    it('what WebCrypto cannot answer falls back to the pure-JS check', async () => {
      const refuses: SubtleVerify = { importKey: async () => { throw new Error('no'); }, verify: subtle.verify.bind(subtle) };
      expect(await outcomeAsync(() => withPreverifiedSignatures(verifyOms(oms), refuses))).toBe('ok');
    });

    it('a tampered DSSE signature or certificate fails the same way on both paths', async () => {
      const env = oms.dsseEnvelope as { signatures: Array<{ sig: string }> };
      const badSig = structuredClone(oms);
      const sig = Buffer.from(env.signatures[0]!.sig, 'base64');
      sig[sig.length - 3]! ^= 1;
      (badSig.dsseEnvelope as typeof env).signatures[0]!.sig = sig.toString('base64');

      const vm = oms.verificationMaterial as Record<string, { rawBytes: string }>;
      const certField = vm.certificate ? 'certificate' : undefined;
      const tampered = [badSig];
      if (certField) {
        const badCert = structuredClone(oms);
        const der = Buffer.from(vm[certField]!.rawBytes, 'base64');
        der[der.length - 5]! ^= 1; // inside the CA's signature over the leaf
        (badCert.verificationMaterial as typeof vm)[certField]!.rawBytes = der.toString('base64');
        tampered.push(badCert);
      }
      for (const b of tampered) {
        const plain = outcome(verifyOms(b));
        expect(plain).not.toBe('ok');
        expect(await outcomeAsync(() => withPreverifiedSignatures(verifyOms(b), subtle))).toBe(plain);
      }
    });
  });
}
