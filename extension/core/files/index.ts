export { checkFiles, uncheckedCode, isSymlinkViolation } from './check.js';
export { countFiles, filesOutcome, type FileCounts, type FilesOutcome } from './summary.js';
export { IgnoreMatcher } from './ignore.js';
export { DEFAULT_IGNORES, type ListedFile, type CheckOptions, type DigestSource } from './listing.js';
