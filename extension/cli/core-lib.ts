// Entry for dist/cli/core-lib.js: core functions built exactly as the CLI ships them (shim aliases
// applied), for benchmarks and scripts that want the browser code path in plain Node.
export { verifySigstoreBundle, verifyConformanceCase, parseTrustedRoot, productionTrustedRootJson } from '../core/sigstore/index.js';
export { shimStats } from '../core/sigstore/shims/crypto.js';
