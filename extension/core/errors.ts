/**
 * Typed errors with stable codes. Every failure the core can report has one code here; UIs and the
 * CLI key their wording on the code, never on the message text.
 */
export const ERROR_CODES = [
  // Bundle and manifest parsing (hostile input).
  'BUNDLE_TOO_LARGE',
  'BUNDLE_TOO_DEEP',
  'BUNDLE_MALFORMED',
  'BUNDLE_UNSUPPORTED_MEDIA_TYPE',
  'ENVELOPE_MALFORMED',
  'STATEMENT_MALFORMED',
  'PREDICATE_UNSUPPORTED',
  'SERIALIZATION_UNSUPPORTED',
  'HASH_UNSUPPORTED',
  'TOO_MANY_RESOURCES',
  'RESOURCE_PATH_INVALID',
  'RESOURCE_DUPLICATE',
  'ROOT_DIGEST_MISMATCH',
  // Signature verification.
  'SIGNATURE_INVALID',
  'CERTIFICATE_INVALID',
  'CERTIFICATE_CHAIN_INVALID',
  'CERTIFICATE_USAGE_INVALID',
  'TLOG_INVALID',
  'TIMESTAMP_INVALID',
  'TRUSTED_ROOT_INVALID',
  'IDENTITY_MISMATCH',
  'ISSUER_MISMATCH',
  'KEY_MISMATCH',
  'KEY_INVALID',
  'ARTIFACT_MISMATCH',
  'VERIFICATION_MATERIAL_UNSUPPORTED',
  // Files versus manifest.
  'FILES_MISMATCH',
  'SYMLINK_NOT_ALLOWED',
  // Environment and I/O (could not verify).
  'IO_ERROR',
  'NETWORK_ERROR',
  'RATE_LIMITED',
  'AUTH_REQUIRED',
  'NOT_FOUND',
  'RESPONSE_TOO_LARGE',
  'RESPONSE_MALFORMED',
  'TIMEOUT',
  'TOO_LARGE_TO_HASH',
  'INTERNAL_ERROR',
  // Trust store (pins, policies, import).
  'CONFIRMATION_MISMATCH',
  'STORE_INVALID',
  'SIGNATURE_REMOVED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Codes that mean "could not check" (amber: network, limits, formats or material we lack) rather than
 * "the signature is bad" (red). Every other failure code is a red verdict.
 */
const COULD_NOT_VERIFY: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'BUNDLE_TOO_LARGE',
  'BUNDLE_UNSUPPORTED_MEDIA_TYPE',
  'PREDICATE_UNSUPPORTED',
  'SERIALIZATION_UNSUPPORTED',
  'HASH_UNSUPPORTED',
  'TOO_MANY_RESOURCES',
  'VERIFICATION_MATERIAL_UNSUPPORTED',
  'TRUSTED_ROOT_INVALID',
  'KEY_INVALID',
  'IO_ERROR',
  'NETWORK_ERROR',
  'RATE_LIMITED',
  'AUTH_REQUIRED',
  'NOT_FOUND',
  'RESPONSE_TOO_LARGE',
  'RESPONSE_MALFORMED',
  'TIMEOUT',
  'TOO_LARGE_TO_HASH',
  'INTERNAL_ERROR',
]);

export function isCouldNotVerify(code: ErrorCode): boolean {
  return COULD_NOT_VERIFY.has(code);
}

export class ModelSealError extends Error {
  override readonly name = 'ModelSealError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}

export function isModelSealError(e: unknown): e is ModelSealError {
  return e instanceof ModelSealError;
}

/** Wraps anything thrown by a dependency into a ModelSealError, keeping ours as they are. */
export function asModelSealError(e: unknown, fallback: ErrorCode): ModelSealError {
  if (e instanceof ModelSealError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new ModelSealError(fallback, message);
}
