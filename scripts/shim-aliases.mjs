// Vite/Vitest aliases that swap the Node built-ins sigstore-js needs (`crypto`, `util`) for our
// small synchronous browser adapters. Shared by the extension build, the CLI build and unit tests so
// that every one of them exercises the same adapter code.
// Only the bare ids are aliased: `node:crypto` (the CLI's file hashing) stays Node's own.
import { fileURLToPath } from 'node:url';

const shim = (name) => fileURLToPath(new URL(`../extension/core/sigstore/shims/${name}.ts`, import.meta.url));

export const shimAliases = [
  { find: /^crypto$/, replacement: shim('crypto') },
  { find: /^util$/, replacement: shim('util') },
];
