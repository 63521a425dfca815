/**
 * Side-effect module: sigstore-js (and protobuf-specs via `globalThis.Buffer`) expect Node's global
 * `Buffer`. Browsers have none, so install the `buffer` package's implementation. Import this before
 * anything from `@sigstore/*`. In Node the native Buffer is already there and is kept.
 */
import { Buffer as BufferPolyfill } from 'buffer/index.js';

const g = globalThis as { Buffer?: unknown };
if (typeof g.Buffer === 'undefined') g.Buffer = BufferPolyfill;
