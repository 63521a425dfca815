/**
 * Browser stand-in for Node's `util`, which sigstore-js needs only for `isDeepStrictEqual` (to find
 * duplicate timestamps and SCTs). Strict: same prototype, same own enumerable keys, Object.is for
 * primitives, byte equality for typed arrays, time equality for Dates. Depth-bounded.
 */
const MAX_DEPTH = 64;

export function isDeepStrictEqual(a: unknown, b: unknown): boolean {
  return equal(a, b, 0);
}

function equal(a: unknown, b: unknown, depth: number): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (depth > MAX_DEPTH) throw new RangeError('isDeepStrictEqual: structure too deep');
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (a instanceof Date) return a.getTime() === (b as Date).getTime();
  if (ArrayBuffer.isView(a)) {
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const yv = b as ArrayBufferView;
    const y = new Uint8Array(yv.buffer, yv.byteOffset, yv.byteLength);
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
    return true;
  }
  if (Array.isArray(a) && a.length !== (b as unknown[]).length) return false;
  if (a instanceof Map || a instanceof Set) {
    // sigstore-js never compares these; refuse rather than approximate.
    throw new TypeError('isDeepStrictEqual shim does not compare Map/Set');
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], depth + 1)) return false;
  }
  return true;
}

export default { isDeepStrictEqual };
