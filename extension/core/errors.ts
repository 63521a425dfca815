/**
 * Typed errors with stable codes. Every failure the core can report has one code here; UIs and the
 * CLI key their wording on the code, never on the message text.
 *
 * Every code is declared with its class: `unverifiable` means "could not check" (amber: network, limits, formats
 * or material we lack); `invalid` means the signature, certificate, log, identity or files are bad
 * (red). Declared together so a new code cannot go unclassified.
 */
const ERROR_CLASS = {
  // Bundle and manifest parsing (hostile input).
  BUNDLE_TOO_LARGE: 'unverifiable',
  BUNDLE_TOO_DEEP: 'invalid',
  BUNDLE_MALFORMED: 'invalid',
  BUNDLE_UNSUPPORTED_MEDIA_TYPE: 'unverifiable',
  ENVELOPE_MALFORMED: 'invalid',
  STATEMENT_MALFORMED: 'invalid',
  PREDICATE_UNSUPPORTED: 'unverifiable',
  SERIALIZATION_UNSUPPORTED: 'unverifiable',
  HASH_UNSUPPORTED: 'unverifiable',
  TOO_MANY_RESOURCES: 'unverifiable',
  RESOURCE_PATH_INVALID: 'invalid',
  RESOURCE_DUPLICATE: 'invalid',
  ROOT_DIGEST_MISMATCH: 'invalid',
  // Signature verification.
  SIGNATURE_INVALID: 'invalid',
  CERTIFICATE_INVALID: 'invalid',
  CERTIFICATE_CHAIN_INVALID: 'invalid',
  CERTIFICATE_USAGE_INVALID: 'invalid',
  TLOG_INVALID: 'invalid',
  TIMESTAMP_INVALID: 'invalid',
  TRUSTED_ROOT_INVALID: 'unverifiable',
  IDENTITY_MISMATCH: 'invalid',
  ISSUER_MISMATCH: 'invalid',
  KEY_MISMATCH: 'invalid',
  KEY_INVALID: 'unverifiable',
  ARTIFACT_MISMATCH: 'invalid',
  VERIFICATION_MATERIAL_UNSUPPORTED: 'unverifiable',
  /** A certificate-method signature (chain in the bundle, no log entry) and no CA the user trusts for this repo to check it against. */
  CERTIFICATE_CA_NOT_TRUSTED: 'unverifiable',
  // Files versus manifest.
  FILES_MISMATCH: 'invalid',
  SYMLINK_NOT_ALLOWED: 'invalid',
  // Environment and I/O (could not verify).
  IO_ERROR: 'unverifiable',
  NETWORK_ERROR: 'unverifiable',
  RATE_LIMITED: 'unverifiable',
  AUTH_REQUIRED: 'unverifiable',
  NOT_FOUND: 'unverifiable',
  RESPONSE_TOO_LARGE: 'unverifiable',
  RESPONSE_MALFORMED: 'unverifiable',
  TIMEOUT: 'unverifiable',
  TOO_LARGE_TO_HASH: 'unverifiable',
  INTERNAL_ERROR: 'unverifiable',
  // Trust store (pins, policies, import).
  CONFIRMATION_MISMATCH: 'invalid',
  STORE_INVALID: 'invalid',
  SIGNATURE_REMOVED: 'invalid',
  /** Accepting a signer would leave a policy that names another signer in force: the user must say how to change it. */
  POLICY_CONFLICT: 'invalid',
  /** An import would now change something other than what its preview showed (the store changed since): preview again. */
  PREVIEW_MISMATCH: 'invalid',
  /** A repo with a pin or policy carries a signature that cannot be checked: red, never a downgrade to amber. */
  SIGNATURE_UNCHECKABLE: 'invalid',
  /** Some files are covered by no verified signature (per-file signatures). */
  PARTLY_SIGNED: 'unverifiable',
  /** Valid signature on a revision that is not the default branch head and nothing pinned to judge it. */
  NOT_DEFAULT_BRANCH: 'unverifiable',
  /** The per-verification byte or request budget ran out: the rest is unchecked. */
  WORK_BUDGET_EXCEEDED: 'unverifiable',
  /** A disk check: the files match a valid signature, but no pin or policy judged its signer (no repo named). */
  SIGNER_NOT_JUDGED: 'unverifiable',
  /** A disk check: the picked folder has more files, or deeper paths, than a check in the browser takes. */
  TOO_MANY_FILES: 'unverifiable',
  /** A disk check stopped by the user. */
  CANCELLED: 'unverifiable',
  // Transparency log, witness-style.
  /** A log checkpoint that does not parse, is out of bounds, or is not signed by the log's key. */
  CHECKPOINT_INVALID: 'invalid',
  /** The log showed two different trees of the same size: it is presenting different views. */
  LOG_EQUIVOCATION: 'invalid',
  /** A consistency proof between two checkpoints of one log does not verify. */
  LOG_INCONSISTENT: 'invalid',
  // The Sigstore trust root kept current through TUF.
  /** TUF metadata or a target that does not parse, is not signed by its role's threshold, or does not match what names it. */
  TUF_INVALID: 'unverifiable',
  /** TUF metadata older than what was already trusted (a rollback). */
  TUF_ROLLBACK: 'unverifiable',
  /** TUF metadata past its expiry (a freeze, or no update for too long). */
  TUF_EXPIRED: 'unverifiable',
  /** The updated Sigstore trust root in force has expired and the TUF repository could not renew it: Sigstore signatures cannot be checked. */
  TRUST_ROOT_EXPIRED: 'unverifiable',
  // Locks (a revision's signed content, written down: core/lock).
  /** A lock file that cannot be read, is too large, has unknown fields or version, or whose root digest does not recompute. */
  LOCK_INVALID: 'invalid',
  /** The signed content is not the locked content (other files, digests or manifest settings), even if validly signed. */
  LOCK_MISMATCH: 'invalid',
  /** The lock is for another hub, kind or repo. */
  LOCK_OTHER_REPO: 'invalid',
  /** The locked content signed by someone other than the signer the lock names. */
  LOCK_SIGNER_MISMATCH: 'invalid',
  // Verified downloads (bytes fetched and hashed here).
  /** The bytes served for a signed file do not hash to its signed digest: nothing was kept. */
  DOWNLOAD_DIGEST_MISMATCH: 'invalid',
  /** The file has no signed whole-file digest to check a download against (unsigned, or signed by shards). */
  DOWNLOAD_NOT_SIGNED: 'unverifiable',
  // Publishers and copies (core/publishers).
  /** A valid signature by another publisher's documented signer, on a repo that is not shown to be an exact copy of its signed release. */
  SIGNER_NOT_OWNER: 'invalid',
  /** Another publisher's signature on files that are not the ones it signed (a modified copy, e.g. re-quantized): not tampering of the publisher's own repo. */
  COPY_FILES_DIFFER: 'invalid',
  // Signing history (issue 8).
  /** A first visit: the repo's signing history shows a change of signer, so none is pinned until the user chooses. */
  HISTORY_SIGNER_CHANGED: 'unverifiable',
} as const satisfies Record<string, 'invalid' | 'unverifiable'>;

export type ErrorCode = keyof typeof ERROR_CLASS;

export const ERROR_CODES = Object.keys(ERROR_CLASS) as ErrorCode[];

export function isCouldNotVerify(code: ErrorCode): boolean {
  return ERROR_CLASS[code] === 'unverifiable';
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
