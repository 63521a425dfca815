/**
 * The Sigstore conformance client protocol ("verify-bundle") as one pure function, so the CLI and the
 * extension's service worker run exactly the same steps on the same inputs.
 */
import { ModelSealError, isModelSealError, type ErrorCode } from '../errors.js';
import { parseBoundedJson } from './json-bounds.js';
import { verifySigstoreBundle, type SigstoreVerification, type SigstoreVerifyOptions } from './index.js';

/** The suite's defaults for cases that do not name an identity or issuer. */
export const CONFORMANCE_DEFAULTS = {
  identity:
    'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main',
  issuer: 'https://token.actions.githubusercontent.com',
} as const;

export interface ConformanceCaseInput {
  /** bundle.sigstore.json as text (parsing it is part of the case: malformed JSON must fail). */
  bundleJson: string;
  /** The artifact bytes, or its hex SHA-256 (the protocol's `sha256:HEX` form). */
  artifact: { bytes: Uint8Array } | { sha256: string };
  identity?: string;
  issuer?: string;
  /** PEM public key: verify with the key instead of an identity. */
  publicKeyPem?: string;
  /** trusted_root.json as text; default production. */
  trustedRootJson?: string;
}

export type ConformanceResult =
  | { ok: true; verification: SigstoreVerification }
  | { ok: false; code: ErrorCode; message: string };

export function verifyConformanceCase(input: ConformanceCaseInput): ConformanceResult {
  try {
    const bundle = parseBoundedJson(input.bundleJson, 'BUNDLE_MALFORMED', 'bundle');
    const trustedRoot = input.trustedRootJson === undefined
      ? undefined
      : parseBoundedJson(input.trustedRootJson, 'TRUSTED_ROOT_INVALID', 'trusted root');
    const policy: SigstoreVerifyOptions['policy'] = input.publicKeyPem !== undefined
      ? { publicKeyPem: input.publicKeyPem }
      : { identity: input.identity ?? CONFORMANCE_DEFAULTS.identity, issuer: input.issuer ?? CONFORMANCE_DEFAULTS.issuer };
    const verification = verifySigstoreBundle(bundle, {
      policy,
      artifact: input.artifact,
      ...(trustedRoot === undefined ? {} : { trustedRoot }),
    });
    return { ok: true, verification };
  } catch (e) {
    const err = isModelSealError(e) ? e : new ModelSealError('INTERNAL_ERROR', e instanceof Error ? e.message : String(e));
    return { ok: false, code: err.code, message: err.message };
  }
}
