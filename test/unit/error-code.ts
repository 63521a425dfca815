/**
 * Small helpers the unit tests share: the error code a call ends with, and an in-memory key/value
 * storage like the core's injected one.
 */
import { isModelSealError } from '../../extension/core/errors.js';

const codeOfError = (e: unknown): string => (isModelSealError(e) ? e.code : `not a ModelSealError: ${String(e)}`);

/** 'ok', or the ModelSealError code `f` throws. */
export function errorCode(f: () => unknown): string {
  try {
    f();
    return 'ok';
  } catch (e) {
    return codeOfError(e);
  }
}

/** 'ok', or the ModelSealError code `p` rejects with. */
export async function errorCodeAsync(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return codeOfError(e);
  }
}

/** A KeyValueStorage over a Map that stores copies, as real storage does; `map` for inspection. */
export function memoryStorage() {
  const map = new Map<string, unknown>();
  return { map, get: async (k: string) => map.get(k), set: async (k: string, v: unknown) => void map.set(k, structuredClone(v)) };
}
