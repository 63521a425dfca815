/** Hub access and revision verification. Content scripts import ./page-url.js directly (this index pulls in the verifier). */
export { parseHubPageUrl, type HubPage, type PageView, type RepoKind } from './page-url.js';
export { HubClient, encodeRepoPath, type HubClientOptions, type HubProgress, type ResolvedRevision, type TreeFile } from './client.js';
export { parseRetryAfterSeconds, parseNextLink } from './http.js';
export type { RevisionCheck, RevisionOutcome } from './revision-check.js';
export {
  verifyRevision,
  verifyUnknownSigner,
  DEFAULT_MAX_HASH_BYTES,
  MAX_PER_FILE_SIGNATURES,
  MODEL_SIG,
  type VerifyRevisionInput,
} from './verify-revision.js';
