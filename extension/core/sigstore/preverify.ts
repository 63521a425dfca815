/**
 * Native-speed signature checks for sigstore-js, which only calls a synchronous `crypto.verify`.
 * Pure-JS P-384 (the Fulcio chain) dominates a bundle's cost, so the verification runs once with
 * every signature check answering "true" and recorded (shims/crypto.ts `recordSignatureChecks`);
 * then each recorded check is computed for real, ECDSA ones by WebCrypto in parallel, the rest by the
 * pure-JS code. If every one is in truth true, that run is exactly the run a fully checked
 * verification makes (same inputs, same answers), so its outcome stands. If any is false, the
 * verification runs again with the computed answers in its memo (same length-prefixed key), and
 * whatever that run asks beyond them is computed in pure JS as always.
 */
import { CURVES } from './shims/keys.js';
import { equalBytes } from './shims/der.js';
import { recordSignatureChecks, withVerifyMemo, type RecordedCheck } from './shims/crypto.js';

export type SubtleVerify = Pick<SubtleCrypto, 'importKey' | 'verify'>;

const WEBCRYPTO_CURVES: Readonly<Record<string, { namedCurve: string; size: number }>> = {
  '1.2.840.10045.3.1.7': { namedCurve: 'P-256', size: 32 },
  '1.3.132.0.34': { namedCurve: 'P-384', size: 48 },
  '1.3.132.0.35': { namedCurve: 'P-521', size: 66 },
};
const WEBCRYPTO_HASHES: Readonly<Record<string, string>> = { sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' };

/** `verify` (synchronous, calling sigstore-js) with its signature checks computed natively where possible. */
export async function withPreverifiedSignatures<T>(verify: () => T, subtle: SubtleVerify | undefined): Promise<T> {
  if (!subtle) return verify();
  const { outcome, checks } = recordSignatureChecks(verify);
  const answers = await preverify(checks, subtle);
  if (checks.every((c) => answers.get(c.id) === true)) {
    if (outcome.ok) return outcome.value;
    throw outcome.error;
  }
  return withVerifyMemo(verify, answers);
}

/** The true answer of every recorded check: WebCrypto where it computes exactly what noble would, else noble. */
export async function preverify(checks: readonly RecordedCheck[], subtle: SubtleVerify): Promise<Map<string, boolean>> {
  const answers = new Map<string, boolean>();
  const keys = new Map<string, Promise<CryptoKey | undefined>>();
  const unique = new Map(checks.map((c) => [c.id, c]));
  await Promise.all(
    [...unique.values()].map(async (c) => {
      const native = c.ecdsa ? await check(c.ecdsa, subtle, keys) : undefined;
      answers.set(c.id, native ?? safeAnswer(c));
    }),
  );
  return answers;
}

/** Node's verify throws for some malformed inputs, which sigstore-js reads as "not verified". */
function safeAnswer(c: RecordedCheck): boolean {
  try {
    return c.answer();
  } catch {
    return false;
  }
}

async function check(c: NonNullable<RecordedCheck['ecdsa']>, subtle: SubtleVerify, keys: Map<string, Promise<CryptoKey | undefined>>): Promise<boolean | undefined> {
  const curve = WEBCRYPTO_CURVES[c.curveOid];
  const hash = WEBCRYPTO_HASHES[c.hash];
  if (!curve || !hash) return undefined;
  const impl = CURVES[c.curveOid as keyof typeof CURVES].impl;
  let parsed;
  try {
    parsed = impl.Signature.fromBytes(c.signature, 'der');
  } catch {
    return false; // noble refuses it the same way (verifyEcdsaDigest)
  }
  // Only canonical DER passes, as OpenSSL (and our noble path) re-encode and compare.
  if (!equalBytes(parsed.toBytes('der'), c.signature)) return false;
  const p1363 = parsed.toBytes('compact');
  if (p1363.length !== curve.size * 2) return undefined;
  const keyId = `${c.curveOid}:${hash}:${Array.from(c.spki, (b) => b.toString(16).padStart(2, '0')).join('')}`;
  let key = keys.get(keyId);
  if (!key) {
    key = subtle.importKey('spki', copy(c.spki), { name: 'ECDSA', namedCurve: curve.namedCurve }, false, ['verify']).catch(() => undefined);
    keys.set(keyId, key);
  }
  const k = await key;
  if (!k) return undefined;
  try {
    return await subtle.verify({ name: 'ECDSA', hash }, k, copy(p1363), copy(c.data));
  } catch {
    return undefined;
  }
}

/** WebCrypto wants plain ArrayBuffer-backed views. */
function copy(b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(b.length);
  out.set(b);
  return out;
}
