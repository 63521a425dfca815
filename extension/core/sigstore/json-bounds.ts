/** Hostile-input bounds for JSON the verifier receives already parsed (bundles, trusted roots). */
import { ModelSealError, type ErrorCode } from '../errors.js';

export const MAX_JSON_BYTES = 1024 * 1024;
export const MAX_JSON_DEPTH = 64;

/** Iterative walk so a deep structure cannot overflow the stack before we reject it. */
export function assertJsonDepth(value: unknown, code: ErrorCode, what: string): void {
  const stack: Array<[unknown, number]> = [[value, 1]];
  let seen = 0;
  while (stack.length) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    if (depth > MAX_JSON_DEPTH) throw new ModelSealError(code, `${what} is nested deeper than ${MAX_JSON_DEPTH}`);
    if (++seen > 1_000_000) throw new ModelSealError(code, `${what} has too many values`);
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
}

/** Parses JSON text with a size and depth bound. */
export function parseBoundedJson(text: string, code: ErrorCode, what: string): unknown {
  if (text.length > MAX_JSON_BYTES) {
    throw new ModelSealError(code === 'BUNDLE_MALFORMED' ? 'BUNDLE_TOO_LARGE' : code, `${what} is larger than 1 MiB`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ModelSealError(code, `${what} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  assertJsonDepth(value, code === 'BUNDLE_MALFORMED' ? 'BUNDLE_TOO_DEEP' : code, what);
  return value;
}
