/**
 * For DSSE bundles verified against an artifact: the artifact's digest must equal one of the in-toto
 * statement's subjects (sha256, or sha512 when the bytes are at hand). Runs only after the signature
 * over the exact payload bytes has been verified.
 */
import { sha512 } from '@noble/hashes/sha2.js';
import { ModelSealError } from '../errors.js';
import { parseBoundedJson } from './json-bounds.js';

const IN_TOTO = 'application/vnd.in-toto+json';
const MAX_SUBJECTS = 100_000;

export function matchInTotoSubject(
  dsse: { payloadType: string; payload: Uint8Array },
  artifact: { sha256: Uint8Array; bytes?: Uint8Array | undefined },
): void {
  if (dsse.payloadType !== IN_TOTO) {
    throw new ModelSealError('ARTIFACT_MISMATCH', `DSSE payload type ${JSON.stringify(dsse.payloadType)} is not an in-toto statement`);
  }
  const statement = parseBoundedJson(new TextDecoder('utf-8', { fatal: false }).decode(dsse.payload), 'STATEMENT_MALFORMED', 'in-toto statement');
  const subjects = (statement as { subject?: unknown } | null)?.subject;
  if (!Array.isArray(subjects) || subjects.length === 0 || subjects.length > MAX_SUBJECTS) {
    throw new ModelSealError('STATEMENT_MALFORMED', 'in-toto statement has no usable subject list');
  }
  const want256 = toHex(artifact.sha256);
  const want512 = artifact.bytes ? toHex(sha512(artifact.bytes)) : undefined;
  for (const s of subjects) {
    const digest = (s as { digest?: unknown } | null)?.digest;
    if (typeof digest !== 'object' || digest === null) continue;
    const d = digest as Record<string, unknown>;
    if (typeof d.sha256 === 'string' && d.sha256.toLowerCase() === want256) return;
    if (want512 && typeof d.sha512 === 'string' && d.sha512.toLowerCase() === want512) return;
  }
  throw new ModelSealError('ARTIFACT_MISMATCH', 'the artifact digest matches no subject of the signed statement');
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
