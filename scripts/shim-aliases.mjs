// Vite/Vitest aliases that swap the Node built-ins sigstore-js needs (`crypto`, `util`) for our
// small synchronous browser adapters. Shared by the extension build, the CLI build and unit tests so
// that every one of them exercises the same adapter code.
// Filled in by extension/core/sigstore (see its README section in the project README).
export const shimAliases = [];
