/** Locks: a revision's signed content written down, and checks that accept only that content. */
export * from './types.js';
export { lockContentOf, recomputeLockRoot } from './content.js';
export { parseLock, serializeLock, validateLock } from './parse.js';
export { createLock, type CreateLockInput } from './create.js';
export { checkAgainstLock, compareWithLock, type LockComparison, type LockSubject } from './check.js';
