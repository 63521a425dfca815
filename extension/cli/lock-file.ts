/** Reading a lock file the user named: bounded, validated by the core (LOCK_INVALID otherwise). */
import { parseLock } from '../core/lock/parse.js';
import { LOCK_LIMITS, type LockDocument } from '../core/lock/types.js';
import { isModelSealError, ModelSealError } from '../core/errors.js';
import { readRegular } from './node-open.js';

export async function readLockFile(path: string): Promise<LockDocument> {
  let bytes: Buffer;
  try {
    bytes = await readRegular(path, LOCK_LIMITS.bytes, () => new ModelSealError('LOCK_INVALID', `larger than ${LOCK_LIMITS.bytes} bytes`));
  } catch (e) {
    if (isModelSealError(e)) throw e;
    throw new ModelSealError('LOCK_INVALID', `cannot read it: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return parseLock(new Uint8Array(bytes));
}
