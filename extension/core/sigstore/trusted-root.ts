/**
 * Trusted roots: the production Sigstore root, taken at build time from @sigstore/tuf's seeds (the
 * TUF-distributed trusted_root.json), or a caller's custom root. Validated before use because
 * sigstore-js treats a missing validity start as "valid since the epoch", which the conformance suite
 * (trust-root-tlog-missing-validity-start_fail) and common sense reject.
 */
import './shims/buffer-global.js';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import seeds from '@sigstore/tuf/seeds.json';
import { ModelSealError } from '../errors.js';
import { base64ToBytes } from './shims/keys.js';

export const PRODUCTION_TUF_URL = 'https://tuf-repo-cdn.sigstore.dev';

let production: unknown;

/** The production trusted_root.json as JSON (decoded once, on first use). */
export function productionTrustedRootJson(): unknown {
  if (production === undefined) {
    const entry = (seeds as Record<string, { targets?: Record<string, string> }>)[PRODUCTION_TUF_URL];
    const b64 = entry?.targets?.['trusted_root.json'];
    if (!b64) throw new ModelSealError('TRUSTED_ROOT_INVALID', 'the bundled production trusted root is missing');
    production = JSON.parse(new TextDecoder().decode(base64ToBytes(b64)));
  }
  return production;
}

const ROOT_MEDIA_TYPES = new Set([
  'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  'application/vnd.dev.sigstore.trustedroot.v0.1+json',
  'application/vnd.dev.sigstore.trustedroot.v0.2+json',
]);

/** Parses and checks a trusted_root.json; throws TRUSTED_ROOT_INVALID. */
export function parseTrustedRoot(json: unknown): TrustedRoot {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ModelSealError('TRUSTED_ROOT_INVALID', 'trusted root is not a JSON object');
  }
  const mediaType = (json as { mediaType?: unknown }).mediaType;
  if (typeof mediaType !== 'string' || !ROOT_MEDIA_TYPES.has(mediaType)) {
    throw new ModelSealError('TRUSTED_ROOT_INVALID', `unsupported trusted root media type ${JSON.stringify(mediaType)}`);
  }
  let root: TrustedRoot;
  try {
    root = TrustedRoot.fromJSON(json);
  } catch (e) {
    throw new ModelSealError('TRUSTED_ROOT_INVALID', `trusted root does not parse: ${e instanceof Error ? e.message : String(e)}`);
  }
  for (const [kind, logs] of [['transparency log', root.tlogs], ['CT log', root.ctlogs]] as const) {
    for (const log of logs) {
      const name = log.baseUrl || 'unnamed';
      if (!log.publicKey?.rawBytes?.length) {
        throw new ModelSealError('TRUSTED_ROOT_INVALID', `${kind} ${name} has no public key`);
      }
      if (!log.publicKey.validFor?.start) {
        throw new ModelSealError('TRUSTED_ROOT_INVALID', `${kind} ${name} has no validFor.start`);
      }
      if (!log.logId?.keyId?.length) throw new ModelSealError('TRUSTED_ROOT_INVALID', `${kind} ${name} has no log id`);
    }
  }
  for (const [kind, cas] of [['certificate authority', root.certificateAuthorities], ['timestamp authority', root.timestampAuthorities]] as const) {
    for (const ca of cas) {
      const name = ca.uri || 'unnamed';
      if (!ca.validFor?.start) throw new ModelSealError('TRUSTED_ROOT_INVALID', `${kind} ${name} has no validFor.start`);
      if (!ca.certChain?.certificates.length) throw new ModelSealError('TRUSTED_ROOT_INVALID', `${kind} ${name} has no certificates`);
    }
  }
  return root;
}
