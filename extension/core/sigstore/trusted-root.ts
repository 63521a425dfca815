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

/** The TUF root embedded at build time (bytes of its N.root.json): the seed every update chains from. */
export function productionTufSeedRoot(): Uint8Array {
  const b64 = (seeds as Record<string, { 'root.json'?: string }>)[PRODUCTION_TUF_URL]?.['root.json'];
  if (!b64) throw new ModelSealError('TRUSTED_ROOT_INVALID', 'the bundled TUF root is missing');
  return base64ToBytes(b64);
}

/**
 * How recent a trusted root is, as far as its own content tells: the newest validity start of any
 * log, CA or timestamp authority in it (YYYY-MM-DD). A trusted_root.json carries no date of its own.
 */
export function trustedRootDate(json: unknown): string | undefined {
  let newest = '';
  const visit = (v: unknown, depth: number): void => {
    if (depth > 8 || typeof v !== 'object' || v === null) return;
    for (const [k, x] of Object.entries(v)) {
      if (k === 'start' && typeof x === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(x) && x > newest) newest = x;
      else visit(x, depth + 1);
    }
  };
  visit(json, 0);
  return newest ? newest.slice(0, 10) : undefined;
}

/**
 * Stands in for a trusted root that must not be used (the updated one expired and could not be
 * renewed, or is no trusted root). Any Sigstore verification given it fails with its code and reason; signatures checked
 * with a key or the user's CA never ask for a trusted root, so they are unaffected.
 */
export class UnusableTrustedRoot {
  constructor(
    readonly code: 'TRUST_ROOT_EXPIRED' | 'TRUSTED_ROOT_INVALID',
    readonly reason: string,
  ) {}
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
